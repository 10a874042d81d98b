"""Cohort retention matrix: hand-built logs, a brute-force oracle, properties."""

from __future__ import annotations

import datetime as dt
import math
import pickle
from collections import defaultdict

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from custvalue.evaluation import CohortRetention, cohort_retention

NAN = math.nan

# --- hand-built logs ---------------------------------------------------------


def test_monthly_cohorts_by_hand() -> None:
    # a: Jan, Mar; b: Jan, Feb; c: Feb. Observed to the end of March.
    # January cohort {a, b}: k=0 both; k=1 (Feb) b; k=2 (Mar) a.
    # At or after: k=1 a (last Mar) and b (last Feb); k=2 a only.
    # February cohort {c}: k=0; k=1 (Mar) nobody; k=2 (Apr) not observed.
    days = np.array(
        ["2024-01-05", "2024-01-20", "2024-03-02", "2024-02-10", "2024-02-11"],
        dtype="datetime64[D]",
    )
    result = cohort_retention(
        ["a", "b", "a", "c", "b"], days, period="month", observation_end="2024-03-31"
    )
    assert_array_equal(
        result.cohort_start, np.array(["2024-01-01", "2024-02-01"], "datetime64[D]")
    )
    assert_array_equal(result.cohort_size, [2, 1])
    assert_array_equal(result.periods_since_acquisition, [0, 1, 2])
    assert_array_equal(result.active_share, [[1, 0.5, 0.5], [1, 0, NAN]])
    assert_array_equal(result.active_at_or_after_share, [[1, 1, 0.5], [1, 0, NAN]])
    assert_array_equal(result.observable, [[True, True, True], [True, True, False]])
    assert result.observation_end == np.datetime64("2024-03-31")


@pytest.mark.parametrize(
    ("end", "march_observed"),
    [
        ("2024-03-30", False),  # March not over
        ("2024-03-31", True),  # a day-resolution end covers the whole day
        (np.datetime64("2024-03-31T12:00"), False),  # half a day is missing
        (np.datetime64("2024-03-31T23:59:59"), True),  # the last second counts
        (dt.date(2024, 3, 31), True),
    ],
)
def test_a_period_is_observable_only_once_it_has_ended(
    end: object, march_observed: bool
) -> None:
    days = np.array(["2024-01-05", "2024-03-02"], dtype="datetime64[D]")
    result = cohort_retention(["a", "a"], days, period="month", observation_end=end)
    # Columns run to the last period that ended: March only once it is over.
    if march_observed:
        assert_array_equal(result.active_share, [[1.0, 0.0, 1.0]])
    else:
        assert_array_equal(result.active_share, [[1.0, 0.0]])
    # At or after February: the March purchase counts as soon as it is seen.
    assert_array_equal(result.active_at_or_after_share[0, :2], [1.0, 1.0])


def test_weeks_start_on_monday() -> None:
    # 2024-01-01 is a Monday. a buys Wed 3 Jan and Mon 8 Jan; b buys Sun 7 Jan
    # (same week as 1 Jan). Observed to Sun 14 Jan: two complete weeks.
    days = np.array(["2024-01-03", "2024-01-08", "2024-01-07"], dtype="datetime64[D]")
    result = cohort_retention(
        ["a", "a", "b"], days, period="week", observation_end="2024-01-14"
    )
    assert_array_equal(result.cohort_start, np.array(["2024-01-01"], "datetime64[D]"))
    assert_array_equal(result.cohort_size, [2])
    assert_array_equal(result.active_share, [[1.0, 0.5]])


def test_quarters_years_and_days() -> None:
    stamps = np.array(["2023-11-20", "2024-02-01", "2024-05-01"], "datetime64[D]")
    ids = ["a", "a", "b"]
    quarters = cohort_retention(
        ids, stamps, period="quarter", observation_end="2024-06-30"
    )
    # Q4 2023 {a}, Q2 2024 {b}; a active in Q1 2024 (k=1), not in Q2 (k=2).
    assert_array_equal(
        quarters.cohort_start, np.array(["2023-10-01", "2024-04-01"], "datetime64[D]")
    )
    assert_array_equal(quarters.active_share, [[1, 1, 0], [1, NAN, NAN]])
    years = cohort_retention(ids, stamps, period="year", observation_end="2024-12-31")
    assert_array_equal(
        years.cohort_start, np.array(["2023-01-01", "2024-01-01"], "datetime64[D]")
    )
    assert_array_equal(years.active_share, [[1, 1], [1, NAN]])
    days = cohort_retention(
        ["a", "a"],
        np.array(["2024-01-01T23:00", "2024-01-03T01:00"], "datetime64[m]"),
        period="day",
        observation_end="2024-01-03",
    )
    assert_array_equal(days.active_share, [[1, 0, 1]])


