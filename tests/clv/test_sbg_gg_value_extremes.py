"""Extremes of the sBG, Gamma-Gamma and CLV computations (issue #14).

Hypothesis draws parameters log-uniformly over 1e-3..1e3; the profiles of
``tests/conftest.py`` set the number of examples. References are computed
with mpmath at 50 digits; each test names the expression it evaluates.
"""

from __future__ import annotations

import math
from typing import Any

import mpmath  # type: ignore[import-untyped]
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import special

from custvalue.clv import (
    BGNBD,
    GammaGamma,
    ShiftedBetaGeometric,
    customer_lifetime_value,
    discounted_expected_purchases,
)
from custvalue.clv._sbg import _model as sbg_model

mpmath.mp.dps = 50

#: log-uniform over 1e-3..1e3
wide = st.floats(-3.0, 3.0).map(lambda e: float(10.0**e))
rates = st.floats(-4.0, 0.0).map(lambda e: float(10.0**e))
sbg_models = st.builds(ShiftedBetaGeometric, alpha=wide, beta=wide)
gg_models = st.builds(GammaGamma, p=wide, q=wide, gamma=wide)
PERIODS = np.array([0, 1, 2, 10, 100, 1_000, 1_024, 1_025, 10_000, 100_000])
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise"}


@settings()
@given(model=sbg_models, tenure=st.sampled_from([0, 1, 10, 1_000, 100_000]))
def test_sbg_methods_are_finite_and_in_range(
    model: ShiftedBetaGeometric, tenure: int
) -> None:
    with np.errstate(**STRICT):  # type: ignore[arg-type]
        survival = model.survival(PERIODS)
        log_survival = model.log_survival(PERIODS)
        churn = model.churn_probability(PERIODS[1:])
        retention = model.retention_rate(PERIODS[1:])
        conditional = model.conditional_survival(PERIODS, tenure)
        renewals = model.expected_renewals(PERIODS, tenure)
    assert np.all((survival >= 0) & (survival <= 1))
    assert np.all(np.diff(survival) <= 0)
    assert np.all(np.isfinite(log_survival))
    assert log_survival[0] == 0.0
    assert np.all(log_survival <= 0)
    assert np.all(np.diff(log_survival) <= 1e-15 * np.abs(log_survival[1:]))
    assert_allclose(np.exp(log_survival), survival, rtol=1e-12, atol=0)
    assert np.all((churn >= 0) & (churn <= 1))
    assert np.all((retention > 0) & (retention < 1))
    assert np.all((conditional >= 0) & (conditional <= 1))
    assert np.all(np.diff(conditional) <= 0)
    assert np.all(np.isfinite(renewals))
    assert renewals[0] == 0.0
    assert np.all(np.diff(renewals) >= -1e-12 * renewals[-1])
    # the expected renewals never exceed the horizon
    assert np.all(renewals <= PERIODS * (1 + 1e-12))


@settings()
@given(model=sbg_models, tenure=st.sampled_from([0, 1, 10, 1_000]), rate=rates)
def test_sbg_residual_lifetime_is_finite_and_bounded(
    model: ShiftedBetaGeometric, tenure: int, rate: float
) -> None:
    with np.errstate(**STRICT):  # type: ignore[arg-type]
        derl = float(
            model.discounted_expected_residual_lifetime(tenure, discount_rate=rate)
        )
        erl = float(model.expected_residual_lifetime(tenure))
    assert math.isfinite(derl)
    assert derl > 0
    # at most the perpetuity sum_{m>=1} v^(m-1) = (1+d)/d, and at most the
    # undiscounted residual lifetime (inf exactly for alpha <= 1)
    assert derl <= (1 + rate) / rate * (1 + 1e-12)
    assert math.isinf(erl) == (model.alpha <= 1.0)
    assert derl <= erl * (1 + 1e-10)


@settings()
@given(model=sbg_models, window=st.sampled_from([0, 1, 100, 10_000]))
def test_sbg_likelihood_and_simulation(
    model: ShiftedBetaGeometric, window: int
) -> None:
    lifetime = np.array([1, 2, 5, 1_000, 1_000, 0])
    churned = np.array([True, True, False, True, False, False])
    with np.errstate(**STRICT):  # type: ignore[arg-type]
        log_lik = model.log_likelihood(lifetime, churned)
        drawn = model.simulate(50, n_periods=window, rng=0)
    assert np.all(np.isfinite(log_lik))
    assert np.all(log_lik <= 0)
    assert np.all(drawn.lifetime[drawn.churned] >= 1)
    assert np.all(drawn.lifetime <= window)
    assert np.all(drawn.lifetime[~drawn.churned] == window)


