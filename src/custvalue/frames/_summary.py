"""Transaction tables to per-customer summaries, reduced inside the engine.

The reduction is three group-bys that every narwhals backend runs natively:
rows to distinct (customer, timestamp, amount) triples (counting exact
duplicates), triples to purchases (customer, merge bucket), purchases to
customers (first and last bucket, number of purchases, repeat spend). Merge
buckets are integer ticks computed from the calendar fields (year, month,
day, hour, ...) with integer arithmetic, so no engine-specific date function
is needed and the ticks equal those of the numpy path exactly. Only one row
per customer is collected; the rest is :mod:`custvalue.clv._summary`'s own
code, shared with the numpy path.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import numpy.typing as npt

from custvalue.clv._data import CalibrationHoldoutSummary, CustomerSummary
from custvalue.clv._log_input import (
    _YYYYMMDD_HIGH,
    _YYYYMMDD_LOW,
    MergeRule,
    TimeUnit,
    _time_axis,
    _TimeAxis,
    _yyyymmdd_message,
)
from custvalue.clv._summary import (
    _check_calibration_end,
    _Counts,
    _customer_summary,
    _split_summary,
)

__all__ = ["calibration_holdout_summary", "rfm_summary"]

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


def _per_customer(
    table: Any,
    *,
    customer_id: str,
    timestamp: str,
    amount: str | None,
    observation_end: Any,
    merge: MergeRule | None,
    time_unit: TimeUnit | np.timedelta64 | None,
    allow_negative_amounts: bool,
    timestamps_are_periods: bool,
    calibration_end: Any = None,
) -> tuple[dict[str, npt.NDArray[Any]], _TimeAxis, Any]:
    """Run the reduction in the engine; return sorted per-customer columns."""
    frame, dtype = _prepare(
        _lazy(table), customer_id=customer_id, timestamp=timestamp, amount=amount
    )
    datetime_unit = _datetime_unit(dtype, timestamps_are_periods)
    axis = _time_axis(
        datetime_unit=datetime_unit,
        observation_end=observation_end,
        merge=merge,
        time_unit=time_unit,
        extra_boundary=calibration_end,
        extra_boundary_name="calibration_end",
    )
    if datetime_unit is None:
        tick: Any = nw.col(_TS).cast(nw.Float64)
    else:
        tick = _tick_expr(axis, is_date=datetime_unit == "D")
    _validate(
        frame,
        customer_id=customer_id,
        amount=amount,
        dtype=dtype,
        axis=axis,
        tick=tick,
        allow_negative_amounts=allow_negative_amounts,
        timestamps_are_periods=timestamps_are_periods,
    )
    cid = customer_id
    keys = [cid, _TS] if amount is None else [cid, _TS, _AMOUNT]
    # 1. distinct (customer, timestamp, amount): the rest are exact duplicates
    rows = frame.group_by(keys).agg(nw.len().alias("_n"))
    rows = rows.with_columns(tick.alias(_TICK), (nw.col("_n") - 1).alias("_dup"))
    level1 = [nw.col("_n").sum().alias("_rows"), nw.col("_dup").sum().alias("_dups")]
    if amount is not None:
        rows = rows.with_columns((nw.col(_AMOUNT) * nw.col("_n")).alias("_spend"))
        level1.append(nw.col("_spend").sum().alias("_amount"))
    # 2. purchases: one per customer and merge bucket
    purchases = rows.group_by([cid, _TICK]).agg(*level1)
    first_tick = nw.col(_TICK).min().over(cid)
    first = nw.col(_TICK) == first_tick
    calibration = axis.boundary is not None
    inside: Any = nw.col(_TICK) <= axis.boundary if calibration else nw.lit(True)
    extra = [
        _int(inside).alias("_in"),
        # later purchases count as the first one, so the maximum is the last
        # purchase inside (or the first purchase for customers with none)
        nw.when(inside).then(nw.col(_TICK)).otherwise(first_tick).alias("_in_tick"),
        nw.when(inside).then(nw.col("_rows")).otherwise(0).alias("_in_rows"),
        nw.when(inside).then(nw.col("_dups")).otherwise(0).alias("_in_dups"),
    ]
    if amount is not None:
        extra.append(
            nw.when(inside & ~first)
            .then(nw.col("_amount"))
            .otherwise(0.0)
            .alias("_repeat")
        )
        if calibration:
            extra.append(
                nw.when(inside).then(0.0).otherwise(nw.col("_amount")).alias("_out")
            )
    purchases = purchases.with_columns(*extra)
    # 3. customers
    level3 = [
        nw.col(_TICK).min().alias("first"),
        nw.col("_in_tick").max().alias("last"),
        nw.col(_TICK).max().alias("last_any"),
        nw.col("_in").sum().alias("n_purchases"),
        nw.len().alias("n_all"),
        nw.col("_in_rows").sum().alias("rows"),
        nw.col("_in_dups").sum().alias("dups"),
    ]
    if amount is not None:
        level3.append(nw.col("_repeat").sum().alias("repeat"))
        if calibration:
            level3.append(nw.col("_out").sum().alias("out"))
    collected = purchases.group_by(cid).agg(*level3).collect()
    ids = collected.get_column(cid).to_numpy()
    order = np.argsort(ids, kind="stable")
    columns = {"customer_id": ids[order]}
    for name in collected.columns:
        if name != cid:
            columns[name] = collected.get_column(name).to_numpy()[order]
    numeric = axis.measure is None
    for name in ("first", "last", "last_any"):
        columns[name] = columns[name].astype(np.float64 if numeric else np.int64)
    for name in ("n_purchases", "n_all", "rows", "dups"):
        columns[name] = columns[name].astype(np.int64)
    end = columns["last_any"].max() if axis.end is None else axis.end
    return columns, axis, end


def _summary_of(
    columns: dict[str, npt.NDArray[Any]],
    axis: _TimeAxis,
    end: Any,
    present: npt.NDArray[np.bool_],
) -> CustomerSummary:
    return _customer_summary(
        customer_id=columns["customer_id"][present],
        first=columns["first"][present],
        last=columns["last"][present],
        n_purchases=columns["n_purchases"][present],
        repeat_total=None
        if "repeat" not in columns
        else columns["repeat"][present].astype(np.float64),
        end=end,
        axis=axis,
        counts=_Counts(
            n_transactions=int(columns["rows"].sum()),
            n_purchases=int(columns["n_purchases"].sum()),
            n_exact_duplicates=int(columns["dups"].sum()),
        ),
    )


def rfm_summary(
    table: Any,
    *,
    customer_id: str,
    timestamp: str,
    amount: str | None = None,
    observation_end: Any = None,
    merge: MergeRule | None = None,
    time_unit: TimeUnit | np.timedelta64 | None = None,
    allow_negative_amounts: bool = False,
    timestamps_are_periods: bool = False,
) -> CustomerSummary:
    """Summarize a transaction table inside its own engine.

    The DataFrame form of :func:`custvalue.clv.rfm_summary`: give the table
    (pandas, polars eager or lazy, pyarrow, DuckDB relation, Ibis table, or
    any other engine narwhals supports) and the names of its columns. The
    per-customer reduction runs in the engine, lazily where the engine is
    lazy; only one row per customer is collected. The result is the
    :class:`~custvalue.clv.CustomerSummary` the numpy function returns for
    the same log: same customers in the same (sorted) order, same numbers.

    Parameters
    ----------
    table : DataFrame or lazy table
        One row per transaction.
    customer_id : str
        Column of customer identifiers (integers or strings); missing values
        are an error.
    timestamp : str
        Column of transaction times: a date or naive datetime column, ISO
        8601 strings (``'2024-01-31'``, ``'2024-01-31 09:30'``,
        ``'2024-01-31T09:30:00'``), or numbers already measured in periods.
        Integer columns that all read as YYYYMMDD dates are refused unless
        ``timestamps_are_periods=True``.
    amount : str, optional
        Column of transaction values. Without it the summary has no
        ``monetary_value``.
    observation_end, merge, time_unit, allow_negative_amounts, timestamps_are_periods
        As in :func:`custvalue.clv.rfm_summary`.

    Returns
    -------
    CustomerSummary
        One entry per customer, sorted by ``customer_id``, with the merge
        rule, time unit, observation end and the counts of transactions,
        merged transactions and exact duplicate rows.

    Raises
    ------
    ValueError
        For an empty table, a column name the table lacks, missing ids,
        times or amounts, non-finite or (unless allowed) negative amounts,
        or transactions after ``observation_end``.
    TypeError
        For a table narwhals does not recognize, time-zone aware or
        non-temporal timestamp columns, or integer timestamps that look like
        YYYYMMDD dates.

    See Also
    --------
    custvalue.clv.rfm_summary : The same summary from arrays.
    calibration_holdout_summary : The summary split at a calibration end.

    Notes
    -----
    Monetary values are sums of floating-point amounts. The engine adds
    them in its own order, so they can differ from the numpy path's in the
    last bits when the amounts are not exactly representable (cents); the
    frequencies, recencies, ``T`` and the counts are exact.

    Examples
    --------
    >>> import pandas as pd
    >>> from custvalue import frames
    >>> orders = pd.DataFrame({
    ...     "customer": ["ann", "bob", "ann", "ann"],
    ...     "day": pd.to_datetime(["2024-03-01", "2024-03-04", "2024-03-29",
    ...                            "2024-03-29"]),
    ...     "spend": [25.0, 12.0, 40.0, 10.0],
    ... })
    >>> summary = frames.rfm_summary(orders, customer_id="customer",
    ...                              timestamp="day", amount="spend",
    ...                              time_unit="week")
    >>> summary.customer_id.tolist(), summary.frequency, summary.monetary_value
    (['ann', 'bob'], array([1, 0]), array([50.,  0.]))
    >>> summary.n_merged
    1
    """
    columns, axis, end = _per_customer(
        table,
        customer_id=customer_id,
        timestamp=timestamp,
        amount=amount,
        observation_end=observation_end,
        merge=merge,
        time_unit=time_unit,
        allow_negative_amounts=allow_negative_amounts,
        timestamps_are_periods=timestamps_are_periods,
    )
    everyone = np.ones(columns["customer_id"].size, dtype=bool)
    return _summary_of(columns, axis, end, everyone)


def calibration_holdout_summary(
    table: Any,
    *,
    customer_id: str,
    timestamp: str,
    amount: str | None = None,
    calibration_end: Any,
    observation_end: Any = None,
    merge: MergeRule | None = None,
    time_unit: TimeUnit | np.timedelta64 | None = None,
    allow_negative_amounts: bool = False,
    timestamps_are_periods: bool = False,
) -> CalibrationHoldoutSummary:
    """Split a transaction table into calibration and holdout, in its engine.

    The DataFrame form of :func:`custvalue.clv.calibration_holdout_summary`:
    the calibration summary and each calibration customer's holdout
    purchases are reduced inside the engine; customers whose first purchase
    comes after ``calibration_end`` are listed in ``born_in_holdout``.

    Parameters
    ----------
    table, customer_id, timestamp, amount
        As in :func:`rfm_summary`.
    calibration_end : datetime-like or float
        The last instant of the calibration period, taken at the merge
        granularity.
    observation_end, merge, time_unit, allow_negative_amounts, timestamps_are_periods
        As in :func:`custvalue.clv.calibration_holdout_summary`.

    Returns
    -------
    CalibrationHoldoutSummary
        Equal to the numpy function's result for the same log.

    Raises
    ------
    ValueError
        For the bad inputs of :func:`rfm_summary`, when ``observation_end``
        precedes ``calibration_end``, or when no customer bought in the
        calibration period.
    TypeError
        As in :func:`rfm_summary`.

    See Also
    --------
    custvalue.clv.calibration_holdout_summary : The same split from arrays.

    Examples
    --------
    >>> import polars as pl
    >>> from custvalue import frames
    >>> orders = pl.DataFrame({
    ...     "id": [1, 1, 1, 2],
    ...     "day": ["2024-01-01", "2024-01-20", "2024-02-10", "2024-02-15"],
    ...     "spend": [5.0, 6.0, 7.0, 3.0],
    ... })
    >>> split = frames.calibration_holdout_summary(
    ...     orders.lazy(), customer_id="id", timestamp="day", amount="spend",
    ...     calibration_end="2024-01-31", observation_end="2024-02-29",
    ... )
    >>> split.calibration.frequency, split.holdout_frequency, split.born_in_holdout
    (array([1]), array([1]), array([2]))
    """
    if calibration_end is None:
        msg = "`calibration_end` must be given; got None."
        raise TypeError(msg)
    columns, axis, end = _per_customer(
        table,
        customer_id=customer_id,
        timestamp=timestamp,
        amount=amount,
        observation_end=observation_end,
        merge=merge,
        time_unit=time_unit,
        allow_negative_amounts=allow_negative_amounts,
        timestamps_are_periods=timestamps_are_periods,
        calibration_end=calibration_end,
    )
    _check_calibration_end(axis, end, columns["first"].min())
    present = columns["n_purchases"] > 0
    calibration = _summary_of(columns, axis, axis.boundary, present)
    holdout_count = (columns["n_all"] - columns["n_purchases"])[present]
    holdout_monetary = None
    if "out" in columns:
        totals = columns["out"][present].astype(np.float64)
        holdout_monetary = np.divide(
            totals, holdout_count, out=np.zeros_like(totals), where=holdout_count > 0
        )
    return _split_summary(
        calibration,
        holdout_count,
        holdout_monetary,
        axis,
        end,
        columns["customer_id"][~present],
    )
