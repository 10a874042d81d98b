"""Timestamps as users hold them, and the counts of merged and duplicate rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from custvalue.clv import CustomerSummary, calibration_holdout_summary, rfm_summary


def test_iso_strings_give_the_datetime64_summary() -> None:
    days = ["2024-01-01", "2024-01-08T10:30", "2024-01-02"]
    parsed = np.array(days, dtype="datetime64[m]")
    from_text = rfm_summary([1, 1, 2], days, [1.0, 2.0, 3.0])
    assert from_text == rfm_summary([1, 1, 2], parsed, [1.0, 2.0, 3.0])
    objects = np.array(
        [dt.date(2024, 1, 1), dt.datetime(2024, 1, 8, 10, 30), dt.date(2024, 1, 2)],
        dtype=object,
    )
    assert_array_equal(rfm_summary([1, 1, 2], objects).recency, [7.0, 0.0])


@pytest.mark.parametrize("text", ["20240101", "2024-01-01T00:00Z", "2024-01-01+01:00"])
def test_non_iso_or_zoned_strings_are_refused(text: str) -> None:
    with pytest.raises(TypeError, match="ISO 8601") as info:
        rfm_summary([1, 2], ["2024-01-01", text])
    assert "index 1" in str(info.value)


def test_yyyymmdd_integers_are_refused_with_how_to_parse_them() -> None:
    dates = np.array([19970101, 19970131, 19970201])
    with pytest.raises(TypeError, match="YYYYMMDD") as info:
        rfm_summary([1, 1, 2], dates)
    assert "format='%Y%m%d'" in str(info.value)
    assert "timestamps_are_periods=True" in str(info.value)
    with pytest.raises(TypeError, match="YYYYMMDD"):
        calibration_holdout_summary([1, 1, 2], dates, calibration_end=19970131)
    plain = rfm_summary([1, 1, 2], dates, timestamps_are_periods=True)
    assert_array_equal(plain.recency, [30.0, 0.0])


@pytest.mark.parametrize(
    "values",
    [
        [19970101, 19970230],  # no 30 February
        [19970101, 19971301],  # no month 13
        [18991231, 19970101],  # before 1900
        [1, 2, 3],
        [19960229.0, 19970101.0],  # floats are numbers
    ],
)
def test_numbers_that_are_not_all_dates_are_accepted(values: list[float]) -> None:
    summary = rfm_summary([1] * len(values), values)
    assert summary.frequency[0] == len(values) - 1


def test_leap_days_count_as_dates() -> None:
    with pytest.raises(TypeError, match="YYYYMMDD"):
        rfm_summary([1, 1], [20000229, 20240229])
    # 1900 was not a leap year
    assert rfm_summary([1, 1], [19000229, 19000301]).frequency[0] == 1


def test_counts_of_merged_and_duplicate_rows() -> None:
    ids = [1, 1, 1, 1, 2, 2]
    when = np.array(
        [
            "2024-01-01T09:00",
            "2024-01-01T09:00",  # exact duplicate of the row above
            "2024-01-01T17:00",  # same day, other time: merged, not a duplicate
            "2024-01-05T09:00",
            "2024-01-02T09:00",
            "2024-01-02T09:00",  # same time, other amount: merged only
        ],
        dtype="datetime64[m]",
    )
    amounts = [5.0, 5.0, 5.0, 1.0, 2.0, 3.0]
    summary = rfm_summary(ids, when, amounts)
    assert (summary.n_transactions, summary.n_merged, summary.n_exact_duplicates) == (
        6,
        3,
        1,
    )
    without_amounts = rfm_summary(ids, when)
    assert without_amounts.n_exact_duplicates == 2
    exact = rfm_summary(ids, when, amounts, merge="exact")
    assert (exact.n_merged, exact.n_exact_duplicates) == (2, 1)


def test_calibration_counts_cover_the_calibration_period() -> None:
    split = calibration_holdout_summary(
        [1, 1, 1, 1],
        [0.0, 0.0, 1.0, 5.0],
        [2.0, 2.0, 1.0, 1.0],
        calibration_end=2.0,
    )
    calibration = split.calibration
    assert (calibration.n_transactions, calibration.n_merged) == (3, 1)
    assert calibration.n_exact_duplicates == 1


def test_hand_built_summaries_have_no_counts_and_counts_are_checked() -> None:
    summary = CustomerSummary(frequency=[1], recency=[1.0], T=[2.0])
    assert summary.n_transactions is None
    assert CustomerSummary.from_dict(summary.to_dict()) == summary
    with pytest.raises(ValueError, match="must be >= 0"):
        CustomerSummary(frequency=[1], recency=[1.0], T=[2.0], n_merged=-1)
    with pytest.raises(TypeError, match="non-negative int"):
        CustomerSummary(frequency=[1], recency=[1.0], T=[2.0], n_merged=1.5)
