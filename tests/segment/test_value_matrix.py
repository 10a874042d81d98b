"""Marcus's customer value matrix and Gale's value map."""

from __future__ import annotations

import numpy as np
import pytest

from custvalue.segment import value_map, value_matrix


def test_value_matrix_at_means_by_hand() -> None:
    # frequency 1, 8, 2, 6: mean 17/4 = 4.25; spend 90, 80, 20, 10: mean 50.
    # (1, 90): low F, high V -> Spenders; (8, 80): Best; (2, 20): Uncertain;
    # (6, 10): high F, low V -> Frequent.
    matrix = value_matrix([1, 8, 2, 6], [90.0, 80.0, 20.0, 10.0])
    assert (matrix.frequency_split, matrix.value_split) == (4.25, 50.0)
    assert matrix.labels.as_strings().tolist() == [
        "Spenders",
        "Best Customers",
        "Uncertain Customers",
        "Frequent Customers",
    ]


def test_value_matrix_at_medians_counts_the_median_as_low() -> None:
    # frequency 1, 3, 5: median 3 (not above it: low); spend 10, 30, 20: median 20
    matrix = value_matrix([1, 3, 5], [10.0, 30.0, 20.0], split="median")
    assert matrix.labels.as_strings().tolist() == [
        "Uncertain Customers",
        "Spenders",
        "Frequent Customers",
    ]


def test_value_matrix_is_the_same_for_repeat_or_total_purchases() -> None:
    # all purchases = repeat purchases + 1 shifts the mean and median by 1
    f = np.array([0, 0, 3, 1, 7, 2])
    v = np.array([5.0, 50.0, 20.0, 35.0, 10.0, 40.0])
    for split in ("mean", "median"):
        a = value_matrix(f, v, split=split)
        b = value_matrix(f + 1, v, split=split)
        assert np.array_equal(a.labels.codes, b.labels.codes)


def test_value_matrix_bad_input() -> None:
    with pytest.raises(ValueError, match="`split` must be 'mean' or 'median'"):
        value_matrix([1], [1.0], split="mode")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`average_purchase_value` must be >= 0"):
        value_matrix([1, 2], [1.0, -1.0])
    with pytest.raises(ValueError, match="must have the same length"):
        value_matrix([1, 2], [1.0])


def test_value_map_with_market_shares_by_hand() -> None:
    # quality 8, 6 and price 10, 8 with shares 0.75, 0.25:
    #   market quality 0.75*8 + 0.25*6 = 7.5 -> relative 1.0667, 0.8
    #   market price 0.75*10 + 0.25*8 = 9.5 -> relative 1.05263, 0.84211
    #   gap (slope 1): 1.06667 - 1 - 0.05263 = 0.01404; 0.8 - 1 + 0.15789 = -0.04211
    vm = value_map([8.0, 6.0], [10.0, 8.0], market_share=[0.75, 0.25])
    assert np.allclose(vm.relative_quality, [8 / 7.5, 6 / 7.5])
    assert np.allclose(vm.relative_price, [10 / 9.5, 8 / 9.5])
    assert np.allclose(vm.value_gap, [8 / 7.5 - 10 / 9.5, 6 / 7.5 - 8 / 9.5])
    assert vm.labels.as_strings().tolist() == ["Better Value", "Worse Value"]


def test_value_map_estimated_slope_and_tolerance() -> None:
    # relative price 0.8, 1, 1.2 and quality 0.7, 1, 1.3 (equal shares):
    # slope = sum (p-1)(q-1) / sum (p-1)^2 = (0.06 + 0.06) / (0.04 + 0.04) = 1.5;
    # every offering on the line (gap 0 up to rounding).
    vm = value_map([7.0, 10.0, 13.0], [8.0, 10.0, 12.0], slope=None, tolerance=1e-9)
    assert vm.slope == pytest.approx(1.5)
    assert np.allclose(vm.value_gap, 0.0)
    assert vm.labels.as_strings().tolist() == ["Fair Value"] * 3
    # with the diagonal instead, the premium offering is better value:
    # gap 1.3 - 1 - 0.2 = 0.1, and the cheap one worse: 0.7 - 1 + 0.2 = -0.1
    diagonal = value_map([7.0, 10.0, 13.0], [8.0, 10.0, 12.0], tolerance=0.05)
    assert diagonal.labels.as_strings().tolist() == [
        "Worse Value",
        "Fair Value",
        "Better Value",
    ]


def test_value_map_bad_input() -> None:
    with pytest.raises(ValueError, match="every offering has the same price"):
        value_map([1.0, 2.0], [5.0, 5.0], slope=None)
    with pytest.raises(ValueError, match="`quality` must be > 0"):
        value_map([0.0, 2.0], [5.0, 5.0])
    with pytest.raises(ValueError, match="`market_share` must be > 0"):
        value_map([1.0, 2.0], [5.0, 5.0], market_share=[1.0, 0.0])
    with pytest.raises(ValueError, match="`tolerance` must be >= 0"):
        value_map([1.0, 2.0], [5.0, 5.0], tolerance=-0.1)
