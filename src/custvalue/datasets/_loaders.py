"""Readers for the data files shipped in ``custvalue/datasets/data``."""

from __future__ import annotations

import io
from importlib import resources

import numpy as np

from custvalue.clv import CustomerSummary, DiscreteTimeSummary, Transactions

__all__ = [
    "load_cdnow_summary",
    "load_cdnow_transactions",
    "load_donations",
]

CDNOW_CALIBRATION_END = np.datetime64("1997-09-30")


def _read(name: str) -> str:
    return (resources.files("custvalue.datasets") / "data" / name).read_text(
        encoding="utf-8"
    )


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
    >>> donations.n_customers, int(donations.counts[0])
    (11104, 3464)
    """
    table = np.loadtxt(
        io.StringIO(_read("donations.csv")), delimiter=",", skiprows=1, dtype=np.int64
    )
    return DiscreteTimeSummary(
        frequency=table[:, 0],
        recency=table[:, 1],
        n_opportunities=table[:, 2],
        counts=table[:, 3],
    )
