"""Fits never call a boundary a maximum, on any CPU.

Each case is data whose likelihood has no interior maximum: it keeps rising
as a parameter runs to 0 or infinity. Where the optimizer stops on such a
ridge depends on floating-point details, so the tests assert only the
invariant: a ``ConvergenceError`` that names a runaway parameter and a
report that says so, never an estimate.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from custvalue.clv import (
    BGNBD,
    MBGNBD,
    ParetoNBD,
    ShiftedBetaGeometric,
    fit_bgbb,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_mbgnbd,
    fit_pareto_nbd,
    fit_sbg,
    fit_sbg_survivors,
)
from custvalue.errors import ConvergenceError
from custvalue.results import ConvergenceReport


def _poisson_without_dropout(seed: int) -> tuple[Any, Any, Any]:
    """Customers who buy at one common rate and never drop out.

    No heterogeneity in rates (the gamma mixing runs to a point mass: r and
    alpha grow together) and no drop-out (the drop-out probability or rate
    runs to 0): the likelihood has no interior maximum.
    """
    rng = np.random.default_rng(seed)
    n = 3000
    observed = rng.uniform(10.0, 50.0, n)
    x, tx, T = [], [], []
    for t_end in observed:
        times = np.sort(rng.uniform(0.0, t_end, rng.poisson(0.3 * t_end)))
        if times.size == 0:
            continue
        x.append(times.size - 1)
        tx.append(times[-1] - times[0])
        T.append(t_end - times[0])
    return np.array(x), np.array(tx), np.array(T)


TRANSACTION_FITS: list[Callable[..., Any]] = [fit_bgnbd, fit_mbgnbd, fit_pareto_nbd]


def _check_boundary_error(error: ConvergenceError, names: set[str]) -> None:
    report = error.report
    assert isinstance(report, ConvergenceReport)
    assert not report.converged
    assert report.boundary, "the runaway parameter must be named"
    flagged = {entry.split(" -> ")[0] for entry in report.boundary}
    assert flagged <= names
    assert all(entry.endswith(("-> 0", "-> infinity")) for entry in report.boundary)
    assert report.message.startswith("No interior maximum")
    assert "runs to" in str(error)


@pytest.mark.parametrize("fit", TRANSACTION_FITS, ids=lambda f: f.__name__)
def test_no_repeat_purchases_is_a_boundary(fit: Callable[..., Any]) -> None:
    with pytest.raises(ConvergenceError, match="no customer made a repeat") as info:
        fit([0, 0, 0, 0], [0.0, 0.0, 0.0, 0.0], [10.0, 20.0, 30.0, 40.0])
    _check_boundary_error(info.value, {"r", "alpha", "a", "b", "s", "beta"})


@pytest.mark.parametrize("fit", TRANSACTION_FITS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("seed", [1, 2])
def test_homogeneous_buyers_without_dropout_is_a_boundary(
    fit: Callable[..., Any], seed: int
) -> None:
    x, tx, T = _poisson_without_dropout(seed)
    with pytest.raises(ConvergenceError) as info:
        fit(x, tx, T)
    _check_boundary_error(info.value, {"r", "alpha", "a", "b", "s", "beta"})


def test_bgbb_without_repeat_purchases_is_a_boundary() -> None:
    with pytest.raises(ConvergenceError, match="no customer made a repeat") as info:
        fit_bgbb([0, 0, 0], [0, 0, 0], [6, 6, 6])
    _check_boundary_error(info.value, {"alpha", "beta", "gamma", "delta"})


def test_gamma_gamma_without_spend_variation_is_a_boundary() -> None:
    # every spend equal: no variation within or across customers
    rng = np.random.default_rng(5)
    frequency = rng.integers(1, 6, 2000)
    with pytest.raises(ConvergenceError) as info:
        fit_gamma_gamma(frequency, np.full(2000, 35.0))
    _check_boundary_error(info.value, {"p", "q", "gamma"})


@pytest.mark.parametrize(
    "survivors",
    [[100, 100, 100, 100], [500, 500, 500, 500, 500, 500, 500]],
)
def test_sbg_without_churn_is_a_boundary(survivors: list[int]) -> None:
    with pytest.raises(ConvergenceError, match="no customer cancelled") as info:
        fit_sbg_survivors(survivors)
    _check_boundary_error(info.value, {"alpha", "beta"})


def test_sbg_with_everybody_gone_at_once_is_a_boundary() -> None:
    with pytest.raises(ConvergenceError, match="first renewal") as info:
        fit_sbg([1, 1, 1], [True, True, True], counts=[50, 60, 70])
    _check_boundary_error(info.value, {"alpha", "beta"})


def test_penalizer_keeps_a_runaway_rate_finite() -> None:
    # r and alpha grow together without a penalty; the L2 penalty on them
    # gives an interior maximum of the penalized likelihood, with a
    # positive definite covariance, while drop-out stays identified.
    truth = BGNBD(r=0.8, alpha=4.0, a=0.8, b=3.0)
    data = truth.simulate(3000, 40.0, rng=11)
    plain = fit_bgnbd(data.frequency, data.recency, data.T)
    assert plain.convergence.converged
    shrunk = fit_bgnbd(data.frequency, data.recency, data.T, penalizer=0.05)
    assert shrunk.convergence.converged
    assert shrunk.convergence.hessian_negative_definite
    assert all(se > 0 for se in shrunk.standard_errors.values())


@pytest.mark.parametrize(
    "model",
    [
        BGNBD(r=0.5, alpha=5.0, a=0.8, b=2.5),
        MBGNBD(r=0.5, alpha=5.0, a=0.8, b=2.5),
        ParetoNBD(r=0.5, alpha=5.0, s=0.6, beta=10.0),
    ],
    ids=lambda m: type(m).__name__,
)
@pytest.mark.parametrize("seed", [3, 4, 5])
def test_simulated_fits_converge_or_name_a_boundary(model: Any, seed: int) -> None:
    # Simulated data from interior parameters: either an interior maximum
    # with a proper covariance, or (rarely, for small samples) an error that
    # names the boundary. Never a "converged" fit with a bad covariance.
    data = model.simulate(1500, 30.0, rng=seed)
    fits: dict[str, Callable[..., Any]] = {
        "BGNBD": fit_bgnbd,
        "MBGNBD": fit_mbgnbd,
        "ParetoNBD": fit_pareto_nbd,
    }
    fit = fits[type(model).__name__]
    try:
        result = fit(data.frequency, data.recency, data.T)
    except ConvergenceError as error:
        _check_boundary_error(error, set(model.parameter_names))
        return
    report = result.convergence
    assert report.converged
    assert report.hessian_negative_definite
    assert report.boundary == ()
    assert all(np.isfinite(v) and v > 0 for v in result.standard_errors.values())


def test_confidence_intervals_never_raise_for_extreme_fits() -> None:
    # A fit whose standard error is huge next to its estimate: the log
    # interval reaches 0 and infinity instead of raising OverflowError.
    fit = fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
    extreme = type(fit)(
        model=ShiftedBetaGeometric(alpha=1e-3, beta=1e5),
        log_likelihood=fit.log_likelihood,
        n_customers=fit.n_customers,
        n_patterns=fit.n_patterns,
        parameter_names=fit.parameter_names,
        covariance=np.diag([1.0, 1e12]),
        convergence=fit.convergence,
    )
    intervals = extreme.confidence_intervals(0.95)
    assert intervals["alpha"].low == 0.0
    assert intervals["alpha"].high == math.inf
    assert 0 < intervals["beta"].low < 1e5 < intervals["beta"].high


def test_fit_repr_is_one_line_and_summary_is_a_table() -> None:
    fit = fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
    text = repr(fit)
    assert "\n" not in text
    assert len(text) < 200
    assert text.startswith("Fit(ShiftedBetaGeometric(alpha=0.704")
    assert "converged" in text
    summary = fit.summary()
    assert summary.parameter_names == ("alpha", "beta")
    assert summary.estimates == (fit.parameters["alpha"], fit.parameters["beta"])
    for low, estimate, high in zip(
        summary.low, summary.estimates, summary.high, strict=True
    ):
        assert low < estimate < high
    assert "<table" in summary._repr_html_()
    assert "alpha" in str(summary)
    assert json.dumps(summary.estimates)


@pytest.mark.parametrize(
    ("fit", "data"),
    [
        # a new user's tries that leaked ZeroDivisionError or scipy's "array
        # must not contain infs or NaNs" instead of ConvergenceError
        (fit_bgnbd, ([1, 2, 0], [0.0, 3.0, 0.0], [10.0, 10.0, 10.0])),
        (fit_pareto_nbd, ([0, 1, 2], [0.0, 4.8, 0.0], [13.4, 12.5, 1.6])),
        (fit_bgnbd, ([0] * 50, [0.0] * 50, [30.0] * 50)),
        (fit_mbgnbd, ([0, 0], [0.0, 0.0], [0.0, 5.0])),
    ],
)
def test_tiny_degenerate_data_give_a_convergence_error(
    fit: Callable[..., Any], data: tuple[Any, Any, Any]
) -> None:
    with pytest.raises(ConvergenceError) as info:
        fit(*data)
    message = str(info.value)
    assert info.value.report is not None
    # each reason is given once, however many parameters it explains
    assert message.count("cannot be told apart") <= 1


def test_unidentified_data_do_not_suggest_a_penalizer() -> None:
    with pytest.raises(ConvergenceError, match="cannot identify the model") as info:
        fit_bgnbd([0, 0], [0.0, 0.0], [0.0, 5.0])
    assert "small `penalizer=`" not in str(info.value)
