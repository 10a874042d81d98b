"""Validation and normalization of transaction-log input.

Timestamps, ids, amounts and the two explicit choices of a summary (how
transactions merge into purchases, and the period times are measured in)
are checked and converted here, once, before the summary algorithm runs.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any, Literal, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    as_vector,
    check_all,
)

__all__ = ["MergeRule", "TimeUnit"]

MergeRule: TypeAlias = Literal[
    "exact", "second", "minute", "hour", "day", "week", "month", "year"
]
"""How one customer's transactions are merged into purchases."""

TimeUnit: TypeAlias = Literal["week", "day", "hour", "minute", "second"]
"""Named fixed-length periods accepted as ``time_unit``."""

# numpy datetime unit of each merge bucket (weeks are handled separately:
# numpy's "W" unit counts from Thursday 1970-01-01, not from a Monday).
_BUCKET_UNIT: dict[str, str] = {
    "second": "s",
    "minute": "m",
    "hour": "h",
    "day": "D",
    "week": "D",
    "month": "M",
    "year": "Y",
}
# Unit in which bucket starts are measured: months and years have no fixed
# length, so their starts are measured in days.
_MEASURE_UNIT: dict[str, str] = {
    "second": "s",
    "minute": "m",
    "hour": "h",
    "day": "D",
    "week": "D",
    "month": "D",
    "year": "D",
}
_NAMED_UNITS: dict[str, np.timedelta64] = {
    "week": np.timedelta64(7, "D"),
    "day": np.timedelta64(1, "D"),
    "hour": np.timedelta64(1, "h"),
    "minute": np.timedelta64(1, "m"),
    "second": np.timedelta64(1, "s"),
}
# 1970-01-05 (day 4 of the epoch) is a Monday; weeks start on Mondays.
_EPOCH_MONDAY = 4


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    # pandas.NA and pandas.NaT without importing pandas
    return type(value).__name__ in {"NAType", "NaTType"}


def _encode_ids(
    customer_id: npt.ArrayLike,
) -> tuple[IntArray, npt.NDArray[Any] | None, npt.NDArray[Any]]:
    """Map ids to non-negative int64 keys that sort like the ids.

    Integer ids are offset by their minimum (no sort needed); other ids go
    through :func:`numpy.unique`. Returns the keys, the unique ids when they
    were computed (else None) and the raw ids.
    """
    ids = as_vector(customer_id, "customer_id")
    if ids.dtype.kind == "f":
        missing = np.isnan(ids)
    elif ids.dtype.kind in "mM":
        missing = np.isnat(ids)
    elif ids.dtype.kind == "O":
        missing = np.frompyfunc(_is_missing, 1, 1)(ids).astype(bool)
    else:
        missing = np.zeros(ids.size, dtype=bool)
    check_all(
        ~missing,
        "`customer_id` must not be missing",
        {"customer_id": ids},
        "Drop or label transactions without a customer before summarizing.",
    )
    if ids.dtype.kind in "iu" and ids.dtype != np.uint64:
        low = int(ids.min())
        if int(ids.max()) - low < 2**62:
            return ids.astype(np.int64) - low, None, ids
    try:
        unique_ids, codes = np.unique(ids, return_inverse=True)
    except TypeError as exc:
        msg = (
            "`customer_id` must hold values of one comparable type (all numbers "
            f"or all strings); sorting them failed: {exc}. Convert the ids to "
            "str first if they are mixed."
        )
        raise TypeError(msg) from None
    return codes.astype(np.int64, copy=False).reshape(-1), unique_ids, ids


