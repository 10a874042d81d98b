"""MBG/NBD: published estimates, the lifetimes oracle, simulation and quadrature."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from reference_integrals import bgnbd_conditional_expectation

from custvalue.clv import BGNBD, MBGNBD, CustomerSummary, fit_mbgnbd

Quiet = Callable[[], AbstractContextManager[None]]


def test_fit_reproduces_btydplus_cdnow_estimates(data_dir: Path) -> None:
    # On the CDNOW calibration summary (tests/data) the MBG/NBD
    # maximum-likelihood estimates are r = 0.525, alpha = 6.183, a = 0.891,
    # b = 1.614 with LL about -9582.1, as computed by the R package BTYDplus
    # (Batislam et al.'s own data are private). Printed to 3 and 1 decimals.
    table = np.loadtxt(
        data_dir / "cdnow_customers_summary_with_transactions.csv",
        delimiter=",",
        skiprows=1,
    )
    fit = fit_mbgnbd(table[:, 1], table[:, 2], table[:, 3])
    assert {k: round(v, 3) for k, v in fit.parameters.items()} == {
        "r": 0.525,
        "alpha": 6.183,
        "a": 0.891,
        "b": 1.614,
    }
    assert round(fit.log_likelihood, 1) == -9582.1
    assert fit.convergence.converged
    assert isinstance(fit.model, MBGNBD)


def test_one_time_buyers_are_not_certainly_alive() -> None:
    # Batislam et al. (2007): drop-out may follow the first purchase, so
    # P(alive | x = 0) = 1 / (1 + a/b ((alpha+T)/alpha)^r) < 1, and it falls
    # with T; under BG/NBD it is exactly 1.
    model = MBGNBD(r=0.5, alpha=6.0, a=0.9, b=1.6)
    alive = model.probability_alive([0, 0], [0.0, 0.0], [10.0, 40.0])
    expected = 1.0 / (1.0 + 0.9 / 1.6 * ((6.0 + np.array([10.0, 40.0])) / 6.0) ** 0.5)
    assert_allclose(alive, expected, rtol=1e-14)
    assert alive[1] < alive[0] < 1.0
    assert BGNBD(r=0.5, alpha=6.0, a=0.9, b=1.6).probability_alive(0, 0.0, 40.0) == 1.0


def _synthetic(seed: int) -> tuple[MBGNBD, CustomerSummary]:
    rng = np.random.default_rng(seed)
    truth = MBGNBD(
        r=rng.uniform(0.2, 2.0),
        alpha=rng.uniform(1.0, 20.0),
        a=rng.uniform(0.3, 3.0),
        b=rng.uniform(0.5, 5.0),
    )
    return truth, truth.simulate(3000, rng.uniform(10.0, 60.0, 3000), rng=rng)


def _lifetimes_model(lifetimes: ModuleType, model: MBGNBD) -> Any:
    fitter = lifetimes.ModifiedBetaGeoFitter()
    fitter.params_ = pd.Series(
        {"r": model.r, "alpha": model.alpha, "a": model.a, "b": model.b}
    )
    return fitter


@pytest.mark.oracle
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_estimates_and_predictions_match_lifetimes(
    seed: int, lifetimes: ModuleType, quiet: Quiet
) -> None:
    model, data = _synthetic(seed)
    x, tx, T = data.frequency, data.recency, data.T
    ours = fit_mbgnbd(x, tx, T)
    with quiet():
        theirs = None
        for tol in (1e-9, 1e-8, 1e-7):  # see the BG/NBD oracle test
            try:
                theirs = lifetimes.ModifiedBetaGeoFitter().fit(x, tx, T, tol=tol)
                break
            except lifetimes.utils.ConvergenceError:
                continue
    assert theirs is not None
    assert_allclose(
        [ours.parameters[k] for k in ("r", "alpha", "a", "b")],
        theirs.params_[["r", "alpha", "a", "b"]].to_numpy(),
        rtol=1e-5,
    )
    fitter = _lifetimes_model(lifetimes, model)
    with quiet():
        for t in (1.0, 10.0, 39.0):
            assert_allclose(
                model.conditional_expected_purchases(t, x, tx, T),
                fitter.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T),
                rtol=1e-8,
            )
            assert_allclose(
                model.expected_purchases(t),
                fitter.expected_number_of_purchases_up_to_time(t),
                rtol=1e-10,
            )
            for n in range(4):
                assert_allclose(
                    model.purchase_probability(n, t),
                    fitter.probability_of_n_purchases_up_to_time(t, n),
                    rtol=1e-8,
                )
        assert_allclose(
            model.probability_alive(x, tx, T),
            fitter.conditional_probability_alive(x, tx, T),
            rtol=1e-10,
        )


def test_conditional_expectation_matches_quadrature() -> None:
    # Given alive, an MBG/NBD customer's future is BG/NBD with (r+x, alpha+T,
    # a, b+x+1): check against integrating over p ~ Beta(a, b+x+1), with the
    # MBG/NBD P(alive).
    model = MBGNBD(r=0.525, alpha=6.183, a=0.891, b=1.614)
    for x, tx, T, t in [
        (0, 0.0, 38.86, 39.0),
        (2, 30.43, 38.86, 39.0),
        (15, 30.0, 31.0, 52.0),
    ]:
        shifted = BGNBD(r=model.r, alpha=model.alpha, a=model.a, b=model.b + 1.0)
        alive_given_shift = float(shifted.probability_alive(x, tx, T)) if x else 1.0
        # E[Y | alive] under the shifted parameters, then the MBG/NBD P(alive)
        alive_mean = (
            bgnbd_conditional_expectation(shifted, t, x, tx, T) / alive_given_shift
        )
        expected = float(model.probability_alive(x, tx, T)) * alive_mean
        value = float(model.conditional_expected_purchases(t, x, tx, T))
        assert value == pytest.approx(expected, rel=1e-8)


def test_simulate_then_fit_recovers_parameters() -> None:
    truth = MBGNBD(r=0.525, alpha=6.183, a=0.891, b=1.614)
    rng = np.random.default_rng(5)
    n = 30_000
    data = truth.simulate(n, rng.uniform(20.0, 80.0, n), rng=rng)
    fit = fit_mbgnbd(data.frequency, data.recency, data.T)
    for name, se in fit.standard_errors.items():
        assert abs(fit.parameters[name] - getattr(truth, name)) < 3.5 * se, name
    # new customers: E[X(t)] against the simulated mean
    sim = truth.simulate(300_000, 30.0, rng=rng)
    se = sim.frequency.std(ddof=1) / np.sqrt(sim.frequency.size)
    assert abs(sim.frequency.mean() - float(truth.expected_purchases(30.0))) < 3 * se
    p0 = float(truth.purchase_probability(0, 30.0))
    assert abs(np.mean(sim.frequency == 0) - p0) < 3 * np.sqrt(p0 * (1 - p0) / 300_000)