def test_numeric_periods_with_origin() -> None:
    # Periods of length 2 starting at 1: [1, 3), [3, 5), [5, 7). End 7.
    # a at 1.5 and 5.0 (periods 0, 2); b at 3.0 (period 1).
    result = cohort_retention(
        [10, 20, 10], [1.5, 3.0, 5.0], period=2, origin=1, observation_end=7
    )
    assert_array_equal(result.cohort_start, [1.0, 3.0])
    assert_array_equal(result.active_share, [[1, 0, 1], [1, 0, NAN]])
    assert_array_equal(result.active_at_or_after_share, [[1, 1, 1], [1, 0, NAN]])


def test_a_time_on_a_period_boundary_starts_that_period() -> None:
    # Period 0.1 from origin 1: 0.1 is not exact in binary. The boundary
    # 1 + 2 * 0.1 is the float 1.2, so a at 1.2 opens period 2 = [1.2, 1.3),
    # although (1.2 - 1) / 0.1 = 1.9999999999999996 floors to 1.
    assert 1.0 + 2 * 0.1 == 1.2
    result = cohort_retention(
        ["a", "a", "b"],
        [1.0, 1.2, 1.05],
        period=0.1,
        origin=1.0,
        observation_end=1.45,
    )
    assert_array_equal(result.cohort_start, [1.0])
    assert_array_equal(result.active_share, [[1, 0, 0.5, 0]])
    assert_array_equal(result.active_at_or_after_share, [[1, 0.5, 0.5, 0]])


def test_a_period_ending_at_the_observation_end_is_complete() -> None:
    # Period 1 = [1.1, 1.2) ends at 1 + 2 * 0.1 == 1.2 = observation_end, so
    # it is complete: two observable columns, not one.
    result = cohort_retention(
        ["a", "b"], [1.0, 1.05], period=0.1, origin=1.0, observation_end=1.2
    )
    assert_array_equal(result.observable, [[True, True]])
    assert_array_equal(result.active_share, [[1, 0]])


def test_a_purchase_at_each_reported_period_start_is_in_that_period() -> None:
    # One customer buying at origin + j * 0.1 for j = 0..49: each purchase
    # sits on the start of its own column. floor(t / 0.1) misplaces some
    # (43 * 0.1 == 4.3 but 4.3 / 0.1 = 42.99999999999999; 17 * 0.1 is just
    # above the float nearest 1.7).
    for origin in (0.0, 0.05, 1.0):
        times = [origin + j * 0.1 for j in range(50)]
        result = cohort_retention(
            ["a"] * 50, times, period=0.1, origin=origin, observation_end=times[-1]
        )
        assert_array_equal(result.cohort_start, [origin])
        # Column 49 starts at the observation end, so it has not ended.
        assert_array_equal(result.active_share, np.ones((1, 49)))
        # Just below each boundary is the period before.
        before = [math.nextafter(t, -math.inf) for t in times[1:]]
        result = cohort_retention(
            ["a"] * 49, before, period=0.1, origin=origin, observation_end=times[-1]
        )
        assert_array_equal(result.active_share, np.ones((1, 49)))


