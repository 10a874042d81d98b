"""Transaction tables to per-customer summaries, reduced inside the engine.

The reduction is three group-bys that every narwhals backend runs natively:
rows to distinct (customer, timestamp, amount) triples (counting exact
duplicates), triples to purchases (customer, merge bucket), purchases to
customers (first and last bucket, number of purchases, repeat spend). Merge
buckets are integer ticks computed from the calendar fields (year, month,
day, hour, ...) with integer arithmetic, so no engine-specific date function
is needed (see ``_engine.py``). Only one row per customer is collected; the
rest is :mod:`custvalue.clv._summary`'s own code, shared with the numpy path.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import numpy.typing as npt

from custvalue.clv._data import CalibrationHoldoutSummary, CustomerSummary
from custvalue.clv._log_input import MergeRule, TimeUnit, _time_axis, _TimeAxis
from custvalue.clv._summary import (
    _check_calibration_end,
    _Counts,
    _customer_summary,
    _split_summary,
)
from custvalue.frames._engine import (
    _AMOUNT,
    _TICK,
    _TS,
    _datetime_unit,
    _int,
    _lazy,
    _prepare,
    _tick_expr,
    _validate,
)

__all__ = ["calibration_holdout_summary", "rfm_summary"]


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
    observation_end : datetime-like or float, optional
        The end of the observation window; default the last timestamp. As
        in :func:`custvalue.clv.rfm_summary`.
    merge : MergeRule, optional
        Which transactions are one purchase; default ``'day'`` for dates and
        ``'exact'`` for numbers. As in :func:`custvalue.clv.rfm_summary`.
    time_unit : TimeUnit or numpy.timedelta64, optional
        The period of ``recency`` and ``T`` for date timestamps; default one
        day.
    allow_negative_amounts : bool, default=False
        Whether negative amounts (returns) are accepted.
    timestamps_are_periods : bool, default=False
        Say that integer timestamps that look like YYYYMMDD dates are plain
        numbers of periods.

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
