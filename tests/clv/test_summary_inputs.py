"""Options and bad input of the summary functions and CustomerSummary."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from custvalue.clv import CustomerSummary, calibration_holdout_summary, rfm_summary

DAYS = np.array(["2024-01-01", "2024-01-03", "2024-01-10"], dtype="datetime64[D]")


def test_pandas_series_input_works() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "id": ["b", "a", "b"],
            "when": pd.to_datetime(
                ["2024-01-01 10:00", "2024-01-02", "2024-01-08"], format="ISO8601"
            ),
            "spend": [1.0, 2.0, 3.0],
        }
    )
    summary = rfm_summary(frame["id"], frame["when"], frame["spend"])
    assert summary.customer_id is not None
    assert summary.customer_id.tolist() == ["a", "b"]
    assert_array_equal(summary.frequency, [0, 1])
    assert_array_equal(summary.recency, [0.0, 7.0])
    assert_array_equal(summary.T, [6.0, 7.0])
    # twelve fields: six columns, and observation_end, time_unit, merge and
    # the three transaction counts repeated
    assert pd.DataFrame(summary.to_dict()).shape == (2, 12)


def test_merge_granularities() -> None:
    stamps = np.array(
        [
            "2024-01-01T08:00",  # Monday
            "2024-01-01T08:30",
            "2024-01-01T20:00",
            "2024-01-07T10:00",  # Sunday: same ISO week as Monday 1 Jan
            "2024-01-08T10:00",  # next Monday
            "2024-02-01T00:00",
        ],
        dtype="datetime64[m]",
    )
    ids = np.zeros(stamps.size, dtype=int)
    end = "2024-02-05"
    expected = {
        "exact": 5,
        "minute": 5,
        "hour": 4,
        "day": 3,
        "week": 2,
        "month": 1,
        "year": 0,
    }
    for merge, frequency in expected.items():
        summary = rfm_summary(ids, stamps, observation_end=end, merge=merge)  # type: ignore[arg-type]
        assert summary.frequency[0] == frequency, merge
        assert summary.merge == merge
    # buckets are dated at their start: the month bucket of 2024-02-01 starts that day
    monthly = rfm_summary(ids, stamps, observation_end=end, merge="month")
    assert_array_equal(monthly.recency, [31.0])
    assert monthly.first_purchase is not None
    assert str(monthly.first_purchase[0]) == "2024-01-01"
    weekly = rfm_summary(ids, stamps, observation_end=end, merge="week")
    assert_array_equal(weekly.recency, [28.0])  # Monday 1 Jan to Monday 29 Jan


def test_exact_merge_measures_in_the_finer_unit() -> None:
    summary = rfm_summary(
        [1, 1],
        DAYS[:2],
        merge="exact",
        observation_end=np.datetime64("2024-01-03T12:00"),
        time_unit="hour",
    )
    assert_array_equal(summary.T, [60.0])
    assert_array_equal(summary.recency, [48.0])


def test_time_units() -> None:
    weeks = rfm_summary([1, 1, 1], DAYS, time_unit="week")
    assert_allclose(weeks.recency, [9 / 7])
    custom = rfm_summary([1, 1, 1], DAYS, time_unit=np.timedelta64(3, "D"))
    assert_allclose(custom.recency, [3.0])
    assert custom.time_unit == np.timedelta64(3, "D")
    hours = rfm_summary([1, 1, 1], DAYS, time_unit="hour")
    assert_array_equal(hours.recency, [216.0])


def test_numeric_timestamps_are_periods() -> None:
    summary = rfm_summary([1, 1, 2], [0.5, 2.25, 1.0], observation_end=4.0)
    assert_array_equal(summary.recency, [1.75, 0.0])
    assert_array_equal(summary.T, [3.5, 3.0])
    assert summary.time_unit is None
    assert summary.merge == "exact"


def test_negative_amounts_only_when_allowed() -> None:
    with pytest.raises(ValueError, match=r"`amount` must be >= 0; 1 of 3") as info:
        rfm_summary([1, 1, 2], DAYS, [5.0, -2.0, 1.0])
    assert "index 1: amount=-2.0" in str(info.value)
    assert "allow_negative_amounts=True" in str(info.value)
    summary = rfm_summary(
        [1, 1, 2], DAYS, [5.0, -2.0, 1.0], allow_negative_amounts=True
    )
    assert summary.monetary_value is not None
    assert_array_equal(summary.monetary_value, [-2.0, 0.0])


def test_summary_arrays_are_read_only_and_pickle() -> None:
    summary = rfm_summary([1, 1, 2], DAYS, [5.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="read-only"):
        summary.frequency[0] = 3
    assert pickle.loads(pickle.dumps(summary)) == summary


BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"customer_id": [], "timestamp": []}, "`customer_id` must not be empty"),
    ({"customer_id": [1, 2], "timestamp": DAYS}, "must have the same length"),
    ({"customer_id": [1, 2, 3], "timestamp": DAYS, "amount": [1.0]}, "`amount` has 1"),
    ({"customer_id": [[1, 2, 3]], "timestamp": DAYS}, "`customer_id` must be one-dim"),
    (
        {"customer_id": [1, 2, 3], "timestamp": [0.0, np.nan, 2.0]},
        r"`timestamp` must be finite .*1 of 3 .*index 1",
    ),
    (
        {
            "customer_id": [1, 2, 3],
            "timestamp": np.array(["2024-01-01", "NaT", "NaT"], dtype="datetime64[D]"),
        },
        r"`timestamp` must not be missing \(NaT\); 2 of 3 .*index 1",
    ),
    (
        {"customer_id": np.array([1, None, 3], dtype=object), "timestamp": DAYS},
        r"`customer_id` must not be missing; 1 of 3 .*index 1",
    ),
    (
        {"customer_id": [1.0, np.nan, 3.0], "timestamp": DAYS},
        r"`customer_id` must not be missing",
    ),
    (
        {"customer_id": [1, 2, 3], "timestamp": DAYS, "amount": [1.0, np.inf, 2.0]},
        r"`amount` must be finite",
    ),
    (
        {"customer_id": [1, 2, 3], "timestamp": DAYS, "observation_end": "2024-01-05"},
        r"`timestamp` must be <= `observation_end` .*1 of 3 .*index 2",
    ),
    (
        {"customer_id": [1, 2, 3], "timestamp": [1.0, 2.0, 3.0], "observation_end": 2},
        r"`timestamp` must be <= `observation_end`",
    ),
    (
        {"customer_id": [1, 2, 3], "timestamp": DAYS, "time_unit": "month"},
        r"`time_unit` must be one of",
    ),
    (
        {
            "customer_id": [1, 2, 3],
            "timestamp": DAYS,
            "time_unit": np.timedelta64(1, "M"),
        },
        r"`time_unit` must be a fixed, positive duration",
    ),
    (
        {
            "customer_id": [1, 2, 3],
            "timestamp": DAYS,
            "time_unit": np.timedelta64(-2, "D"),
        },
        r"`time_unit` must be a positive duration",
    ),
    (
        {"customer_id": [1, 2, 3], "timestamp": DAYS, "merge": "fortnight"},
        r"`merge` must be one of",
    ),
    (
        {"customer_id": [1, 2, 3], "timestamp": [1.0, 2.0, 3.0], "merge": "day"},
        r"`merge` must be 'exact' for numeric timestamps",
    ),
    (
        {"customer_id": [1, 2, 3], "timestamp": DAYS, "observation_end": "soon"},
        r"`observation_end` must be a date",
    ),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_INPUTS)
def test_bad_input_raises_value_error_naming_the_argument(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        rfm_summary(**kwargs)


BAD_TYPES: list[tuple[dict[str, Any], str]] = [
    ({"customer_id": [1, 2], "timestamp": ["2024-01-01", "x"]}, "`timestamp` must be"),
    (
        {"customer_id": np.array([1, "a"], dtype=object), "timestamp": [1.0, 2.0]},
        "`customer_id` must hold values of one comparable type",
    ),
    (
        {"customer_id": [1, 2], "timestamp": [1.0, 2.0], "time_unit": "day"},
        "`time_unit` applies to datetime64 timestamps only",
    ),
    (
        {"customer_id": [1, 2], "timestamp": [1.0, 2.0], "observation_end": "2024"},
        "`observation_end` must be a number",
    ),
    (
        {"customer_id": [1, 2], "timestamp": [1.0, 2.0], "amount": ["a", "b"]},
        "`amount` must contain real numbers",
    ),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_TYPES)
def test_bad_types_raise_type_error_naming_the_argument(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        rfm_summary(**kwargs)


def test_calibration_end_must_not_follow_observation_end() -> None:
    with pytest.raises(
        ValueError, match="`calibration_end` must be <= `observation_end`"
    ):
        calibration_holdout_summary(
            [1, 1], DAYS[:2], calibration_end="2024-02-01", observation_end="2024-01-05"
        )


def test_calibration_end_before_every_purchase_is_an_error() -> None:
    with pytest.raises(ValueError, match="`calibration_end` must come on or after"):
        calibration_holdout_summary([1, 1], DAYS[:2], calibration_end="2023-06-01")


def test_calibration_without_amounts_has_no_monetary_columns() -> None:
    split = calibration_holdout_summary([1, 1, 2], DAYS, calibration_end="2024-01-05")
    assert split.holdout_monetary_value is None
    assert split.calibration.monetary_value is None
    assert split.to_dict()["holdout_monetary_value"] is None
    assert_array_equal(split.born_in_holdout, [2])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"frequency": [1, 0], "recency": [5.0, 0.0], "T": [4.0, 3.0]},
            r"`recency` must be <= `T` for every customer; 1 of 2 .*index 0: "
            r"recency=5.0, T=4.0",
        ),
        (
            {"frequency": [0], "recency": [2.0], "T": [4.0]},
            "`recency` must be 0 for every customer with `frequency` 0",
        ),
        (
            {"frequency": [1.5], "recency": [2.0], "T": [4.0]},
            "`frequency` must be whole",
        ),
        ({"frequency": [-1], "recency": [0.0], "T": [4.0]}, "`frequency` must be >= 0"),
        ({"frequency": [1, 2], "recency": [1.0], "T": [4.0]}, "same length"),
        (
            {"frequency": [1], "recency": [1.0], "T": [4.0], "monetary_value": [1, 2]},
            "`monetary_value` has 2",
        ),
    ],
)
def test_customer_summary_checks_its_invariants(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CustomerSummary(**kwargs)
