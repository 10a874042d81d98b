"""Engine-side pieces of the in-engine summary: expressions and checks.

Merge buckets are integer ticks computed from the calendar fields (year,
month, day, hour, ...) with integer arithmetic, so no engine-specific date
function is needed and the ticks equal those of the numpy path exactly.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from custvalue.clv._log_input import (
    _YYYYMMDD_HIGH,
    _YYYYMMDD_LOW,
    _TimeAxis,
    _yyyymmdd_message,
)

_TS = "__custvalue_timestamp"
_AMOUNT = "__custvalue_amount"
_TICK = "__custvalue_tick"
# Ticks per day of each numpy unit, for exact times finer than a day.
_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}
_ISO_FORMATS = {10: "%Y-%m-%d", 16: "%Y-%m-%d{sep}%H:%M", 19: "%Y-%m-%d{sep}%H:%M:%S"}


def _lazy(table: Any) -> nw.LazyFrame[Any]:
    try:
        frame = nw.from_native(table)
    except TypeError:
        msg = (
            "`table` must be a DataFrame or lazy table of an engine narwhals "
            "supports (pandas, polars, pyarrow, DuckDB, Ibis, ...); got "
            f"{type(table).__name__}. For numpy arrays use "
            "custvalue.clv.rfm_summary."
        )
        raise TypeError(msg) from None
    if isinstance(frame, nw.DataFrame):
        return frame.lazy()
    if isinstance(frame, nw.LazyFrame):
        return frame
    msg = f"`table` must be a table, not a series; got {type(table).__name__}."
    raise TypeError(msg)


def _check_columns(schema: dict[str, Any], **columns: str | None) -> None:
    for argument, name in columns.items():
        if name is not None and name not in schema:
            msg = (
                f"`{argument}` must name a column of the table; got {name!r}, "
                f"and the columns are {list(schema)}."
            )
            raise ValueError(msg)


def _int(expr: Any) -> Any:
    return expr.cast(nw.Int64)


def _days_from_civil(year: Any, month: Any, day: Any) -> Any:
    """Days since 1970-01-01 of a proleptic Gregorian date, as an expression.

    Howard Hinnant's ``days_from_civil`` ("chrono-Compatible Low-Level Date
    Algorithms"), with every division on non-negative operands (years >= 1),
    so floor and truncating division agree in every engine.
    """
    if isinstance(month, int):
        before_march: Any = int(month <= 2)
        shifted_month: Any = (month + 9) % 12
    else:
        before_march = _int(month <= 2)
        shifted_month = (month + 9) % 12
    y = year - before_march
    era = y // 400
    year_of_era = y - era * 400
    day_of_year = (shifted_month * 153 + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _tick_expr(axis: _TimeAxis, is_date: bool) -> Any:
    """Integer ticks of each transaction's merge bucket (as ``_bucket`` does)."""
    column = nw.col(_TS)
    year = _int(column.dt.year())
    rule = axis.rule
    if rule == "year":
        return _days_from_civil(year, 1, 1)
    month = _int(column.dt.month())
    if rule == "month":
        return _days_from_civil(year, month, 1)
    days = _days_from_civil(year, month, _int(column.dt.day()))
    if rule == "day":
        return days
    if rule == "week":
        # Weeks start on Monday: shift to non-negative day numbers (0 is
        # 0000-03-01), where Mondays are the days with (shifted + 2) % 7 == 0.
        shifted = days + 719468
        return (shifted + 2) // 7 * 7 - 2 - 719468
    unit = rule if rule != "exact" else axis.exact_unit
    if unit == "D":
        return days
    if is_date:
        hour: Any = 0
        minute: Any = 0
        second: Any = 0
        nanosecond: Any = 0
    else:
        hour = _int(column.dt.hour())
        minute = _int(column.dt.minute())
        second = _int(column.dt.second())
        nanosecond = _int(column.dt.nanosecond())
    hours = days * 24 + hour
    if unit in {"hour", "h"}:
        return hours
    minutes = hours * 60 + minute
    if unit in {"minute", "m"}:
        return minutes
    seconds = minutes * 60 + second
    if unit in {"second", "s"}:
        return seconds
    per_second = _PER_SECOND[str(unit)]
    return seconds * per_second + nanosecond // (10**9 // per_second)


def _yyyymmdd_expr() -> Any:
    """1 where an integer reads as a YYYYMMDD date in 1900-2100, else 0."""
    value = nw.col(_TS)
    year = value // 10000
    month = value // 100 % 100
    day = value % 100
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days_in_month = (
        nw.when(month == 2)
        .then(nw.when(leap).then(29).otherwise(28))
        .otherwise(nw.when(month.is_in([4, 6, 9, 11])).then(30).otherwise(31))
    )
    valid = (
        (value >= _YYYYMMDD_LOW)
        & (value <= _YYYYMMDD_HIGH)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= days_in_month)
    )
    return _int(valid)


