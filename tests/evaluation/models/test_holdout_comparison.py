"""holdout_comparison: per-customer predictions and the grouped holdout tables."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from model_cases import TRANSACTION_MODELS, ModelCase

from custvalue.clv import BGBB
from custvalue.evaluation import HoldoutComparison, HoldoutTable, holdout_comparison


@attrs.frozen
class LinearModel:
    """Test model: expects ``(frequency + 1) / (T + 1)`` purchases per period."""

    def conditional_expected_purchases(
        self,
        horizon: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> Any:
        x = np.asarray(frequency, dtype=float)
        return np.asarray(horizon) * (x + 1) / (np.asarray(T) + 1)


X = [0, 0, 1, 2, 3, 8]
TX = [0.0, 0.0, 2.0, 5.0, 9.0, 8.5]
T = [9.0, 4.0, 9.0, 9.0, 9.0, 9.0]
HOLDOUT = [0, 1, 1, 3, 2, 9]


def test_predictions_and_frequency_table_by_hand() -> None:
    result = holdout_comparison(LinearModel(), X, TX, T, HOLDOUT, horizon=10)
    # prediction = 10 (x + 1) / (T + 1)
    np.testing.assert_allclose(result.predicted, [1, 2, 2, 3, 4, 9])
    table = result.by_frequency(max_frequency=2)
    np.testing.assert_array_equal(table.group, ["0", "1", "2+"])
    np.testing.assert_array_equal(table.n_customers, [2, 1, 3])
    # group 0: predictions (1, 2), actual (0, 1); group 2+: (3, 4, 9) and (3, 2, 9)
    np.testing.assert_allclose(table.mean_predicted, [1.5, 2.0, 16 / 3])
    np.testing.assert_allclose(table.mean_actual, [0.5, 1.0, 14 / 3])
    np.testing.assert_allclose(table.total_predicted, [3, 2, 16])
    np.testing.assert_allclose(table.total_actual, [1, 1, 14])
    np.testing.assert_array_equal(table.lower, [0, 1, 2])
    np.testing.assert_array_equal(table.upper, [0, 1, np.inf])
    assert set(table.to_dict()) == {f.name for f in attrs.fields(HoldoutTable)}


def test_empty_frequency_groups_are_left_out() -> None:
    table = holdout_comparison(
        LinearModel(), X, TX, T, HOLDOUT, horizon=10
    ).by_frequency()
    # frequencies 0, 1, 2, 3 and 8 (in 7+): groups 4, 5 and 6 are empty
    np.testing.assert_array_equal(table.group, ["0", "1", "2", "3", "7+"])
    assert table.n_customers.sum() == 6


def test_recency_table_by_hand() -> None:
    result = holdout_comparison(LinearModel(), X, TX, T, HOLDOUT, horizon=10)
    table = result.by_recency([0, 5, 10])
    # non-repeaters first; repeaters at recency 2 in [0, 5), 5, 9, 8.5 in [5, 10]
    np.testing.assert_array_equal(table.group, ["no repeat", "[0, 5)", "[5, 10]"])
    np.testing.assert_array_equal(table.n_customers, [2, 1, 3])
    np.testing.assert_allclose(table.mean_actual, [0.5, 1.0, 14 / 3])
    np.testing.assert_array_equal(table.lower, [0, 0, 5])
    np.testing.assert_array_equal(table.upper, [0, 5, 10])
    # equal-width bins from 0 to the largest repeat recency 9
    bins = result.by_recency(2)
    np.testing.assert_array_equal(bins.group, ["no repeat", "[0, 4.5)", "[4.5, 9]"])
    np.testing.assert_array_equal(bins.n_customers, [2, 1, 3])


def test_per_customer_horizon_and_error_metrics() -> None:
    result = holdout_comparison(
        LinearModel(), X, TX, T, HOLDOUT, horizon=[10, 5, 10, 10, 10, 10]
    )
    np.testing.assert_allclose(result.predicted, [1, 1, 2, 3, 4, 9])
    errors = result.error_metrics()
    # errors p - a = (1, 0, 1, 0, 2, 0): MAE 4/6, bias (20 - 16) / 16
    assert errors.mae == pytest.approx(4 / 6)
    assert errors.bias == pytest.approx(0.25)
    columns = result.to_dict()
    assert set(columns) == {f.name for f in attrs.fields(HoldoutComparison)}
    assert all(len(v) == 6 for v in columns.values())
    assert not result.predicted.flags.writeable


@pytest.mark.parametrize("case", TRANSACTION_MODELS, ids=lambda c: c.name)
def test_every_model_of_the_family(case: ModelCase) -> None:
    result = holdout_comparison(case.reference, X, TX, T, HOLDOUT, horizon=39.0)
    direct = case.reference.conditional_expected_purchases(39.0, X, TX, T)
    np.testing.assert_allclose(result.predicted, direct, rtol=1e-14)
    assert np.all(result.by_frequency().mean_predicted > 0)


def test_bgbb_counts_opportunities() -> None:
    model = BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    x, tx, n = [0, 2, 6], [0, 4, 6], [6, 6, 6]
    result = holdout_comparison(model, x, tx, n, [0, 1, 5], horizon=5)
    np.testing.assert_allclose(
        result.predicted, model.conditional_expected_purchases(5, x, tx, n)
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"holdout_frequency": [0, 1]}, ValueError, r"must have the same length"),
        ({"holdout_frequency": [0, 1, -1, 0, 0, 0]}, ValueError, r"must be >= 0"),
        ({"holdout_frequency": [0, 1.5, 1, 0, 0, 0]}, ValueError, r"whole numbers"),
        ({"horizon": 0.0}, ValueError, r"`horizon` must be > 0"),
        ({"horizon": [1.0, 2.0]}, ValueError, r"one entry per customer"),
        ({"horizon": math.nan}, ValueError, r"`horizon` must be finite"),
    ],
)
def test_bad_input(kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    arguments: dict[str, Any] = {"holdout_frequency": HOLDOUT, "horizon": 10.0}
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        holdout_comparison(
            LinearModel(),
            X,
            TX,
            T,
            arguments["holdout_frequency"],
            horizon=arguments["horizon"],
        )


def test_bad_table_options() -> None:
    result = holdout_comparison(LinearModel(), X, TX, T, HOLDOUT, horizon=10)
    with pytest.raises(ValueError, match=r"`max_frequency` must be an integer >= 1"):
        result.by_frequency(0)
    with pytest.raises(ValueError, match=r"`bins` must be strictly increasing"):
        result.by_recency([0, 5, 5, 10])
    # The position and count refer to the edges as passed: 4.0 is index 2.
    with pytest.raises(
        ValueError,
        match=(
            r"strictly increasing; 1 of 4 violate this "
            r"\(first at index 2: bins=4\.0\)"
        ),
    ):
        result.by_recency([0, 5, 4, 10])
    with pytest.raises(ValueError, match=r"`bins` must cover .* 1 of 6 violate"):
        result.by_recency([0, 5, 8.8])
    with pytest.raises(TypeError, match=r"`bins` must be an integer or a sequence"):
        result.by_recency(2.5)
    with pytest.raises(ValueError, match=r"`bins` must be an integer >= 1"):
        result.by_recency(0)
    with pytest.raises(TypeError, match=r"`model` must provide"):
        holdout_comparison(object(), X, TX, T, HOLDOUT, horizon=10)  # type: ignore[arg-type]
