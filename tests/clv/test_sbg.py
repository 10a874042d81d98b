"""Shifted-beta-geometric (sBG) model: published values, properties, simulation."""

from __future__ import annotations

import math
import pickle
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import special

from custvalue.clv import (
    ShiftedBetaGeometric,
    SubscriberLifetimes,
    fit_sbg,
    fit_sbg_survivors,
)
from custvalue.clv._fit import Fit
from custvalue.clv._sbg._likelihood import log_likelihood_derivatives
from custvalue.errors import ConvergenceError
from custvalue.results import ConvergenceReport

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

# Fader & Hardie (2007), "How to Project Customer Retention", Journal of
# Interactive Marketing 21(1), Table 1 / Figure 1: percent of a cohort of
# 1,000 customers still subscribed at the start of years 0..7.
REGULAR_PERCENT = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]
HIGH_END_PERCENT = [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1]
# Same paper, section 4: the sBG fitted to those years 0..7 (7 renewal
# opportunities), maximum likelihood, printed to 3 decimals.
PUBLISHED = {
    "regular": (REGULAR_PERCENT, {"alpha": 0.704, "beta": 1.182}),
    "high_end": (HIGH_END_PERCENT, {"alpha": 0.668, "beta": 3.806}),
}


def _counts(percent: list[float]) -> FloatArray:
    """Survivor counts of the cohort of 1,000 (the percentages are exact tenths)."""
    return np.rint(np.asarray(percent) * 10.0)


