"""BG/NBD closed forms against the model's own simulator and numerical integration."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from reference_integrals import bgnbd_conditional_expectation

from custvalue.clv import BGNBD, fit_bgnbd
from custvalue.errors import ConvergenceError


@pytest.mark.parametrize(
    "truth",
    [
        BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426),
        BGNBD(r=1.5, alpha=12.0, a=2.0, b=6.0),
    ],
)
def test_simulate_then_fit_recovers_parameters(truth: BGNBD) -> None:
    rng = np.random.default_rng(20260101)
    n = 30_000
    data = truth.simulate(n, rng.uniform(20.0, 80.0, n), rng=rng)
    fit = fit_bgnbd(data.frequency, data.recency, data.T)
    errors = fit.standard_errors
    for name in fit.parameter_names:
        # within 3.5 standard errors: 4 parameters, so a joint 99.8% band
        z = abs(fit.parameters[name] - getattr(truth, name)) / errors[name]
        assert z < 3.5, (name, z)
    intervals = fit.confidence_intervals(0.999)
    assert all(iv.low < getattr(truth, k) < iv.high for k, iv in intervals.items())


def test_expected_purchases_match_simulated_means() -> None:
    model = BGNBD(r=0.5, alpha=5.0, a=0.8, b=2.0)
    rng = np.random.default_rng(7)
    n = 400_000
    for t in (5.0, 40.0):
        sim = model.simulate(n, t, rng=rng)
        counts = sim.frequency
        se = counts.std(ddof=1) / np.sqrt(n)
        assert abs(counts.mean() - float(model.expected_purchases(t))) < 3 * se
        # the distribution too: P(X(t) = k) within 3 binomial standard errors
        for k in range(4):
            p = float(model.purchase_probability(k, t))
            observed = float(np.mean(counts == k))
            assert abs(observed - p) < 3 * np.sqrt(p * (1 - p) / n), (t, k)


EXTREMES: list[tuple[str, BGNBD, int, float, float, float]] = [
    ("a exactly 1", BGNBD(r=0.5, alpha=3.0, a=1.0, b=2.0), 3, 10.0, 20.0, 30.0),
    ("a just above 1", BGNBD(r=0.5, alpha=3.0, a=1.0 + 1e-7, b=2.0), 0, 0.0, 5.0, 30.0),
    ("a + b = 1, x = 0", BGNBD(r=0.4, alpha=2.0, a=0.4, b=0.6), 0, 0.0, 1.0, 50.0),
    ("lifetimes #302", BGNBD(r=0.11, alpha=2.24, a=0.31, b=0.5), 0, 0.0, 1.0, 30.0),
    ("x = 500", BGNBD(r=0.25, alpha=4.0, a=0.8, b=2.5), 500, 38.0, 40.0, 39.0),
    ("huge alpha", BGNBD(r=2.0, alpha=1e6, a=0.8, b=2.5), 2, 10.0, 40.0, 39.0),
    ("long horizon", BGNBD(r=0.25, alpha=0.5, a=0.3, b=0.2), 1, 1.0, 2.0, 5000.0),
    ("small a, large b", BGNBD(r=0.8, alpha=5.0, a=0.05, b=40.0), 4, 20.0, 30.0, 100.0),
]


@pytest.mark.parametrize(
    ("model", "x", "tx", "T", "t"),
    [case[1:] for case in EXTREMES],
    ids=[case[0] for case in EXTREMES],
)
def test_conditional_expectation_matches_quadrature_at_extremes(
    model: BGNBD, x: int, tx: float, T: float, t: float
) -> None:
    value = float(model.conditional_expected_purchases(t, x, tx, T))
    assert np.isfinite(value)
    assert value == pytest.approx(
        bgnbd_conditional_expectation(model, t, x, tx, T), rel=1e-8
    )
    if x == 0 and T == tx == 0.0:
        assert float(model.expected_purchases(t)) == pytest.approx(value, rel=1e-12)


def test_probability_alive_is_stable_for_huge_frequency() -> None:
    # (alpha+T)/(alpha+t_x) raised to r + x overflows a naive evaluation
    model = BGNBD(r=0.25, alpha=4.0, a=0.8, b=2.5)
    alive = model.probability_alive([2000, 2000], [40.0, 10.0], [40.0, 40.0])
    assert alive[0] == pytest.approx(1.0 / (1.0 + 0.8 / 2001.5))
    assert alive[1] == 0.0 or alive[1] < 1e-300
    assert np.all(np.isfinite(model.log_likelihood([2000], [39.0], [40.0])))


def test_scalar_customer_arguments_broadcast() -> None:
    model = BGNBD(r=0.5, alpha=3.0, a=1.0, b=2.0)
    cohort = model.conditional_expected_purchases(10.0, [0, 2], [0.0, 5.0], 20.0)
    one_by_one = [
        float(model.conditional_expected_purchases(10.0, 0, 0.0, 20.0)),
        float(model.conditional_expected_purchases(10.0, 2, 5.0, 20.0)),
    ]
    assert cohort.tolist() == one_by_one
    with pytest.raises(ValueError, match="same length"):
        model.probability_alive([1, 2], [1.0, 2.0, 3.0], 20.0)


def test_frequency_zero_customers_are_alive() -> None:
    # FHL (2008) note 021: under BG/NBD, drop-out happens only after a repeat
    # purchase, so P(alive) = 1 when x = 0.
    model = BGNBD(r=0.5, alpha=3.0, a=1.0, b=2.0)
    assert np.all(model.probability_alive([0, 0], [0.0, 0.0], [1.0, 1e6]) == 1.0)


def test_fit_without_repeat_purchases_raises_convergence_error() -> None:
    with pytest.raises(ConvergenceError) as info:
        fit_bgnbd([0, 0, 0], [0.0, 0.0, 0.0], [10.0, 20.0, 30.0])
    assert info.value.report is not None
    assert (
        not info.value.report.hessian_negative_definite
        or not info.value.report.converged
    )


def test_penalizer_shrinks_the_parameters() -> None:
    model = BGNBD(r=0.8, alpha=6.0, a=0.9, b=2.5)
    data = model.simulate(4000, 40.0, rng=3)
    plain = fit_bgnbd(data.frequency, data.recency, data.T)
    shrunk = fit_bgnbd(data.frequency, data.recency, data.T, penalizer=0.01)
    assert shrunk.penalizer == 0.01
    assert sum(v**2 for v in shrunk.parameters.values()) < sum(
        v**2 for v in plain.parameters.values()
    )
    assert shrunk.log_likelihood < plain.log_likelihood


BAD: list[tuple[dict[str, Any], str]] = [
    ({"frequency": [-1], "recency": [0.0], "T": [5.0]}, "`frequency` must be >= 0"),
    ({"frequency": [1.5], "recency": [1.0], "T": [5.0]}, "`frequency` must be whole"),
    (
        {"frequency": [1, 2], "recency": [6.0, 1.0], "T": [5.0, 5.0]},
        r"`recency` must be <= `T` .*1 of 2 .*index 0",
    ),
    ({"frequency": [1], "recency": [np.nan], "T": [5.0]}, "`recency` must be finite"),
    ({"frequency": [1, 2], "recency": [1.0], "T": [5.0, 5.0]}, "same length"),
    ({"frequency": [], "recency": [], "T": []}, "`frequency` must not be empty"),
    (
        {"frequency": [0], "recency": [2.0], "T": [5.0]},
        "`recency` must be 0 for every customer with `frequency` 0",
    ),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD)
def test_bad_data_raise_value_error_naming_the_argument(
    kwargs: dict[str, Any], message: str
) -> None:
    model = BGNBD(r=1.0, alpha=1.0, a=1.0, b=1.0)
    with pytest.raises(ValueError, match=message):
        fit_bgnbd(**kwargs)
    with pytest.raises(ValueError, match=message):
        model.conditional_expected_purchases(1.0, **kwargs)


def test_bad_parameters_and_options() -> None:
    with pytest.raises(ValueError, match="`alpha` must be a finite number > 0"):
        BGNBD(r=1.0, alpha=0.0, a=1.0, b=1.0)
    with pytest.raises(ValueError, match="`r` must be a finite number > 0"):
        BGNBD(r=np.nan, alpha=1.0, a=1.0, b=1.0)
    with pytest.raises(TypeError, match="`b` must be a real number"):
        BGNBD(r=1.0, alpha=1.0, a=1.0, b="2")
    model = BGNBD(r=1.0, alpha=1.0, a=1.0, b=1.0)
    with pytest.raises(ValueError, match="`horizon` must be finite and >= 0"):
        model.expected_purchases([1.0, -1.0])
    with pytest.raises(ValueError, match="`n` must be whole numbers"):
        model.purchase_probability(1.5, 1.0)
    with pytest.raises(ValueError, match="`penalizer` must be >= 0"):
        fit_bgnbd([1], [1.0], [2.0], penalizer=-1.0)
    with pytest.raises(ValueError, match="`counts` must be > 0"):
        fit_bgnbd([1, 0], [1.0, 0.0], [2.0, 2.0], counts=[1.0, 0.0])
    with pytest.raises(TypeError, match="`rng` must be"):
        model.simulate(3, 1.0, rng="seed")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`T` must be a scalar or have one entry"):
        model.simulate(3, [1.0, 2.0])


def _simulate_with_holdout(
    model: BGNBD, n: int, T: float, horizon: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Event-level simulation, independent of BGNBD.simulate: each customer's
    purchase times on (0, T + horizon], with drop-out after each purchase.

    Returns calibration frequency and recency on (0, T] and the number of
    purchases in (T, T + horizon].
    """
    lam = rng.gamma(model.r, 1.0 / model.alpha, n)
    p = rng.beta(model.a, model.b, n)
    potential = rng.poisson(lam * (T + horizon))
    owner = np.repeat(np.arange(n), potential)
    times = rng.uniform(0.0, T + horizon, owner.size)
    order = np.lexsort((times, owner))
    owner, times = owner[order], times[order]
    rank = np.arange(owner.size) - np.repeat(
        np.cumsum(potential) - potential, potential
    )
    # purchases after the customer's drop-out never happen
    lifetime_purchases = rng.geometric(p)
    happens = rank < lifetime_purchases[owner]
    owner, times = owner[happens], times[happens]
    in_cal = times <= T
    x = np.bincount(owner[in_cal], minlength=n)
    tx = np.zeros(n)
    np.maximum.at(tx, owner[in_cal], times[in_cal])
    y = np.bincount(owner[~in_cal], minlength=n)
    return x, tx, y


