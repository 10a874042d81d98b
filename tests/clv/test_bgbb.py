"""BG/BB: published values, lifetimes oracle, exact sums, simulation, contracts."""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from fractions import Fraction
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from model_cases import discrete_customers
from numpy.testing import assert_allclose
from scipy import special

from custvalue.clv import (
    BGBB,
    DiscreteTimeSummary,
    discounted_expected_purchases,
    fit_bgbb,
)
from custvalue.clv._bgbb import _likelihood as bgbb_math
from custvalue.datasets import load_donations

Quiet = Callable[[], AbstractContextManager[None]]
IntArray = npt.NDArray[np.int64]

PUBLISHED = BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)


def _donations_fit() -> Any:
    d = load_donations()
    return fit_bgbb(d.frequency, d.recency, d.n_opportunities, counts=d.counts)


# --- tier 1: published values ------------------------------------------------


def test_donations_fit_reproduces_fader_hardie_shang_2010() -> None:
    # Fader, Hardie & Shang (2010), Marketing Science 29(6), section 3 (the
    # donations data, 11,104 donors of 1995, six annual opportunities):
    # alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6.
    # Printed to 3 decimals (LL to 1), so compare after rounding to that.
    fit = _donations_fit()
    assert {k: round(v, 3) for k, v in fit.parameters.items()} == {
        "alpha": 1.204,
        "beta": 0.750,
        "gamma": 0.657,
        "delta": 2.783,
    }
    assert round(fit.log_likelihood, 1) == -33225.6
    assert fit.n_customers == 11104
    assert fit.n_patterns == 22
    assert fit.convergence.converged
    assert fit.convergence.hessian_negative_definite
    assert_allclose(fit.covariance, fit.covariance.T)


# --- oracle: lifetimes 0.11.3 --------------------------------------------------


def _lifetimes_fit(
    lifetimes: ModuleType,
    x: IntArray,
    tx: IntArray,
    n: IntArray,
    w: npt.ArrayLike,
) -> Any:
    # lifetimes' BFGS reports "precision loss" and raises ConvergenceError at
    # tol=1e-10 on the donations data; take the tightest tolerance it accepts.
    error = lifetimes.utils.ConvergenceError
    for tol in (1e-10, 1e-9, 1e-8):
        try:
            return lifetimes.BetaGeoBetaBinomFitter().fit(x, tx, n, weights=w, tol=tol)
        except error:
            continue
    return lifetimes.BetaGeoBetaBinomFitter().fit(x, tx, n, weights=w)


def _synthetic(seed: int) -> tuple[BGBB, DiscreteTimeSummary]:
    rng = np.random.default_rng(seed)
    truth = BGBB(
        alpha=rng.uniform(0.5, 3.0),
        beta=rng.uniform(0.5, 3.0),
        gamma=rng.uniform(0.3, 2.0),
        delta=rng.uniform(1.0, 6.0),
    )
    n_opportunities = rng.integers(4, 13, 20_000)
    return truth, truth.simulate(20_000, n_opportunities, rng=rng)


@pytest.mark.oracle
@pytest.mark.parametrize("seed", [None, 0, 1, 2])
def test_estimates_match_lifetimes(
    seed: int | None, lifetimes: ModuleType, quiet: Quiet
) -> None:
    d = load_donations() if seed is None else _synthetic(seed)[1]
    ours = fit_bgbb(d.frequency, d.recency, d.n_opportunities, counts=d.counts)
    with quiet():
        theirs = _lifetimes_fit(
            lifetimes, d.frequency, d.recency, d.n_opportunities, d.counts
        )
    names = ["alpha", "beta", "gamma", "delta"]
    assert_allclose(
        [ours.parameters[k] for k in names],
        theirs.params_[names].to_numpy(),
        rtol=1e-5,
    )
    # lifetimes reports the weighted mean negative log-likelihood
    assert ours.log_likelihood == pytest.approx(
        -theirs._negative_log_likelihood_ * d.n_customers, rel=1e-10
    )


def _lifetimes_model(lifetimes: ModuleType, model: BGBB) -> Any:
    fitter = lifetimes.BetaGeoBetaBinomFitter()
    fitter.params_ = pd.Series(
        {
            "alpha": model.alpha,
            "beta": model.beta,
            "gamma": model.gamma,
            "delta": model.delta,
        }
    )
    return fitter


