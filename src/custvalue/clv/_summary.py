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
    _MEASURE_UNIT,
    MergeRule,
    TimeUnit,
    _as_datetime_scalar,
    _as_number_scalar,
    _as_timestamps,
    _bucket,
    _check_amount,
    _encode_ids,
    _resolve_merge,
    _resolve_time_unit,
)

__all__ = ["calibration_holdout_summary", "rfm_summary"]


@attrs.frozen
class _Purchases:
    """Merged purchases sorted by (customer, time); internal."""

    unique_ids: npt.NDArray[Any]
    time: npt.NDArray[Any]  # int64 ticks of `tick`, or float64 periods
    amount: FloatArray | None
    customer_start: IntArray  # index of each customer's first purchase
    n_purchases: IntArray  # purchases per customer
    end: Any  # observation end, same representation as `time`
    ticks_per_period: float  # divide tick differences by this to get periods
    to_timestamp: Any  # maps `time` values back to the user's type
    end_value: Any
    time_unit: np.timedelta64 | None
    merge: str


def _merged_purchases(
    customer_id: npt.ArrayLike,
    timestamp: npt.ArrayLike,
    amount: npt.ArrayLike | None,
    *,
    observation_end: Any,
    merge: MergeRule | None,
    time_unit: TimeUnit | np.timedelta64 | None,
    allow_negative_amounts: bool,
    extra_boundary: Any = None,
    extra_boundary_name: str = "",
) -> tuple[_Purchases, Any]:
    """Validate the log and merge it into purchases sorted by customer and time.

    Returns the purchases and ``extra_boundary`` (e.g. a calibration end)
    converted to the same representation as the purchase times.
    """
    as_vector(customer_id, "customer_id")  # shape errors name the ids first
    ts = _as_timestamps(timestamp)
    money = _check_amount(amount, allow_negative_amounts)
    lengths: dict[str, npt.NDArray[Any]] = {
        "customer_id": np.asarray(customer_id),
        "timestamp": ts,
    }
    if money is not None:
        lengths["amount"] = money
    check_same_length(**lengths)
    is_datetime = ts.dtype.kind == "M"
    rule = _resolve_merge(merge, is_datetime)
    unit = _resolve_time_unit(time_unit, is_datetime)
    codes, unique_ids, raw_ids = _encode_ids(customer_id)

    boundary: Any = None
    if is_datetime:
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
        exact_unit = np.datetime_data(ts.dtype)[0]
        for scalar in (given_end, given_boundary):
            if scalar is not None and rule == "exact":
                # measure in the finer of the two units so nothing is floored
                exact_unit = np.datetime_data(
                    np.promote_types(
                        np.dtype(f"datetime64[{exact_unit}]"), scalar.dtype
                    )
                )[0]
        measure = exact_unit if rule == "exact" else _MEASURE_UNIT[rule]
        times: npt.NDArray[Any] = _bucket(ts, rule, exact_unit)
        end = (
            times.max()
            if given_end is None
            else _bucket(np.array([given_end]), rule, exact_unit)[0]
        )
        if given_boundary is not None:
            boundary = _bucket(np.array([given_boundary]), rule, exact_unit)[0]
        if unit is None:  # pragma: no cover - resolved above for datetimes
            msg = "internal error: missing time unit"
            raise RuntimeError(msg)
        ticks_per_period = float(unit / np.ones((), dtype=f"timedelta64[{measure}]"))
        dtype = f"datetime64[{measure}]"

        def to_timestamp(values: Any) -> Any:
            return np.asarray(values, dtype=np.int64).astype(dtype)

    else:
        times = ts
        end = (
            times.max()
            if observation_end is None
            else _as_number_scalar(observation_end, "observation_end")
        )
        if extra_boundary is not None:
            boundary = _as_number_scalar(extra_boundary, extra_boundary_name)
        ticks_per_period = 1.0

        def to_timestamp(values: Any) -> Any:
            return np.asarray(values, dtype=np.float64)

    check_all(
        times <= end,
        "`timestamp` must be <= `observation_end` for every transaction",
        {"timestamp": ts},
        f"observation_end is {to_timestamp(end)!s} at the merge granularity "
        f"'{rule}'; move it later or filter the log explicitly.",
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
    if unique_ids is None:
        unique_ids = raw_ids[order[purchase_start[customer_start]]]
    purchases = _Purchases(
        unique_ids=unique_ids,
        time=sorted_times[purchase_start],
        amount=purchase_amount,
        customer_start=customer_start,
        n_purchases=n_purchases,
        end=end,
        ticks_per_period=ticks_per_period,
        to_timestamp=to_timestamp,
        end_value=to_timestamp(end)[()],
        time_unit=unit,
        merge=rule,
    )
    return purchases, boundary


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
    first = p.time[starts]
    last = p.time[starts + counts - 1]
    scale = p.ticks_per_period
    recency = (last - first) / scale
    T = (p.end - first) / scale
    monetary = None
    if p.amount is not None:
        repeat_amount = np.where(keep, p.amount, 0.0)
        repeat_amount[p.customer_start] = 0.0  # the first purchase is not a repeat
        totals = np.add.reduceat(repeat_amount, p.customer_start)[present]
        frequency = counts - 1
        monetary = np.divide(
            totals, frequency, out=np.zeros_like(totals), where=frequency > 0
        )
    summary = CustomerSummary(
        frequency=counts - 1,
        recency=recency,
        T=T,
        monetary_value=monetary,
        customer_id=p.unique_ids[present],
        first_purchase=p.to_timestamp(first),
        observation_end=p.end_value,
        time_unit=p.time_unit,
        merge=p.merge,
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
        (pandas datetime Series work), or plain numbers already measured in
        periods.
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

    Returns
    -------
    CustomerSummary
        One entry per distinct customer, sorted by ``customer_id``, with the
        provenance (merge rule, time unit, observation end, first purchase
        times).

    Raises
    ------
    ValueError
        For empty input, mismatched lengths, missing ids or timestamps,
        non-finite or (unless allowed) negative amounts, transactions after
        ``observation_end`` or unknown options.
    TypeError
        For timestamps that are neither datetime64 nor numbers, or ids of
        mixed types.

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
    """
    purchases, _ = _merged_purchases(
        customer_id,
        timestamp,
        amount,
        observation_end=observation_end,
        merge=merge,
        time_unit=time_unit,
        allow_negative_amounts=allow_negative_amounts,
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
    merge, time_unit, allow_negative_amounts
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
    purchases, boundary = _merged_purchases(
        customer_id,
        timestamp,
        amount,
        observation_end=observation_end,
        merge=merge,
        time_unit=time_unit,
        allow_negative_amounts=allow_negative_amounts,
        extra_boundary=calibration_end,
        extra_boundary_name="calibration_end",
    )
    if boundary > purchases.end:
        msg = (
            "`calibration_end` must be <= `observation_end`; got "
            f"calibration_end={purchases.to_timestamp(boundary)!s} and "
            f"observation_end={purchases.end_value!s}. Pass an observation_end "
            "after the calibration period."
        )
        raise ValueError(msg)
    in_calibration = purchases.time <= boundary
    first_times = purchases.time[purchases.customer_start]
    if not (first_times <= boundary).any():
        msg = (
            "`calibration_end` must come on or after some customer's first "
            f"purchase; got {purchases.to_timestamp(boundary)!s}, before every "
            "transaction. Choose a later calibration end."
        )
        raise ValueError(msg)
    calibration_purchases = attrs.evolve(
        purchases, end=boundary, end_value=purchases.to_timestamp(boundary)[()]
    )
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
    duration = (purchases.end - boundary) / purchases.ticks_per_period
    return CalibrationHoldoutSummary(
        calibration=calibration,
        holdout_frequency=holdout_count,
        holdout_monetary_value=holdout_monetary,
        holdout_duration=np.full(calibration.n_customers, float(duration)),
        calibration_end=purchases.to_timestamp(boundary)[()],
        born_in_holdout=purchases.unique_ids[~present],
    )