def _resolve_time_unit(time_unit: object, is_datetime: bool) -> np.timedelta64 | None:
    if not is_datetime:
        if time_unit is not None:
            msg = (
                "`time_unit` applies to datetime64 timestamps only; got "
                f"{time_unit!r} with numeric timestamps, which are already "
                "measured in periods. Leave `time_unit` at None, or rescale the "
                "numbers yourself."
            )
            raise TypeError(msg)
        return None
    if time_unit is None:
        return _NAMED_UNITS["day"]
    if isinstance(time_unit, str):
        if time_unit not in _NAMED_UNITS:
            msg = (
                f"`time_unit` must be one of {sorted(_NAMED_UNITS)} or a "
                f"numpy.timedelta64; got {time_unit!r}. Months and years have no "
                "fixed length, so they are not offered."
            )
            raise ValueError(msg)
        return _NAMED_UNITS[time_unit]
    if isinstance(time_unit, np.timedelta64):
        unit = np.datetime_data(time_unit.dtype)[0]
        if np.isnat(time_unit) or unit in {"Y", "M", "generic"}:
            msg = (
                "`time_unit` must be a fixed, positive duration such as "
                f"numpy.timedelta64(7, 'D'); got {time_unit!r}."
            )
            raise ValueError(msg)
        if not time_unit.astype(np.int64) > 0:
            msg = f"`time_unit` must be a positive duration; got {time_unit!r}."
            raise ValueError(msg)
        return time_unit
    msg = f"`time_unit` must be a str or numpy.timedelta64; got {time_unit!r}."
    raise TypeError(msg)


def _resolve_merge(merge: MergeRule | None, is_datetime: bool) -> str:
    if merge is None:
        return "day" if is_datetime else "exact"
    if merge == "exact":
        return merge
    if merge not in _BUCKET_UNIT:
        msg = f"`merge` must be one of {['exact', *_BUCKET_UNIT]}; got {merge!r}."
        raise ValueError(msg)
    if not is_datetime:
        msg = (
            f"`merge` must be 'exact' for numeric timestamps; got {merge!r}. "
            "Calendar merging needs datetime64 timestamps."
        )
        raise ValueError(msg)
    return merge


_YYYYMMDD_LOW, _YYYYMMDD_HIGH = 19000101, 21001231
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _yyyymmdd_message(n: int, example: int) -> str:
    """Explain why YYYYMMDD-like integers are refused and how to parse them."""
    return (
        "`timestamp` must be dates or plain numbers of periods; got integers "
        f"that all read as YYYYMMDD dates ({n} values, such as {example}). Used "
        "as numbers, 19970201 - 19970131 would be 70 periods, not one day. "
        "Parse them first: with pandas, "
        "pandas.to_datetime(df['date'].astype(str), format='%Y%m%d'); with "
        "polars, pl.col('date').cast(pl.String).str.to_date('%Y%m%d'); with "
        "numpy, np.array([f'{d // 10000}-{d // 100 % 100:02d}-{d % 100:02d}' "
        "for d in dates], dtype='datetime64[D]'). If they really are plain "
        "numbers, pass timestamps_are_periods=True."
    )


def _looks_like_yyyymmdd(values: npt.NDArray[Any]) -> bool:
    """Whether every integer reads as a valid YYYYMMDD date in 1900-2100."""
    if values.size == 0 or values.dtype.kind not in "iu":
        return False
    if int(values.min()) < _YYYYMMDD_LOW or int(values.max()) > _YYYYMMDD_HIGH:
        return False
    v = values.astype(np.int64)
    year, month_day = np.divmod(v, 10000)
    month, day = np.divmod(month_day, 100)
    if not ((month >= 1) & (month <= 12) & (day >= 1)).all():
        return False
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days = _DAYS_IN_MONTH[month] + ((month == 2) & leap)
    return bool((day <= days).all())