@pytest.mark.oracle
@pytest.mark.parametrize("seed", [None, 0, 1])
def test_predictions_match_lifetimes(
    seed: int | None, lifetimes: ModuleType, quiet: Quiet
) -> None:
    if seed is None:
        model, d = PUBLISHED, load_donations()
    else:
        model, d = _synthetic(seed)
    x, tx, n = d.frequency, d.recency, d.n_opportunities
    fitter = _lifetimes_model(lifetimes, model)
    theta = np.array([model.alpha, model.beta, model.gamma, model.delta])
    with quiet():
        # lifetimes adds 1e-15 to the sum of the likelihood: relative error
        # up to ~1e-15 / L, harmless for these small n
        assert_allclose(
            model.log_likelihood(x, tx, n),
            fitter._loglikelihood(theta, x, tx, n),
            rtol=1e-10,
        )
        for future in (0, 1, 3):
            assert_allclose(
                model.probability_alive(x, tx, n, future=future),
                fitter.conditional_probability_alive(future, x, tx, n),
                rtol=1e-8,
            )
        for horizon in (1, 5, 10):
            assert_allclose(
                model.conditional_expected_purchases(horizon, x, tx, n),
                fitter.conditional_expected_number_of_purchases_up_to_time(
                    horizon, x, tx, n
                ),
                rtol=1e-8,
            )
        # lifetimes has no E[X(n)]; it has the expected histogram of X(n)
        # over the fitted customers (FHS eq. 7 times the number of customers)
        fitter.data = pd.DataFrame({"frequency": x, "weights": d.counts})
        table = fitter.expected_number_of_transactions_in_first_n_periods(6)
    pmf = model.purchase_probability(table.index.to_numpy(), 6)
    assert_allclose(pmf * d.n_customers, table["model"].to_numpy(), rtol=1e-8)


@pytest.mark.oracle
def test_lifetimes_floor_breaks_long_histories(
    lifetimes: ModuleType, quiet: Quiet
) -> None:
    # lifetimes sums the second part of FHS eq. (5) in natural space with a
    # floor of 1e-15 (beta_geo_beta_binom_fitter.py, `B = 1e-15 * ...`). At
    # n = 500 the true terms are ~1e-120, so the floor dominates: for
    # x = 250, t_x = 400 lifetimes gives LL = -28.65 where the exact value
    # (rational arithmetic below) is -280.83; and for x = 400, t_x = n = 500,
    # where the customer is certainly alive, it gives P(alive) = 1.2e-102.
    model = BGBB(alpha=2, beta=3, gamma=2, delta=5)
    x, tx, n = np.array([250, 400]), np.array([400, 500]), np.array([500, 500])
    fitter = _lifetimes_model(lifetimes, model)
    with quiet():
        their_ll = fitter._loglikelihood(np.array([2.0, 3.0, 2.0, 5.0]), x, tx, n)
        their_alive = fitter.conditional_probability_alive(0, x, tx, n)
    exact = [_exact_log_likelihood((2, 3, 2, 5), 250, 400, 500), 0.0]
    assert their_ll[0] == pytest.approx(-28.65, abs=0.01)
    assert their_alive[1] < 1e-100
    assert_allclose(model.log_likelihood(x, tx, n)[0], exact[0], rtol=1e-12)
    assert exact[0] == pytest.approx(-280.83, abs=0.01)
    assert model.probability_alive(x, tx, n)[1] == 1.0


@pytest.mark.oracle
def test_lifetimes_conditional_expectation_fails_at_gamma_one(
    lifetimes: ModuleType, quiet: Quiet
) -> None:
    # lifetimes evaluates FHS eq. (13) literally, with delta / (gamma - 1):
    # at gamma = 1 it returns NaN (0 * inf). The sum form is finite and agrees
    # with exact rational arithmetic.
    model = BGBB(alpha=2, beta=3, gamma=1, delta=5)
    with quiet():
        theirs = _lifetimes_model(
            lifetimes, model
        ).conditional_expected_number_of_purchases_up_to_time(
            10, np.array([3]), np.array([5]), np.array([6])
        )
    assert np.isnan(theirs[0])
    exact = _exact_conditional_expectation((2, 3, 1, 5), 3, 5, 6, 10)
    assert float(model.conditional_expected_purchases(10, 3, 5, 6)) == pytest.approx(
        float(exact), rel=1e-13
    )


# --- extremes: exact rational arithmetic -------------------------------------


def _beta(a: int, b: int) -> Fraction:
    """B(a, b) for whole a, b: (a-1)!(b-1)!/(a+b-1)!, exactly."""
    return Fraction(
        math.factorial(a - 1) * math.factorial(b - 1), math.factorial(a + b - 1)
    )


