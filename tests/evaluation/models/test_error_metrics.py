"""error_metrics: hand-computed values, invariants and bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.evaluation import ErrorMetrics, error_metrics

values = st.floats(0.0, 100.0, allow_nan=False)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    n = draw(st.integers(1, 20))
    actual = draw(st.lists(values, min_size=n, max_size=n))
    predicted = draw(st.lists(values, min_size=n, max_size=n))
    return actual, predicted


def test_hand_computed_with_ties() -> None:
    actual = [0, 1, 1, 4]
    predicted = [1, 1, 2, 2]
    m = error_metrics(actual, predicted)
    # errors p - a = (1, 0, 1, -2): |e| sums to 4, e^2 to 6
    assert m.n == 4
    assert m.mae == 1.0
    assert m.rmse == pytest.approx(math.sqrt(6 / 4), rel=1e-15)
    # MSLE = mean of (ln(1+p) - ln(1+a))^2, written out term by term
    terms = [
        math.log(2) - math.log(1),
        math.log(2) - math.log(2),
        math.log(3) - math.log(2),
        math.log(3) - math.log(5),
    ]
    assert m.msle == pytest.approx(sum(t * t for t in terms) / 4, rel=1e-14)
    # totals: predicted 6, actual 6 -> bias 0; wMAPE = 4 / 6
    assert m.bias == 0.0
    assert m.wmape == pytest.approx(4 / 6, rel=1e-15)
    # mid-ranks: actual (1, 2.5, 2.5, 4), predicted (1.5, 1.5, 3.5, 3.5);
    # centred: a = (-1.5, 0, 0, 1.5), p = (-1, -1, 1, 1)
    # rho = (1.5 + 1.5) / sqrt(4.5 * 4)
    assert m.spearman == pytest.approx(3 / math.sqrt(18), rel=1e-14)


def test_bias_sign_and_wmape() -> None:
    # predicted total 12 against 10 actual: 20% over-forecast
    m = error_metrics([5, 5], [6, 6])
    assert m.bias == pytest.approx(0.2, rel=1e-15)
    assert m.wmape == pytest.approx(0.2, rel=1e-15)


def test_undefined_metrics_are_nan_and_documented() -> None:
    # zero actual total: no relative error; constant sides: no rank correlation
    m = error_metrics([0, 0, 0], [1, 2, 3])
    assert math.isnan(m.bias)
    assert math.isnan(m.wmape)
    assert math.isnan(m.spearman)
    # negative values: ln(1 + y) undefined for y <= -1, MSLE is NaN
    assert math.isnan(error_metrics([1, 2], [-0.5, 2]).msle)
    assert error_metrics([1, 2], [-0.5, 2]).mae == pytest.approx(0.75)


def test_to_dict_is_plain_scalars() -> None:
    columns = error_metrics([1, 2], [1, 3]).to_dict()
    assert set(columns) == {"n", "mae", "rmse", "msle", "bias", "wmape", "spearman"}
    assert all(type(v) in (int, float) for v in columns.values())
    assert columns["mae"] == 0.5


@given(pairs(), st.data())
def test_invariant_under_joint_permutation(
    pair: tuple[list[float], list[float]], data: st.DataObject
) -> None:
    actual, predicted = pair
    order = data.draw(st.permutations(range(len(actual))))
    first = error_metrics(actual, predicted)
    second = error_metrics([actual[i] for i in order], [predicted[i] for i in order])
    for name in ("mae", "rmse", "msle", "bias", "wmape", "spearman"):
        a, b = getattr(first, name), getattr(second, name)
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12)


@given(st.lists(values, min_size=1, max_size=20))
def test_perfect_prediction_has_zero_error(actual: list[float]) -> None:
    m = error_metrics(actual, actual)
    assert m.mae == 0.0
    assert m.rmse == 0.0
    assert m.msle == 0.0
    assert m.bias == 0.0 or math.isnan(m.bias)  # NaN only for a zero total
    assert m.wmape == 0.0 or math.isnan(m.wmape)
    if len(set(actual)) > 1:
        assert m.spearman == pytest.approx(1.0, rel=1e-12)


@given(pairs())
def test_rmse_at_least_mae_and_ordering_bounds(
    data: tuple[list[float], list[float]],
) -> None:
    m = error_metrics(*data)
    assert isinstance(m, ErrorMetrics)
    assert m.rmse >= m.mae * (1 - 1e-12)
    assert math.isnan(m.spearman) or -1 - 1e-12 <= m.spearman <= 1 + 1e-12


@pytest.mark.parametrize(
    ("actual", "predicted", "match"),
    [
        ([1, 2, 3], [1, 2], r"`actual`, `predicted` must have the same length; "),
        ([], [], r"`actual` must not be empty"),
        ([1, math.nan], [1, 2], r"`actual` must be finite .*1 of 2 violate this"),
        ([1, 2], [1, math.inf], r"`predicted` must be finite .*first at index 1"),
        ([[1, 2]], [[1, 2]], r"`actual` must be one-dimensional"),
    ],
)
def test_bad_input_raises_with_template(
    actual: object, predicted: object, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        error_metrics(actual, predicted)  # type: ignore[arg-type]


def test_non_numbers_raise_type_error() -> None:
    with pytest.raises(TypeError, match="`actual` must contain real numbers"):
        error_metrics(["a", "b"], [1, 2])