def _parse_strings(ts: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """ISO 8601 strings (or date/datetime objects) to datetime64."""
    texts = None
    if ts.dtype.kind == "O" and any(
        getattr(v, "tzinfo", None) is not None for v in ts.flat
    ):
        msg = (
            "`timestamp` must be naive (no time zone); got time-zone aware "
            "values. Convert them first, e.g. with .dt.tz_convert(None) in pandas."
        )
        raise TypeError(msg)
    if ts.dtype.kind == "U" or all(isinstance(v, str) for v in ts.flat):
        texts = ts.astype(str)
        # ISO dates have '-' at offsets 4 and 7; a later '-', '+' or 'Z' is a
        # time zone offset, which numpy would apply with only a warning.
        dash = np.strings.find(texts, "-")
        zone = (
            (np.strings.rfind(texts, "-") > 7)
            | (np.strings.find(texts, "+") >= 0)
            | np.strings.endswith(texts, "Z")
        )
        bad = (dash != 4) | zone
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            msg = (
                "`timestamp` must be ISO 8601 strings (dates or datetimes "
                "without a time zone, such as '2024-01-31' or '2024-01-31T09:30'); "
                f"{int(bad.sum())} of {ts.size} are not (first at index {first}: "
                f"{str(texts[first])!r}). Parse other formats yourself, e.g. "
                "pandas.to_datetime(values, format=...), and convert time zones "
                "to naive UTC first."
            )
            raise TypeError(msg)
    try:
        parsed: npt.NDArray[Any] = (ts if texts is None else texts).astype("datetime64")
    except (ValueError, TypeError) as exc:
        msg = (
            "`timestamp` must be numpy datetime64 values, ISO 8601 strings, "
            "datetime.date/datetime objects or plain numbers measured in "
            f"periods; parsing failed: {exc}. Parse them yourself, e.g. with "
            "pandas.to_datetime(values, format=...)."
        )
        raise TypeError(msg) from None
    return parsed


def _as_timestamps(
    timestamp: npt.ArrayLike, timestamps_are_periods: bool = False
) -> npt.NDArray[Any]:
    ts: npt.NDArray[Any] = as_vector(timestamp, "timestamp")
    if ts.dtype.kind in "UO":
        ts = _parse_strings(ts)
    if ts.dtype.kind == "M":
        check_all(
            ~np.isnat(ts),
            "`timestamp` must not be missing (NaT)",
            {"timestamp": ts},
            "Drop or impute transactions without a date before summarizing.",
        )
        return ts
    if ts.dtype.kind in "iuf" and ts.dtype != np.bool_:
        if not timestamps_are_periods and _looks_like_yyyymmdd(ts):
            raise TypeError(_yyyymmdd_message(ts.size, int(ts[0])))
        return as_float_array(
            ts,
            "timestamp",
            suggestion="Drop or impute transactions without a time before summarizing.",
        )
    msg = (
        "`timestamp` must be numpy datetime64 values, ISO 8601 strings or plain "
        f"numbers measured in periods; got dtype {ts.dtype}. Convert time-zone "
        "aware pandas values with .dt.tz_convert(None) first."
    )
    raise TypeError(msg)


def _bucket(ts: npt.NDArray[Any], merge: str, exact_unit: str) -> IntArray:
    """Start of each timestamp's merge bucket, as int64 ticks of the measure unit."""
    if merge == "exact":
        return ts.astype(f"datetime64[{exact_unit}]").astype(np.int64)
    floored = ts.astype(f"datetime64[{_BUCKET_UNIT[merge]}]")
    ticks = floored.astype(f"datetime64[{_MEASURE_UNIT[merge]}]").astype(np.int64)
    if merge == "week":
        ticks = ticks - (ticks - _EPOCH_MONDAY) % 7
    return ticks


def _as_datetime_scalar(value: Any, name: str) -> np.datetime64:
    if isinstance(value, np.datetime64):
        result = value
    elif isinstance(value, str | _dt.date):
        try:
            result = np.datetime64(value)
        except ValueError as exc:
            msg = f"`{name}` must be a date or datetime; got {value!r} ({exc})."
            raise ValueError(msg) from None
    elif hasattr(value, "to_datetime64"):  # pandas.Timestamp, without pandas
        result = value.to_datetime64()
    else:
        msg = (
            f"`{name}` must be a numpy.datetime64, datetime.date or ISO string "
            f"when timestamps are datetimes; got {value!r}."
        )
        raise TypeError(msg)
    if np.isnat(result):
        msg = f"`{name}` must be a date or datetime, not NaT; got {value!r}."
        raise ValueError(msg)
    return result


def _as_number_scalar(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        msg = f"`{name}` must be a number when timestamps are numbers; got {value!r}."
        raise TypeError(msg)
    number = float(value)
    if not math.isfinite(number):
        msg = f"`{name}` must be finite; got {value!r}."
        raise ValueError(msg)
    return number


def _check_amount(
    amount: npt.ArrayLike | None, allow_negative_amounts: bool
) -> FloatArray | None:
    if amount is None:
        return None
    return as_float_array(
        amount,
        "amount",
        nonnegative=not allow_negative_amounts,
        suggestion=None
        if allow_negative_amounts
        else "Returns and refunds are negative amounts; pass "
        "allow_negative_amounts=True to keep them, or net them out first.",
    )


@attrs.frozen
class _TimeAxis:
    """How timestamps become integer (or float) purchase times; internal.

    ``rule`` is the resolved merge rule, ``unit`` the time unit (None for
    plain numbers), ``measure`` the numpy datetime unit of the ticks (None for
    plain numbers), ``exact_unit`` the unit exact times are measured in, and
    ``end``/``boundary`` the given observation end and extra boundary as
    ticks (None when not given).
    """

    rule: str
    unit: np.timedelta64 | None
    measure: str | None
    exact_unit: str | None
    ticks_per_period: float
    end: Any
    boundary: Any

    def to_timestamp(self, values: Any) -> Any:
        """Map ticks back to the timestamps' type (datetime64 or float)."""
        if self.measure is None:
            return np.asarray(values, dtype=np.float64)
        return np.asarray(values, dtype=np.int64).astype(f"datetime64[{self.measure}]")

    def end_text(self) -> str:
        """Show the given observation end as text ('' when not given)."""
        return "" if self.end is None else str(self.to_timestamp(self.end))

    def tick(self, value: np.datetime64) -> Any:
        """Return the merge bucket of one datetime, as ticks of ``measure``."""
        if self.exact_unit is None:  # pragma: no cover - datetimes only
            msg = "internal error: ticks of a numeric axis"
            raise RuntimeError(msg)
        return _bucket(np.array([value]), self.rule, self.exact_unit)[0]


def _time_axis(
    *,
    datetime_unit: str | None,
    observation_end: Any,
    merge: MergeRule | None,
    time_unit: object,
    extra_boundary: Any = None,
    extra_boundary_name: str = "",
) -> _TimeAxis:
    """Resolve merge rule, time unit and the given end points.

    ``datetime_unit`` is the numpy unit of datetime timestamps ('D', 's',
    'us', ...) or None for plain numbers.
    """
    is_datetime = datetime_unit is not None
    rule = _resolve_merge(merge, is_datetime)
    unit = _resolve_time_unit(time_unit, is_datetime)
    if datetime_unit is None:
        return _TimeAxis(
            rule=rule,
            unit=None,
            measure=None,
            exact_unit=None,
            ticks_per_period=1.0,
            end=None
            if observation_end is None
            else _as_number_scalar(observation_end, "observation_end"),
            boundary=None
            if extra_boundary is None
            else _as_number_scalar(extra_boundary, extra_boundary_name),
        )
    given_end = (
        None
        if observation_end is None
        else _as_datetime_scalar(observation_end, "observation_end")
    )
    given_boundary = (
        None
        if extra_boundary is None
        else _as_datetime_scalar(extra_boundary, extra_boundary_name)
    )
    exact_unit = datetime_unit
    for scalar in (given_end, given_boundary):
        if scalar is not None and rule == "exact":
            # measure in the finer of the two units so nothing is floored
            exact_unit = np.datetime_data(
                np.promote_types(np.dtype(f"datetime64[{exact_unit}]"), scalar.dtype)
            )[0]
    measure = exact_unit if rule == "exact" else _MEASURE_UNIT[rule]
    if unit is None:  # pragma: no cover - resolved above for datetimes
        msg = "internal error: missing time unit"
        raise RuntimeError(msg)
    ticks_per_period = float(unit / np.ones((), dtype=f"timedelta64[{measure}]"))
    axis = _TimeAxis(
        rule=rule,
        unit=unit,
        measure=measure,
        exact_unit=exact_unit,
        ticks_per_period=ticks_per_period,
        end=None,
        boundary=None,
    )
    return attrs.evolve(
        axis,
        end=None if given_end is None else axis.tick(given_end),
        boundary=None if given_boundary is None else axis.tick(given_boundary),
    )
