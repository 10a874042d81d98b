"""Invariants of rfm_summary and calibration_holdout_summary (Hypothesis)."""

from __future__ import annotations

import json
from collections import defaultdict
from random import Random
from typing import Any

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from custvalue.clv import CustomerSummary, calibration_holdout_summary, rfm_summary

Log = tuple[np.ndarray, np.ndarray, np.ndarray]


@st.composite
def transaction_logs(draw: st.DrawFn, *, string_ids: bool = False) -> Log:
    """A small log: ids, day offsets (datetime64[m] within days), amounts."""
    n = draw(st.integers(1, 40))
    id_pool = draw(st.integers(1, 6))
    ids = draw(st.lists(st.integers(0, id_pool), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    minutes = draw(st.lists(st.integers(0, 1439), min_size=n, max_size=n))
    cents = draw(st.lists(st.integers(0, 100_000), min_size=n, max_size=n))
    id_array = np.array([f"c{i}" for i in ids]) if string_ids else np.array(ids)
    stamps = (
        np.datetime64("2023-12-25", "m")
        + np.array(days, dtype="timedelta64[D]")
        + np.array(minutes, dtype="timedelta64[m]")
    )
    return id_array, stamps, np.array(cents) / 100.0


def _brute_force(log: Log) -> dict[Any, list[tuple[np.datetime64, float]]]:
    """Merged same-day purchases per customer, by plain Python."""
    ids, stamps, amounts = log
    merged: dict[Any, dict[np.datetime64, float]] = defaultdict(dict)
    for i, t, a in zip(
        ids.tolist(), stamps.astype("datetime64[D]"), amounts, strict=True
    ):
        merged[i][t] = merged[i].get(t, 0.0) + float(a)
    return {i: sorted(days.items()) for i, days in merged.items()}


@given(transaction_logs(), st.booleans())
def test_summary_matches_brute_force(log: Log, string_ids: bool) -> None:
    ids, stamps, amounts = log
    if string_ids:
        ids = np.array([f"id-{i}" for i in ids])
    summary = rfm_summary(ids, stamps, amounts, time_unit="day")
    expected = _brute_force((ids, stamps, amounts))
    end = stamps.astype("datetime64[D]").max()
    assert summary.customer_id is not None
    assert summary.monetary_value is not None
    assert summary.customer_id.tolist() == sorted(expected)
    for k, cid in enumerate(summary.customer_id.tolist()):
        purchases = expected[cid]
        # frequency + 1 is the number of distinct merged purchases
        assert summary.frequency[k] + 1 == len(purchases)
        first, last = purchases[0][0], purchases[-1][0]
        assert summary.recency[k] == (last - first) / np.timedelta64(1, "D")
        assert summary.T[k] == (end - first) / np.timedelta64(1, "D")
        repeat = [a for _, a in purchases[1:]]
        mean = float(np.mean(repeat)) if repeat else 0.0
        assert summary.monetary_value[k] == np.float64(mean) or np.isclose(
            summary.monetary_value[k], mean, rtol=1e-12
        )


@given(transaction_logs())
def test_recency_between_zero_and_T(log: Log) -> None:
    summary = rfm_summary(*log, time_unit="week")
    assert np.all(summary.recency >= 0)
    assert np.all(summary.recency <= summary.T)
    assert np.all(summary.time_since_last_purchase >= 0)


@given(transaction_logs(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(log: Log, random: Random) -> None:
    ids, stamps, amounts = log
    perm = np.random.default_rng(random.getrandbits(32)).permutation(ids.size)
    a = rfm_summary(ids, stamps, amounts)
    b = rfm_summary(ids[perm], stamps[perm], amounts[perm])
    assert_array_equal(a.customer_id, b.customer_id)
    assert_array_equal(a.frequency, b.frequency)
    assert_array_equal(a.recency, b.recency)
    assert_array_equal(a.T, b.T)
    assert_array_equal(a.first_purchase, b.first_purchase)
    assert a.monetary_value is not None
    assert b.monetary_value is not None
    # summed amounts may differ in the last bit with the order of addition
    assert_allclose(a.monetary_value, b.monetary_value, rtol=1e-12)


@given(transaction_logs(), st.integers(0, 60))
def test_transactions_after_calibration_end_change_nothing(
    log: Log, cut_day: int
) -> None:
    ids, stamps, amounts = log
    calibration_end = np.datetime64("2023-12-25") + np.timedelta64(cut_day, "D")
    keep = stamps.astype("datetime64[D]") <= calibration_end
    assume(keep.any())
    split = calibration_holdout_summary(
        ids,
        stamps,
        amounts,
        calibration_end=calibration_end,
        observation_end="2024-03-01",
    )
    alone = rfm_summary(
        ids[keep], stamps[keep], amounts[keep], observation_end=calibration_end
    )
    cal = split.calibration
    assert_array_equal(cal.customer_id, alone.customer_id)
    assert_array_equal(cal.frequency, alone.frequency)
    assert_array_equal(cal.recency, alone.recency)
    assert_array_equal(cal.T, alone.T)
    assert_array_equal(cal.first_purchase, alone.first_purchase)
    assert cal.observation_end == alone.observation_end
    assert cal.monetary_value is not None
    assert alone.monetary_value is not None
    # sums over a different set of rows may differ in the last bit
    assert_allclose(cal.monetary_value, alone.monetary_value, rtol=1e-12)
    # holdout purchases + calibration purchases = purchases of the whole log
    whole = rfm_summary(ids, stamps, amounts, observation_end="2024-03-01")
    assert whole.customer_id is not None
    assert split.calibration.customer_id is not None
    in_cal = np.isin(whole.customer_id, split.calibration.customer_id)
    assert_array_equal(
        whole.frequency[in_cal],
        split.calibration.frequency + split.holdout_frequency,
    )
    # customers born in the holdout are reported, not lost
    assert sorted(split.born_in_holdout.tolist()) == sorted(
        whole.customer_id[~in_cal].tolist()
    )


@given(
    st.lists(st.integers(0, 1000), min_size=1, max_size=30, unique=True),
    st.lists(st.floats(0, 500), min_size=30, max_size=30),
)
def test_single_purchase_customers_have_frequency_and_recency_zero(
    ids: list[int], times: list[float]
) -> None:
    t = np.array(times[: len(ids)])
    summary = rfm_summary(ids, t, observation_end=500.0)
    assert np.all(summary.frequency == 0)
    assert np.all(summary.recency == 0)
    order = np.argsort(ids)
    assert_array_equal(summary.T, 500.0 - t[order])


@given(transaction_logs(), st.floats(0.5, 30.0))
def test_rescaling_numeric_time_rescales_recency_and_T(log: Log, c: float) -> None:
    ids, stamps, _ = log
    t = (stamps - np.datetime64("2023-12-25", "m")) / np.timedelta64(1, "D")
    a = rfm_summary(ids, t)
    b = rfm_summary(ids, t * c)
    assert_array_equal(a.frequency, b.frequency)
    assert_allclose(b.recency, a.recency * c, rtol=1e-12, atol=1e-9)
    assert_allclose(b.T, a.T * c, rtol=1e-12, atol=1e-9)


@given(transaction_logs())
def test_summary_round_trips_through_json(log: Log) -> None:
    summary = rfm_summary(*log)
    text = json.dumps(summary.to_dict())
    assert CustomerSummary.from_dict(json.loads(text)) == summary