def _as_individuals(
    survivors: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Lifetime patterns and counts equivalent to a survivor curve."""
    k = survivors.size - 1
    lifetime = np.concatenate([np.arange(1.0, k + 1.0), [float(k)]])
    churned = np.concatenate([np.ones(k), [0.0]]).astype(bool)
    weight = np.concatenate([survivors[:-1] - survivors[1:], survivors[-1:]])
    keep = weight > 0
    return lifetime[keep], churned[keep], weight[keep]


def _direct_renewal_sum(
    model: ShiftedBetaGeometric, tenure: int, discount_rate: float, terms: int
) -> float:
    """Sum_{m=1}^{terms} S(n+m)/S(n) / (1+d)^(m-1), term by term from betaln."""
    m = np.arange(1.0, terms + 1.0)
    log_u = special.betaln(model.alpha, model.beta + tenure + m) - special.betaln(
        model.alpha, model.beta + tenure
    )
    return float(np.sum(np.exp(log_u - (m - 1.0) * math.log1p(discount_rate))))


# ---------------------------------------------------------------- tier 1


@pytest.mark.parametrize("segment", sorted(PUBLISHED))
def test_reproduces_fader_hardie_2007_estimates(segment: str) -> None:
    # Expected: Fader & Hardie (2007), section 4, fitted to years 0..7 of
    # the 1,000-customer cohorts. The survivor counts rebuilt from the
    # printed percentages are exact (the percentages are of 1,000 customers
    # to one decimal), so the maximum-likelihood estimates must agree to
    # the printed 3 decimals: tolerance half a unit of the 3rd decimal.
    percent, published = PUBLISHED[segment]
    fit = fit_sbg_survivors(_counts(percent))
    assert isinstance(fit, Fit)
    assert fit.n_customers == 1000
    assert fit.convergence.converged
    assert fit.convergence.hessian_negative_definite
    for name, value in published.items():
        assert fit.parameters[name] == pytest.approx(value, abs=5e-4)


def test_fitted_log_likelihoods() -> None:
    # Not printed in the paper; the maximum of the log-likelihood computed
    # independently (Nelder-Mead on the betaln form, tolerance 1e-12):
    # regular -1680.2652, high end -1611.1581. Tolerance: 1e-3 covers the
    # independent optimizer's stopping rule.
    regular = fit_sbg_survivors(_counts(REGULAR_PERCENT))
    high_end = fit_sbg_survivors(_counts(HIGH_END_PERCENT))
    assert regular.log_likelihood == pytest.approx(-1680.2652, abs=1e-3)
    assert high_end.log_likelihood == pytest.approx(-1611.1581, abs=1e-3)


@pytest.mark.parametrize("segment", sorted(PUBLISHED))
def test_fitted_survival_reproduces_the_curve(segment: str) -> None:
    # Fader & Hardie (2007), Figure 3: the fitted curve tracks the observed
    # survival closely. Each observed share is a binomial proportion of
    # 1,000 customers, so the fitted S(t) must lie within 2 of its standard
    # errors. The largest gaps are 0.6 points (0.4 SE, regular, years 2-4)
    # and 1.8 points (1.6 SE, high end, year 1).
    percent, _ = PUBLISHED[segment]
    observed = np.asarray(percent) / 100.0
    model = fit_sbg_survivors(_counts(percent)).model
    fitted = model.survival(np.arange(8))
    se = np.sqrt(fitted * (1.0 - fitted) / 1000.0)
    assert fitted[0] == 1.0
    assert np.all(np.abs(fitted - observed) <= 2.0 * se + 1e-12)
    assert np.max(np.abs(fitted - observed)) < 0.02
    rates = model.retention_rate(np.arange(1, 13))
    assert np.all(np.diff(rates) > 0)
    # retention rates are ratios of consecutive survival probabilities
    assert_allclose(rates[:7], fitted[1:] / fitted[:-1], rtol=1e-12)


def test_published_model_projects_past_the_data() -> None:
    # Fader & Hardie (2007) project years 8..12 from the 7-year fit. With
    # the printed estimates, S(t) follows eq. (7), cross-checked here by the
    # product of the retention rates of eq. (8).
    model = ShiftedBetaGeometric(alpha=0.704, beta=1.182)
    t = np.arange(1, 13)
    rates = model.retention_rate(t)
    assert_allclose(model.survival(t), np.cumprod(rates), rtol=1e-12)


# ---------------------------------------------------------------- fitting


@pytest.mark.parametrize("segment", sorted(PUBLISHED))
def test_survivor_fit_equals_weighted_individual_fit(segment: str) -> None:
    counts = _counts(PUBLISHED[segment][0])
    by_survivors = fit_sbg_survivors(counts)
    lifetime, churned, weight = _as_individuals(counts)
    by_individuals = fit_sbg(lifetime, churned, counts=weight)
    assert by_survivors.n_patterns == by_individuals.n_patterns == lifetime.size
    assert_allclose(
        [by_survivors.model.alpha, by_survivors.model.beta],
        [by_individuals.model.alpha, by_individuals.model.beta],
        rtol=1e-8,
    )
    assert by_survivors.log_likelihood == pytest.approx(
        by_individuals.log_likelihood, rel=1e-12
    )
    # ... and equals the fit on one row per customer (counts are customers per row)
    counts_per_row = weight.astype(np.int64)
    expanded = fit_sbg(
        np.repeat(lifetime, counts_per_row), np.repeat(churned, counts_per_row)
    )
    assert_allclose(expanded.covariance, by_survivors.covariance, rtol=1e-6)
    assert expanded.log_likelihood == pytest.approx(
        by_survivors.log_likelihood, rel=1e-12
    )


def test_log_likelihood_matches_the_fit_and_the_survivor_formula() -> None:
    counts = _counts(REGULAR_PERCENT)
    fit = fit_sbg_survivors(counts)
    model = fit.model
    lifetime, churned, weight = _as_individuals(counts)
    per_pattern = model.log_likelihood(lifetime, churned)
    assert float(np.dot(weight, per_pattern)) == pytest.approx(
        fit.log_likelihood, rel=1e-12
    )
    # Fader & Hardie (2007) eq. (9): churners contribute ln P(T = t), the
    # survivors ln S(7)
    k = counts.size - 1
    direct = np.dot(
        counts[:-1] - counts[1:], np.log(model.churn_probability(np.arange(1, k + 1)))
    ) + counts[-1] * np.log(model.survival(k))
    assert fit.log_likelihood == pytest.approx(float(direct), rel=1e-12)


@pytest.mark.parametrize(
    ("alpha", "beta"), [(0.704, 1.182), (0.05, 40.0), (8.0, 0.3), (1.0, 1.0)]
)
def test_gradient_and_hessian_match_finite_differences(
    alpha: float, beta: float
) -> None:
    lifetime = np.array([1.0, 2.0, 5.0, 30.0, 0.0, 3.0, 30.0, 200.0])
    churned = np.array([True, True, True, True, False, False, False, True])
    weight = np.array([3.0, 1.0, 2.0, 1.0, 4.0, 2.0, 5.0, 1.0])
    theta = np.array([alpha, beta])
    ll, grad, hess = log_likelihood_derivatives(theta, lifetime, churned, weight)
    model = ShiftedBetaGeometric(alpha=alpha, beta=beta)
    assert ll == pytest.approx(
        float(np.dot(weight, model.log_likelihood(lifetime, churned))), rel=1e-13
    )
    for i in range(2):
        h = 1e-6 * theta[i]
        step = np.zeros(2)
        step[i] = h
        up = log_likelihood_derivatives(theta + step, lifetime, churned, weight)
        down = log_likelihood_derivatives(theta - step, lifetime, churned, weight)
        # central differences: error O(h^2) relative to the scale of the terms
        assert grad[i] == pytest.approx((up[0] - down[0]) / (2 * h), rel=1e-6, abs=1e-6)
        assert_allclose(hess[:, i], (up[1] - down[1]) / (2 * h), rtol=1e-6, atol=1e-6)
    assert_allclose(hess, hess.T, rtol=0, atol=0)


def test_fit_without_churn_raises_convergence_error() -> None:
    # Nobody cancelled: S(k) = B(alpha, beta + k) / B(alpha, beta) -> 1, the
    # likelihood's supremum, as the mean churn probability alpha/(alpha+beta)
    # -> 0, so there is no interior maximum. Asserted: the error and the
    # boundary it names, not where the optimizer happened to stop.
    with pytest.raises(ConvergenceError, match="no customer cancelled") as info:
        fit_sbg_survivors([100, 100, 100, 100])
    report = info.value.report
    assert isinstance(report, ConvergenceReport)
    assert not report.converged
    assert {"alpha -> 0", "beta -> infinity"} & set(report.boundary)
    assert "runs to" in str(info.value)
    assert "No interior maximum" in report.message


def test_fit_result_is_plain_data() -> None:
    fit = fit_sbg_survivors(_counts(HIGH_END_PERCENT))
    assert pickle.loads(pickle.dumps(fit)) == fit
    assert attrs.asdict(fit.model) == {
        "alpha": fit.model.alpha,
        "beta": fit.model.beta,
    }
    intervals = fit.confidence_intervals(0.95)
    assert all(iv.low < fit.parameters[k] < iv.high for k, iv in intervals.items())


# ---------------------------------------------------------------- consistency


@pytest.mark.parametrize(
    "truth",
    [
        ShiftedBetaGeometric(alpha=0.704, beta=1.182),
        ShiftedBetaGeometric(alpha=3.0, beta=8.0),
    ],
)
def test_simulated_survival_matches_closed_form(truth: ShiftedBetaGeometric) -> None:
    n = 200_000
    data = truth.simulate(n, n_periods=12, rng=np.random.default_rng(11))
    assert isinstance(data, SubscriberLifetimes)
    t = np.arange(1, 13)
    # a customer is still subscribed after t periods iff not churned by t
    still = np.array([np.mean(~(data.churned & (data.lifetime <= k))) for k in t])
    expected = truth.survival(t)
    se = np.sqrt(expected * (1.0 - expected) / n)
    # 12 correlated comparisons: 4 binomial standard errors each
    assert np.all(np.abs(still - expected) < 4.0 * se)
    assert np.all(data.lifetime[~data.churned] == 12)
    assert np.all(
        (data.lifetime[data.churned] >= 1) & (data.lifetime[data.churned] <= 12)
    )


@pytest.mark.parametrize(
    "truth",
    [
        ShiftedBetaGeometric(alpha=0.704, beta=1.182),
        ShiftedBetaGeometric(alpha=2.5, beta=6.0),
    ],
)
def test_simulate_then_fit_recovers_parameters(truth: ShiftedBetaGeometric) -> None:
    rng = np.random.default_rng(20260101)
    n = 20_000
    # staggered joining: customers observed for 1 to 24 periods
    window = rng.integers(1, 25, n)
    data = truth.simulate(n, n_periods=window, rng=rng)
    assert np.any(~data.churned)
    assert np.all(data.lifetime[~data.churned] == window[~data.churned])
    fit = fit_sbg(data.lifetime, data.churned)
    errors = fit.standard_errors
    for name in fit.parameter_names:
        # within 3.5 standard errors: 2 parameters, a joint ~99.9% band
        z = abs(fit.parameters[name] - getattr(truth, name)) / errors[name]
        assert z < 3.5, (name, z)


def test_simulation_is_reproducible_and_uses_no_global_state() -> None:
    model = ShiftedBetaGeometric(alpha=1.0, beta=2.0)
    first = model.simulate(50, n_periods=5, rng=3)
    second = model.simulate(50, n_periods=5, rng=np.random.default_rng(3))
    assert first == second
    assert not first.lifetime.flags.writeable
    # tiny alpha: some cancellation probabilities underflow to 0 (never cancel)
    extreme = ShiftedBetaGeometric(alpha=0.01, beta=1.0).simulate(
        1000, n_periods=10, rng=4
    )
    assert np.all(extreme.lifetime[~extreme.churned] == 10)


@pytest.mark.parametrize(
    ("alpha", "beta", "tenure", "discount_rate"),
    [
        (0.704, 1.182, 0, 0.1),
        (0.704, 1.182, 4, 0.1),
        (0.668, 3.806, 10, 0.05),
        (1.0, 0.05, 0, 0.001),  # scipy's hyp2f1 is wrong here
        (1.0, 1.182, 1, 0.001),
        (3.0, 8.0, 2, 0.2),
        (50.0, 0.5, 100, 0.01),
    ],
)
def test_derl_matches_direct_discounted_sum(
    alpha: float, beta: float, tenure: int, discount_rate: float
) -> None:
    # Fader & Hardie (2010) eq. (6) with their n = tenure + 1: the sum over
    # future renewals t = n+1, n+2, ... of S(t)/S(n) discounted by
    # (1+d)^(t-n-1). Summed here far beyond where the terms fall below
    # 1e-17 of the total.
    model = ShiftedBetaGeometric(alpha=alpha, beta=beta)
    terms = int(60.0 / math.log1p(discount_rate)) + 10
    direct = _direct_renewal_sum(model, tenure, discount_rate, terms)
    derl = model.discounted_expected_residual_lifetime(
        tenure, discount_rate=discount_rate
    )
    assert derl.shape == ()
    assert float(derl) == pytest.approx(direct, rel=1e-11)


def test_derl_matches_hypergeometric_form_of_the_paper() -> None:
    # Fader & Hardie (2010) eq. (6), DERL(d | n-1 renewals) =
    # (beta+n-1)/(alpha+beta+n-1) 2F1(1, beta+n; alpha+beta+n; 1/(1+d)),
    # evaluated with scipy where it is reliable (alpha not an integer,
    # z = 1/1.1 away from 1), with n - 1 = tenure.
    model = ShiftedBetaGeometric(alpha=0.704, beta=1.182)
    d = 0.1
    tenure = np.array([0, 1, 4, 9])
    n = tenure + 1
    a, b = model.alpha, model.beta
    paper = (
        (b + n - 1)
        / (a + b + n - 1)
        * special.hyp2f1(1.0, b + n, a + b + n, 1.0 / (1.0 + d))
    )
    derl = model.discounted_expected_residual_lifetime(tenure, discount_rate=d)
    assert_allclose(derl, paper, rtol=1e-10)
    # more renewals -> a more loyal customer -> a larger residual value
    assert np.all(np.diff(derl) > 0)


def test_expected_residual_lifetime_infinite_for_alpha_at_most_one() -> None:
    for alpha in (0.3, 1.0):
        model = ShiftedBetaGeometric(alpha=alpha, beta=2.0)
        assert np.all(np.isinf(model.expected_residual_lifetime([0, 5])))
        assert np.all(
            np.isinf(
                model.discounted_expected_residual_lifetime([0, 5], discount_rate=0)
            )
        )
        # discounting makes it finite
        assert np.all(
            np.isfinite(
                model.discounted_expected_residual_lifetime([0, 5], discount_rate=0.1)
            )
        )
    model = ShiftedBetaGeometric(alpha=2.5, beta=2.0)
    # (beta + n)/(alpha - 1), and the undiscounted limit of DERL
    assert_allclose(model.expected_residual_lifetime([0, 3]), [2.0 / 1.5, 5.0 / 1.5])
    near_zero_rate = model.discounted_expected_residual_lifetime(3, discount_rate=1e-7)
    assert float(near_zero_rate) == pytest.approx(5.0 / 1.5, rel=1e-5)
    assert float(near_zero_rate) < 5.0 / 1.5


@pytest.mark.parametrize("alpha", [0.3, 0.98, 1.0, 1.03, 2.0, 25.0])
def test_expected_renewals_matches_direct_sum(alpha: float) -> None:
    # both evaluation paths: the telescoped closed form (|alpha - 1| >= 0.05)
    # and the term-by-term sum near alpha = 1
    model = ShiftedBetaGeometric(alpha=alpha, beta=1.7)
    horizons = np.array([0, 1, 2, 7, 40, 1000])
    for tenure in (0, 3, 50):
        expected = [_direct_renewal_sum(model, tenure, 0.0, int(h)) for h in horizons]
        assert_allclose(
            model.expected_renewals(horizons, tenure), expected, rtol=1e-11, atol=0
        )
    # a (horizon, tenure) table by broadcasting
    table = model.expected_renewals(horizons[:, None], np.array([0, 3, 50]))
    assert table.shape == (6, 3)
    assert np.all(table[0] == 0)
    # one renewal opportunity ahead: the retention rate at the next one
    assert_allclose(
        model.expected_renewals(1, np.arange(5)), model.retention_rate(np.arange(1, 6))
    )


def test_expected_renewals_approach_expected_residual_lifetime() -> None:
    model = ShiftedBetaGeometric(alpha=3.0, beta=2.0)
    far = model.expected_renewals(10**6, tenure=[0, 4])
    assert_allclose(far, model.expected_residual_lifetime([0, 4]), rtol=1e-9)


# ---------------------------------------------------------------- properties

models = st.builds(
    ShiftedBetaGeometric,
    alpha=st.floats(0.02, 30.0),
    beta=st.floats(0.02, 60.0),
)


@given(model=models, t=st.integers(0, 500))
def test_survival_is_a_non_increasing_probability(
    model: ShiftedBetaGeometric, t: int
) -> None:
    periods = np.arange(t + 2)
    survival = model.survival(periods)
    assert survival[0] == 1.0
    assert np.all((survival >= 0) & (survival <= 1))
    assert np.all(np.diff(survival) <= 0)


@given(model=models, t=st.integers(1, 500))
def test_retention_rates_are_non_decreasing_probabilities(
    model: ShiftedBetaGeometric, t: int
) -> None:
    rates = model.retention_rate(np.arange(1, t + 2))
    assert np.all((rates > 0) & (rates < 1))
    assert np.all(np.diff(rates) >= 0)


@given(model=models, k=st.integers(1, 300))
def test_churn_probabilities_and_tail_sum_to_one(
    model: ShiftedBetaGeometric, k: int
) -> None:
    churn = model.churn_probability(np.arange(1, k + 1))
    assert np.all((churn > 0) & (churn < 1))
    assert float(churn.sum() + model.survival(k)) == pytest.approx(1.0, rel=1e-10)


@given(
    model=models,
    tenure=st.integers(0, 200),
    horizon=st.integers(0, 200),
)
def test_conditional_predictions_are_consistent(
    model: ShiftedBetaGeometric, tenure: int, horizon: int
) -> None:
    conditional = model.conditional_survival(horizon, tenure)
    assert 0 <= float(conditional) <= 1
    assert float(conditional) == pytest.approx(
        float(model.survival(tenure + horizon) / model.survival(tenure)), rel=1e-9
    )
    renewals = model.expected_renewals(np.array([horizon, horizon + 1]), tenure)
    # expectations are 0 at 0, non-decreasing in the horizon (the increment
    # S(n+h+1)/S(n) can be far below the rounding of the total), at most horizon
    assert renewals[1] >= renewals[0] * (1 - 1e-12)
    assert renewals[0] >= 0
    assert renewals[0] <= horizon + 1e-9
    if horizon == 0:
        assert renewals[0] == 0


@given(model=models, tenure=st.integers(0, 100), rate=st.floats(0.01, 2.0))
def test_derl_is_between_zero_and_the_perpetuity(
    model: ShiftedBetaGeometric, tenure: int, rate: float
) -> None:
    derl = float(
        model.discounted_expected_residual_lifetime(tenure, discount_rate=rate)
    )
    # renewals at most 1 per period: bounded by the perpetuity (1+d)/d
    assert 0 < derl <= (1.0 + rate) / rate * (1 + 1e-12)
    assert derl >= float(model.retention_rate(tenure + 1)) * (1 - 1e-12)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("survivors", "message"),
    [
        ([1000, 631, 700, 382], "`survivors` must be non-increasing"),
        ([1000, -1, -2], "`survivors` must be >= 0"),
        ([1000, 631.5, 468], "`survivors` must be whole numbers"),
        ([], "`survivors` must not be empty"),
        ([1000], "`survivors` must have at least 2 entries"),
        ([0, 0, 0], r"`survivors\[0\]`, the cohort size, must be > 0"),
        ([1000, np.nan], "`survivors` must be finite"),
        ([[1000, 600]], "`survivors` must be one-dimensional"),
    ],
)
def test_bad_survivors_raise_value_error(survivors: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fit_sbg_survivors(survivors)


def test_survivor_message_counts_and_locates_offenders() -> None:
    with pytest.raises(ValueError, match=r"1 of 4 violate this \(first at index 2"):
        fit_sbg_survivors([1000, 631, 700, 382])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lifetime": [0, 2], "churned": [True, False]}, "`lifetime` must be >= 1"),
        ({"lifetime": [-1, 2], "churned": [False, False]}, "`lifetime` must be >= 0"),
        ({"lifetime": [1.5, 2], "churned": [True, True]}, "`lifetime` must be whole"),
        ({"lifetime": [1, 2], "churned": [True]}, "must have the same length"),
        ({"lifetime": [1, 2], "churned": [1, 2]}, "`churned` must be True/False"),
        ({"lifetime": [1, 2], "churned": ["yes", "no"]}, "`churned` must be True"),
        ({"lifetime": [], "churned": []}, "`lifetime` must not be empty"),
        (
            {"lifetime": [1, 2], "churned": [True, False], "counts": [1, 0]},
            "`counts` must be > 0",
        ),
        (
            {"lifetime": [1, 2], "churned": [True, False], "counts": [1]},
            "must have the same length",
        ),
    ],
)
def test_bad_lifetimes_raise_value_error(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fit_sbg(**kwargs)
    if "counts" not in kwargs:
        with pytest.raises(ValueError, match=message):
            ShiftedBetaGeometric(alpha=1.0, beta=1.0).log_likelihood(**kwargs)


def test_churned_accepts_zero_one_and_censored_zero_lifetime() -> None:
    model = ShiftedBetaGeometric(alpha=1.0, beta=2.0)
    assert_allclose(
        model.log_likelihood([1, 0], [1, 0]),
        [math.log(1.0 / 3.0), 0.0],
        rtol=1e-14,
    )


def test_bad_parameters_and_arguments() -> None:
    with pytest.raises(ValueError, match="`alpha` must be a finite number > 0"):
        ShiftedBetaGeometric(alpha=0.0, beta=1.0)
    with pytest.raises(ValueError, match="`beta` must be a finite number > 0"):
        ShiftedBetaGeometric(alpha=1.0, beta=math.inf)
    with pytest.raises(TypeError, match="`beta` must be a real number > 0"):
        ShiftedBetaGeometric(alpha=1.0, beta="2")
    model = ShiftedBetaGeometric(alpha=1.0, beta=1.0)
    with pytest.raises(ValueError, match="`t` must be whole numbers >= 1"):
        model.churn_probability([0, 1])
    with pytest.raises(ValueError, match="`t` must be whole numbers >= 1"):
        model.retention_rate(0)
    with pytest.raises(ValueError, match="`t` must be whole numbers >= 0"):
        model.survival([1.5])
    with pytest.raises(ValueError, match="`tenure` must be whole numbers >= 0"):
        model.expected_renewals(3, -1)
    with pytest.raises(ValueError, match="`horizon` must be whole numbers >= 0"):
        model.conditional_survival(np.inf, 1)
    with pytest.raises(ValueError, match="`discount_rate` must be >= 0"):
        model.discounted_expected_residual_lifetime(1, discount_rate=-0.1)
    with pytest.raises(ValueError, match="`n_periods` must be whole numbers >= 0"):
        model.simulate(3, n_periods=2.5, rng=1)
    with pytest.raises(ValueError, match="`n_customers` must be an integer >= 1"):
        model.simulate(0, n_periods=2, rng=1)
    with pytest.raises(TypeError, match="`t` must contain whole numbers"):
        model.survival(True)
    with pytest.raises(ValueError, match="`lifetime` must be >= 1"):
        SubscriberLifetimes(lifetime=[0], churned=[True])


def test_penalizer_shrinks_the_fit() -> None:
    # The L2 penalty lambda * (alpha^2 + beta^2) on the mean log-likelihood
    # pulls identified estimates towards 0 and lowers the likelihood.
    plain = fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
    shrunk = fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241], penalizer=0.1)
    assert shrunk.penalizer == 0.1
    assert shrunk.parameters["beta"] < plain.parameters["beta"]
    assert shrunk.log_likelihood < plain.log_likelihood


def test_penalizer_cannot_keep_alpha_from_zero_without_churn() -> None:
    # Without churn the likelihood is maximal as alpha -> 0 for any beta,
    # and the penalty is smallest at (0, 0): the penalized objective has no
    # interior maximum either, and the error says a penalizer cannot help.
    with pytest.raises(ConvergenceError, match="penalizer cannot help") as info:
        fit_sbg_survivors([100, 100, 100, 100], penalizer=0.01)
    assert "alpha -> 0" in info.value.report.boundary

    with pytest.raises(ValueError, match="penalizer"):
        fit_sbg([1, 2], [True, False], penalizer=-1.0)
