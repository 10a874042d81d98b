"""Transaction log to per-customer summary, and the calibration/holdout split.

The algorithm is pure numpy: encode customer ids as integers, floor each
timestamp to its merge bucket, sort once by (customer, bucket), then find
purchase and customer boundaries and reduce over them with
:func:`numpy.add.reduceat`. Its cost is one sort of the transactions.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_vector,
    check_all,
    check_same_length,
)
from custvalue.clv._data import CalibrationHoldoutSummary, CustomerSummary
from custvalue.clv._log_input import (
    MergeRule,
    TimeUnit,
    _as_timestamps,
    _bucket,
    _check_amount,
    _encode_ids,
    _time_axis,
    _TimeAxis,
)

__all__ = ["calibration_holdout_summary", "rfm_summary"]


@attrs.frozen
class _Purchases:
    """Merged purchases sorted by (customer, time); internal."""

    unique_ids: npt.NDArray[Any]
    time: npt.NDArray[Any]  # int64 ticks of `axis.measure`, or float64 periods
    amount: FloatArray | None
    customer_start: IntArray  # index of each customer's first purchase
    n_purchases: IntArray  # purchases per customer
    n_rows: IntArray  # transactions merged into each purchase
    n_duplicates: IntArray  # exact duplicate transactions in each purchase
    end: Any  # observation end, same representation as `time`
    axis: _TimeAxis


def _merged_purchases(
    customer_id: npt.ArrayLike,
    timestamp: npt.ArrayLike,
    amount: npt.ArrayLike | None,
    *,
    observation_end: Any,
    merge: MergeRule | None,
    time_unit: TimeUnit | np.timedelta64 | None,
    allow_negative_amounts: bool,
    timestamps_are_periods: bool,
    extra_boundary: Any = None,
    extra_boundary_name: str = "",
) -> _Purchases:
    """Validate the log and merge it into purchases sorted by customer and time.

    The axis of the result holds ``extra_boundary`` (e.g. a calibration end)
    converted to the same representation as the purchase times.
    """
    as_vector(customer_id, "customer_id")  # shape errors name the ids first
    ts = _as_timestamps(timestamp, timestamps_are_periods)
    money = _check_amount(amount, allow_negative_amounts)
    lengths: dict[str, npt.NDArray[Any]] = {
        "customer_id": np.asarray(customer_id),
        "timestamp": ts,
    }
    if money is not None:
        lengths["amount"] = money
    check_same_length(**lengths)
    is_datetime = ts.dtype.kind == "M"
    axis = _time_axis(
        datetime_unit=np.datetime_data(ts.dtype)[0] if is_datetime else None,
        observation_end=observation_end,
        merge=merge,
        time_unit=time_unit,
        extra_boundary=extra_boundary,
        extra_boundary_name=extra_boundary_name,
    )
    codes, unique_ids, raw_ids = _encode_ids(customer_id)
    if axis.exact_unit is not None:
        times: npt.NDArray[Any] = _bucket(ts, axis.rule, axis.exact_unit)
    else:
        times = ts
    end = times.max() if axis.end is None else axis.end
    check_all(
        times <= end,
        "`timestamp` must be <= `observation_end` for every transaction",
        {"timestamp": ts},
        f"observation_end is {axis.to_timestamp(end)!s} at the merge granularity "
        f"'{axis.rule}'; move it later or filter the log explicitly.",
    )
    order = _sort_order(codes, times)
    sorted_codes = codes[order]
    sorted_times = times[order]
    new_purchase = np.empty(order.size, dtype=bool)
    new_purchase[0] = True
    np.not_equal(sorted_codes[1:], sorted_codes[:-1], out=new_purchase[1:])
    new_purchase[1:] |= sorted_times[1:] != sorted_times[:-1]
    purchase_start = np.flatnonzero(new_purchase)
    purchase_code = sorted_codes[purchase_start]
    purchase_amount = (
        None if money is None else np.add.reduceat(money[order], purchase_start)
    )
    new_customer = np.empty(purchase_start.size, dtype=bool)
    new_customer[0] = True
    np.not_equal(purchase_code[1:], purchase_code[:-1], out=new_customer[1:])
    customer_start = np.flatnonzero(new_customer)
    n_purchases = np.diff(np.append(customer_start, purchase_start.size))
    n_rows = np.diff(np.append(purchase_start, order.size))
    if unique_ids is None:
        unique_ids = raw_ids[order[purchase_start[customer_start]]]
    return _Purchases(
        unique_ids=unique_ids,
        time=sorted_times[purchase_start],
        amount=purchase_amount,
        customer_start=customer_start,
        n_purchases=n_purchases,
        n_rows=n_rows,
        n_duplicates=_exact_duplicates(
            order, purchase_start, n_rows, ts, None if money is None else money
        ),
        end=end,
        axis=axis,
    )


def _exact_duplicates(
    order: IntArray,
    purchase_start: IntArray,
    n_rows: IntArray,
    ts: npt.NDArray[Any],
    money: FloatArray | None,
) -> IntArray:
    """Per purchase, the transactions that repeat an earlier one exactly.

    Exact duplicates (same customer, timestamp and amount) always fall in the
    same purchase, so only the rows of purchases merged from several
    transactions are sorted again, by (purchase, timestamp, amount).
    """
    duplicates = np.zeros(purchase_start.size, dtype=np.int64)
    merged = np.flatnonzero(n_rows > 1)
    if merged.size == 0:
        return duplicates
    rows = np.repeat(merged, n_rows[merged])  # purchase of each row
    offsets = np.arange(rows.size) - np.repeat(
        np.cumsum(n_rows[merged]) - n_rows[merged], n_rows[merged]
    )
    original = order[purchase_start[rows] + offsets]
    keys: list[npt.NDArray[Any]] = [ts[original]]
    if money is not None:
        keys.insert(0, money[original])
    within = np.lexsort((*keys, rows))
    same = rows[within][1:] == rows[within][:-1]
    for key in keys:
        sorted_key = key[within]
        same &= sorted_key[1:] == sorted_key[:-1]
    np.add.at(duplicates, rows[within][1:][same], 1)
    return duplicates


def _sort_order(codes: IntArray, times: npt.NDArray[Any]) -> IntArray:
    """Permutation sorting transactions by (customer code, time).

    Ties (same customer and time) may come in any order; they are merged into
    one purchase, so only the floating-point order of summed amounts can
    depend on it.
    """
    n = codes.size
    if times.dtype.kind == "i":
        low = int(times.min())
        span = int(times.max()) - low + 1
        n_codes = int(codes.max()) + 1
        if n_codes * span < 2**62:
            # One int64 key sorts faster than a two-key lexsort.
            key = codes * span + (times - low)
            index_bits = max(n - 1, 1).bit_length()
            if (n_codes * span) < 2 ** (62 - index_bits):
                # Pack the row index into the low bits: a plain sort of the
                # packed keys (about 2.5x faster than argsort) yields the
                # permutation in its low bits.
                key <<= index_bits
                key |= np.arange(n, dtype=np.int64)
                key.sort()
                key &= (1 << index_bits) - 1
                order: IntArray = key
                return order
            return np.argsort(key)
    return np.lexsort((times, codes))


@attrs.frozen
class _Counts:
    """Transactions, purchases and exact duplicates behind a summary; internal."""

    n_transactions: int
    n_purchases: int
    n_exact_duplicates: int


def _customer_summary(
    *,
    customer_id: npt.NDArray[Any],
    first: npt.NDArray[Any],
    last: npt.NDArray[Any],
    n_purchases: IntArray,
    repeat_total: FloatArray | None,
    end: Any,
    axis: _TimeAxis,
    counts: _Counts,
) -> CustomerSummary:
    """Build the summary from per-customer reductions (shared by every engine).

    ``first`` and ``last`` are the first and last purchase times in ticks,
    ``repeat_total`` the summed amounts of the purchases after the first.
    """
    scale = axis.ticks_per_period
    frequency = n_purchases - 1
    monetary = None
    if repeat_total is not None:
        monetary = np.divide(
            repeat_total,
            frequency,
            out=np.zeros_like(repeat_total),
            where=frequency > 0,
        )
    return CustomerSummary(
        frequency=frequency,
        recency=(last - first) / scale,
        T=(end - first) / scale,
        monetary_value=monetary,
        customer_id=customer_id,
        first_purchase=axis.to_timestamp(first),
        observation_end=axis.to_timestamp(end)[()],
        time_unit=axis.unit,
        merge=axis.rule,
        n_transactions=counts.n_transactions,
        n_merged=counts.n_transactions - counts.n_purchases,
        n_exact_duplicates=counts.n_exact_duplicates,
    )


def _summarize(
    p: _Purchases, keep: npt.NDArray[np.bool_] | None = None
) -> tuple[CustomerSummary, npt.NDArray[np.bool_]]:
    """Summary of the purchases flagged ``keep`` (default all).

    Returns the summary and a mask over customers saying who is in it (those
    with at least one kept purchase; kept purchases must be a per-customer
    prefix in time, as for a calibration period).
    """
    if keep is None:
        keep = np.ones(p.time.size, dtype=bool)
    kept_count = np.add.reduceat(keep.astype(np.int64), p.customer_start)
    present = kept_count > 0
    starts = p.customer_start[present]
    counts = kept_count[present]
    repeat_total = None
    if p.amount is not None:
        repeat_amount = np.where(keep, p.amount, 0.0)
        repeat_amount[p.customer_start] = 0.0  # the first purchase is not a repeat
        repeat_total = np.add.reduceat(repeat_amount, p.customer_start)[present]
    summary = _customer_summary(
        customer_id=p.unique_ids[present],
        first=p.time[starts],
        last=p.time[starts + counts - 1],
        n_purchases=counts,
        repeat_total=repeat_total,
        end=p.end,
        axis=p.axis,
        counts=_Counts(
            n_transactions=int(p.n_rows[keep].sum()),
            n_purchases=int(keep.sum()),
            n_exact_duplicates=int(p.n_duplicates[keep].sum()),
        ),
    )
    return summary, present


def rfm_summary(
    customer_id: npt.ArrayLike,
    timestamp: npt.ArrayLike,
    amount: npt.ArrayLike | None = None,
    *,
    observation_end: Any = None,
    merge: MergeRule | None = None,
    time_unit: TimeUnit | np.timedelta64 | None = None,
    allow_negative_amounts: bool = False,
    timestamps_are_periods: bool = False,
) -> CustomerSummary:
    r"""Summarize a transaction log into frequency, recency, T and spend.

    Turns one row per transaction into one row per customer: how many repeat
    purchases each customer made, when the last one was, how long they have
    been observed and what their repeat purchases were worth. This is the
    input of every customer-base model in :mod:`custvalue.clv` and of RFM
    segmentation. Two choices are explicit: which transactions count as one
    purchase (``merge``) and the period in which times are expressed
    (``time_unit``).

    Parameters
    ----------
    customer_id : array-like of shape (n_transactions,)
        Who made each transaction; any dtype with a total order (ints,
        strings). Missing ids (None, NaN, pandas NA) are an error.
    timestamp : array-like of shape (n_transactions,)
        When each transaction happened: numpy ``datetime64`` of any unit
        (pandas datetime Series work), ISO 8601 strings such as
        ``'2024-01-31'`` or ``'2024-01-31T09:30'`` (no time zone),
        ``datetime.date``/``datetime.datetime`` objects, or plain numbers
        already measured in periods. Integers that all read as YYYYMMDD dates
        (such as 19970101, between 1900 and 2100) are refused unless
        ``timestamps_are_periods=True``: parse them as dates first.
    amount : array-like of shape (n_transactions,), optional
        The value of each transaction. Without it the summary has no
        ``monetary_value``.
    observation_end : datetime-like or float, optional
        The end of the observation window that ``T`` is measured to; default
        the last timestamp. It is taken at the merge granularity (with
        ``merge='day'``, any time on a day means that day). A transaction
        after it is an error, not silently dropped.
    merge : MergeRule, optional
        One of 'exact', 'second', 'minute', 'hour', 'day', 'week', 'month',
        'year': the granularity at which one customer's transactions are
        merged into one purchase, their amounts summed. Calendar buckets start
        at the calendar boundary; weeks start on Monday. Default ``'day'`` for
        datetime timestamps (the papers' convention) and ``'exact'`` (only
        identical times merge) for numeric timestamps, which accept nothing
        else. A purchase is dated at the start of its bucket.
    time_unit : TimeUnit or numpy.timedelta64, optional
        One of 'week', 'day', 'hour', 'minute', 'second', or a duration: the
        length of one period of ``recency`` and ``T``, for datetime
        timestamps; default one day. Fractional periods are kept (the papers'
        CDNOW weeks are days / 7). Months and years are refused: they have no
        fixed length. Must be left at None for numeric timestamps.
    allow_negative_amounts : bool, default=False
        Whether negative amounts (returns) are accepted.
    timestamps_are_periods : bool, default=False
        Say that numeric timestamps are plain numbers of periods even though
        they all look like YYYYMMDD dates; without it such integers are
        refused, because used as numbers they would make 1997-01-31 to
        1997-02-01 seventy periods.

    Returns
    -------
    CustomerSummary
        One entry per distinct customer, sorted by ``customer_id``, with the
        provenance (merge rule, time unit, observation end, first purchase
        times) and the counts of transactions, merged transactions and exact
        duplicate rows.

    Raises
    ------
    ValueError
        For empty input, mismatched lengths, missing ids or timestamps,
        non-finite or (unless allowed) negative amounts, transactions after
        ``observation_end`` or unknown options.
    TypeError
        For timestamps that are neither datetimes nor numbers, integers that
        look like YYYYMMDD dates, or ids of mixed types.

    See Also
    --------
    calibration_holdout_summary : The same summary split at a calibration end.
    CustomerSummary : The result, also constructible from arrays.

    Notes
    -----
    After merging, customer :math:`i` has purchases at times
    :math:`t_{i,0} < t_{i,1} < \dots < t_{i,x_i}`. Then

    .. math::

        x_i = \text{frequency}, \quad
        t_{x,i} = t_{i,x_i} - t_{i,0}, \quad
        T_i = \tau - t_{i,0}, \quad
        \bar z_i = \frac{1}{x_i} \sum_{j=1}^{x_i} z_{i,j}

    with :math:`\tau` the observation end and :math:`z_{i,j}` the merged
    purchase amounts, as defined by Fader, Hardie & Lee (2005) and the
    Gamma-Gamma note (Fader & Hardie 2013). :math:`\bar z_i = 0` when
    :math:`x_i = 0`, the convention of the papers' CDNOW summary.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your
       customers" the easy way: An alternative to the Pareto/NBD model.
       Marketing Science, 24(2), 275-284.
    .. [2] Fader, P. S., & Hardie, B. G. S. (2013). The Gamma-Gamma model of
       monetary value. http://brucehardie.com/notes/025/

    Examples
    --------
    Three purchases by customer 7, the first two on the same day:

    >>> import numpy as np
    >>> from custvalue.clv import rfm_summary
    >>> summary = rfm_summary(
    ...     [7, 7, 7, 9],
    ...     np.array(
    ...         ["2024-01-01T09:00", "2024-01-01T17:00", "2024-01-15", "2024-01-08"],
    ...         dtype="datetime64[m]",
    ...     ),
    ...     [10.0, 5.0, 20.0, 8.0],
    ...     observation_end="2024-01-29",
    ...     time_unit="week",
    ... )
    >>> summary.customer_id
    array([7, 9])
    >>> summary.frequency, summary.recency, summary.T
    (array([1, 0]), array([2., 0.]), array([4., 3.]))
    >>> summary.monetary_value
    array([20.,  0.])

    The two orders on 1 January were merged into one purchase:

    >>> summary.n_transactions, summary.n_merged, summary.n_exact_duplicates
    (4, 1, 0)
    """
    purchases = _merged_purchases(
        customer_id,
        timestamp,
        amount,
        observation_end=observation_end,
        merge=merge,
        time_unit=time_unit,
        allow_negative_amounts=allow_negative_amounts,
        timestamps_are_periods=timestamps_are_periods,
    )
    summary, _ = _summarize(purchases)
    return summary


def calibration_holdout_summary(
    customer_id: npt.ArrayLike,
    timestamp: npt.ArrayLike,
    amount: npt.ArrayLike | None = None,
    *,
    calibration_end: Any,
    observation_end: Any = None,
    merge: MergeRule | None = None,
    time_unit: TimeUnit | np.timedelta64 | None = None,
    allow_negative_amounts: bool = False,
    timestamps_are_periods: bool = False,
) -> CalibrationHoldoutSummary:
    """Split a transaction log into a calibration summary and holdout counts.

    The calibration/holdout design of Fader, Hardie & Lee (2005): summarize
    purchases up to ``calibration_end`` as :func:`rfm_summary` would, and
    count what each of those customers bought after it, up to
    ``observation_end``. Customers whose first purchase comes after
    ``calibration_end`` are listed in ``born_in_holdout``, not dropped.

    Parameters
    ----------
    customer_id, timestamp, amount
        As in :func:`rfm_summary`.
    calibration_end : datetime-like or float
        The last instant of the calibration period, taken at the merge
        granularity (with ``merge='day'``, the whole day is in calibration).
    observation_end : datetime-like or float, optional
        The end of the holdout period; default the last timestamp. Must not
        precede ``calibration_end``.
    merge, time_unit, allow_negative_amounts, timestamps_are_periods
        As in :func:`rfm_summary`.

    Returns
    -------
    CalibrationHoldoutSummary
        ``calibration`` (a :class:`CustomerSummary` whose ``T`` runs to
        ``calibration_end``), ``holdout_frequency``,
        ``holdout_monetary_value``, ``holdout_duration`` and
        ``born_in_holdout``.

    Raises
    ------
    ValueError
        For the bad inputs of :func:`rfm_summary`, when ``observation_end``
        precedes ``calibration_end``, or when no customer bought in the
        calibration period.

    See Also
    --------
    rfm_summary : The summary of a whole log.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your
       customers" the easy way: An alternative to the Pareto/NBD model.
       Marketing Science, 24(2), 275-284.

    Examples
    --------
    >>> import numpy as np
    >>> from custvalue.clv import calibration_holdout_summary
    >>> days = np.array(["2024-01-01", "2024-01-20", "2024-02-10", "2024-02-15"],
    ...                 dtype="datetime64[D]")
    >>> split = calibration_holdout_summary(
    ...     [1, 1, 1, 2], days, [5.0, 6.0, 7.0, 3.0],
    ...     calibration_end="2024-01-31", observation_end="2024-02-29",
    ... )
    >>> split.calibration.frequency, split.calibration.T
    (array([1]), array([30.]))
    >>> split.holdout_frequency, split.holdout_monetary_value, split.holdout_duration
    (array([1]), array([7.]), array([29.]))
    >>> split.born_in_holdout
    array([2])
    """
    purchases = _merged_purchases(
        customer_id,
        timestamp,
        amount,
        observation_end=observation_end,
        merge=merge,
        time_unit=time_unit,
        allow_negative_amounts=allow_negative_amounts,
        timestamps_are_periods=timestamps_are_periods,
        extra_boundary=calibration_end,
        extra_boundary_name="calibration_end",
    )
    boundary = purchases.axis.boundary
    first_times = purchases.time[purchases.customer_start]
    _check_calibration_end(purchases.axis, purchases.end, first_times.min())
    in_calibration = purchases.time <= boundary
    calibration_purchases = attrs.evolve(purchases, end=boundary)
    calibration, present = _summarize(calibration_purchases, keep=in_calibration)
    in_holdout = ~in_calibration
    holdout_count = np.add.reduceat(
        in_holdout.astype(np.int64), purchases.customer_start
    )[present]
    holdout_monetary = None
    if purchases.amount is not None:
        totals = np.add.reduceat(
            np.where(in_holdout, purchases.amount, 0.0), purchases.customer_start
        )[present]
        holdout_monetary = np.divide(
            totals,
            holdout_count,
            out=np.zeros_like(totals),
            where=holdout_count > 0,
        )
    return _split_summary(
        calibration,
        holdout_count,
        holdout_monetary,
        purchases.axis,
        purchases.end,
        purchases.unique_ids[~present],
    )


def _check_calibration_end(axis: _TimeAxis, end: Any, first_time: Any) -> None:
    """Refuse a calibration end after the observation end or before everyone."""
    boundary = axis.boundary
    if boundary > end:
        msg = (
            "`calibration_end` must be <= `observation_end`; got "
            f"calibration_end={axis.to_timestamp(boundary)!s} and "
            f"observation_end={axis.to_timestamp(end)!s}. Pass an observation_end "
            "after the calibration period."
        )
        raise ValueError(msg)
    if not first_time <= boundary:
        msg = (
            "`calibration_end` must come on or after some customer's first "
            f"purchase; got {axis.to_timestamp(boundary)!s}, before every "
            "transaction. Choose a later calibration end."
        )
        raise ValueError(msg)


def _split_summary(
    calibration: CustomerSummary,
    holdout_count: IntArray,
    holdout_monetary: FloatArray | None,
    axis: _TimeAxis,
    end: Any,
    born_in_holdout: npt.NDArray[Any],
) -> CalibrationHoldoutSummary:
    """Assemble the calibration/holdout result (shared by every engine)."""
    duration = (end - axis.boundary) / axis.ticks_per_period
    return CalibrationHoldoutSummary(
        calibration=calibration,
        holdout_frequency=holdout_count,
        holdout_monetary_value=holdout_monetary,
        holdout_duration=np.full(calibration.n_customers, float(duration)),
        calibration_end=axis.to_timestamp(axis.boundary)[()],
        born_in_holdout=born_in_holdout,
    )
