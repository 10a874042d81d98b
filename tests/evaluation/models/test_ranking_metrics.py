"""Tie-correct ranking metrics: normalized Gini, gains curve, decile table, lift.

The reference for every tie rule is its definition: the average of the
plain (tie-free) metric over all the orders in which tied predictions could
be listed, enumerated by brute force on small arrays.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from custvalue.evaluation import (
    DecileTable,
    decile_table,
    gains_curve,
    lift,
    normalized_gini,
)

# --- brute-force references ----------------------------------------------------


def _orders(predicted: list[float]) -> Iterator[list[int]]:
    """Every listing by decreasing prediction, tied rows in every order."""
    levels = sorted(set(predicted), reverse=True)
    blocks = [[i for i, p in enumerate(predicted) if p == v] for v in levels]
    for parts in itertools.product(*(itertools.permutations(b) for b in blocks)):
        yield [i for part in parts for i in part]


def _plain_gini(values_in_order: list[float]) -> float:
    """G = (1/n) sum_k (L_k - k/n) for one fixed order (no ties involved)."""
    n, total = len(values_in_order), sum(values_in_order)
    running, g = 0.0, 0.0
    for k, value in enumerate(values_in_order, start=1):
        running += value
        g += running / total - k / n
    return g / n


def _average_gini(actual: list[float], predicted: list[float]) -> float:
    ginis = [_plain_gini([actual[i] for i in o]) for o in _orders(predicted)]
    return sum(ginis) / len(ginis)


def _average_capture(actual: list[float], predicted: list[float], k: int) -> float:
    captures = [sum(actual[i] for i in o[:k]) for o in _orders(predicted)]
    return sum(captures) / len(captures) / sum(actual)


@st.composite
def small_ranked(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    """Up to 7 customers, few distinct values so that ties are common."""
    n = draw(st.integers(2, 7))
    actual = draw(st.lists(st.integers(0, 4).map(float), min_size=n, max_size=n))
    predicted = draw(st.lists(st.integers(0, 3).map(float), min_size=n, max_size=n))
    return actual, predicted


# --- normalized Gini -----------------------------------------------------------


def test_gini_hand_computed_with_ties() -> None:
    # actual (0, 0, 10, 30), predicted (1, 3, 3, 4). Mid-ranks of predicted:
    # (1, 2.5, 2.5, 4), centred (-1.5, 0, 0, 1.5); actual centred
    # (-10, -10, 0, 20): numerator 15 + 30 = 45. Best order: mid-ranks of
    # actual (1.5, 1.5, 3, 4), centred (-1, -1, 0.5, 1.5): 10 + 10 + 30 = 50.
    assert normalized_gini([0, 0, 10, 30], [1, 3, 3, 4]) == pytest.approx(0.9)
    # Same through the orders: 30 first, then {0, 10} in either order, then 0.
    # L = (.75, .75, 1, 1) or (.75, 1, 1, 1); G = mean of (1/4)(sum L - 2.5)
    g_pred = ((3.5 - 2.5) / 4 + (3.75 - 2.5) / 4) / 2
    g_best = (0.75 + 1 + 1 + 1 - 2.5) / 4
    assert normalized_gini([0, 0, 10, 30], [1, 3, 3, 4]) == pytest.approx(
        g_pred / g_best, rel=1e-14
    )


@given(small_ranked())
def test_gini_is_average_over_tie_orders(
    data: tuple[list[float], list[float]],
) -> None:
    actual, predicted = data
    assume(len(set(actual)) >= 2)
    expected = _average_gini(actual, predicted) / _average_gini(actual, actual)
    assert normalized_gini(actual, predicted) == pytest.approx(expected, abs=1e-12)


@given(st.lists(st.floats(0, 1e6), min_size=2, max_size=50), st.data())
def test_constant_prediction_gives_exactly_zero(
    actual: list[float], data: st.DataObject
) -> None:
    assume(len(set(actual)) >= 2)
    order = data.draw(st.permutations(range(len(actual))))
    constant = data.draw(st.floats(-1e3, 1e3))
    shuffled = [actual[i] for i in order]
    assert normalized_gini(actual, [constant] * len(actual)) == 0.0
    assert normalized_gini(shuffled, [constant] * len(actual)) == 0.0


def test_naive_sort_gini_depends_on_row_order_but_ours_does_not() -> None:
    # The tie problem of sort-based code (Kaggle's, Google's lifetime_value):
    # a constant prediction keeps the row order, so the Gini follows it.
    actual = [0.0, 0.0, 0.0, 1.0, 5.0]
    naive_up = _plain_gini(actual) / _plain_gini(sorted(actual, reverse=True))
    naive_down = _plain_gini(actual[::-1]) / _plain_gini(sorted(actual, reverse=True))
    assert naive_up < -0.5 < 0.5 < naive_down  # order-dependent nonsense
    assert normalized_gini(actual, [1.0] * 5) == 0.0
    assert normalized_gini(actual[::-1], [1.0] * 5) == 0.0


@given(st.lists(st.floats(0, 1e6), min_size=2, max_size=40, unique=True))
def test_perfect_gives_one_and_reversed_gives_minus_one(actual: list[float]) -> None:
    assert normalized_gini(actual, actual) == 1.0
    # a strictly increasing transform (exact in floating point) keeps the order
    assert normalized_gini(actual, [2 * a for a in actual]) == 1.0
    assert normalized_gini(actual, [-a for a in actual]) == pytest.approx(-1.0)


@given(small_ranked(), st.data())
def test_gini_invariant_under_joint_permutation(
    pair: tuple[list[float], list[float]], data: st.DataObject
) -> None:
    actual, predicted = pair
    assume(len(set(actual)) >= 2)
    order = data.draw(st.permutations(range(len(actual))))
    assert normalized_gini(actual, predicted) == pytest.approx(
        normalized_gini([actual[i] for i in order], [predicted[i] for i in order]),
        abs=1e-12,
    )


def test_gini_of_constant_actual_is_undefined() -> None:
    with pytest.raises(ValueError, match=r"`actual` must not be constant .* 3 values"):
        normalized_gini([2, 2, 2], [1, 2, 3])


# --- gains curve ---------------------------------------------------------------


def test_gains_curve_hand_computed() -> None:
    curve = gains_curve([0, 0, 10, 30], [1, 3, 3, 4])
    np.testing.assert_array_equal(curve.share_of_customers, [0, 0.25, 0.75, 1])
    np.testing.assert_array_equal(curve.share_of_actual, [0, 0.75, 1, 1])
    np.testing.assert_array_equal(curve.threshold, [np.inf, 4, 3, 1])
    # trapezoids 0.25*0.375 + 0.5*0.875 + 0.25*1 = 0.78125, minus 1/2
    assert curve.area_above_diagonal() == pytest.approx(0.28125, rel=1e-15)
    assert set(curve.to_dict()) == {
        "share_of_customers",
        "share_of_actual",
        "threshold",
    }


@given(small_ranked())
def test_gini_is_the_scaled_area_of_the_gains_curve(
    data: tuple[list[float], list[float]],
) -> None:
    actual, predicted = data
    assume(len(set(actual)) >= 2)
    area = gains_curve(actual, predicted).area_above_diagonal()
    best = gains_curve(actual, actual).area_above_diagonal()
    assert normalized_gini(actual, predicted) == pytest.approx(area / best, abs=1e-12)
    curve = gains_curve(actual, predicted)
    assert curve.share_of_actual[-1] == pytest.approx(1.0)
    assert np.all(np.diff(curve.share_of_actual) >= 0)
    assert np.all(np.diff(curve.share_of_customers) > 0)


# --- decile table --------------------------------------------------------------


def test_decile_table_hand_computed() -> None:
    # 20 customers, predictions 20, 19, ..., 1 (no ties): two per decile
    actual = np.arange(20, 0, -1, dtype=float)
    table = decile_table(actual, actual)
    np.testing.assert_array_equal(table.decile, np.arange(1, 11))
    np.testing.assert_array_equal(table.n_customers, [2] * 10)
    # decile 1 holds 20 and 19: total 39 of 210, mean 19.5, lift 19.5 / 10.5
    assert table.total_actual[0] == 39
    assert table.share_of_actual[0] == pytest.approx(39 / 210)
    assert table.lift[0] == pytest.approx(19.5 / 10.5)
    assert table.cumulative_share_of_actual[-1] == pytest.approx(1.0)


def test_decile_table_keeps_a_tie_block_in_the_group_of_its_middle() -> None:
    # 10 customers, 5 groups of 2 positions. Predictions (desc):
    # 9, 8, 7, 7, 7, 7, 3, 2, 1, 0 -> the block of four 7s sits at positions
    # 2..5, middle 2 + 4/2 = 4, group floor(5 * 4 / 10) = 2 (third group).
    predicted = [9, 8, 7, 7, 7, 7, 3, 2, 1, 0]
    actual = [5, 4, 1, 2, 3, 0, 1, 0, 0, 1]
    table = decile_table(actual, predicted, n_groups=5)
    np.testing.assert_array_equal(table.decile, [1, 3, 4, 5])
    np.testing.assert_array_equal(table.n_customers, [2, 4, 2, 2])
    np.testing.assert_array_equal(table.total_actual, [9, 6, 1, 1])
    np.testing.assert_array_equal(table.min_predicted, [8, 7, 2, 0])
    np.testing.assert_array_equal(table.max_predicted, [9, 7, 3, 1])


def test_constant_prediction_is_one_middle_group_with_lift_one() -> None:
    table = decile_table([1, 0, 3, 0, 1], [2.0] * 5)
    # block of 5 at positions 0..4, middle 2.5: group floor(10 * 2.5 / 5) = 5
    np.testing.assert_array_equal(table.decile, [6])
    np.testing.assert_array_equal(table.n_customers, [5])
    assert table.lift[0] == pytest.approx(1.0)


@given(small_ranked(), st.data())
def test_decile_table_properties(
    pair: tuple[list[float], list[float]], data: st.DataObject
) -> None:
    actual, predicted = pair
    assume(sum(actual) != 0)
    table = decile_table(actual, predicted)
    assert isinstance(table, DecileTable)
    # ties are never split: the prediction ranges of the rows do not touch
    assert np.all(table.max_predicted[1:] < table.min_predicted[:-1])
    assert table.n_customers.sum() == len(actual)
    assert table.total_actual.sum() == pytest.approx(sum(actual))
    order = data.draw(st.permutations(range(len(actual))))
    again = decile_table([actual[i] for i in order], [predicted[i] for i in order])
    np.testing.assert_array_equal(table.n_customers, again.n_customers)
    np.testing.assert_allclose(table.total_actual, again.total_actual)
    assert set(table.to_dict()) == {f.name for f in DecileTable.__attrs_attrs__}


# --- lift ----------------------------------------------------------------------


def test_lift_hand_computed_with_fractional_tie() -> None:
    actual = [9, 5, 2, 0, 4, 0, 0, 0, 0, 0]
    score = [0.9, 0.9, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1]
    top = lift(actual, score, fraction=0.3)
    # top 3 = the block {9, 5} and 1 of the 3 tied at 0.5 (total 6): 14 + 2
    assert top.n_selected == pytest.approx(3.0)
    assert top.captured == pytest.approx(16.0)
    assert top.capture == pytest.approx(0.8)
    assert top.lift == pytest.approx(0.8 / 0.3)
    assert top.to_dict()["lift"] == top.lift


@given(small_ranked(), st.data())
def test_lift_is_average_over_tie_orders(
    pair: tuple[list[float], list[float]], data: st.DataObject
) -> None:
    actual, predicted = pair
    assume(sum(actual) != 0)
    n = len(actual)
    k = data.draw(st.integers(1, n))
    result = lift(actual, predicted, fraction=k / n)
    assert result.capture == pytest.approx(
        _average_capture(actual, predicted, k), abs=1e-12
    )


@given(st.lists(st.floats(0, 100), min_size=1, max_size=40), st.data())
def test_constant_prediction_has_lift_one_in_any_order(
    actual: list[float], data: st.DataObject
) -> None:
    assume(sum(actual) != 0)
    fraction = data.draw(st.floats(0.01, 1.0))
    order = data.draw(st.permutations(range(len(actual))))
    for values in (actual, [actual[i] for i in order]):
        result = lift(values, [3.0] * len(values), fraction=fraction)
        assert result.capture == pytest.approx(fraction, rel=1e-12)
        assert result.lift == pytest.approx(1.0, rel=1e-12)


@given(small_ranked())
def test_whole_base_has_lift_one_and_capture_grows(
    data: tuple[list[float], list[float]],
) -> None:
    actual, predicted = data
    assume(sum(actual) != 0)
    assert lift(actual, predicted, fraction=1.0).lift == pytest.approx(1.0)
    captures = [lift(actual, predicted, fraction=f).capture for f in (0.2, 0.5, 0.8)]
    assert captures == sorted(captures)


# --- bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: lift([1, 2], [1, 2], fraction=0.0), ValueError, r"`fraction` must"),
        (lambda: lift([1, 2], [1, 2], fraction=1.5), ValueError, r"`fraction` must"),
        (lambda: lift([0, 0], [1, 2]), ValueError, r"total > 0"),
        (lambda: decile_table([1, 2], [1, 2], n_groups=0), ValueError, r"`n_groups`"),
        (lambda: decile_table([1, 2], [1, 2], n_groups=2.5), TypeError, r"`n_groups`"),  # type: ignore[arg-type]
        (lambda: gains_curve([1, -2], [1, 2]), ValueError, r"`actual` must be >= 0"),
        (lambda: normalized_gini([1, 2], [1]), ValueError, r"same length"),
        (lambda: normalized_gini([], []), ValueError, r"must not be empty"),
        (lambda: normalized_gini([1, 2], [1, math.nan]), ValueError, r"finite"),
    ],
)
def test_bad_input(call: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]