def _exact_terms(
    params: tuple[int, int, int, int], x: int, tx: int, n: int
) -> tuple[Fraction, Fraction]:
    """(first term of FHS eq. 5, the whole likelihood), exactly."""
    a, b, g, d = params
    scale = _beta(a, b) * _beta(g, d)
    first = _beta(a + x, b + n - x) * _beta(g, d + n) / scale
    rest = sum(
        (
            _beta(a + x, b + tx - x + i) * _beta(g + 1, d + tx + i)
            for i in range(n - tx)
        ),
        Fraction(0),
    )
    return first, first + rest / scale


def _log(value: Fraction) -> float:
    return math.log(value.numerator) - math.log(value.denominator)


def _exact_log_likelihood(
    params: tuple[int, int, int, int], x: int, tx: int, n: int
) -> float:
    return _log(_exact_terms(params, x, tx, n)[1])


def _exact_conditional_expectation(
    params: tuple[int, int, int, int], x: int, tx: int, n: int, horizon: int
) -> Fraction:
    a, b, g, d = params
    first, total = _exact_terms(params, x, tx, n)
    alive_for = Fraction(0)
    ratio = Fraction(1)
    for k in range(horizon):  # B(g, d+n+k+1)/B(g, d+n) as a product
        ratio *= Fraction(d + n + k, g + d + n + k)
        alive_for += ratio
    return first / total * Fraction(a + x, a + b + n) * alive_for


@pytest.mark.parametrize(
    ("x", "tx", "n"),
    [(0, 0, 500), (1, 1, 500), (250, 400, 500), (499, 500, 500), (30, 480, 500)],
)
def test_five_hundred_opportunities_match_exact_arithmetic(
    x: int, tx: int, n: int
) -> None:
    params = (2, 3, 2, 5)
    model = BGBB(alpha=2, beta=3, gamma=2, delta=5)
    first, total = _exact_terms(params, x, tx, n)
    assert float(model.log_likelihood(x, tx, n)) == pytest.approx(
        _log(total), rel=1e-12, abs=1e-12
    )
    alive = float(model.probability_alive(x, tx, n))
    assert math.isfinite(alive)
    assert alive == pytest.approx(float(first / total), rel=1e-10)
    expected = float(model.conditional_expected_purchases(25, x, tx, n))
    assert expected == pytest.approx(
        float(_exact_conditional_expectation(params, x, tx, n, 25)), rel=1e-10
    )


# --- derivatives ---------------------------------------------------------------


@pytest.mark.parametrize(
    "theta", [[1.2, 0.75, 0.66, 2.8], [0.3, 4.0, 2.5, 0.4], [5.0, 1.0, 1.0, 9.0]]
)
def test_gradient_and_hessian_match_finite_differences(theta: list[float]) -> None:
    x = np.array([0, 1, 3, 5, 2, 40, 0])
    tx = np.array([0, 4, 3, 9, 2, 50, 0])
    n = np.array([6, 6, 9, 9, 12, 60, 1])
    w = np.array([3.0, 1.0, 2.0, 1.0, 5.0, 1.0, 2.0])
    data = bgbb_math.LikelihoodData.from_patterns(x, tx, n, w)
    point = np.array(theta)
    ll, grad, hess = bgbb_math.log_likelihood_derivatives(point, data)
    per_pattern = bgbb_math.log_likelihood_patterns(point, data)
    assert ll == pytest.approx(float(np.dot(w, per_pattern)), rel=1e-13)
    step = 1e-5 * point
    for i in range(4):
        e = np.zeros(4)
        e[i] = step[i]
        up = bgbb_math.log_likelihood_derivatives(point + e, data)
        down = bgbb_math.log_likelihood_derivatives(point - e, data)
        assert (up[0] - down[0]) / (2 * step[i]) == pytest.approx(grad[i], rel=1e-7)
        assert_allclose((up[1] - down[1]) / (2 * step[i]), hess[i], rtol=1e-6)
    assert_allclose(hess, hess.T)


# --- consistency with the model's own simulation ------------------------------


def test_simulate_then_fit_recovers_parameters() -> None:
    truth = BGBB(alpha=1.2, beta=0.75, gamma=0.66, delta=2.8)
    sim = truth.simulate(50_000, 8, rng=2026)
    assert sim.n_customers == 50_000
    fit = fit_bgbb(sim.frequency, sim.recency, sim.n_opportunities, counts=sim.counts)
    for name, se in fit.standard_errors.items():
        assert abs(fit.parameters[name] - getattr(truth, name)) < 3.5 * se


