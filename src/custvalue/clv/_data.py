"""Frozen value classes for per-customer summaries of a transaction log."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result, array_field, short_value
from custvalue._lib.plain_time import TimeArray, TimePoint
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    as_int_array,
    as_vector,
    check_all,
    check_le,
    check_same_length,
    readonly,
)
from custvalue.clv._sbg._likelihood import (
    BoolArray,
    bool_vector,
    int_vector,
    validate_lifetimes,
)

__all__ = ["CalibrationHoldoutSummary", "CustomerSummary"]


def _frequency(value: npt.ArrayLike) -> IntArray:
    return readonly(as_int_array(value, "frequency", nonnegative=True))


def _recency(value: npt.ArrayLike) -> FloatArray:
    return readonly(as_float_array(value, "recency", nonnegative=True))


def _T(value: npt.ArrayLike) -> FloatArray:
    return readonly(as_float_array(value, "T", nonnegative=True))


def _optional_float(value: npt.ArrayLike | None, name: str) -> FloatArray | None:
    return None if value is None else readonly(as_float_array(value, name))


def _optional_vector(value: npt.ArrayLike | None, name: str) -> Any:
    if value is None:
        return None
    return readonly(np.array(as_vector(value, name), copy=True))


def _monetary_value(value: npt.ArrayLike | None) -> FloatArray | None:
    return _optional_float(value, "monetary_value")


def _holdout_monetary_value(value: npt.ArrayLike | None) -> FloatArray | None:
    return _optional_float(value, "holdout_monetary_value")


def _customer_id(value: npt.ArrayLike | None) -> npt.NDArray[Any] | None:
    return _optional_vector(value, "customer_id")  # type: ignore[no-any-return]


def _first_purchase(value: npt.ArrayLike | None) -> TimeArray | None:
    return _optional_vector(value, "first_purchase")  # type: ignore[no-any-return]


def _optional_count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"a transaction count must be a non-negative int or None; got {value!r}."
        raise TypeError(msg)
    if value < 0:
        msg = f"a transaction count must be >= 0; got {value!r}."
        raise ValueError(msg)
    return int(value)


def _holdout_frequency(value: npt.ArrayLike) -> IntArray:
    return readonly(as_int_array(value, "holdout_frequency", nonnegative=True))


def _holdout_duration(value: npt.ArrayLike) -> FloatArray:
    return readonly(as_float_array(value, "holdout_duration", nonnegative=True))


def _born_in_holdout(value: npt.ArrayLike) -> npt.NDArray[Any]:
    array = as_vector(value, "born_in_holdout", allow_empty=True)
    return readonly(np.array(array, copy=True))


@attrs.frozen(kw_only=True)
class CustomerSummary(Result):
    """Per-customer purchase history in the form the customer-base models use.

    One entry per customer, in the order of ``customer_id`` (sorted) when the
    summary comes from :func:`rfm_summary`. The arrays are read-only. Build
    one from a transaction log with :func:`rfm_summary`, or directly from
    arrays computed elsewhere (a database, a published table).
    ``to_dict()`` gives plain JSON-ready data (columns as lists, dates as
    ISO 8601 strings, ``time_unit`` as text such as ``"7 days"``) and
    ``CustomerSummary.from_dict`` reads it back.

    Parameters
    ----------
    frequency : array-like of int, shape (n_customers,)
        Number of repeat purchases: merged purchases after the first.
    recency : array-like of float, shape (n_customers,)
        Time from the first to the last purchase (the papers' :math:`t_x`),
        in ``time_unit``; 0 for a customer who bought once.
    T : array-like of float, shape (n_customers,)
        Time from the first purchase to the end of observation, in
        ``time_unit``.
    monetary_value : array-like of float, shape (n_customers,), optional
        Mean value of the repeat purchases; 0 for customers with
        ``frequency == 0`` (the convention of the papers' CDNOW summary).
        The first purchase is excluded, as in Fader, Hardie & Lee (2005).
    customer_id : array-like, shape (n_customers,), optional
        The customers' identifiers, of any dtype.
    first_purchase : array-like, shape (n_customers,), optional
        When each customer first bought (the start of the merge bucket), in
        the timestamps' own type.
    observation_end : numpy.datetime64 or float, optional
        The end of the observation window that ``T`` is measured to.
    time_unit : numpy.timedelta64 or None, optional
        The length of one period of ``recency`` and ``T``. ``None`` means the
        timestamps were plain numbers already measured in periods, or that
        the unit is not known.
    merge : str or None, optional
        How transactions were merged into purchases (e.g. ``'day'``).
    n_transactions : int or None, optional
        Transactions (rows of the log) summarized; None when unknown, as for
        a summary built by hand.
    n_merged : int or None, optional
        Transactions merged into a purchase of the same customer and merge
        bucket (``n_transactions`` minus the number of purchases); exact
        duplicates are among them.
    n_exact_duplicates : int or None, optional
        Rows repeating an earlier row exactly (same customer, timestamp and
        amount). Such rows are usually loading errors; they are merged and
        their amounts summed like any other same-bucket transactions.

    Raises
    ------
    ValueError
        If lengths differ, values are negative or not finite, ``recency``
        exceeds ``T``, or a customer with ``frequency == 0`` has a non-zero
        ``recency``.

    See Also
    --------
    rfm_summary : Build a summary from transactions.
    calibration_holdout_summary : Split a log into calibration and holdout.

    Examples
    --------
    A summary copied from a table (the first three customers of the CDNOW
    sample in Fader, Hardie & Lee 2005, in weeks):

    >>> import numpy as np
    >>> from custvalue.clv import CustomerSummary
    >>> summary = CustomerSummary(
    ...     frequency=[2, 1, 0], recency=[30.43, 1.71, 0.0], T=[38.86, 38.86, 38.86]
    ... )
    >>> summary.n_customers
    3
    >>> summary.time_since_last_purchase
    array([ 8.43, 37.15, 38.86])
    """

    frequency: IntArray = attrs.field(converter=_frequency, eq=ARRAY_EQ)
    recency: FloatArray = attrs.field(converter=_recency, eq=ARRAY_EQ)
    T: FloatArray = attrs.field(converter=_T, eq=ARRAY_EQ)
    monetary_value: FloatArray | None = attrs.field(
        default=None, converter=_monetary_value, eq=ARRAY_EQ
    )
    customer_id: npt.NDArray[Any] | None = attrs.field(
        default=None, converter=_customer_id, eq=ARRAY_EQ
    )
    first_purchase: TimeArray | None = attrs.field(
        default=None,
        converter=_first_purchase,
        eq=ARRAY_EQ,
    )
    observation_end: TimePoint | None = None
    time_unit: np.timedelta64 | None = None
    merge: str | None = None
    n_transactions: int | None = attrs.field(default=None, converter=_optional_count)
    n_merged: int | None = attrs.field(default=None, converter=_optional_count)
    n_exact_duplicates: int | None = attrs.field(
        default=None, converter=_optional_count
    )

    def __attrs_post_init__(self) -> None:
        arrays: dict[str, npt.NDArray[Any]] = {
            "frequency": self.frequency,
            "recency": self.recency,
            "T": self.T,
        }
        for name in ("monetary_value", "customer_id", "first_purchase"):
            value = getattr(self, name)
            if value is not None:
                arrays[name] = value
        check_same_length(**arrays)
        check_le(
            self.recency,
            "recency",
            self.T,
            "T",
            suggestion="Check both are measured in the same period from the "
            "same first purchase.",
        )
        check_all(
            (self.frequency > 0) | (self.recency == 0),
            "`recency` must be 0 for every customer with `frequency` 0",
            {"frequency": self.frequency, "recency": self.recency},
            "Recency is the time from the first to the last purchase, so it is 0 "
            "for one-time buyers.",
        )

    def _headline(self) -> str:
        columns = [
            f.name
            for f in attrs.fields(type(self))
            if isinstance(getattr(self, f.name), np.ndarray)
        ]
        settings = [
            f"{name}={short_value(getattr(self, name))}"
            for name in ("observation_end", "time_unit", "merge")
            if getattr(self, name) is not None
        ]
        return "; ".join(
            [f"{self.n_customers} customers: {', '.join(columns)}", *settings]
        )

    @property
    def n_customers(self) -> int:
        """Number of customers summarized."""
        return int(self.frequency.size)

    @property
    def time_since_last_purchase(self) -> FloatArray:
        """``T - recency``: the time since each customer's last purchase.

        This is what RFM analysis calls "recency"; custvalue keeps the word
        recency for the BTYD quantity :math:`t_x`.
        """
        return readonly(self.T - self.recency)


@attrs.frozen(kw_only=True)
class CalibrationHoldoutSummary(Result):
    """A calibration summary and what each of its customers did afterwards.

    The design of Fader, Hardie & Lee (2005): models are fitted on the
    calibration period and judged on the holdout period that follows.

    Parameters
    ----------
    calibration : CustomerSummary
        The summary of purchases up to and including ``calibration_end``, for
        every customer whose first purchase falls in that period.
    holdout_frequency : array-like of int, shape (n_customers,)
        Number of (merged) purchases after ``calibration_end`` up to the end
        of observation, per calibration customer.
    holdout_monetary_value : array-like of float, shape (n_customers,), optional
        Mean value of those purchases; 0 where there were none.
    holdout_duration : array-like of float, shape (n_customers,)
        Length of the holdout period in the summary's time unit.
    calibration_end : numpy.datetime64 or float
        The last instant (or merge bucket) of the calibration period.
    born_in_holdout : array-like
        Identifiers of customers whose first purchase came after
        ``calibration_end``. They have no calibration history, so they are not
        in ``calibration``; they are listed here rather than dropped silently.

    Examples
    --------
    >>> from custvalue.clv import calibration_holdout_summary
    >>> split = calibration_holdout_summary(
    ...     ["a", "a", "b", "a", "c"],
    ...     [0.0, 2.0, 3.0, 6.0, 7.0],
    ...     calibration_end=4.0,
    ...     observation_end=8.0,
    ... )
    >>> split.calibration.frequency, split.holdout_frequency
    (array([1, 0]), array([1, 0]))
    >>> split.born_in_holdout
    array(['c'], dtype='<U1')
    """

    calibration: CustomerSummary
    holdout_frequency: IntArray = attrs.field(converter=_holdout_frequency, eq=ARRAY_EQ)
    holdout_monetary_value: FloatArray | None = attrs.field(
        default=None,
        converter=_holdout_monetary_value,
        eq=ARRAY_EQ,
    )
    holdout_duration: FloatArray = attrs.field(converter=_holdout_duration, eq=ARRAY_EQ)
    calibration_end: TimePoint
    born_in_holdout: npt.NDArray[Any] = attrs.field(
        converter=_born_in_holdout, eq=ARRAY_EQ
    )

    def __attrs_post_init__(self) -> None:
        arrays: dict[str, npt.NDArray[Any]] = {
            "calibration.frequency": self.calibration.frequency,
            "holdout_frequency": self.holdout_frequency,
            "holdout_duration": self.holdout_duration,
        }
        if self.holdout_monetary_value is not None:
            arrays["holdout_monetary_value"] = self.holdout_monetary_value
        check_same_length(**arrays)

    def _headline(self) -> str:
        return (
            f"{self.calibration.n_customers} customers, "
            f"calibration_end={short_value(self.calibration_end)}, "
            f"holdout_frequency sum {int(self.holdout_frequency.sum())}, "
            f"{self.born_in_holdout.size} born in holdout"
        )


def _frozen_vector(value: npt.ArrayLike) -> npt.NDArray[Any]:
    return readonly(np.array(as_vector(value, "column"), copy=True))


@attrs.frozen(kw_only=True)
class Transactions(Result):
    """A transaction log: one entry per transaction, read-only arrays.

    Parameters
    ----------
    customer_id : ndarray of shape (n_transactions,)
        Who bought.
    timestamp : ndarray of datetime64 of shape (n_transactions,)
        When.
    amount : ndarray of float of shape (n_transactions,)
        The transaction's value (dollars for CDNOW).
    quantity : ndarray of int of shape (n_transactions,)
        Units bought (CDs for CDNOW).
    """

    customer_id: npt.NDArray[Any] = attrs.field(converter=_frozen_vector, eq=ARRAY_EQ)
    timestamp: npt.NDArray[Any] = array_field(
        converter=_frozen_vector, dtype="datetime64"
    )
    amount: FloatArray = attrs.field(converter=_frozen_vector, eq=ARRAY_EQ)
    quantity: IntArray = attrs.field(converter=_frozen_vector, eq=ARRAY_EQ)

    def __attrs_post_init__(self) -> None:
        check_same_length(
            customer_id=self.customer_id,
            timestamp=self.timestamp,
            amount=self.amount,
            quantity=self.quantity,
        )

    @property
    def n_transactions(self) -> int:
        """Number of transactions in the log."""
        return int(self.customer_id.size)


def _count(value: npt.ArrayLike) -> IntArray:
    return readonly(as_int_array(value, "counts", nonnegative=True))


def _discrete_frequency(value: npt.ArrayLike) -> IntArray:
    return readonly(as_int_array(value, "frequency", nonnegative=True))


def _discrete_recency(value: npt.ArrayLike) -> IntArray:
    return readonly(as_int_array(value, "recency", nonnegative=True))


def _n_opportunities(value: npt.ArrayLike) -> IntArray:
    return readonly(as_int_array(value, "n_opportunities", nonnegative=True))


@attrs.frozen(kw_only=True)
class DiscreteTimeSummary(Result):
    """Purchase histories in discrete time, as patterns with counts.

    In a discrete-time setting (one opportunity to transact per period, as in
    annual donations) a customer is summarized by how many of the
    opportunities they used and when they last used one.

    Parameters
    ----------
    frequency : array-like of int, shape (n_patterns,)
        Number of opportunities with a transaction, after the first purchase.
    recency : array-like of int, shape (n_patterns,)
        The opportunity (1..``n_opportunities``) of the last transaction; 0
        when there was none.
    n_opportunities : array-like of int, shape (n_patterns,)
        Opportunities observed after the first purchase.
    counts : array-like of int, shape (n_patterns,)
        Number of customers with that pattern.
    """

    frequency: IntArray = attrs.field(converter=_discrete_frequency, eq=ARRAY_EQ)
    recency: IntArray = attrs.field(converter=_discrete_recency, eq=ARRAY_EQ)
    n_opportunities: IntArray = attrs.field(converter=_n_opportunities, eq=ARRAY_EQ)
    counts: IntArray = attrs.field(converter=_count, eq=ARRAY_EQ)

    def __attrs_post_init__(self) -> None:
        check_same_length(
            frequency=self.frequency,
            recency=self.recency,
            n_opportunities=self.n_opportunities,
            counts=self.counts,
        )
        check_le(self.frequency, "frequency", self.recency, "recency", what="pattern")
        check_le(
            self.recency,
            "recency",
            self.n_opportunities,
            "n_opportunities",
            what="pattern",
        )
        check_all(
            (self.frequency > 0) | (self.recency == 0),
            "`recency` must be 0 for every pattern with `frequency` 0",
            {"frequency": self.frequency, "recency": self.recency},
        )

    @property
    def n_customers(self) -> int:
        """Number of customers (the sum of the counts)."""
        return int(self.counts.sum())


@attrs.frozen(kw_only=True)
class SubscriberLifetimes(Result):
    """Observed lifetimes of subscribers, right-censored at the end of observation.

    Parameters
    ----------
    lifetime : ndarray of int, shape (n_customers,)
        Periods subscribed: the renewal opportunity at which the customer
        cancelled (``churned`` True, ``lifetime >= 1``), or the renewals
        made by the end of observation (``churned`` False).
    churned : ndarray of bool, shape (n_customers,)
        Whether the cancellation was observed; False means the customer
        was still subscribed after ``lifetime`` periods (right-censored).
    """

    lifetime: IntArray = attrs.field(converter=int_vector, eq=ARRAY_EQ)
    churned: BoolArray = attrs.field(converter=bool_vector, eq=ARRAY_EQ)

    @lifetime.validator
    def _check(self, attribute: object, value: IntArray) -> None:
        validate_lifetimes(value, self.churned)