@settings()
@given(
    model=gg_models,
    frequency=st.sampled_from([1, 2, 50, 5_000]),
    spend=st.floats(-3.0, 6.0).map(lambda e: float(10.0**e)),
)
def test_gamma_gamma_methods_are_finite_or_documented_inf(
    model: GammaGamma, frequency: int, spend: float
) -> None:
    with np.errstate(**STRICT):  # type: ignore[arg-type]
        log_lik = model.log_likelihood([frequency], [spend])
        expected = model.conditional_expected_spend([0, frequency], [0.0, spend])
        drawn = model.simulate([frequency] * 20, rng=0)
    assert np.all(np.isfinite(log_lik))
    infinite = model.p * np.array([0, frequency]) + model.q <= 1.0
    assert np.array_equal(np.isinf(expected), infinite)
    assert np.all(expected > 0)
    assert math.isinf(model.mean_spend) == (model.q <= 1.0)
    assert np.all(drawn >= 0)  # inf where the draw exceeds the float range
    assert not np.any(np.isnan(drawn))


bg_params = st.floats(-1.0, 1.0).map(lambda e: float(10.0**e))
bg_models = st.builds(BGNBD, r=bg_params, alpha=bg_params, a=bg_params, b=bg_params)
HORIZONS = (1.0, 10.0, 100.0, 1_000.0, 10_000.0, 1e7, math.inf)


@settings()
@given(
    model=bg_models,
    rate=rates,
    compounding=st.sampled_from(["end_of_period", "continuous"]),
)
def test_clv_is_finite_non_decreasing_and_reaches_the_infinite_horizon(
    model: BGNBD, rate: float, compounding: Any
) -> None:
    customers = ([0, 2, 20], [0.0, 30.43, 38.0], [38.86, 38.86, 38.86])
    values = np.array(
        [
            discounted_expected_purchases(
                model,
                *customers,
                horizon=h,
                discount_rate=rate,
                compounding=compounding,
            )
            for h in HORIZONS
        ]
    )
    assert np.all(np.isfinite(values))
    assert np.all(values >= 0)
    assert np.all(np.diff(values, axis=0) >= -1e-12 * values[-1])
    # past the cut-off (< 1e7 periods for d >= 1e-4) nothing is left
    assert_allclose(values[-2], values[-1], rtol=1e-12)
    clv = customer_lifetime_value(
        model,
        GammaGamma(p=6.25, q=3.74, gamma=15.44),
        *customers,
        [0.0, 35.0, 20.0],
        horizon=1e7,
        discount_rate=rate,
        compounding=compounding,
    )
    assert np.all(np.isfinite(clv))


# --- mpmath references (50 digits) -----------------------------------------

SBG_CASES = [
    (305.389, 0.443249, 10_000),  # issue #14: survival underflows to 0
    (1e-3, 1e3, 1),
    (1e-3, 1e3, 100_000),
    (1e3, 1e-3, 1),
    (1e3, 1e3, 100_000),
    (1e-3, 1e-3, 1_025),
    (0.704, 1.182, 4),
]


@pytest.mark.parametrize(("alpha", "beta", "t"), SBG_CASES)
def test_sbg_survival_and_churn_match_mpmath(alpha: float, beta: float, t: int) -> None:
    a, b = mpmath.mpf(alpha), mpmath.mpf(beta)
    # ln S(t) = ln B(a, b+t) - ln B(a, b)  (Fader & Hardie 2007, eq. 7)
    log_s = mpmath.log(mpmath.beta(a, b + t)) - mpmath.log(mpmath.beta(a, b))
    # P(T = t) = B(a+1, b+t-1) / B(a, b)  (eq. 5)
    churn = mpmath.beta(a + 1, b + t - 1) / mpmath.beta(a, b)
    model = ShiftedBetaGeometric(alpha=alpha, beta=beta)
    assert float(model.log_survival([t])[0]) == pytest.approx(float(log_s), rel=1e-10)
    survival = float(mpmath.exp(log_s))
    assert float(model.survival([t])[0]) == pytest.approx(survival, rel=1e-8, abs=0)
    assert float(model.churn_probability([t])[0]) == pytest.approx(
        float(churn), rel=1e-8, abs=0
    )


DERL_CASES = [
    (0.704, 1.182, 4, 0.1),
    (1.0, 0.05, 0, 0.001),  # alpha integer: scipy's hyp2f1 is wrong here
    (1e-3, 1e3, 0, 1e-4),
    (1e3, 1e-3, 0, 1e-4),
    (1e-3, 1e-3, 10, 1e-6),
    (2.0, 1.0, 0, 1e-7),
    (0.5, 2.0, 1_000, 1e-5),
    (1e3, 1e3, 0, 1e-3),
    (0.3, 0.7, 0, 1e-9),  # 1/d terms: the old sum would take 4e10 of them
]


