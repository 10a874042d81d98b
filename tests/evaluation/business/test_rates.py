"""Retention, churn, rate conversion, expected lifetime, repeat purchase rate."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.evaluation import (
    churn_rate,
    convert_rate,
    expected_lifetime,
    repeat_purchase_rate,
    retention_rate,
)

# --- hand-worked values ------------------------------------------------------


def test_retention_and_churn_by_hand() -> None:
    # S = 200 at the start, E = 230 at the end, N = 50 new: 180 of 200 kept.
    # (E - N)/S = 180/200 = 0.9; churn = 20/200 = 0.1.
    assert retention_rate(200, 230, 50) == 0.9
    assert churn_rate(200, 230, 50) == 0.1


def test_retention_extremes() -> None:
    # Everybody left and nobody joined: (0 - 0)/10 = 0; nobody left: 10/10 = 1.
    assert retention_rate(10, 0, 0) == 0.0
    assert churn_rate(10, 0, 0) == 1.0
    assert retention_rate(10, 13, 3) == 1.0
    assert churn_rate(10, 13, 3) == 0.0


def test_convert_rate_compounds_by_hand() -> None:
    # 5% monthly churn: survive 12 months with probability 0.95^12.
    # 0.95^2 = 0.9025, ^4 = 0.81450625, ^8 = 0.663420431..., ^12 = ^8 * ^4
    # = 0.5403600876626..., so annual churn = 0.4596399123...
    assert convert_rate(0.05, kind="churn", length_ratio=12) == pytest.approx(
        1 - 0.81450625 * 0.81450625**2, rel=1e-12
    )
    assert convert_rate(0.05, kind="churn", length_ratio=12) != pytest.approx(0.6)
    # 90% monthly retention over a quarter: 0.9^3 = 0.729.
    assert convert_rate(0.9, kind="retention", length_ratio=3) == pytest.approx(0.729)
    # 10% a year is 1.1^(1/12) - 1 a month; 12 such months give back 10%.
    monthly = convert_rate(0.1, kind="discount", length_ratio=1 / 12)
    assert (1 + monthly) ** 12 == pytest.approx(1.1, rel=1e-14)
    # length_ratio = 1 changes nothing.
    assert convert_rate(0.37, kind="churn", length_ratio=1) == pytest.approx(0.37)


def test_expected_lifetime_by_hand() -> None:
    # Geometric lifetime on {1, 2, ...} with churn c has mean 1/c:
    # c = 0.25 -> 4 periods; c = 1 -> everybody leaves after the first period.
    assert expected_lifetime(0.25) == 4.0
    assert expected_lifetime(1.0) == 1.0


def test_expected_lifetime_matches_the_geometric_series() -> None:
    # E[T] = sum_t t c (1-c)^(t-1), summed far enough that the tail is < 1e-12.
    c = 0.3
    t = np.arange(1, 200)
    assert float(np.sum(t * c * (1 - c) ** (t - 1))) == pytest.approx(
        expected_lifetime(c), rel=1e-12
    )


def test_repeat_purchase_rate_by_hand() -> None:
    # 3 of 4 customers have at least one repeat purchase.
    assert repeat_purchase_rate([1, 0, 5, 2]) == 0.75
    assert repeat_purchase_rate(np.array([0, 0])) == 0.0


def test_repeat_purchase_rate_on_cdnow_calibration() -> None:
    # Fader, Hardie & Lee (2005): of the 2,357 CDNOW customers, 1,411 made no
    # repeat purchase in the 39 calibration weeks (docs/tutorials/fhl2005.md),
    # so 946 did: 946 / 2357.
    from custvalue.datasets import load_cdnow_summary

    summary = load_cdnow_summary()
    assert repeat_purchase_rate(summary.frequency) == pytest.approx(946 / 2357)


# --- properties --------------------------------------------------------------

counts = st.integers(min_value=0, max_value=10**6)


@given(start=st.integers(1, 10**6), kept=counts, new=counts)
def test_retention_plus_churn_is_one(start: int, kept: int, new: int) -> None:
    kept = min(kept, start)
    r = retention_rate(start, kept + new, new)
    c = churn_rate(start, kept + new, new)
    assert 0.0 <= r <= 1.0
    assert r + c == pytest.approx(1.0, abs=1e-15)


rates = st.floats(0.0, 1.0)
ratios = st.floats(1e-3, 1e3)


@given(rate=rates, ratio=ratios)
def test_churn_and_retention_conversions_agree(rate: float, ratio: float) -> None:
    churn = convert_rate(rate, kind="churn", length_ratio=ratio)
    retention = convert_rate(1 - rate, kind="retention", length_ratio=ratio)
    assert 0.0 <= churn <= 1.0
    assert churn == pytest.approx(1 - retention, abs=1e-12)


@given(rate=st.floats(0.0, 0.9), ratio=st.floats(0.1, 10.0))
def test_conversion_round_trips(rate: float, ratio: float) -> None:
    # Bounded so that the converted rate stays inside (0, 1) in floating
    # point (0.5 ** 54 would round 1 - it to exactly 1 and lose the rate).
    # Worst case here: churn 0.9 over 10 periods is 1 - 1e-10, stored with a
    # relative error of 1e-16 / 1e-10 = 1e-6 in 0.1 ** 10, which the tenth
    # root shrinks to 1e-7: hence rel=1e-6.
    for kind in ("retention", "churn", "discount"):
        there = convert_rate(rate, kind=kind, length_ratio=ratio)
        back = convert_rate(there, kind=kind, length_ratio=1 / ratio)
        assert back == pytest.approx(rate, rel=1e-6, abs=1e-12)


@given(rate=st.floats(1e-6, 0.999), ratio=st.floats(1.0, 100.0))
def test_longer_periods_mean_more_churn(rate: float, ratio: float) -> None:
    assert convert_rate(rate, kind="churn", length_ratio=ratio) >= rate * (1 - 1e-12)


@given(st.lists(st.integers(0, 50), min_size=1, max_size=50))
def test_repeat_rate_is_order_invariant_share(frequency: list[int]) -> None:
    rate = repeat_purchase_rate(frequency)
    assert rate == repeat_purchase_rate(frequency[::-1])
    assert rate * len(frequency) == pytest.approx(sum(f > 0 for f in frequency))


# --- undefined cases and bad input -------------------------------------------


def test_zero_customers_at_start_is_undefined() -> None:
    for function in (retention_rate, churn_rate):
        with pytest.raises(ValueError, match="nobody who could be retained"):
            function(0, 5, 5)


@pytest.mark.parametrize(
    ("start", "end", "new", "match"),
    [
        (10, 5, 6, "must be >= `new_customers`"),
        (10, 25, 5, "must be <= `customers_at_start`"),
        (10.5, 5, 1, "whole number"),
        (-1, 5, 1, "must be >= 0"),
        (10, math.nan, 1, "finite"),
    ],
)
def test_inconsistent_counts(start: float, end: float, new: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        retention_rate(start, end, new)


def test_count_types() -> None:
    with pytest.raises(TypeError, match="real number"):
        retention_rate("10", 5, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="real number"):
        churn_rate(True, 1, 0)


def test_convert_rate_bad_input() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        convert_rate(5.0, kind="churn", length_ratio=12)
    with pytest.raises(ValueError, match="`length_ratio` must be > 0"):
        convert_rate(0.05, kind="churn", length_ratio=0)
    with pytest.raises(ValueError, match="`kind` must be one of"):
        convert_rate(0.05, kind="monthly", length_ratio=12)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=">= 0"):
        convert_rate(-0.1, kind="discount", length_ratio=12)


def test_expected_lifetime_with_zero_churn_is_undefined() -> None:
    with pytest.raises(ValueError, match="infinite expected lifetime"):
        expected_lifetime(0.0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        expected_lifetime(20.0)


def test_repeat_purchase_rate_bad_input() -> None:
    with pytest.raises(ValueError, match="undefined"):
        repeat_purchase_rate([])
    with pytest.raises(ValueError, match="whole numbers"):
        repeat_purchase_rate([1.5, 2])
    with pytest.raises(ValueError, match=">= 0"):
        repeat_purchase_rate([-1, 2])