def test_decimal_times_follow_the_float_boundaries() -> None:
    # With origin 0 and period 0.1, 3 * 0.1 = 0.30000000000000004 > 0.3: the
    # float 0.3 lies in period 2, [0.2, 0.30000000000000004), and with the
    # end at 0.3 that period has not ended. Boundaries are origin + j * period
    # in floating point; integer time units avoid the question.
    assert 3 * 0.1 > 0.3
    result = cohort_retention(
        ["a", "a", "b"], [0.0, 0.3, 0.05], period=0.1, observation_end=0.45
    )
    assert_array_equal(result.active_share, [[1, 0, 0.5, 0]])
    result = cohort_retention(
        ["a", "a", "b"], [0.0, 0.3, 0.05], period=0.1, observation_end=0.3
    )
    assert_array_equal(result.active_share, [[1, 0]])
    # In integer units (tenths) the same log has exact boundaries.
    result = cohort_retention(
        ["a", "a", "b"], [0, 3, 0.5], period=1, observation_end=4.5
    )
    assert_array_equal(result.active_share, [[1, 0, 0, 0.5]])
    result = cohort_retention(["a", "a", "b"], [0, 3, 0.5], period=1, observation_end=3)
    assert_array_equal(result.active_share, [[1, 0, 0]])


def test_incomplete_acquisition_period_has_no_observable_cell() -> None:
    # c joins in the last, unfinished period: its row is all NaN (the cohort
    # itself is still growing), and it is reported, not dropped.
    result = cohort_retention(["a", "c"], [0.2, 2.5], period=1.0, observation_end=2.7)
    assert_array_equal(result.cohort_size, [1, 1])
    assert np.isnan(result.active_share[1]).all()
    assert not result.observable[1].any()


def test_pooled_curves_by_hand() -> None:
    # Cohort 0: 4 customers, 2 active at k=1; cohort 1: 1 customer, active at
    # k=1. Pooled k=1: (2 + 1)/(4 + 1) = 0.6; k=2 only cohort 0 is observable.
    ids = ["a", "b", "c", "d", "a", "b", "e", "e", "a"]
    t = [0.1, 0.2, 0.3, 0.4, 1.1, 1.2, 1.5, 2.5, 2.6]
    result = cohort_retention(ids, t, period=1.0, observation_end=3.0)
    assert_array_equal(result.cohort_size, [4, 1])
    assert_array_equal(result.active_share, [[1, 0.5, 0.25], [1, 1, NAN]])
    assert_array_equal(result.pooled_active_share, [1, 0.6, 0.25])
    assert_array_equal(result.pooled_active_at_or_after_share, [1, 0.6, 0.25])


def test_pandas_input() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "a"],
            "when": pd.to_datetime(
                ["2024-01-05 10:00", "2024-01-20", "2024-02-03"], format="ISO8601"
            ),
        }
    )
    result = cohort_retention(
        frame["id"], frame["when"], period="month", observation_end="2024-02-29"
    )
    assert_array_equal(result.active_share, [[1.0, 0.5]])
    with pytest.raises(ValueError, match="`customer_id` must not be missing"):
        cohort_retention(
            pd.Series(["a", None, pd.NA], dtype=object),
            frame["when"],
            period="month",
            observation_end="2024-02-29",
        )


def test_result_is_frozen_plain_data() -> None:
    result = cohort_retention(["a", "b"], [0.0, 1.0], period=1.0, observation_end=2.0)
    assert not result.active_share.flags.writeable
    assert set(result.to_dict()) == {
        "cohort_start",
        "cohort_size",
        "periods_since_acquisition",
        "active_share",
        "active_at_or_after_share",
        "observable",
        "period",
        "observation_end",
    }
    assert pickle.loads(pickle.dumps(result)) == result
    assert result.n_cohorts == 2
    pd = pytest.importorskip("pandas")
    d = result.to_dict()
    table = pd.DataFrame(
        d["active_share"],
        index=d["cohort_start"],
        columns=d["periods_since_acquisition"],
    )
    assert table.shape == (2, 2)


def test_constructor_rejects_a_value_in_an_unobservable_cell() -> None:
    with pytest.raises(ValueError, match="NaN exactly where `observable` is False"):
        CohortRetention(
            cohort_start=[0.0],
            cohort_size=[1],
            periods_since_acquisition=[0, 1],
            active_share=[[1.0, 0.0]],
            active_at_or_after_share=[[1.0, NAN]],
            observable=[[True, False]],
            period=1.0,
            observation_end=1.0,
        )