def _prepare(
    frame: nw.LazyFrame[Any],
    *,
    customer_id: str,
    timestamp: str,
    amount: str | None,
) -> tuple[nw.LazyFrame[Any], Any]:
    """Select and rename the columns, parsing ISO strings; return the dtype."""
    schema = dict(frame.collect_schema())
    _check_columns(schema, customer_id=customer_id, timestamp=timestamp, amount=amount)
    dtype = schema[timestamp]
    ts: Any = nw.col(timestamp)
    if dtype == nw.String:
        first = (
            frame.select(nw.col(timestamp))
            .filter(~nw.col(timestamp).is_null())
            .head(1)
            .collect()
        )
        sample = str(first.item()) if len(first) else ""
        pattern = _ISO_FORMATS.get(len(sample))
        if pattern is None or sample[4:5] != "-":
            msg = (
                "`timestamp` must be ISO 8601 strings such as '2024-01-31', "
                f"'2024-01-31 09:30' or '2024-01-31T09:30:00'; got {sample!r}. "
                "Parse other formats in the engine first."
            )
            raise TypeError(msg)
        sep = sample[10:11]
        ts = ts.str.to_datetime(format=pattern.format(sep=sep))
    columns = [nw.col(customer_id), ts.alias(_TS)]
    if amount is not None:
        columns.append(nw.col(amount).cast(nw.Float64).alias(_AMOUNT))
    selected = frame.select(*columns)
    return selected, dict(selected.collect_schema())[_TS]


def _datetime_unit(dtype: Any, timestamps_are_periods: bool) -> str | None:
    """Return the numpy unit of a date/datetime column, None for numbers."""
    if dtype == nw.Date:
        return "D"
    if isinstance(dtype, nw.Datetime):
        if dtype.time_zone is not None:
            msg = (
                "`timestamp` must be naive (no time zone); got a column in "
                f"{dtype.time_zone}. Convert it first, e.g. with "
                ".dt.convert_time_zone('UTC').dt.replace_time_zone(None)."
            )
            raise TypeError(msg)
        return str(dtype.time_unit)
    if dtype.is_numeric():
        return None
    msg = (
        "`timestamp` must be a date, datetime, ISO 8601 string or numeric "
        f"column; got dtype {dtype}."
    )
    raise TypeError(msg)


def _validate(
    frame: nw.LazyFrame[Any],
    *,
    customer_id: str,
    amount: str | None,
    dtype: Any,
    axis: _TimeAxis,
    tick: Any,
    allow_negative_amounts: bool,
    timestamps_are_periods: bool,
) -> None:
    """One aggregate pass over the table; raise on the first broken rule."""
    checks: dict[str, Any] = {
        "n": nw.len(),
        "id_missing": _int(nw.col(customer_id).is_null()).sum(),
        "ts_missing": _int(nw.col(_TS).is_null()).sum(),
    }
    if dtype.is_float():
        checks["ts_nonfinite"] = _int(~nw.col(_TS).is_finite()).sum()
    is_integer = dtype.is_integer()
    if is_integer and not timestamps_are_periods:
        checks["yyyymmdd"] = _yyyymmdd_expr().min()
        checks["ts_first"] = nw.col(_TS).min()
    if amount is not None:
        checks["amount_missing"] = _int(nw.col(_AMOUNT).is_null()).sum()
        checks["amount_nonfinite"] = _int(~nw.col(_AMOUNT).is_finite()).sum()
        if not allow_negative_amounts:
            checks["amount_negative"] = _int(nw.col(_AMOUNT) < 0).sum()
    if axis.end is not None:
        checks["after_end"] = _int(tick > axis.end).sum()
    row = frame.select(**checks).collect().rows(named=True)[0]
    n = int(row["n"])
    if n == 0:
        msg = "`table` must not be empty; got a table with 0 rows."
        raise ValueError(msg)
    rules = [
        (
            "id_missing",
            "`customer_id` must not be missing",
            "Drop or label transactions without a customer before summarizing.",
        ),
        (
            "ts_missing",
            "`timestamp` must not be missing",
            "Drop or impute transactions without a time before summarizing.",
        ),
        (
            "ts_nonfinite",
            "`timestamp` must be finite",
            "Drop or impute transactions without a time before summarizing.",
        ),
        (
            "amount_missing",
            "`amount` must not be missing",
            "Drop or impute missing amounts before summarizing.",
        ),
        (
            "amount_nonfinite",
            "`amount` must be finite",
            "Drop or impute non-finite amounts before summarizing.",
        ),
        (
            "amount_negative",
            "`amount` must be >= 0",
            "Returns and refunds are "
            "negative amounts; pass allow_negative_amounts=True to keep them, or "
            "net them out first.",
        ),
        (
            "after_end",
            "`timestamp` must be <= `observation_end` for every transaction",
            f"observation_end is {axis.end_text()} "
            f"at the merge granularity '{axis.rule}'; move it later or filter the "
            "table explicitly.",
        ),
    ]
    for key, rule, suggestion in rules:
        count = row.get(key)
        if count:
            msg = f"{rule}; {int(count)} of {n} rows violate this. {suggestion}"
            raise ValueError(msg)
    if row.get("yyyymmdd") == 1:
        raise TypeError(_yyyymmdd_message(n, int(row["ts_first"])))