def test_expectations_match_simulation_means() -> None:
    model = BGBB(alpha=1.2, beta=0.75, gamma=0.66, delta=2.8)
    rng = np.random.default_rng(7)
    size, n, horizon = 200_000, 6, 5
    theta = np.array([model.alpha, model.beta, model.gamma, model.delta])
    x, tx, future = bgbb_math.simulate_histories(theta, np.full(size, n), horizon, rng)
    # new customers: X(n) over the first n opportunities
    mean, sd = x.mean(), x.std() / math.sqrt(size)
    assert abs(mean - float(model.expected_purchases(n))) < 4 * sd
    # conditional: the sum over customers of the holdout transactions
    predicted = model.conditional_expected_purchases(horizon, x, tx, np.full(size, n))
    k = np.arange(horizon + 1)[:, None]
    pmf = model.conditional_purchase_probability(k, horizon, x, tx, np.full(size, n))
    variance = (k**2 * pmf).sum(axis=0) - predicted**2
    assert abs(future.sum() - predicted.sum()) < 4 * math.sqrt(variance.sum())
    # and within the group of customers who never came back
    none = x == 0
    assert abs(future[none].sum() - predicted[none].sum()) < 4 * math.sqrt(
        variance[none].sum()
    )


def test_probability_alive_matches_simulation() -> None:
    # Simulate n + m opportunities; "alive in n + m" is whether the customer
    # could still transact then. Check against P(alive) for those with x = 0.
    model = BGBB(alpha=0.8, beta=1.5, gamma=0.9, delta=2.0)
    rng = np.random.default_rng(11)
    size, n, m = 200_000, 5, 2
    p = rng.beta(model.alpha, model.beta, size)
    drop = rng.beta(model.gamma, model.delta, size)
    lifetime = rng.geometric(drop) - 1  # opportunities alive
    buys = (rng.random((size, n)) < p[:, None]) & (
        np.arange(1, n + 1)[None, :] <= lifetime[:, None]
    )
    x = buys.sum(axis=1)
    group = x == 0
    alive_later = lifetime[group] >= n + m
    predicted = float(model.probability_alive(0, 0, n, future=m))
    sd = math.sqrt(predicted * (1 - predicted) / group.sum())
    assert abs(alive_later.mean() - predicted) < 4 * sd


@given(
    alpha=st.floats(0.1, 5.0),
    beta=st.floats(0.1, 5.0),
    gamma=st.floats(0.1, 5.0),
    delta=st.floats(0.1, 8.0),
    horizon=st.integers(0, 40),
    customer=st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)),
)
def test_purchase_distributions_sum_to_one_with_the_expected_mean(
    alpha: float,
    beta: float,
    gamma: float,
    delta: float,
    horizon: int,
    customer: tuple[int, int, int],
) -> None:
    model = BGBB(alpha=alpha, beta=beta, gamma=gamma, delta=delta)
    x, tx, n = _valid_customer(*customer)
    k = np.arange(horizon + 1)
    pmf = model.purchase_probability(k, horizon)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
    assert (k * pmf).sum() == pytest.approx(
        float(model.expected_purchases(horizon)), rel=1e-10, abs=1e-13
    )
    cond = model.conditional_purchase_probability(k, horizon, x, tx, n)
    assert cond.sum() == pytest.approx(1.0, abs=1e-12)
    assert (k * cond).sum() == pytest.approx(
        float(model.conditional_expected_purchases(horizon, x, tx, n)),
        rel=1e-10,
        abs=1e-13,
    )


def _valid_customer(a: int, b: int, c: int) -> tuple[int, int, int]:
    """Turn three small integers into a valid (x, t_x, n)."""
    n = max(a, b, c)
    tx = min(b, n)
    x = min(a, tx) if tx > 0 else 0
    if tx > 0 and x == 0:
        x = 1
    return x, tx, n


