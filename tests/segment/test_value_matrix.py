"""Marcus's customer value matrix and Gale's value map."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_value_matrix_mean_split_does_not_depend_on_row_order() -> None:
    # frequency 0.1, 0.2, 0.3: the mean is 0.2 in decimals, but np.mean gave
    # 0.20000000000000004 in this order and 0.19999999999999998 reversed, so
    # the middle customer flipped between low and high. The split is now
    # fsum(f) / 3 = 0.6 / 3 = 0.19999999999999998 in every order; the stored
    # 0.2 (0.2000000000000000111, above the exact mean of the stored values,
    # 0.2000000000000000018) is high in every order.
    f = np.array([0.1, 0.2, 0.3])
    v = np.array([1.0, 2.0, 3.0])
    forward = value_matrix(f, v)
    backward = value_matrix(f[::-1], v[::-1])
    assert forward.frequency_split == backward.frequency_split
    assert forward.value_split == backward.value_split == 2.0
    assert np.array_equal(backward.labels.codes[::-1], forward.labels.codes)
    assert forward.labels.as_strings().tolist() == [
        "Uncertain Customers",
        "Frequent Customers",
        "Best Customers",
    ]


# Customers placed symmetrically (in decimals) around a centre c, c itself
# included: the mean is c in decimal arithmetic, and in binary it lands within
# rounding of c, where the order of a naive sum used to decide c's side.
centred = st.tuples(
    st.integers(1, 30),
    st.lists(st.integers(0, 30), min_size=1, max_size=8),
    st.integers(0, 2**32 - 1),
)


@pytest.mark.parametrize("split", ["mean", "median"])
@given(case=centred)
def test_value_matrix_customer_at_the_split_keeps_its_side_when_shuffled(
    split: Literal["mean", "median"], case: tuple[int, list[int], int]
) -> None:
    centre, offsets, seed = case
    step = np.array(offsets) % (centre + 1)  # stay >= 0
    k = np.concatenate(([centre], centre + step, centre - step))
    f = k / 10
    v = np.linspace(0.1, 0.9, f.size)[::-1]
    order = np.random.default_rng(seed).permutation(f.size)
    a = value_matrix(f, v, split=split)
    b = value_matrix(f[order], v[order], split=split)
    assert (a.frequency_split, a.value_split) == (b.frequency_split, b.value_split)
    assert np.array_equal(b.labels.codes, a.labels.codes[order])
    # swap the axes: the same holds for the average purchase value
    swapped = value_matrix(v, f, split=split)
    swapped_shuffled = value_matrix(v[order], f[order], split=split)
    assert np.array_equal(swapped_shuffled.labels.codes, swapped.labels.codes[order])


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
    vm = value_map([7.0, 10.0, 13.0], [8.0, 10.0, 12.0], slope=None)
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


def test_value_map_on_the_line_does_not_depend_on_row_order() -> None:
    # quality 0.1, 0.2, 0.3 and price 0.3, 0.6, 0.9: relative scores 0.5, 1,
    # 1.5 on both axes, so every offering is on the diagonal. In binary the
    # gaps are 0 or 1e-16 and used to come out Better Value in one row order
    # and Fair Value in the other; the default tolerance (1e-9 of the market
    # average) counts rounding as fair, and the fsum-based gaps are equal in
    # every order.
    q = np.array([0.1, 0.2, 0.3])
    p = np.array([0.3, 0.6, 0.9])
    forward = value_map(q, p)
    backward = value_map(q[::-1], p[::-1])
    assert forward.tolerance == 1e-9
    assert forward.labels.as_strings().tolist() == ["Fair Value"] * 3
    assert backward.labels.as_strings().tolist() == ["Fair Value"] * 3
    assert np.array_equal(backward.value_gap[::-1], forward.value_gap)
    assert np.all(np.abs(forward.value_gap) < 1e-15)
    # with tolerance 0 the rounding decides, but the same way in every order
    exact = value_map(q, p, tolerance=0.0)
    exact_back = value_map(q[::-1], p[::-1], tolerance=0.0)
    assert np.array_equal(exact_back.labels.codes[::-1], exact.labels.codes)


@given(
    quality=st.lists(st.integers(1, 30), min_size=2, max_size=8),
    price=st.lists(st.integers(1, 30), min_size=8, max_size=8),
    share=st.lists(st.integers(1, 9), min_size=8, max_size=8),
    seed=st.integers(0, 2**32 - 1),
)
def test_value_map_shuffling_offerings_shuffles_the_result(
    quality: list[int], price: list[int], share: list[int], seed: int
) -> None:
    # tenths are inexact in binary; with the slope estimated and tolerance 0
    # every quantity must still follow the offerings exactly
    n = len(quality)
    q = np.array(quality) / 10
    p = np.array(price[:n]) / 10
    w = np.array(share[:n]) / 10
    order = np.random.default_rng(seed).permutation(n)
    slope = None if np.ptp(p) > 0 else 1.0
    a = value_map(q, p, market_share=w, slope=slope, tolerance=0.0)
    b = value_map(q[order], p[order], market_share=w[order], slope=slope, tolerance=0.0)
    assert a.slope == b.slope
    assert np.array_equal(b.relative_quality, a.relative_quality[order])
    assert np.array_equal(b.relative_price, a.relative_price[order])
    assert np.array_equal(b.value_gap, a.value_gap[order])
    assert np.array_equal(b.labels.codes, a.labels.codes[order])


def test_value_map_cannot_estimate_a_slope_from_equal_prices() -> None:
    # equal prices make every relative price 1 up to rounding: the spread
    # sum w (p - 1)^2 was 1e-32, not 0, and the slope came out as 0.347
    message = r"`price` must differ between offerings to estimate the slope"
    with pytest.raises(ValueError, match=message):
        value_map([1.0, 1.5, 2.0], [0.1, 0.1, 0.1], slope=None)
    with pytest.raises(ValueError, match=message):
        value_map([1.0, 2.0], [5.0, 5.0], slope=None)
    # a last-bit difference is rounding too
    with pytest.raises(ValueError, match=message):
        value_map([1.0, 2.0], [0.3, 0.1 + 0.2], slope=None)
    # a given slope needs no spread in prices
    assert value_map([1.0, 1.5, 2.0], [0.1, 0.1, 0.1]).slope == 1.0


def test_value_map_bad_input() -> None:
    with pytest.raises(ValueError, match="`quality` must be > 0"):
        value_map([0.0, 2.0], [5.0, 5.0])
    with pytest.raises(ValueError, match="`market_share` must be > 0"):
        value_map([1.0, 2.0], [5.0, 5.0], market_share=[1.0, 0.0])
    with pytest.raises(ValueError, match="`tolerance` must be >= 0"):
        value_map([1.0, 2.0], [5.0, 5.0], tolerance=-0.1)