def test_cdnow_monthly_cohorts() -> None:
    # The CDNOW sample: customers who first bought in Jan-Mar 1997, observed
    # to 1998-06-30 (Fader, Hardie & Lee 2005). Three cohorts, 18 months of
    # columns; the March cohort's months 16 and 17 (July, August 1998) are
    # unobservable.
    from custvalue.datasets import load_cdnow_transactions

    log = load_cdnow_transactions()
    result = cohort_retention(
        log.customer_id, log.timestamp, period="month", observation_end="1998-06-30"
    )
    assert_array_equal(
        result.cohort_start,
        np.array(["1997-01-01", "1997-02-01", "1997-03-01"], "datetime64[D]"),
    )
    assert int(result.cohort_size.sum()) == 2357
    assert result.active_share.shape == (3, 18)
    assert_array_equal(np.isnan(result.active_share).sum(axis=1), [0, 1, 2])
    assert_array_equal(result.active_share[:, 0], [1.0, 1.0, 1.0])
    # Oracle for the January cohort's month-1 share, straight from the log.
    months = log.timestamp.astype("datetime64[M]")
    first: dict[int, dt.date] = {}
    for customer, month in zip(log.customer_id.tolist(), months.tolist(), strict=True):
        first[customer] = min(first.get(customer, month), month)
    january = {c for c, m in first.items() if m == dt.date(1997, 1, 1)}
    february_buyers = {
        c
        for c, m in zip(log.customer_id.tolist(), months.tolist(), strict=True)
        if m == dt.date(1997, 2, 1) and c in january
    }
    assert result.cohort_size[0] == len(january)
    assert result.active_share[0, 1] == len(february_buyers) / len(january)


# --- consistency with a brute-force oracle ----------------------------------


