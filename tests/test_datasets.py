"""The bundled data match the files kept in tests/data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.testing import assert_array_equal

from custvalue.datasets import (
    load_cdnow_summary,
    load_cdnow_transactions,
    load_donations,
)


def test_cdnow_transactions_match_the_source_file(data_dir: Path) -> None:
    raw = np.loadtxt(data_dir / "CDNOW_sample.txt")
    log = load_cdnow_transactions()
    assert log.n_transactions == raw.shape[0] == 6919
    assert_array_equal(log.customer_id, raw[:, 1].astype(np.int64))
    assert_array_equal(log.quantity, raw[:, 3].astype(np.int64))
    assert_array_equal(log.amount, raw[:, 4])
    dates = log.timestamp.astype(object)
    as_int = np.array([d.year * 10000 + d.month * 100 + d.day for d in dates])
    assert_array_equal(as_int, raw[:, 2].astype(np.int64))
    assert set(log.to_dict()) == {"customer_id", "timestamp", "amount", "quantity"}


def test_cdnow_summary_matches_the_published_file(data_dir: Path) -> None:
    raw = np.loadtxt(
        data_dir / "cdnow_customers_summary_with_transactions.csv",
        delimiter=",",
        skiprows=1,
    )
    summary = load_cdnow_summary()
    assert summary.n_customers == 2357
    assert_array_equal(summary.frequency, raw[:, 1])
    assert_array_equal(summary.recency, raw[:, 2])
    assert_array_equal(summary.T, raw[:, 3])
    assert_array_equal(summary.monetary_value, raw[:, 4])
    assert summary.time_unit == np.timedelta64(7, "D")
    assert summary.observation_end == np.datetime64("1997-09-30")


def test_donations_patterns() -> None:
    # Fader, Hardie & Shang (2010): 11,104 donors, 6 opportunities, 22 patterns.
    donations = load_donations()
    assert donations.n_customers == 11104
    assert donations.frequency.size == 22
    assert np.all(donations.n_opportunities == 6)
    assert np.all(donations.frequency <= donations.recency)
