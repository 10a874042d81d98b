"""Tie-aware quantile bins: the sorted-position rule against a direct count."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.segment._binning import (
    Ties,
    bin_by_cut_points,
    check_bins,
    check_cut_points,
    quantile_cut_points,
)

FloatArray = npt.NDArray[np.float64]


def direct_scores(x: FloatArray, bins: int, ties: Ties, descending: bool) -> list[int]:
    """Score each value from its block of ties, counted the slow way.

    The block of value v occupies sorted positions lo .. hi-1 with
    lo = #{x < v}, hi = #{x <= v} (from the worst end when descending).
    Twice its plotting position is lo + hi (midrank), 2 lo + 1 (its first
    member, 'low') or 2 hi - 1 (its last member, 'high'), and the score is
    1 + floor(bins * position), position = (twice) / (2 n).
    """
    n = len(x)
    scores = []
    for v in x:
        lo = sum(1 for y in x if (y > v if descending else y < v))
        hi = lo + sum(1 for y in x if y == v)
        twice = {"midrank": lo + hi, "low": 2 * lo + 1, "high": 2 * hi - 1}[ties]
        scores.append(1 + (bins * twice) // (2 * n))
    return scores


small_arrays = st.lists(st.integers(0, 6), min_size=1, max_size=40).map(
    lambda v: np.array(v, dtype=np.float64)
)


@given(
    x=small_arrays,
    bins=st.integers(2, 7),
    ties=st.sampled_from(["midrank", "low", "high"]),
    descending=st.booleans(),
)
def test_cut_points_reproduce_the_direct_rule(
    x: FloatArray, bins: int, ties: Ties, descending: bool
) -> None:
    cuts = quantile_cut_points(x, bins, ties=ties, descending=descending)
    raw = bin_by_cut_points(x, cuts).astype(int)
    scores = bins + 1 - raw if descending else raw
    assert scores.tolist() == direct_scores(x, bins, ties, descending)
    # cut j is the largest value in raw bins 1..j (NaN when they are empty)
    for j in range(1, bins):
        inside = x[raw <= j]
        if inside.size:
            assert cuts[j - 1] == inside.max()
        else:
            assert np.isnan(cuts[j - 1])


def test_distinct_values_fill_equal_bins() -> None:
    # n = 10 distinct values, 5 bins: position (i + 1/2)/10 gives
    # 1 + floor(5 (i + 0.5) / 10) = 1,1,2,2,3,3,4,4,5,5.
    x = np.arange(10.0)
    cuts = quantile_cut_points(x, 5, ties="midrank", descending=False)
    assert cuts.tolist() == [1.0, 3.0, 5.0, 7.0]
    assert bin_by_cut_points(x, cuts).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_seven_distinct_values_in_five_bins_are_symmetric() -> None:
    # 1 + floor(5 (i + 0.5) / 7) for i = 0..6: 5(i+.5)/7 = 0.36, 1.07, 1.79,
    # 2.5, 3.21, 3.93, 4.64 -> bins 1,2,2,3,4,4,5 (sizes 1,2,1,2,1), the same
    # read from either end.
    x = np.arange(7.0)
    up = bin_by_cut_points(
        x, quantile_cut_points(x, 5, ties="midrank", descending=False)
    )
    assert up.tolist() == [1, 2, 2, 3, 4, 4, 5]
    down_raw = bin_by_cut_points(
        x, quantile_cut_points(x, 5, ties="midrank", descending=True)
    )
    assert (6 - down_raw).tolist() == [5, 4, 4, 3, 2, 2, 1]


def test_empty_input_has_no_cut_points() -> None:
    assert np.isnan(
        quantile_cut_points(np.array([]), 3, ties="midrank", descending=False)
    ).all()


@pytest.mark.parametrize("bad", [1, 0, -3, 101])
def test_bins_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError, match="`bins` must be an integer from 2 to 100"):
        check_bins(bad)


@pytest.mark.parametrize("bad", [2.0, True, "5"])
def test_bins_must_be_an_integer(bad: object) -> None:
    with pytest.raises(TypeError, match="`bins` must be an integer"):
        check_bins(bad)


def test_cut_points_must_increase_and_match_bins() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        check_cut_points([1.0, 1.0, 2.0, 3.0], "f_cut_points", 5)
    with pytest.raises(ValueError, match="must have bins - 1 = 4 values; got 2"):
        check_cut_points([1.0, 2.0], "f_cut_points", 5)
    with pytest.raises(ValueError, match="must be finite"):
        check_cut_points([1.0, np.nan, 2.0, 3.0], "f_cut_points", 5)