def test_conditional_purchase_distribution_matches_event_simulation() -> None:
    model = BGNBD(r=0.6, alpha=5.0, a=0.8, b=2.0)
    rng = np.random.default_rng(11)
    n, T, horizon = 60_000, 30.0, 20.0
    x, tx, y = _simulate_with_holdout(model, n, T, horizon, rng)
    counts = np.arange(6)[:, None]
    probabilities = model.conditional_purchase_probability(counts, horizon, x, tx, T)
    for k in range(6):
        expected = probabilities[k].sum()
        variance = (probabilities[k] * (1 - probabilities[k])).sum()
        observed = np.sum(y == k)
        assert abs(observed - expected) < 4 * np.sqrt(variance), k
    # and the mean, by calibration frequency group
    mean = model.conditional_expected_purchases(horizon, x, tx, T)
    for group in (x == 0, x == 1, x >= 2):
        se = y[group].std(ddof=1) / np.sqrt(group.sum())
        assert abs(y[group].mean() - mean[group].mean()) < 4 * se


def test_grouped_interpolation_path_matches_direct_evaluation() -> None:
    # Large groups of customers with one frequency are evaluated through
    # Chebyshev interpolation in z; small batches take the direct path.
    model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
    rng = np.random.default_rng(3)
    data = model.simulate(40_000, rng.uniform(1.0, 78.0, 40_000), rng=rng)
    x, tx, T = data.frequency, data.recency, data.T
    grouped = model.conditional_expected_purchases(39.0, x, tx, T)
    direct = np.concatenate(
        [
            model.conditional_expected_purchases(
                39.0, x[i : i + 1000], tx[i : i + 1000], T[i : i + 1000]
            )
            for i in range(0, x.size, 1000)
        ]
    )
    assert np.sum(x == 0) > 4096  # the interpolation path was taken
    np.testing.assert_allclose(grouped, direct, rtol=1e-11)
