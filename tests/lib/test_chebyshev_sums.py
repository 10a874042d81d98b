"""Weighted sums of smooth functions from Chebyshev moments."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from numpy.testing import assert_allclose

from custvalue._lib.chebyshev_sums import ChebyshevSums
from custvalue._lib.validation import validate_customer_histories
from custvalue.clv import BGNBD
from custvalue.clv._bgnbd import _likelihood as bgnbd_math
from custvalue.clv._patterns import compress_patterns


@pytest.mark.parametrize("shift", [1e-3, 0.5, 20.0])
def test_sums_match_direct_sums(shift: float) -> None:
    # ln(shift + t) and 1/(shift + t)^2 have their singularity at -shift;
    # close to 0 the intervals near 0 may not resolve and are summed
    # directly: the total agrees with the direct sum either way.
    rng = np.random.default_rng(1)
    t = np.concatenate([[0.0], rng.uniform(0.0, 100.0, 50_000)])
    w = rng.uniform(0.5, 2.0, t.size)
    sums = ChebyshevSums.of(t, w)

    def f(s: np.ndarray) -> np.ndarray:
        return np.column_stack([np.log(shift + s), (shift + s) ** -2.0])

    assert_allclose(sums.sums(f), w @ f(t), rtol=1e-12)


def test_unresolved_intervals_fall_back_to_direct_sums() -> None:
    # a function with a jump is never resolved: every point is summed
    # directly, so the result is still exact
    t = np.linspace(1.0, 10.0, 5000)
    sums = ChebyshevSums.of(t, np.ones_like(t))

    def step(s: np.ndarray) -> np.ndarray:
        return (s > 3.3).astype(float)[:, None]

    assert sums.sums(step)[0] == pytest.approx(np.sum(t > 3.3), rel=1e-14)


@pytest.mark.parametrize(
    "theta", [(0.3, 5.0, 0.9, 2.0), (0.5, 0.01, 0.3, 0.2), (2.0, 300.0, 4.0, 9.0)]
)
def test_mbgnbd_zero_customers_match_direct_summation(
    theta: tuple[float, float, float, float],
) -> None:
    # The MBG/NBD likelihood sums the one-time buyers' terms from Chebyshev
    # moments of T; the derivatives agree with summing them one by one.
    rng = np.random.default_rng(3)
    n = 20_000
    sim = BGNBD(r=0.3, alpha=5.0, a=0.8, b=2.0).simulate(
        n, rng.uniform(0.1, 80, n), rng=rng
    )
    x, tx, T, w = validate_customer_histories(sim.frequency, sim.recency, sim.T)
    data = bgnbd_math.LikelihoodData.from_patterns(compress_patterns(x, tx, T, w), 1)
    assert data.zero_sums is not None
    direct = attrs.evolve(data, zero_sums=None)
    point = np.array(theta)
    fast = bgnbd_math.log_likelihood_derivatives(point, data)
    slow = bgnbd_math.log_likelihood_derivatives(point, direct)
    assert fast[0] == pytest.approx(slow[0], rel=1e-13)
    assert_allclose(fast[1], slow[1], rtol=1e-11, atol=1e-9)
    assert_allclose(fast[2], slow[2], rtol=1e-11, atol=1e-9 * np.abs(slow[2]).max())