@pytest.mark.parametrize("gamma", [0.4, 1.0, 1.0 + 1e-9, 3.0])
@pytest.mark.parametrize("rate", [0.02, 0.1, 0.5])
def test_dert_matches_direct_sum_and_fhs_equation_14(gamma: float, rate: float) -> None:
    model = BGBB(alpha=1.2, beta=0.75, gamma=gamma, delta=2.8)
    d = load_donations()
    x, tx, n = d.frequency, d.recency, d.n_opportunities
    dert = model.discounted_expected_residual_purchases(x, tx, n, discount_rate=rate)
    # direct: increments of the conditional expectation, discounted
    horizons = np.arange(0, 6001)[:, None]
    cumulative = model.conditional_expected_purchases(horizons, x, tx, n)
    factors = (1 + rate) ** -horizons[1:]
    direct = (np.diff(cumulative, axis=0) * factors).sum(axis=0)
    assert_allclose(dert, direct, rtol=1e-9)
    # FHS (2010) eq. (14), with the Gaussian hypergeometric function
    a, b, g, dl = model.alpha, model.beta, model.gamma, model.delta
    likelihood = np.exp(model.log_likelihood(x, tx, n))
    fhs = (
        np.exp(
            special.betaln(a + x + 1, b + n - x)
            - special.betaln(a, b)
            + special.betaln(g, dl + n + 1)
            - special.betaln(g, dl)
        )
        * special.hyp2f1(1.0, dl + n + 1, g + dl + n + 1, 1 / (1 + rate))
        / (1 + rate)
        / likelihood
    )
    assert_allclose(dert, fhs, rtol=1e-9)


def test_dert_agrees_with_customer_value_discounting() -> None:
    d = load_donations()
    x, tx, n = d.frequency, d.recency, d.n_opportunities
    via_value = discounted_expected_purchases(
        PUBLISHED, x, tx, n, horizon=math.inf, discount_rate=0.1
    )
    assert_allclose(
        PUBLISHED.discounted_expected_residual_purchases(x, tx, n, discount_rate=0.1),
        via_value,
        rtol=1e-8,
    )


def test_expected_purchases_near_gamma_one_is_continuous() -> None:
    # FHS eq. (9) divides by gamma - 1; the sum form must be smooth across 1
    values = [
        float(BGBB(alpha=1, beta=1, gamma=g, delta=2).expected_purchases(50))
        for g in (1 - 1e-7, 1.0, 1 + 1e-7)
    ]
    assert values[0] == pytest.approx(values[1], rel=1e-6)
    assert values[2] == pytest.approx(values[1], rel=1e-6)
    # at gamma = 1: E = 1/2 * sum_{t=1}^{50} 2 / (2 + t)
    assert values[1] == pytest.approx(
        0.5 * sum(2 / (2 + t) for t in range(1, 51)), rel=1e-13
    )


# --- contracts (Hypothesis), for whole-number horizons ------------------------

models = st.builds(
    BGBB,
    alpha=st.floats(0.05, 10.0),
    beta=st.floats(0.05, 10.0),
    gamma=st.floats(0.05, 10.0),
    delta=st.floats(0.05, 20.0),
)


@given(model=models, data=discrete_customers(), horizon=st.integers(0, 60))
def test_probabilities_lie_in_unit_interval(
    model: BGBB, data: tuple[list[int], list[int], list[int]], horizon: int
) -> None:
    x, tx, n = data
    for future in (0, 1, 10):
        alive = model.probability_alive(x, tx, n, future=future)
        assert np.all((alive >= 0) & (alive <= 1))
    k = np.arange(6)[:, None]
    for p in (
        model.purchase_probability(k, horizon),
        model.conditional_purchase_probability(k, horizon, x, tx, n),
    ):
        assert np.all(np.isfinite(p))
        assert np.all((p >= 0) & (p <= 1 + 1e-12))
    assert np.all(np.isfinite(model.log_likelihood(x, tx, n)))
    assert np.all(model.log_likelihood(x, tx, n) <= 1e-12)


@given(
    model=models,
    data=discrete_customers(),
    horizons=st.lists(st.integers(0, 200), min_size=2, max_size=6),
)
def test_expectations_start_at_zero_and_never_decrease(
    model: BGBB, data: tuple[list[int], list[int], list[int]], horizons: list[int]
) -> None:
    x, tx, n = data
    h = np.sort(np.array(horizons))
    assert model.expected_purchases(0) == 0.0
    assert np.all(model.conditional_expected_purchases(0, x, tx, n) == 0.0)
    new = model.expected_purchases(h)
    assert np.all(np.diff(new) >= 0)
    table = model.conditional_expected_purchases(h[:, None], x, tx, n)
    assert table.shape == (h.size, len(x))
    assert np.all(np.isfinite(table))
    assert np.all(np.diff(table, axis=0) >= 0)
    alive = [model.probability_alive(x, tx, n, future=m) for m in (0, 1, 5)]
    assert np.all(np.diff(np.array(alive), axis=0) <= 0)