def _oracle(
    ids: list[int], times: list[float], length: float, origin: float, end: float
) -> tuple[list[int], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Cohort shares by direct counting over Python sets."""
    periods: dict[int, set[int]] = defaultdict(set)
    for customer, t in zip(ids, times, strict=True):
        # Period j = [origin + j * length, origin + (j + 1) * length), with
        # the boundaries as computed in floating point: scan for it.
        guess = round((t - origin) / length)
        (j,) = [
            j
            for j in range(guess - 2, guess + 3)
            if origin + j * length <= t < origin + (j + 1) * length
        ]
        periods[customer].add(j)
    first = {c: min(p) for c, p in periods.items()}
    cohorts = sorted(set(first.values()))
    # Period j is complete when origin + (j + 1) * length <= end.
    complete = [
        j
        for j in range(min(cohorts), max(cohorts) + 1000)
        if origin + (j + 1) * length <= end
    ]
    last = max(complete) if complete else min(cohorts) - 1
    n_periods = max(last - min(cohorts) + 1, 1)
    active = np.full((len(cohorts), n_periods), NAN)
    after = np.full((len(cohorts), n_periods), NAN)
    for row, c in enumerate(cohorts):
        members = [i for i, f in first.items() if f == c]
        for k in range(n_periods):
            if c + k > last:
                continue
            active[row, k] = sum(c + k in periods[i] for i in members) / len(members)
            after[row, k] = sum(max(periods[i]) >= c + k for i in members) / len(
                members
            )
    return cohorts, active, after


logs = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 40)), min_size=1, max_size=40
)


@given(log=logs, length=st.sampled_from([1.0, 2.5, 7.0]), extra=st.integers(0, 12))
def test_matches_brute_force_counting(
    log: list[tuple[int, int]], length: float, extra: int
) -> None:
    ids = [c for c, _ in log]
    times = [t / 2 for _, t in log]
    end = max(times) + extra / 2
    result = cohort_retention(ids, times, period=length, observation_end=end)
    cohorts, active, after = _oracle(ids, times, length, 0.0, end)
    assert_array_equal(result.cohort_start, [c * length for c in cohorts])
    np.testing.assert_allclose(result.active_share, active, rtol=1e-15)
    np.testing.assert_allclose(result.active_at_or_after_share, after, rtol=1e-15)


@given(
    log=logs,
    length=st.sampled_from([0.1, 0.3, 0.7]),
    origin_tenths=st.integers(-5, 20),
    extra=st.integers(0, 12),
)
def test_matches_brute_force_counting_with_inexact_periods(
    log: list[tuple[int, int]], length: float, origin_tenths: int, extra: int
) -> None:
    # Times, origin and end are the floats nearest to decimals in tenths, so
    # many fall on or next to a boundary origin + j * length that is not
    # exact in binary.
    ids = [c for c, _ in log]
    times = [(origin_tenths + t) / 10 for _, t in log]
    origin = origin_tenths / 10
    end = (origin_tenths + max(t for _, t in log) + extra) / 10
    result = cohort_retention(
        ids, times, period=length, origin=origin, observation_end=end
    )
    cohorts, active, after = _oracle(ids, times, length, origin, end)
    assert_array_equal(result.cohort_start, [origin + c * length for c in cohorts])
    assert_array_equal(result.active_share, active)
    assert_array_equal(result.active_at_or_after_share, after)


@given(log=logs, extra=st.integers(0, 12))
def test_unobservable_cells_are_never_filled(
    log: list[tuple[int, int]], extra: int
) -> None:
    ids = [c for c, _ in log]
    times = [float(t) for _, t in log]
    result = cohort_retention(
        ids, times, period=3.0, observation_end=max(times) + extra
    )
    # A cell is observable iff the cohort's period k ended by the end:
    # (cohort_index + k + 1) * 3 <= end.
    index = np.floor(result.cohort_start / 3.0)
    k = result.periods_since_acquisition
    ended = (index[:, None] + k[None, :] + 1) * 3.0 <= max(times) + extra
    assert_array_equal(result.observable, ended)
    for share in (result.active_share, result.active_at_or_after_share):
        assert np.isnan(share[~ended]).all()
        assert not np.isnan(share[ended]).any()
        assert ((share[ended] >= 0) & (share[ended] <= 1)).all()
    a, s = result.active_share, result.active_at_or_after_share
    assert (a[ended] <= s[ended]).all()
    assert (np.diff(np.where(ended, s, -1.0), axis=1)[ended[:, 1:]] <= 0).all()
    assert (a[:, 0][ended[:, 0]] == 1.0).all()


# --- bad input ---------------------------------------------------------------


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="must be <= `observation_end`"):
        cohort_retention([1, 2], [1.0, 5.0], period=1.0, observation_end=3.0)
    with pytest.raises(TypeError, match="Calendar periods need datetime64"):
        cohort_retention([1, 2], [1.0, 2.0], period="month", observation_end=3.0)
    stamps = np.array(["2024-01-01", "2024-02-01"], "datetime64[D]")
    with pytest.raises(TypeError, match="`period` must be one of"):
        cohort_retention([1, 2], stamps, period=30.0, observation_end="2024-03-01")
    with pytest.raises(ValueError, match="`period` must be one of"):
        cohort_retention(
            [1, 2],
            stamps,
            period="fortnight",  # type: ignore[arg-type]
            observation_end="2024-03-01",
        )
    with pytest.raises(TypeError, match="`origin` applies to numeric"):
        cohort_retention(
            [1, 2], stamps, period="month", observation_end="2024-03-01", origin=1.0
        )
    with pytest.raises(ValueError, match="`period` must be > 0"):
        cohort_retention([1, 2], [1.0, 2.0], period=0.0, observation_end=3.0)
    with pytest.raises(ValueError, match="same length"):
        cohort_retention([1, 2, 3], [1.0, 2.0], period=1.0, observation_end=3.0)
    with pytest.raises(ValueError, match="`customer_id` must not be missing"):
        cohort_retention([1.0, math.nan], [1.0, 2.0], period=1.0, observation_end=3.0)
    with pytest.raises(ValueError, match="`timestamp` must not be missing"):
        cohort_retention(
            [1, 2],
            np.array(["2024-01-01", "NaT"], "datetime64[D]"),
            period="month",
            observation_end="2024-03-01",
        )
    with pytest.raises(ValueError, match="must be a date"):
        cohort_retention([1, 2], stamps, period="month", observation_end="soon")
    with pytest.raises(TypeError, match="real number"):
        cohort_retention([1, 2], [1.0, 2.0], period=1.0, observation_end="2024-03-01")
    with pytest.raises(TypeError, match="datetime64 values or plain numbers"):
        cohort_retention([1, 2], ["a", "b"], period=1.0, observation_end=3.0)
