"""RFM scores: hand-worked cases, properties and bad input."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.segment import (
    RFMScores,
    SegmentMap,
    TiedBinsWarning,
    rfm_scores,
)

FloatArray = npt.NDArray[np.float64]


@contextmanager
def ties_allowed() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=TiedBinsWarning)
        yield


# --- reference cases worked by hand -------------------------------------------
# Rule (see rfm_scores Notes): sorted positions 0..n-1; a tied block at
# lo..hi-1 has twice-position lo + hi ('midrank'); score = 1 + floor(5 *
# (lo + hi) / (2 n)). Recency positions are counted from the largest time.


def test_small_arrays_with_ties() -> None:
    # time since last purchase [10, 10, 3, 7, 30], n = 5, from the largest:
    #   30: lo=0, hi=1 -> 1 + floor(5*1/10) = 1
    #   10, 10: lo=1, hi=3 -> 1 + floor(5*4/10) = 3 (both)
    #   7: lo=3, hi=4 -> 1 + floor(5*7/10) = 4
    #   3: lo=4, hi=5 -> 1 + floor(5*9/10) = 5
    # frequency [2, 2, 2, 0, 5] ascending: 0 -> (0+1) -> 1 + floor(5/10) = 1;
    #   2,2,2: lo=1, hi=4 -> 1 + floor(25/10) = 3; 5: lo=4, hi=5 -> 5
    # monetary [5, 1, 4, 2, 3] distinct: position i -> 1 + floor((2i+1)/2) = i+1
    with pytest.warns(TiedBinsWarning) as caught:
        scores = rfm_scores([10, 10, 3, 7, 30], [2, 2, 2, 0, 5], [5, 1, 4, 2, 3])
    assert scores.r_score.tolist() == [3, 3, 5, 4, 1]
    assert scores.f_score.tolist() == [3, 3, 3, 1, 5]
    assert scores.m_score.tolist() == [5, 1, 4, 2, 3]
    # score 2 is empty for recency and frequency; two warnings, one each
    assert len(caught) == 2
    assert "`time_since_last_purchase`" in str(caught[0].message)
    assert scores.r_bins.occupancy.tolist() == [1, 0, 2, 1, 1]
    assert scores.f_bins.occupancy.tolist() == [1, 0, 3, 0, 1]
    assert scores.m_bins.occupancy.tolist() == [1, 1, 1, 1, 1]
    assert not scores.m_bins.collapsed
    assert scores.f_bins.collapsed
    # recency cut points on the raw times, smallest first: raw bin j holds
    # score 6 - j, so 3 -> bin 1, 7 -> bin 2, 10 -> bin 3, 30 -> bin 5 (bin 4
    # empty); the largest time in bins 1..j is 3, 7, 10, 10.
    assert scores.r_bins.cut_points.tolist() == [3.0, 7.0, 10.0, 10.0]
    # FM = ceil((F + M) / 2): (3+5)/2=4, (3+1)/2=2, (3+4)/2=3.5->4, (1+2)/2=1.5->2, 4
    assert scores.fm_score.tolist() == [4, 2, 4, 2, 4]


@pytest.mark.parametrize(("n", "bins", "expected"), [(1, 5, 3), (7, 5, 3), (8, 4, 3)])
def test_all_equal_inputs_get_the_middle_score(
    n: int, bins: int, expected: int
) -> None:
    # one block lo=0, hi=n: 1 + floor(bins * n / (2n)) = 1 + floor(bins / 2):
    # 3 for 5 bins, 3 for 4 bins (a block exactly on a boundary goes up).
    with pytest.warns(TiedBinsWarning, match="quantile bins empty"):
        scores = rfm_scores([4.0] * n, [1.0] * n, [9.0] * n, bins=bins)
    for column in (scores.r_score, scores.f_score, scores.m_score):
        assert column.tolist() == [expected] * n
    occupancy = [0] * bins
    occupancy[expected - 1] = n
    assert scores.f_bins.occupancy.tolist() == occupancy
    # nobody in raw bins 1..expected-1, everybody at most expected
    cuts = scores.f_bins.cut_points
    assert np.isnan(cuts[: expected - 1]).all()
    assert cuts[expected - 1 :].tolist() == [1.0] * (bins - expected)


def test_one_customer() -> None:
    # n = 1: twice-position 1, score 1 + floor(5 * 1 / 2) = 3 on every axis
    with pytest.warns(TiedBinsWarning):
        scores = rfm_scores([12.0], [0], [30.0])
    assert (scores.r_score[0], scores.f_score[0]) == (3, 3)
    assert scores.n_customers == 1


def test_sixty_percent_one_time_buyers() -> None:
    # Ten customers, six with repeat frequency 0 (sorted positions 0..5):
    #   midrank: lo=0, hi=6 -> 1 + floor(5*6/20) = 2
    #   low:     2*0+1 = 1  -> 1 + floor(5/20) = 1
    #   high:    2*6-1 = 11 -> 1 + floor(55/20) = 3
    # 1 at position 6 -> 1 + floor(5*13/20) = 4; 2 at 7 -> 1 + floor(75/20) = 4;
    # 3 at 8 -> 1 + floor(85/20) = 5; 4 at 9 -> 5.
    t = [2, 5, 9, 30, 31, 40, 41, 60, 70, 90]
    f = [4, 3, 2, 1, 0, 0, 0, 0, 0, 0]
    m = [80, 60, 70, 50, 20, 30, 10, 40, 25, 15]
    expected = {"midrank": 2, "low": 1, "high": 3}
    for ties, one_time in expected.items():
        with pytest.warns(TiedBinsWarning, match="`frequency`"):
            scores = rfm_scores(t, f, m, ties=ties)  # type: ignore[arg-type]
        assert scores.f_score.tolist() == [5, 5, 4, 4] + [one_time] * 6
        occupancy = [0, 0, 0, 2, 2]
        occupancy[one_time - 1] = 6
        assert scores.f_bins.occupancy.tolist() == occupancy
    # every customer still gets exactly one named segment
    with ties_allowed():
        labels = rfm_scores(t, f, m).segments(SegmentMap.eleven_segment())
    assert labels.n_customers == 10
    assert "Other" not in labels.names


def test_nested_sorting_bins_within_groups() -> None:
    # bins = 2, eight customers. Recency from the largest time: positions
    # 0..7, score 1 + floor(2 (2p+1) / 16): p = 0..3 -> 1, p = 4..7 -> 2, so
    # t = 1..4 -> R = 2 and t = 5..8 -> R = 1.
    # Frequency within R = 2 (1, 2, 3, 4): 1, 1, 2, 2; within R = 1 (10..40):
    # 1, 1, 2, 2. Independently, 1..4 would all be 1 and 10..40 all 2.
    # Monetary within (R, F) cells of two: the larger gets 2.
    t = [1, 2, 3, 4, 5, 6, 7, 8]
    f = [1, 2, 3, 4, 10, 20, 30, 40]
    m = [5, 3, 8, 9, 1, 2, 7, 6]
    nested = rfm_scores(t, f, m, bins=2, sorting="nested")
    assert nested.r_score.tolist() == [2, 2, 2, 2, 1, 1, 1, 1]
    assert nested.f_score.tolist() == [1, 1, 2, 2, 1, 1, 2, 2]
    assert nested.m_score.tolist() == [2, 1, 1, 2, 1, 2, 2, 1]
    # cut points per recency group: R = 1 (row 0) splits at 20, R = 2 at 2
    assert nested.f_bins.cut_points.tolist() == [[20.0], [2.0]]
    assert nested.f_bins.occupancy.tolist() == [[2, 2], [2, 2]]
    assert nested.m_bins.cut_points.shape == (2, 2, 1)
    # cell (R=2, F=1) holds monetary 5 and 3: the cut is 3
    assert nested.m_bins.cut_points[1, 0, 0] == 3.0
    independent = rfm_scores(t, f, m, bins=2)
    assert independent.f_score.tolist() == [1, 1, 1, 1, 2, 2, 2, 2]


def test_nested_sorting_warns_about_small_groups() -> None:
    # five customers in five recency groups of one: every group has four
    # empty frequency bins, and so does every (R, F) cell for monetary value
    with pytest.warns(TiedBinsWarning) as caught:
        rfm_scores([1, 2, 3, 4, 5], [1, 1, 2, 3, 4], [1, 2, 3, 4, 5], sorting="nested")
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert "in 5 of 5 R-score groups" in messages[0]
    assert "in 5 of 5 (R, F)-score groups" in messages[1]


def test_given_cut_points_are_right_closed() -> None:
    # frequency cut points (1, 2, 5, 10): <=1 -> 1, (1,2] -> 2, (2,5] -> 3,
    # (5,10] -> 4, >10 -> 5. Recency cut points (30, 60, 90, 180): <=30 -> 5,
    # (30,60] -> 4, (60,90] -> 3, (90,180] -> 2, >180 -> 1.
    t = [0, 30, 31, 60, 61, 90, 91, 180, 181]
    f = [0, 1, 2, 3, 5, 6, 10, 11, 1]
    m = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    scores = rfm_scores(
        t,
        f,
        m,
        r_cut_points=(30, 60, 90, 180),
        f_cut_points=(1, 2, 5, 10),
    )
    assert scores.r_score.tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1]
    assert scores.f_score.tolist() == [1, 1, 2, 3, 3, 4, 4, 5, 1]
    assert scores.r_bins.method == "cut_points"
    assert scores.m_bins.method == "quantile"
    assert scores.r_bins.occupancy.tolist() == [1, 2, 2, 2, 2]


def test_given_cut_points_do_not_warn_about_empty_bins() -> None:
    scores = rfm_scores(
        [1.0, 2.0, 3.0, 4.0, 5.0],
        [0, 0, 0, 0, 0],
        [1.0, 2.0, 3.0, 4.0, 5.0],
        f_cut_points=(1, 2, 3, 4),
    )
    assert scores.f_bins.occupancy.tolist() == [5, 0, 0, 0, 0]


def test_composite_score_is_the_weighted_mean() -> None:
    # scores from test_small_arrays_with_ties: R=3, F=3, M=5 for customer 0;
    # score weights (2, 1, 1): (2*3 + 3 + 5) / 4 = 3.5
    with ties_allowed():
        scores = rfm_scores(
            [10, 10, 3, 7, 30],
            [2, 2, 2, 0, 5],
            [5, 1, 4, 2, 3],
            score_weights=(2, 1, 1),
        )
    assert scores.composite_score[0] == 3.5
    assert scores.score_weights == (2.0, 1.0, 1.0)
    columns = scores.to_dict()
    assert set(columns) == {f.name for f in attrs.fields(type(scores))}
    assert columns["score_weights"] == [2.0, 1.0, 1.0]


def test_result_is_frozen_and_read_only() -> None:
    scores = rfm_scores([1.0, 2.0], [1, 2], [3.0, 4.0], bins=2)
    with pytest.raises(ValueError, match="read-only"):
        scores.r_score[0] = 1
    with pytest.raises(AttributeError):
        scores.bins = 3  # type: ignore[misc]
    assert scores == rfm_scores([1.0, 2.0], [1, 2], [3.0, 4.0], bins=2)


def test_segments_need_a_map_of_the_same_size() -> None:
    scores = rfm_scores(
        [1.0, 2.0, 3.0, 4.0], [1, 2, 3, 4], [1.0, 2.0, 3.0, 4.0], bins=4
    )
    with pytest.raises(ValueError, match="drawn for 4 scores"):
        scores.segments(SegmentMap.eleven_segment())


# --- properties ----------------------------------------------------------------

values = st.integers(0, 8)
customers = st.lists(st.tuples(values, values, values), min_size=1, max_size=30)


def _columns(
    rows: list[tuple[int, int, int]],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    array = np.array(rows, dtype=np.float64)
    return array[:, 0], array[:, 1], array[:, 2]


def _score(rows: list[tuple[int, int, int]], **options: Any) -> RFMScores:
    with ties_allowed():
        return rfm_scores(*_columns(rows), **options)


sortings = st.sampled_from(["independent", "nested"])


@given(rows=customers, sorting=sortings)
def test_identical_customers_get_identical_scores_and_segments(
    rows: list[tuple[int, int, int]], sorting: str
) -> None:
    doubled = rows + rows
    scores = _score(doubled, sorting=sorting)
    labels = scores.segments(SegmentMap.eleven_segment()).codes
    n = len(rows)
    for column in (scores.r_score, scores.f_score, scores.m_score):
        assert np.array_equal(column[:n], column[n:])
    assert np.array_equal(labels[:n], labels[n:])


@given(rows=customers, sorting=sortings, seed=st.integers(0, 2**32 - 1))
def test_shuffling_rows_shuffles_scores_the_same_way(
    rows: list[tuple[int, int, int]], sorting: str, seed: int
) -> None:
    order = np.random.default_rng(seed).permutation(len(rows))
    scores = _score(rows, sorting=sorting)
    shuffled = _score([rows[i] for i in order], sorting=sorting)
    for name in ("r_score", "f_score", "m_score"):
        assert np.array_equal(getattr(shuffled, name), getattr(scores, name)[order])


@given(
    rows=customers, sorting=sortings, ties=st.sampled_from(["midrank", "low", "high"])
)
def test_scores_are_invariant_under_increasing_transforms(
    rows: list[tuple[int, int, int]], sorting: str, ties: str
) -> None:
    t, f, m = _columns(rows)
    options: dict[str, Any] = {"sorting": sorting, "ties": ties}
    with ties_allowed():
        plain = rfm_scores(t, f, m, **options)
        # x**3 + 5x and log1p are strictly increasing on x >= 0; 7 * sqrt too
        moved = rfm_scores(t**3 + 5 * t, np.log1p(f), 7 * np.sqrt(m), **options)
    for name in ("r_score", "f_score", "m_score"):
        assert np.array_equal(getattr(plain, name), getattr(moved, name))


@given(rows=customers)
def test_every_score_is_in_range_and_counted_once(
    rows: list[tuple[int, int, int]],
) -> None:
    scores = _score(rows)
    for found, column in (
        (scores.r_bins, scores.r_score),
        (scores.f_bins, scores.f_score),
        (scores.m_bins, scores.m_score),
    ):
        assert column.min() >= 1
        assert column.max() <= 5
        assert found.occupancy.sum() == len(rows)
        assert found.occupancy.tolist() == np.bincount(column, minlength=6)[1:].tolist()
    fm = scores.fm_score
    assert np.all((fm >= 1) & (fm <= 5))


@given(
    x=st.lists(
        st.floats(0, 1e6, allow_nan=False), min_size=10, max_size=40, unique=True
    )
)
def test_reported_cut_points_reproduce_the_scores(x: list[float]) -> None:
    # With distinct values no bin is empty, and scoring again with the
    # reported cut points as fixed cut points gives the same scores.
    values = np.array(x)
    scores = rfm_scores(values, values, values)
    again = rfm_scores(
        values,
        values,
        values,
        r_cut_points=scores.r_bins.cut_points,
        f_cut_points=scores.f_bins.cut_points,
    )
    assert np.array_equal(again.r_score, scores.r_score)
    assert np.array_equal(again.f_score, scores.f_score)


# --- bad input -----------------------------------------------------------------


def test_empty_arrays_are_refused() -> None:
    with pytest.raises(
        ValueError, match="`time_since_last_purchase` must not be empty"
    ):
        rfm_scores([], [], [])


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match=r"`monetary_value` must be finite .* 1 of 3"):
        rfm_scores([1.0, 2.0, 3.0], [1, 2, 3], [1.0, np.nan, 3.0])


def test_negative_frequency_is_refused() -> None:
    with pytest.raises(
        ValueError,
        match=r"`frequency` must be >= 0; 1 of 3 violate this \(first at index 2",
    ):
        rfm_scores([1.0, 2.0, 3.0], [1, 2, -1], [1.0, 2.0, 3.0])


def test_negative_spend_is_refused_with_a_suggestion() -> None:
    with pytest.raises(
        ValueError, match=r"`monetary_value` must be >= 0.*customer_pyramid"
    ):
        rfm_scores([1.0, 2.0], [1, 2], [-5.0, 3.0])


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="must have the same length"):
        rfm_scores([1.0, 2.0], [1, 2, 3], [1.0, 2.0])


@pytest.mark.parametrize("bins", [1, 0])
def test_fewer_than_two_bins_are_refused(bins: int) -> None:
    with pytest.raises(ValueError, match="`bins` must be an integer from 2"):
        rfm_scores([1.0, 2.0], [1, 2], [1.0, 2.0], bins=bins)


def test_options_are_checked() -> None:
    args = ([1.0, 2.0], [1, 2], [1.0, 2.0])
    with pytest.raises(ValueError, match="`sorting` must be"):
        rfm_scores(*args, sorting="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`ties` must be"):
        rfm_scores(*args, ties="first")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`score_weights` must be three"):
        rfm_scores(*args, score_weights=(1, 1))
    with pytest.raises(ValueError, match="must be None with sorting='nested'"):
        rfm_scores(*args, sorting="nested", f_cut_points=(1, 2, 3, 4))