@given(model=models, data=discrete_customers(), seed=st.integers(0, 2**32 - 1))
def test_results_do_not_depend_on_row_order(
    model: BGBB, data: tuple[list[int], list[int], list[int]], seed: int
) -> None:
    x, tx, n = (np.array(v) for v in data)
    order = np.random.default_rng(seed).permutation(x.size)
    methods: tuple[Callable[..., npt.NDArray[np.float64]], ...] = (
        model.log_likelihood,
        model.probability_alive,
        lambda *c: model.conditional_expected_purchases(7, *c),
        lambda *c: model.discounted_expected_residual_purchases(*c, discount_rate=0.2),
    )
    for method in methods:
        assert_allclose(method(x, tx, n)[order], method(x[order], tx[order], n[order]))


def test_fitting_patterns_with_counts_equals_fitting_rows() -> None:
    d = load_donations()
    patterns = fit_bgbb(d.frequency, d.recency, d.n_opportunities, counts=d.counts)
    rows = [np.repeat(v, d.counts) for v in (d.frequency, d.recency, d.n_opportunities)]
    order = np.random.default_rng(3).permutation(rows[0].size)
    expanded = fit_bgbb(*(r[order] for r in rows))
    assert expanded.n_patterns == 22
    assert_allclose(
        list(expanded.parameters.values()),
        list(patterns.parameters.values()),
        rtol=1e-12,
    )
    assert expanded.log_likelihood == pytest.approx(patterns.log_likelihood, rel=1e-13)
    assert_allclose(expanded.covariance, patterns.covariance, rtol=1e-9)


def test_scalar_inputs_give_scalar_results() -> None:
    assert PUBLISHED.probability_alive(4, 5, 6).shape == ()
    assert PUBLISHED.conditional_expected_purchases(3, 4, 5, 6).shape == ()
    assert PUBLISHED.conditional_expected_purchases([3, 5], 4, 5, 6).shape == (2,)
    assert PUBLISHED.log_likelihood([1, 2], [3, 3], 6).shape == (2,)


def test_simulate_returns_patterns_with_counts() -> None:
    sim = PUBLISHED.simulate(1000, np.arange(1000) % 7, rng=0)
    assert isinstance(sim, DiscreteTimeSummary)
    assert sim.n_customers == 1000
    assert np.all(sim.recency <= sim.n_opportunities)
    again = PUBLISHED.simulate(1000, np.arange(1000) % 7, rng=0)
    assert again == sim


# --- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"frequency": [1.5], "recency": [2], "T": [3]}, "`frequency`"),
        ({"frequency": [1], "recency": [2.5], "T": [3]}, "`recency`"),
        ({"frequency": [1], "recency": [2], "T": [3.2]}, "`T`"),
        ({"frequency": [-1], "recency": [0], "T": [3]}, "`frequency`"),
        ({"frequency": [3], "recency": [2], "T": [3]}, "`frequency` must be <="),
        ({"frequency": [1], "recency": [4], "T": [3]}, "`recency` must be <= `T`"),
        ({"frequency": [0], "recency": [2], "T": [3]}, "`recency` must be 0 exactly"),
        ({"frequency": [1, 2], "recency": [2], "T": [3]}, "same length"),
        (
            {"frequency": [1], "recency": [2], "T": [3], "counts": [0.0]},
            "`counts`",
        ),
    ],
)
def test_bad_input_names_the_argument(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        fit_bgbb(**kwargs)


def test_bad_options_name_the_argument() -> None:
    with pytest.raises(ValueError, match="`horizon`"):
        PUBLISHED.conditional_expected_purchases(1.5, 1, 2, 3)
    with pytest.raises(ValueError, match="`horizon`"):
        PUBLISHED.expected_purchases(-1)
    with pytest.raises(ValueError, match="`future`"):
        PUBLISHED.probability_alive(1, 2, 3, future=-1)
    with pytest.raises(ValueError, match="`k`"):
        PUBLISHED.purchase_probability(0.5, 3)
    with pytest.raises(ValueError, match="`discount_rate`"):
        PUBLISHED.discounted_expected_residual_purchases(1, 2, 3, discount_rate=0.0)
    with pytest.raises(ValueError, match="`penalizer`"):
        fit_bgbb([1], [2], [3], penalizer=-1.0)
    with pytest.raises(ValueError, match="`alpha`"):
        BGBB(alpha=-1.0, beta=1.0, gamma=1.0, delta=1.0)
    with pytest.raises(ValueError, match="`n_opportunities`"):
        PUBLISHED.simulate(3, [1, 2], rng=0)
