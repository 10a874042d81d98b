"""Cohort retention matrix from a transaction log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_vector,
    check_all,
    check_same_length,
    readonly,
)
from custvalue.evaluation._business._periods import CohortPeriod, period_grid

__all__ = ["CohortRetention", "cohort_retention"]


def _frozen(value: npt.ArrayLike) -> npt.NDArray[Any]:
    return readonly(np.array(value, copy=True))


def _frozen_float(value: npt.ArrayLike) -> FloatArray:
    return readonly(np.array(value, dtype=np.float64, copy=True))


def _frozen_int(value: npt.ArrayLike) -> IntArray:
    return readonly(np.array(value, dtype=np.int64, copy=True))


def _frozen_bool(value: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    return readonly(np.array(value, dtype=bool, copy=True))


@attrs.frozen(kw_only=True)
class CohortRetention(Result):
    """A cohort retention matrix: rows are acquisition periods, columns periods since.

    Returned by :func:`cohort_retention`. Cells that could not be observed
    by the end of observation are NaN (never 0), and ``observable`` marks
    the others. All arrays are read-only.

    Parameters
    ----------
    cohort_start : ndarray of shape (n_cohorts,)
        Start of each cohort's acquisition period: ``datetime64[D]`` for
        calendar periods, float for numeric ones. Only periods in which at
        least one customer was acquired have a row.
    cohort_size : ndarray of int of shape (n_cohorts,)
        Customers acquired in each period (first transaction in the log).
    periods_since_acquisition : ndarray of int of shape (n_periods,)
        Column labels ``0, 1, ...``; column 0 is the acquisition period.
    active_share : ndarray of shape (n_cohorts, n_periods)
        Share of the cohort with at least one transaction in period ``k``
        after acquisition; NaN where not observable.
    active_at_or_after_share : ndarray of shape (n_cohorts, n_periods)
        Share of the cohort with a transaction in period ``k`` or any later
        period up to the end of observation; NaN where not observable.
    observable : ndarray of bool of shape (n_cohorts, n_periods)
        Whether period ``k`` of the cohort had ended by the end of
        observation.
    period : str or float
        The period: a calendar name, or the length of a numeric period.
    observation_end : numpy.datetime64 or float
        The end of observation used.

    Examples
    --------
    >>> from custvalue.evaluation import cohort_retention
    >>> cohorts = cohort_retention(
    ...     ["a", "b", "a", "c"], [0.5, 0.7, 1.2, 1.5], period=1.0, observation_end=3.0
    ... )
    >>> cohorts.cohort_start, cohorts.cohort_size
    (array([0., 1.]), array([2, 1]))
    >>> cohorts.active_share
    array([[1. , 0.5, 0. ],
           [1. , 0. , nan]])
    """

    cohort_start: npt.NDArray[Any] = attrs.field(converter=_frozen, eq=ARRAY_EQ)
    cohort_size: IntArray = attrs.field(converter=_frozen_int, eq=ARRAY_EQ)
    periods_since_acquisition: IntArray = attrs.field(
        converter=_frozen_int, eq=ARRAY_EQ
    )
    active_share: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    active_at_or_after_share: FloatArray = attrs.field(
        converter=_frozen_float, eq=ARRAY_EQ
    )
    observable: npt.NDArray[np.bool_] = attrs.field(converter=_frozen_bool, eq=ARRAY_EQ)
    period: str | float
    observation_end: Any

    def __attrs_post_init__(self) -> None:
        shape = (self.cohort_size.size, self.periods_since_acquisition.size)
        check_same_length(cohort_start=self.cohort_start, cohort_size=self.cohort_size)
        for name in ("active_share", "active_at_or_after_share", "observable"):
            if getattr(self, name).shape != shape:
                msg = (
                    f"`{name}` must have shape (n_cohorts, n_periods) = {shape}; "
                    f"got {getattr(self, name).shape}."
                )
                raise ValueError(msg)
        for name in ("active_share", "active_at_or_after_share"):
            values = getattr(self, name).ravel()
            seen = self.observable.ravel()
            check_all(
                np.isnan(values) == ~seen,
                f"`{name}` must be NaN exactly where `observable` is False",
                {name: values, "observable": seen},
                "Unobservable cells are unknown, not 0.",
            )

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Build the matrix from plain data such as :meth:`to_dict` returns.

        Calendar cohorts come back as ``datetime64`` from their ISO 8601
        strings; see :meth:`custvalue._lib.fields.Result.from_dict`.

        Parameters
        ----------
        data : dict
            What :meth:`to_dict` returns.

        Returns
        -------
        CohortRetention
            An equal object.
        """
        if isinstance(data, Mapping):
            data = dict(data)
            start = data.get("cohort_start")
            if isinstance(start, list) and any(isinstance(s, str) for s in start):
                data["cohort_start"] = np.array(start, dtype="datetime64")
            end = data.get("observation_end")
            if isinstance(end, str):
                data["observation_end"] = np.datetime64(end)
        return super().from_dict(data)

    @property
    def n_cohorts(self) -> int:
        """Number of cohorts (rows)."""
        return int(self.cohort_size.size)

    def _pooled(self, share: FloatArray) -> FloatArray:
        sizes = self.cohort_size[:, None].astype(np.float64)
        counts = np.where(self.observable, np.rint(share * sizes), 0.0)
        at_risk = np.where(self.observable, sizes, 0.0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            pooled = counts.sum(axis=0) / at_risk
        return readonly(np.where(at_risk > 0, pooled, np.nan))

    @property
    def pooled_active_share(self) -> FloatArray:
        """Share active in period ``k``, pooled over the cohorts observed that far.

        The customers of every cohort whose period ``k`` is observable,
        counted together (bigger cohorts weigh more); NaN where no cohort is.
        """
        return self._pooled(self.active_share)

    @property
    def pooled_active_at_or_after_share(self) -> FloatArray:
        """Share active in period ``k`` or later, pooled over cohorts.

        Pooled like :attr:`pooled_active_share`.
        """
        return self._pooled(self.active_at_or_after_share)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    # pandas.NA and pandas.NaT, without importing pandas
    return type(value).__name__ in {"NAType", "NaTType"}


def _customer_codes(customer_id: npt.ArrayLike) -> IntArray:
    ids = as_vector(customer_id, "customer_id")
    if ids.dtype.kind == "f":
        missing = np.isnan(ids)
    elif ids.dtype.kind in "mM":
        missing = np.isnat(ids)
    elif ids.dtype.kind == "O":
        missing = np.array([_is_missing(v) for v in ids.tolist()], dtype=bool)
    else:
        missing = np.zeros(ids.size, dtype=bool)
    check_all(
        ~missing,
        "`customer_id` must not be missing",
        {"customer_id": ids},
        "Drop or label transactions without a customer first.",
    )
    try:
        _, codes = np.unique(ids, return_inverse=True)
    except TypeError as exc:
        msg = (
            "`customer_id` must hold values of one comparable type; sorting "
            f"them failed: {exc}. Convert the ids to str first if they are mixed."
        )
        raise TypeError(msg) from None
    return codes.reshape(-1).astype(np.int64)


def cohort_retention(
    customer_id: npt.ArrayLike,
    timestamp: npt.ArrayLike,
    *,
    period: CohortPeriod | float,
    observation_end: Any,
    origin: float | None = None,
) -> CohortRetention:
    r"""Cohort retention matrix: share of each cohort active k periods after joining.

    Customers are grouped by the period of their first transaction (their
    cohort). For each cohort and each number of periods since acquisition
    :math:`k`, the matrix gives the share of the cohort that was active:
    with a transaction in period :math:`k` (``active_share``), or in period
    :math:`k` or any later one (``active_at_or_after_share``). Cells the log
    cannot show yet, because the period had not ended when observation
    stopped, are NaN rather than 0, so a young cohort does not look like a
    cohort that left.

    Parameters
    ----------
    customer_id : array-like of shape (n_transactions,)
        Who bought, any comparable dtype.
    timestamp : array-like of shape (n_transactions,)
        When: ``datetime64`` values, or plain numbers (e.g. weeks).
    period : {'day', 'week', 'month', 'quarter', 'year'} or float
        The period of the matrix: a calendar period for ``datetime64``
        timestamps (weeks start on Monday, quarters in January, April, July
        and October), or a period length > 0 for numeric timestamps.
    observation_end : numpy.datetime64, str, datetime.date or float
        The end of observation, inclusive. A datetime covers the whole of its
        own unit: ``'1998-06-30'`` includes that day. No transaction may be
        later.
    origin : float, optional
        Numeric timestamps only: the start of period 0; default 0. Period
        :math:`j` is :math:`[\text{origin} + jL, \text{origin} + (j+1)L)`,
        with the boundaries computed in floating point exactly as reported in
        ``cohort_start``; a time equal to a boundary starts that period. When
        :math:`L` is not exact in binary, a decimal time can lie just below
        its boundary (``3 * 0.1`` is ``0.30000000000000004``, so ``0.3`` is
        in period 2); integer time units avoid this.

    Returns
    -------
    CohortRetention
        Row and column labels, cohort sizes, both share matrices and the
        ``observable`` mask.

    Raises
    ------
    TypeError
        If the timestamps are neither datetime64 nor numbers, or ``period``
        does not match them.
    ValueError
        If the lengths differ, an id or time is missing, a transaction is
        after ``observation_end``, or ``period`` is not positive.

    See Also
    --------
    retention_rate : Retention from customer counts.
    custvalue.clv.ShiftedBetaGeometric : A model that projects such curves.

    Notes
    -----
    Let cohort :math:`c` be the customers whose first transaction is in
    period :math:`c`, with size :math:`n_c`, and let :math:`P` be the last
    period that ended by the end of observation. For :math:`c + k \le P`,

    .. math::

        a_{ck} = \frac{\#\{i \in c : i \text{ bought in period } c+k\}}{n_c},
        \qquad
        s_{ck} = \frac{\#\{i \in c : i \text{ bought in a period} \ge c+k\}}{n_c},

    and the cells with :math:`c + k > P` are NaN. :math:`a_{c0} = 1` by
    construction and :math:`s_{ck}` never increases in :math:`k`.
    :math:`s_{ck}` counts transactions up to the end of observation,
    including a final incomplete period, so its last observable cells are
    lower bounds that later data can raise: a customer silent since period
    :math:`c+k` may still come back. In a non-contractual business neither
    share is a retention rate in the contractual sense (a silent customer
    is not known to have left; Fader & Hardie 2009). Cohorts are defined by
    the first transaction *in the log*: customers acquired before the log
    starts look new in its first period (left truncation).

    References
    ----------
    .. [1] Fader, P. S., & Hardie, B. G. S. (2009). Probability models for
       customer-base analysis. Journal of Interactive Marketing, 23(1),
       61-69.
    .. [2] Fader, P. S., & Hardie, B. G. S. (2007). How to project customer
       retention. Journal of Interactive Marketing, 21(1), 76-90.

    Examples
    --------
    Three customers, monthly cohorts, observed to the end of March: ``a``
    and ``b`` joined in January, ``c`` in February.

    >>> import numpy as np
    >>> from custvalue.evaluation import cohort_retention
    >>> days = np.array(
    ...     ["2024-01-05", "2024-01-20", "2024-03-02", "2024-02-10", "2024-02-11"],
    ...     dtype="datetime64[D]",
    ... )
    >>> cohorts = cohort_retention(
    ...     ["a", "b", "a", "c", "b"], days,
    ...     period="month", observation_end="2024-03-31",
    ... )
    >>> cohorts.cohort_start
    array(['2024-01-01', '2024-02-01'], dtype='datetime64[D]')
    >>> cohorts.active_share
    array([[1. , 0.5, 0.5],
           [1. , 0. , nan]])
    >>> cohorts.active_at_or_after_share
    array([[1. , 1. , 0.5],
           [1. , 0. , nan]])

    Half of January's cohort bought in February (``b``) and half in March
    (``a``); both were active at or after February. The February cohort's
    third month (April) had not happened by the end of March, hence NaN.
    """
    ids = as_vector(customer_id, "customer_id")
    ts_raw = as_vector(timestamp, "timestamp")
    check_same_length(customer_id=ids, timestamp=ts_raw)
    codes = _customer_codes(ids)
    ts, grid = period_grid(
        ts_raw, period=period, observation_end=observation_end, origin=origin
    )
    index = grid.index_of(ts)
    n_customers = int(codes.max()) + 1
    first = np.full(n_customers, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, codes, index)
    last = np.full(n_customers, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, codes, index)
    cohorts, row = np.unique(first, return_inverse=True)
    row = row.reshape(-1)
    sizes = np.bincount(row, minlength=cohorts.size)
    last_complete = grid.complete_until
    n_periods = max(last_complete - int(cohorts[0]) + 1, 1)

    # Distinct (customer, period) pairs: sort by customer, then period.
    order = np.lexsort((index, codes))
    sorted_codes, sorted_index = codes[order], index[order]
    distinct = np.ones(order.size, dtype=bool)
    distinct[1:] = (sorted_codes[1:] != sorted_codes[:-1]) | (
        sorted_index[1:] != sorted_index[:-1]
    )
    buyer = sorted_codes[distinct]
    k = sorted_index[distinct] - first[buyer]
    in_grid = k < n_periods
    active = np.bincount(
        row[buyer[in_grid]] * n_periods + k[in_grid],
        minlength=cohorts.size * n_periods,
    ).reshape(cohorts.size, n_periods)

    # Active at or after k: customers whose last active period is >= k.
    last_k = np.minimum(last - first, n_periods - 1)
    ending = np.bincount(
        row * n_periods + last_k, minlength=cohorts.size * n_periods
    ).reshape(cohorts.size, n_periods)
    surviving = np.cumsum(ending[:, ::-1], axis=1)[:, ::-1]

    columns = np.arange(n_periods, dtype=np.int64)
    observable = cohorts[:, None] + columns[None, :] <= last_complete
    size_column = sizes[:, None].astype(np.float64)
    return CohortRetention(
        cohort_start=grid.start_of(cohorts),
        cohort_size=sizes,
        periods_since_acquisition=columns,
        active_share=np.where(observable, active / size_column, np.nan),
        active_at_or_after_share=np.where(observable, surviving / size_column, np.nan),
        observable=observable,
        period=grid.period,
        observation_end=grid.end,
    )
