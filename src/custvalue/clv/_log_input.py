"""Validation and normalization of transaction-log input.

Timestamps, ids, amounts and the two explicit choices of a summary (how
transactions merge into purchases, and the period times are measured in)
are checked and converted here, once, before the summary algorithm runs.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any, Literal, TypeAlias

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


def _as_timestamps(timestamp: npt.ArrayLike) -> npt.NDArray[Any]:
    ts: npt.NDArray[Any] = as_vector(timestamp, "timestamp")
    if ts.dtype.kind == "M":
        check_all(
            ~np.isnat(ts),
            "`timestamp` must not be missing (NaT)",
            {"timestamp": ts},
            "Drop or impute transactions without a date before summarizing.",
        )
        return ts
    if ts.dtype.kind in "iuf" and ts.dtype != np.bool_:
        return as_float_array(
            ts,
            "timestamp",
            suggestion="Drop or impute transactions without a time before summarizing.",
        )
    msg = (
        "`timestamp` must be numpy datetime64 values or plain numbers measured "
        f"in periods; got dtype {ts.dtype}. Parse strings with "
        "numpy.asarray(values, dtype='datetime64[s]'), and convert time-zone "
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
