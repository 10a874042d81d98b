"""Calendar and numeric periods for the cohort matrix (internal).

Timestamps become integer period indices; a period index becomes the start of
its period. Weeks start on Mondays, quarters in January, April, July and
October.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    IntArray,
    as_float_array,
    as_vector,
    check_all,
    check_scalar,
)

__all__ = ["CohortPeriod", "PeriodGrid", "period_grid"]

CohortPeriod: TypeAlias = Literal["day", "week", "month", "quarter", "year"]
"""Calendar periods of :func:`cohort_retention` for datetime64 timestamps."""

_CALENDAR = ("day", "week", "month", "quarter", "year")
# 1970-01-05 (day 4 of the epoch) is a Monday.
_EPOCH_MONDAY = 4
#: Most periods a numeric grid may span: a cohort table has one column per
#: period, so more is a unit mistake rather than an analysis (and would not
#: fit in memory).
MAX_PERIODS = 1_000_000


class PeriodGrid:
    """Maps times to period indices and period indices to period starts."""

    def __init__(
        self,
        period: str | float,
        origin: float,
        index_of: Any,
        start_of: Any,
        complete_until: int,
        end: Any,
    ) -> None:
        self.period = period
        self.origin = origin
        self.index_of = index_of  # times -> int64 period indices
        self.start_of = start_of  # int64 period indices -> period starts
        self.complete_until = complete_until  # last fully observed period index
        self.end = end  # observation end, converted (datetime64 or float)


def _calendar_index(ts: npt.NDArray[Any], period: str) -> IntArray:
    if period == "day":
        return ts.astype("datetime64[D]").astype(np.int64)
    if period == "week":
        days = ts.astype("datetime64[D]").astype(np.int64)
        return (days - _EPOCH_MONDAY) // 7
    months = ts.astype("datetime64[M]").astype(np.int64)
    if period == "month":
        return months
    if period == "quarter":
        return months // 3
    return ts.astype("datetime64[Y]").astype(np.int64)


def _calendar_start(index: IntArray, period: str) -> npt.NDArray[Any]:
    if period == "day":
        return index.astype("datetime64[D]")
    if period == "week":
        return (index * 7 + _EPOCH_MONDAY).astype("datetime64[D]")
    if period == "month":
        return index.astype("datetime64[M]").astype("datetime64[D]")
    if period == "quarter":
        return (index * 3).astype("datetime64[M]").astype("datetime64[D]")
    return index.astype("datetime64[Y]").astype("datetime64[D]")


def _datetime_end(value: Any) -> np.datetime64:
    if isinstance(value, np.datetime64):
        end = value
    elif isinstance(value, str | _dt.date):
        try:
            end = np.datetime64(value)
        except ValueError as exc:
            msg = (
                f"`observation_end` must be a date or datetime; got {value!r} ({exc})."
            )
            raise ValueError(msg) from None
    elif hasattr(value, "to_datetime64"):  # pandas.Timestamp, without pandas
        end = value.to_datetime64()
    else:
        msg = (
            "`observation_end` must be a numpy.datetime64, datetime.date or ISO "
            f"string when timestamps are datetimes; got {value!r}."
        )
        raise TypeError(msg)
    if np.isnat(end):
        msg = f"`observation_end` must be a date or datetime, not NaT; got {value!r}."
        raise ValueError(msg)
    return end


def _timestamps(timestamp: npt.ArrayLike) -> npt.NDArray[Any]:
    ts: npt.NDArray[Any] = as_vector(timestamp, "timestamp")
    if ts.dtype.kind == "M":
        check_all(
            ~np.isnat(ts),
            "`timestamp` must not be missing (NaT)",
            {"timestamp": ts},
            "Drop or impute transactions without a date first.",
        )
        return ts
    if ts.dtype.kind in "iuf" and ts.dtype != np.bool_:
        return as_float_array(ts, "timestamp")
    msg = (
        "`timestamp` must be numpy datetime64 values or plain numbers; got dtype "
        f"{ts.dtype}. Parse strings with numpy.asarray(values, "
        "dtype='datetime64[s]')."
    )
    raise TypeError(msg)


def period_grid(
    timestamp: npt.ArrayLike,
    *,
    period: str | float,
    observation_end: Any,
    origin: float | None,
) -> tuple[npt.NDArray[Any], PeriodGrid]:
    """Check the timestamps and the period options; return both, converted.

    ``observation_end`` is inclusive: a datetime end covers the whole of its
    own unit (``'1998-06-30'`` covers that day), a numeric end is an
    instant. A period counts as complete when it ends at or before the end
    of observation. Raises ``TypeError``/``ValueError`` with the house
    template for bad input, including transactions after the end.
    """
    ts = _timestamps(timestamp)
    if ts.dtype.kind == "M":
        if not isinstance(period, str) or period not in _CALENDAR:
            msg = (
                f"`period` must be one of {list(_CALENDAR)} for datetime64 "
                f"timestamps; got {period!r}."
            )
            raise (TypeError if not isinstance(period, str) else ValueError)(msg)
        if origin is not None:
            msg = (
                "`origin` applies to numeric timestamps only; calendar periods "
                f"start on their calendar boundaries. Got origin={origin!r}."
            )
            raise TypeError(msg)
        end = _datetime_end(observation_end)
        # Exclusive end: one unit of the end's own resolution later.
        unit = np.datetime_data(end.dtype)[0]
        end_exclusive = end + np.array(1, dtype=np.int64).astype(f"timedelta64[{unit}]")
        check_all(
            ts < end_exclusive,
            "`timestamp` must be <= `observation_end` for every transaction",
            {"timestamp": ts},
            f"observation_end is {end}; move it later or filter the log explicitly.",
        )
        name = str(period)
        last_complete = int(_calendar_index(np.array([end_exclusive]), name)[0]) - 1

        def index_of(values: npt.NDArray[Any]) -> IntArray:
            return _calendar_index(values, name)

        def start_of(index: IntArray) -> npt.NDArray[Any]:
            return _calendar_start(index, name)

        return ts, PeriodGrid(name, 0.0, index_of, start_of, last_complete, end)

    if isinstance(period, str):
        msg = (
            "`period` must be a positive number (the length of one period in "
            f"the timestamps' unit) for numeric timestamps; got {period!r}. "
            "Calendar periods need datetime64 timestamps."
        )
        raise TypeError(msg)
    length = check_scalar(period, "period", positive=True)
    start = 0.0 if origin is None else check_scalar(origin, "origin")
    end_value = check_scalar(observation_end, "observation_end")
    check_all(
        ts <= end_value,
        "`timestamp` must be <= `observation_end` for every transaction",
        {"timestamp": ts},
        f"observation_end is {end_value}; move it later or filter the log explicitly.",
    )
    # Period j = [origin + j L, origin + (j+1) L) is complete iff its end <= end.
    # floor((end - origin) / L) can be one off when L is not exact in binary
    # (origin = 1, L = 0.1, end = 1.2: (end - origin) / L = 1.9999999999999996
    # although origin + 2 L == 1.2), so step it until the boundary test, with
    # the boundaries computed as everywhere else, holds.
    span = (end_value - start) / length
    first_value = float(ts.min()) if ts.size else end_value
    if max(span, (end_value - first_value) / length) > MAX_PERIODS:
        msg = (
            f"`period` must divide the observation window into at most "
            f"{MAX_PERIODS:,} periods; got period={period!r}, which gives "
            f"{max(span, (end_value - first_value) / length):.3g}. Use a longer "
            "period or check that timestamps and period share a unit."
        )
        raise ValueError(msg)
    last_complete = math.floor(span) - 1
    if start + float(last_complete + 1) * length > end_value:
        last_complete -= 1
    elif start + float(last_complete + 2) * length <= end_value:
        last_complete += 1

    def start_numeric(index: IntArray) -> npt.NDArray[Any]:
        return start + index.astype(np.float64) * length

    def index_numeric(values: npt.NDArray[Any]) -> IntArray:
        # The index j with start_numeric(j) <= t < start_numeric(j + 1), the
        # boundaries reported as cohort starts. The floor of (t - origin) / L
        # is within one of it but rounds differently at boundaries (origin
        # = 0, L = 0.1: 4.3 / 0.1 = 42.99999999999999 although 43 * 0.1 ==
        # 4.3), so correct it by one either way against the boundaries.
        index = np.floor((values - start) / length).astype(np.int64)
        index -= values < start_numeric(index)
        index += values >= start_numeric(index + 1)
        return index

    return ts, PeriodGrid(
        length, start, index_numeric, start_numeric, last_complete, end_value
    )
