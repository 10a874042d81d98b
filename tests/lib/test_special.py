"""Numerically delicate helpers of custvalue._lib.special."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal
from scipy import special

from custvalue._lib.special import (
    expm1_ratio,
    group_by_value,
    values_of_smooth_function,
)


def test_smooth_function_values_match_direct_evaluation() -> None:
    z = np.random.default_rng(0).uniform(0.3, 0.9, 50_000)

    def hypergeometric(points: np.ndarray) -> np.ndarray:
        return np.asarray(special.hyp2f1(2.97, -0.21, 2.22, points))

    assert_allclose(
        values_of_smooth_function(hypergeometric, z), hypergeometric(z), rtol=1e-13
    )


def test_non_smooth_functions_are_evaluated_directly() -> None:
    # |z - 0.5| has no convergent Chebyshev series: the coefficient test
    # rejects the interpolant and the exact values come back.
    z = np.linspace(0.0, 1.0, 10_001)

    def kink(points: np.ndarray) -> np.ndarray:
        return np.abs(points - 0.5) + 1.0

    assert_array_equal(values_of_smooth_function(kink, z), kink(z))


def test_few_points_are_evaluated_directly() -> None:
    z = np.linspace(0.1, 0.2, 100)
    calls: list[int] = []

    def counted(points: np.ndarray) -> np.ndarray:
        calls.append(points.size)
        return np.asarray(np.exp(points))

    assert_array_equal(values_of_smooth_function(counted, z), np.exp(z))
    assert calls == [100]


def test_expm1_ratio_limits() -> None:
    assert_allclose(expm1_ratio(np.array([-2.0, 3.0]), 0.0), [-2.0, 3.0])
    assert_allclose(expm1_ratio(-2.0, 1e-12), -2.0 * (1 - 1e-12), rtol=1e-15)
    assert_allclose(expm1_ratio(-2.0, 0.5), np.expm1(-1.0) / 0.5, rtol=1e-15)


def test_group_by_value_gathers_back() -> None:
    values = np.array([5, 2, 5, 9, 2, 2], dtype=np.int64)
    distinct, index = group_by_value(values)
    assert_array_equal(distinct, [2, 5, 9])
    assert_array_equal(distinct[index], values)
    far = np.array([0, 10**15, 0], dtype=np.int64)
    distinct, index = group_by_value(far)
    assert_array_equal(distinct[index], far)
