"""Profile-likelihood intervals: the likelihood-ratio invariant at the bounds."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

from custvalue._lib.profile import _Profile
from custvalue.clv import (
    BGBB,
    BGNBD,
    MBGNBD,
    GammaGamma,
    ParetoNBD,
    ShiftedBetaGeometric,
    fit_bgbb,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_mbgnbd,
    fit_pareto_nbd,
    fit_sbg,
    profile_confidence_intervals,
)
from custvalue.clv._profile import _likelihood


def _case(name: str) -> tuple[Any, tuple[Any, ...], Any]:
    """A fit on simulated data, the data, and their row counts."""
    rng = np.random.default_rng(sum(map(ord, name)))
    if name in ("bgnbd", "mbgnbd", "pareto"):
        model: Any = {
            "bgnbd": BGNBD(r=0.5, alpha=5.0, a=0.8, b=2.5),
            "mbgnbd": MBGNBD(r=0.5, alpha=5.0, a=0.8, b=2.5),
            "pareto": ParetoNBD(r=0.5, alpha=5.0, s=0.6, beta=10.0),
        }[name]
        sim = model.simulate(800, rng.uniform(20, 60, 800), rng=rng)
        data = (sim.frequency, sim.recency, sim.T)
        fitter = {"bgnbd": fit_bgnbd, "mbgnbd": fit_mbgnbd, "pareto": fit_pareto_nbd}
        return fitter[name](*data), data, None
    if name == "bgbb":
        d = BGBB(alpha=1.2, beta=0.8, gamma=0.6, delta=2.5).simulate(800, 8, rng=rng)
        data = (d.frequency, d.recency, d.n_opportunities)
        return fit_bgbb(*data, counts=d.counts), data, d.counts
    if name == "sbg":
        s = ShiftedBetaGeometric(alpha=0.8, beta=3.0).simulate(
            800, n_periods=8, rng=rng
        )
        return fit_sbg(s.lifetime, s.churned), (s.lifetime, s.churned), None
    frequency = rng.integers(1, 8, 800)
    spend = GammaGamma(p=6.0, q=4.0, gamma=15.0).simulate(frequency, rng=rng)
    return fit_gamma_gamma(frequency, spend), (frequency, spend), None


CASES = ["bgnbd", "mbgnbd", "pareto", "bgbb", "sbg", "gamma_gamma"]


@pytest.mark.parametrize("name", CASES)
def test_bounds_are_where_the_likelihood_ratio_test_starts_to_reject(name: str) -> None:
    fit, data, counts = _case(name)
    level = 0.9
    intervals = profile_confidence_intervals(
        fit, *data, counts=counts, confidence_level=level
    )
    critical = float(stats.chi2.ppf(level, 1))
    estimates = np.array([fit.parameters[k] for k in fit.parameter_names])
    log_likelihood = _likelihood(fit.model, data, counts)
    for k, name_k in enumerate(fit.parameter_names):
        interval = intervals[name_k]
        assert interval.confidence_level == level
        assert 0 < interval.low < estimates[k] < interval.high
        # Wilks: twice the profile log-likelihood drop equals the critical
        # value at each finite bound (Brent's method to 1e-7 in log units)
        profile = _Profile(log_likelihood, np.log(estimates), k, fit.n_customers, 0.0)
        for bound in (interval.low, interval.high):
            if math.isfinite(bound):
                assert profile.deviance(math.log(bound)) == pytest.approx(
                    critical, abs=1e-3
                )
        # and inside the interval the test does not reject
        profile.reset()
        assert profile.deviance(math.log(estimates[k])) < 1e-6


def test_profile_and_log_intervals_agree_for_large_samples() -> None:
    # the log-likelihood is nearly quadratic in log-parameters with many
    # customers, so both intervals nearly coincide
    model = BGNBD(r=0.8, alpha=4.0, a=0.8, b=3.0)
    sim = model.simulate(20_000, 40.0, rng=7)
    fit = fit_bgnbd(sim.frequency, sim.recency, sim.T)
    profile = profile_confidence_intervals(fit, sim.frequency, sim.recency, sim.T)
    log = fit.confidence_intervals()
    for name in fit.parameter_names:
        assert profile[name].low == pytest.approx(log[name].low, rel=0.03)
        assert profile[name].high == pytest.approx(log[name].high, rel=0.03)


def test_data_of_another_fit_are_refused() -> None:
    fit, data, _ = _case("bgnbd")
    other = (data[0], data[1] * 0.5, data[2])
    with pytest.raises(ValueError, match="the fit was made from"):
        profile_confidence_intervals(fit, *other)


def test_wrong_data_shapes_and_objects_are_refused() -> None:
    fit, data, _ = _case("sbg")
    with pytest.raises(TypeError, match="two arrays"):
        profile_confidence_intervals(fit, data[0], data[1], data[1])
    with pytest.raises(TypeError, match="must be a fit"):
        profile_confidence_intervals(
            type(fit)(
                model=object(),
                log_likelihood=fit.log_likelihood,
                n_customers=fit.n_customers,
                n_patterns=fit.n_patterns,
                parameter_names=fit.parameter_names,
                covariance=fit.covariance,
                convergence=fit.convergence,
            ),
            *data,
        )
    with pytest.raises(ValueError, match="confidence_level"):
        profile_confidence_intervals(fit, *data, confidence_level=1.0)


def test_weakly_identified_bound_reaches_infinity() -> None:
    # A cohort of 30 with 4 cancellations in 4 periods: the likelihood never
    # drops by the critical amount as alpha and beta grow together, so the
    # upper bounds are infinite; the lower bounds are finite and below.
    survivors = [30, 28, 27, 27, 26]
    lifetime, churned, counts = [1, 2, 4, 4], [True, True, True, False], [2, 1, 1, 26]
    assert sum(counts) == survivors[0]
    fit = fit_sbg(lifetime, churned, counts=counts)
    intervals = profile_confidence_intervals(fit, lifetime, churned, counts=counts)
    for name in ("alpha", "beta"):
        assert 0 < intervals[name].low < fit.parameters[name]
        assert intervals[name].high == math.inf