@pytest.mark.parametrize(("alpha", "beta", "tenure", "rate"), DERL_CASES)
def test_sbg_derl_matches_mpmath(
    alpha: float, beta: float, tenure: int, rate: float
) -> None:
    # DERL = E[x/(1 - v x)], x = 1 - theta ~ Beta(b, a), b = beta + tenure,
    #      = b/(a+b) 2F1(1, b+1; a+b+1; v), v = 1/(1+d)  (Fader & Hardie 2010)
    a, b = mpmath.mpf(alpha), mpmath.mpf(beta) + tenure
    v = 1 / (1 + mpmath.mpf(rate))
    reference = b / (a + b) * mpmath.hyp2f1(1, b + 1, a + b + 1, v)
    model = ShiftedBetaGeometric(alpha=alpha, beta=beta)
    ours = float(
        model.discounted_expected_residual_lifetime(tenure, discount_rate=rate)
    )
    assert ours == pytest.approx(float(reference), rel=1e-10)


class CountingSpecial:
    """scipy.special with betaln counting the values it computes."""

    def __init__(self) -> None:
        self.values = 0

    def betaln(self, a: Any, b: Any) -> Any:
        self.values += int(np.broadcast(a, b).size)
        return special.betaln(a, b)

    def __getattr__(self, name: str) -> Any:
        return getattr(special, name)


@pytest.mark.parametrize("rate", [0.1, 1e-3, 1e-6, 1e-9])
def test_sbg_derl_work_is_bounded(monkeypatch: pytest.MonkeyPatch, rate: float) -> None:
    # issue #14: the work grew like 1/d (37/d terms to reach 1e-16)
    counter = CountingSpecial()
    monkeypatch.setattr(sbg_model, "special", counter)
    ShiftedBetaGeometric(alpha=0.3, beta=0.7).discounted_expected_residual_lifetime(
        [0, 5], discount_rate=rate
    )
    assert counter.values <= 2 * 2_000


GG_CASES = [
    (6.25, 3.74, 15.44, 2, 35.0),
    (1e-3, 1e3, 1e-3, 1, 1e-3),
    (1e3, 1e-3, 1e3, 5_000, 1e6),
    (1e-3, 1.0001, 1e3, 1, 1e-3),  # p x + q - 1 = 1.1e-3: large, finite
    (0.0713, 0.0023776, 0.654, 50, 10.0),
]


@pytest.mark.parametrize(("p", "q", "gamma", "x", "m"), GG_CASES)
def test_gamma_gamma_conditional_spend_matches_mpmath(
    p: float, q: float, gamma: float, x: int, m: float
) -> None:
    # E[Z | x, m] = (gamma + x m) p / (p x + q - 1)  (note 025, eq. 5)
    mp, mq = mpmath.mpf(p), mpmath.mpf(q)
    reference = (mpmath.mpf(gamma) + x * mpmath.mpf(m)) * mp / (mp * x + mq - 1)
    ours = float(
        GammaGamma(p=p, q=q, gamma=gamma).conditional_expected_spend([x], [m])[0]
    )
    assert ours == pytest.approx(float(reference), rel=1e-8)


def test_gamma_gamma_spend_is_inf_where_the_posterior_mean_is() -> None:
    # p x + q <= 1: the posterior shape of nu is <= 1, E[1/nu] is infinite
    model = GammaGamma(p=0.0713, q=0.0023776, gamma=0.654)
    spend = model.conditional_expected_spend([0, 1, 13, 14], [0.0, 5.0, 5.0, 5.0])
    assert np.array_equal(np.isinf(spend), [True, True, True, False])
    with pytest.raises(ValueError, match=r"p \* frequency \+ q <= 1"):
        customer_lifetime_value(
            BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426),
            model,
            [1],
            [30.43],
            [38.86],
            [35.0],
            horizon=10,
            discount_rate=0.01,
        )


def test_gamma_gamma_simulate_returns_inf_beyond_float_range() -> None:
    # issue #14: the draw truly exceeds 1e308; inf, no overflow warning
    model = GammaGamma(p=0.0713, q=0.0023776, gamma=0.654)
    with np.errstate(all="raise"):
        drawn = model.simulate([50] * 20, rng=0)
    assert np.any(np.isinf(drawn))
    assert np.all(drawn > 0)


def test_sbg_regressions_of_the_investigation() -> None:
    # survival underflows to 0 (documented); log_survival stays finite
    model = ShiftedBetaGeometric(alpha=305.389, beta=0.443249)
    with np.errstate(all="raise"):
        assert model.survival([10_000])[0] == 0.0
        assert model.log_survival([10_000])[0] == pytest.approx(-1375.52895282849)
        model.churn_probability([10_000])
        model.conditional_survival([10_000], 5)
        model.expected_renewals([10_000], 5)
        # theta subnormal: never churns within the window, no overflow
        drawn = ShiftedBetaGeometric(alpha=0.00444733, beta=2.38258).simulate(
            50, n_periods=100, rng=0
        )
    assert np.all(drawn.lifetime[~drawn.churned] == 100)
