"""tracking: expected against actual repeat purchases of a staggered cohort."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from model_cases import TRANSACTION_MODELS, ModelCase

from custvalue.clv import BGBB
from custvalue.evaluation import tracking


@attrs.frozen
class SteadyModel:
    """Test model: a new customer makes 0.5 repeat purchases per period."""

    def expected_purchases(self, horizon: npt.ArrayLike) -> Any:
        return 0.5 * np.asarray(horizon, dtype=float)


IDS = ["a", "b", "c", "a", "a", "b", "c"]
TIMES = [0.0, 2.0, 2.5, 1.0, 3.0, 4.0, 7.0]


def test_hand_computed_table() -> None:
    table = tracking(SteadyModel(), IDS, TIMES, period_ends=[2, 4, 6])
    # first purchases a: 0, b: 2, c: 2.5; repeats at 1, 3, 4 (and 7, after 6)
    np.testing.assert_array_equal(table.n_customers, [2, 3, 3])
    np.testing.assert_array_equal(table.actual_cumulative, [1, 3, 3])
    np.testing.assert_array_equal(table.actual_incremental, [1, 2, 0])
    # E[C(t)] = 0.5 * sum of max(t - s_i, 0):
    # t = 2: 0.5 * 2; t = 4: 0.5 * (4 + 2 + 1.5); t = 6: 0.5 * (6 + 4 + 3.5)
    np.testing.assert_allclose(table.expected_cumulative, [1.0, 3.75, 6.75])
    np.testing.assert_allclose(table.expected_incremental, [1.0, 2.75, 3.0])
    assert table.n_later_purchases == 1
    columns = table.to_dict()
    assert set(columns) == {
        "period_end",
        "n_customers",
        "actual_cumulative",
        "expected_cumulative",
        "actual_incremental",
        "expected_incremental",
        "n_later_purchases",
    }


@given(st.data())
def test_row_order_does_not_matter(data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(len(IDS))))
    first = tracking(SteadyModel(), IDS, TIMES, period_ends=[1, 2.5, 5])
    again = tracking(
        SteadyModel(),
        [IDS[i] for i in order],
        [TIMES[i] for i in order],
        period_ends=[1, 2.5, 5],
    )
    assert first == again


@pytest.mark.parametrize("case", TRANSACTION_MODELS, ids=lambda c: c.name)
def test_expected_is_the_sum_of_new_customer_expectations(case: ModelCase) -> None:
    starts = [0.0, 0.0, 1.5, 3.25, 10.0]
    ids = [0, 1, 2, 3, 4, 0, 2]
    times = [*starts, 2.0, 6.0]
    ends = np.array([1.0, 5.0, 12.0, 30.0])
    table = tracking(case.reference, ids, times, period_ends=ends)
    by_hand = [
        sum(float(case.reference.expected_purchases(max(e - s, 0.0))) for s in starts)
        for e in ends
    ]
    np.testing.assert_allclose(table.expected_cumulative, by_hand, rtol=1e-12)
    assert np.all(np.diff(table.expected_cumulative) >= 0)


def test_bgbb_in_whole_opportunities() -> None:
    model = BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    table = tracking(model, [1, 2, 1, 2], [0, 1, 2, 3], period_ends=[1, 2, 3, 4])
    # customer 1 joined in 0, customer 2 in 1: E[X(t)] + E[X(t - 1)]
    by_hand = [
        float(model.expected_purchases(t) + model.expected_purchases(max(t - 1, 0)))
        for t in (1, 2, 3, 4)
    ]
    np.testing.assert_allclose(table.expected_cumulative, by_hand, rtol=1e-12)
    np.testing.assert_array_equal(table.actual_cumulative, [0, 1, 2, 2])


def test_chunked_evaluation_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    from custvalue.evaluation._accuracy import _tracking

    ids = np.arange(40)
    times = np.linspace(0, 10, 40)
    whole = tracking(SteadyModel(), ids, times, period_ends=np.arange(1.0, 13.0))
    monkeypatch.setattr(_tracking, "_CHUNK", 50)  # 1 period per chunk
    chunked = tracking(SteadyModel(), ids, times, period_ends=np.arange(1.0, 13.0))
    np.testing.assert_allclose(chunked.expected_cumulative, whole.expected_cumulative)


@pytest.mark.parametrize(
    ("ids", "times", "ends", "match"),
    [
        (["a", "a"], [1.0, 1.0], [2.0], r"must not repeat within a customer; 1 of 2"),
        (["a", "b"], [1.0, 2.0], [3.0, 3.0], r"`period_ends` must be strictly incr"),
        (["a", "b"], [1.0], [3.0], r"must have the same length"),
        (["a", "b"], [1.0, math.nan], [3.0], r"`purchase_time` must be finite"),
        ([], [], [3.0], r"`customer_id` must not be empty"),
        (["a"], [1.0], [], r"`period_ends` must not be empty"),
    ],
)
def test_bad_input(
    ids: list[str], times: list[float], ends: list[float], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        tracking(SteadyModel(), ids, times, period_ends=ends)


def test_unordered_period_ends_are_reported_where_they_are() -> None:
    # 2.5 is index 3 of the four ends passed, and the only one out of order.
    with pytest.raises(
        ValueError,
        match=(
            r"`period_ends` must be strictly increasing; 1 of 4 violate this "
            r"\(first at index 3: period_ends=2\.5\)"
        ),
    ):
        tracking(SteadyModel(), ["a", "b"], [0.0, 1.0], period_ends=[1, 2, 3, 2.5])


def test_object_without_the_verb_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"`model` must provide `expected_purchases`"):
        tracking(object(), ["a"], [0.0], period_ends=[1.0])  # type: ignore[arg-type]


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_customer_is_refused(missing: object) -> None:
    with pytest.raises(ValueError, match=r"`customer_id` must not be missing; 1 of 3"):
        tracking(
            SteadyModel(), np.array([1.0, missing, 1.0]), [0, 1, 2], period_ends=[3]
        )
