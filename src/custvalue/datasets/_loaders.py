"""Readers for the data files shipped in ``custvalue/datasets/data``."""

from __future__ import annotations

import io
from importlib import resources
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result, array_field
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_int_array,
    as_vector,
    check_all,
    check_le,
    check_same_length,
    readonly,
)
from custvalue.clv import CustomerSummary

__all__ = [
    "DiscreteTimeSummary",
    "Transactions",
    "load_cdnow_summary",
    "load_cdnow_transactions",
    "load_donations",
]

CDNOW_CALIBRATION_END = np.datetime64("1997-09-30")


def _read(name: str) -> str:
    return (resources.files("custvalue.datasets") / "data" / name).read_text(
        encoding="utf-8"
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
    return readonly(as_int_array(value, "count", nonnegative=True))


def _frequency(value: npt.ArrayLike) -> IntArray:
    return readonly(as_int_array(value, "frequency", nonnegative=True))


def _recency(value: npt.ArrayLike) -> IntArray:
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
    count : array-like of int, shape (n_patterns,)
        Number of customers with that pattern.
    """

    frequency: IntArray = attrs.field(converter=_frequency, eq=ARRAY_EQ)
    recency: IntArray = attrs.field(converter=_recency, eq=ARRAY_EQ)
    n_opportunities: IntArray = attrs.field(converter=_n_opportunities, eq=ARRAY_EQ)
    count: IntArray = attrs.field(converter=_count, eq=ARRAY_EQ)

    def __attrs_post_init__(self) -> None:
        check_same_length(
            frequency=self.frequency,
            recency=self.recency,
            n_opportunities=self.n_opportunities,
            count=self.count,
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
        return int(self.count.sum())


def load_cdnow_transactions() -> Transactions:
    """Load the CDNOW 1/10 sample: 6,919 purchases by 2,357 customers.

    The customers first bought at CDNOW in the first quarter of 1997; every
    purchase they made up to 1998-06-30 is included. This is the sample used
    by Fader, Hardie & Lee (2005) and many later papers.

    Returns
    -------
    Transactions
        ``customer_id`` is the sample id (1..2357, the ``ID`` of
        :func:`load_cdnow_summary`), ``timestamp`` is ``datetime64[D]``,
        ``amount`` is in dollars and ``quantity`` counts CDs. Several rows can
        share a customer and day.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your
       customers" the easy way: An alternative to the Pareto/NBD model.
       Marketing Science, 24(2), 275-284.

    Examples
    --------
    >>> from custvalue.datasets import load_cdnow_transactions
    >>> log = load_cdnow_transactions()
    >>> log.n_transactions, len(set(log.customer_id.tolist()))
    (6919, 2357)
    >>> str(log.timestamp.min()), str(log.timestamp.max())
    ('1997-01-01', '1998-06-30')
    """
    table = np.loadtxt(
        io.StringIO(_read("CDNOW_sample.txt")),
        dtype=[
            ("master", np.int64),
            ("sample", np.int64),
            ("date", np.int64),
            ("cds", np.int64),
            ("dollars", np.float64),
        ],
    )
    dates = table["date"]
    iso = np.char.add(
        np.char.add(np.char.zfill((dates // 10000).astype(str), 4), "-"),
        np.char.add(
            np.char.add(np.char.zfill((dates // 100 % 100).astype(str), 2), "-"),
            np.char.zfill((dates % 100).astype(str), 2),
        ),
    )
    return Transactions(
        customer_id=table["sample"],
        timestamp=iso.astype("datetime64[D]"),
        amount=table["dollars"],
        quantity=table["cds"],
    )


def load_cdnow_summary() -> CustomerSummary:
    """Load the papers' calibration summary of the CDNOW sample, in weeks.

    The 39-week calibration period ends on 1997-09-30; times are in weeks
    (days / 7) rounded to two decimals, as published. It is what Fader,
    Hardie & Lee (2005) fit the BG/NBD model to.

    Returns
    -------
    CustomerSummary
        ``customer_id`` 1..2357, ``frequency`` (x), ``recency`` (t_x), ``T``
        and ``monetary_value`` (zbar, 0 when x = 0); ``time_unit`` is seven
        days and ``observation_end`` is 1997-09-30. First purchase times are
        not recorded in the published file.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your
       customers" the easy way: An alternative to the Pareto/NBD model.
       Marketing Science, 24(2), 275-284.

    Examples
    --------
    >>> from custvalue.datasets import load_cdnow_summary
    >>> summary = load_cdnow_summary()
    >>> summary.n_customers, int(summary.frequency.sum())
    (2357, 2457)
    >>> float(summary.recency[0]), float(summary.T[0])
    (30.43, 38.86)
    """
    table = np.loadtxt(
        io.StringIO(_read("cdnow_customers_summary_with_transactions.csv")),
        delimiter=",",
        skiprows=1,
    )
    return CustomerSummary(
        customer_id=table[:, 0].astype(np.int64),
        frequency=table[:, 1],
        recency=table[:, 2],
        T=table[:, 3],
        monetary_value=table[:, 4],
        observation_end=CDNOW_CALIBRATION_END,
        time_unit=np.timedelta64(7, "D"),
        merge="day",
    )


def load_donations() -> DiscreteTimeSummary:
    """Load the donations data of Fader, Hardie & Shang (2010).

    11,104 people who first donated to a non-profit in 1995, followed over
    six annual opportunities (1996-2001), as 22 (frequency, recency)
    patterns with their counts.

    Returns
    -------
    DiscreteTimeSummary
        ``n_opportunities`` is 6 for every pattern.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Shang, J. (2010). Customer-base
       analysis in a discrete-time noncontractual setting. Marketing Science,
       29(6), 1086-1108.

    Examples
    --------
    >>> from custvalue.datasets import load_donations
    >>> donations = load_donations()
    >>> donations.n_customers, int(donations.count[0])
    (11104, 3464)
    """
    table = np.loadtxt(
        io.StringIO(_read("donations.csv")), delimiter=",", skiprows=1, dtype=np.int64
    )
    return DiscreteTimeSummary(
        frequency=table[:, 0],
        recency=table[:, 1],
        n_opportunities=table[:, 2],
        count=table[:, 3],
    )
