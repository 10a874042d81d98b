"""Retention, churn, period conversion, expected lifetime and repeat purchase."""

from __future__ import annotations

import math
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    MAX_MAGNITUDE,
    as_int_array,
    check_scalar,
    choice_error,
)
from custvalue.evaluation._business._checks import count, unit_interval

__all__ = [
    "RateKind",
    "churn_rate",
    "convert_rate",
    "expected_lifetime",
    "repeat_purchase_rate",
    "retention_rate",
]

RateKind: TypeAlias = Literal["retention", "churn", "discount"]
"""Which kind of per-period rate :func:`convert_rate` converts."""

_RATE_KINDS = ("retention", "churn", "discount")


def _retained(
    customers_at_start: int | float,
    customers_at_end: int | float,
    new_customers: int | float,
) -> tuple[int, int]:
    """Check the three counts; return (customers at start, customers retained)."""
    start = count(customers_at_start, "customers_at_start")
    end = count(customers_at_end, "customers_at_end")
    new = count(new_customers, "new_customers")
    if start == 0:
        msg = (
            "`customers_at_start` must be > 0; got 0. With no customers at the "
            "start of the period there is nobody who could be retained, so the "
            "retention (and churn) rate is undefined, not 0 or 1."
        )
        raise ValueError(msg)
    retained = end - new
    if retained < 0:
        msg = (
            f"`customers_at_end` must be >= `new_customers`; got "
            f"customers_at_end={customers_at_end!r}, new_customers="
            f"{new_customers!r}. Every new customer counted must still be a "
            "customer at the end of the period; count new customers who left "
            "within the period as neither new nor at the end."
        )
        raise ValueError(msg)
    if retained > start:
        msg = (
            "`customers_at_end` - `new_customers` must be <= `customers_at_start`; "
            f"got {end} - {new} = {retained} retained of {start} at the start. "
            "Check that every customer acquired during the period is counted "
            "in `new_customers`."
        )
        raise ValueError(msg)
    return start, retained


def retention_rate(
    customers_at_start: int | float,
    customers_at_end: int | float,
    new_customers: int | float,
) -> float:
    r"""Share of the customers at the start of a period still customers at its end.

    The customer-count retention rate of subscription and account businesses:
    of the customers the firm had when the period began, how many did it keep?
    Customers acquired during the period are taken out of the end count, so
    growth does not hide losses.

    Parameters
    ----------
    customers_at_start : int
        Customers at the start of the period, :math:`S > 0`.
    customers_at_end : int
        Customers at the end of the period, :math:`E`, new ones included.
    new_customers : int
        Customers acquired during the period and still customers at its end,
        :math:`N \le E`.

    Returns
    -------
    float
        :math:`(E - N)/S`, in [0, 1].

    Raises
    ------
    ValueError
        If :math:`S = 0` (nobody could be retained: the rate is undefined), a
        count is negative or fractional, :math:`N > E`, or
        :math:`E - N > S`.

    See Also
    --------
    churn_rate : One minus this rate.
    convert_rate : Convert a monthly rate to an annual one and back.
    cohort_retention : Retention of acquisition cohorts from transactions.

    Notes
    -----
    .. math::

        r = \frac{E - N}{S}

    This is the ratio of customers retained to customers at risk (Farris et
    al. 2010, section 5.1). It assumes that every customer acquired during
    the period is still a customer at its end: a new customer who joins and
    leaves within the period is in neither :math:`E` nor :math:`N`, which is
    what this function expects. The period is whatever the counts were taken
    over; convert between period lengths with :func:`convert_rate`, never by
    multiplying.

    References
    ----------
    .. [1] Farris, P. W., Bendle, N. T., Pfeifer, P. E., & Reibstein, D. J.
       (2010). Marketing Metrics: The Definitive Guide to Measuring
       Marketing Performance (2nd ed.). Pearson/FT Press, section 5.1.

    Examples
    --------
    A firm starts the month with 1,000 customers, acquires 150 and ends with
    1,050: it kept 900 of its 1,000.

    >>> from custvalue.evaluation import retention_rate
    >>> retention_rate(1000, 1050, 150)
    0.9
    """
    start, retained = _retained(customers_at_start, customers_at_end, new_customers)
    return retained / start


def churn_rate(
    customers_at_start: int | float,
    customers_at_end: int | float,
    new_customers: int | float,
) -> float:
    r"""Share of the customers at the start of a period who left during it.

    The complement of :func:`retention_rate`, computed from the same three
    counts so the two always add up to 1.

    Parameters
    ----------
    customers_at_start : int
        Customers at the start of the period, :math:`S > 0`.
    customers_at_end : int
        Customers at the end of the period, :math:`E`, new ones included.
    new_customers : int
        Customers acquired during the period and still customers at its end.

    Returns
    -------
    float
        :math:`1 - (E - N)/S = (S - E + N)/S`, in [0, 1].

    Raises
    ------
    ValueError
        As :func:`retention_rate`; in particular for :math:`S = 0`.

    See Also
    --------
    retention_rate : The share kept.
    expected_lifetime : Mean lifetime under a constant churn rate.

    Notes
    -----
    .. math::

        c = \frac{S - (E - N)}{S} = 1 - r

    (Farris et al. 2010, section 5.1).

    References
    ----------
    .. [1] Farris, P. W., Bendle, N. T., Pfeifer, P. E., & Reibstein, D. J.
       (2010). Marketing Metrics (2nd ed.). Pearson/FT Press, section 5.1.

    Examples
    --------
    >>> from custvalue.evaluation import churn_rate
    >>> churn_rate(1000, 1050, 150)
    0.1
    """
    start, retained = _retained(customers_at_start, customers_at_end, new_customers)
    return (start - retained) / start


def convert_rate(rate: float, *, kind: RateKind, length_ratio: float) -> float:
    r"""Convert a per-period retention, churn or discount rate to another period length.

    A 5% monthly churn rate is not a 60% annual churn rate: a customer has to
    survive twelve months one after the other, so rates compound. This
    function converts a rate measured over one period length into the rate
    over a period ``length_ratio`` times as long (12 from months to years,
    ``1/12`` from years to months), assuming the rate is the same in every
    sub-period.

    Parameters
    ----------
    rate : float
        The rate per old period: a retention or churn rate in [0, 1], or a
        discount rate >= 0.
    kind : {'retention', 'churn', 'discount'}
        What the rate is. There is no default: the three convert differently.
    length_ratio : float
        Length of the new period divided by the length of the old one, > 0.

    Returns
    -------
    float
        The rate per new period.

    Raises
    ------
    ValueError
        If ``rate`` is outside its range, ``length_ratio`` is not > 0, or
        ``kind`` is unknown.

    See Also
    --------
    retention_rate : The share of customers kept over one period.
    churn_rate : The share of customers lost over one period.

    Notes
    -----
    With :math:`L` the length ratio and a constant rate in every old period:

    .. math::

        r_{new} = r^{L}, \qquad
        c_{new} = 1 - (1 - c)^{L}, \qquad
        d_{new} = (1 + d)^{L} - 1.

    The retention and churn formulas are the survival probability of a
    geometric lifetime over :math:`L` periods (Fader & Hardie 2007,
    section 3); the discount formula is compound interest. Converting to a
    shorter period (:math:`L < 1`) assumes the rate is spread evenly in
    this multiplicative sense.

    References
    ----------
    .. [1] Fader, P. S., & Hardie, B. G. S. (2007). How to project customer
       retention. Journal of Interactive Marketing, 21(1), 76-90.

    Examples
    --------
    A 5% monthly churn rate means that 46% (not 60%) of a year's starting
    customers are gone a year later:

    >>> from custvalue.evaluation import convert_rate
    >>> round(convert_rate(0.05, kind="churn", length_ratio=12), 4)
    0.4596

    An 80% annual retention rate is a 98.16% monthly one, and a 10% annual
    discount rate is 0.80% a month:

    >>> round(convert_rate(0.8, kind="retention", length_ratio=1 / 12), 4)
    0.9816
    >>> round(convert_rate(0.10, kind="discount", length_ratio=1 / 12), 5)
    0.00797
    """
    if kind not in _RATE_KINDS:
        msg = f"`kind` must be one of {list(_RATE_KINDS)}; got {kind!r}."
        raise choice_error(kind)(msg)
    ratio = check_scalar(length_ratio, "length_ratio", positive=True)
    if kind == "retention":
        return float(unit_interval(rate, "rate") ** ratio)
    if kind == "churn":
        c = unit_interval(rate, "rate")
        if c == 1.0:  # everybody leaves in every period, whatever its length
            return 1.0
        # 1 - (1 - c)^L as -expm1(L log1p(-c)), accurate for small c.
        return -math.expm1(ratio * math.log1p(-c))
    d = check_scalar(rate, "rate", nonnegative=True)
    return math.expm1(ratio * math.log1p(d))  # (1 + d)^L - 1, accurately


def expected_lifetime(churn_rate: float) -> float:
    r"""Compute the expected number of periods a customer stays, for constant churn.

    A back-of-the-envelope lifetime: if every customer leaves at the end of
    each period with the same probability, how many periods does a new
    customer stay on average? The answer counts the first period, in which
    the customer was acquired.

    Parameters
    ----------
    churn_rate : float
        Probability of leaving at the end of each period, in (0, 1].

    Returns
    -------
    float
        :math:`1/c` periods.

    Raises
    ------
    ValueError
        If the churn rate is 0 (customers never leave, so the expected
        lifetime is infinite) or outside (0, 1].

    See Also
    --------
    convert_rate : Convert the churn rate to the period you want the lifetime in.
    custvalue.clv.ShiftedBetaGeometric : Retention with churn rates that vary
        across customers, which makes the mean lifetime longer.

    Notes
    -----
    Convention: the lifetime :math:`T` counts periods as a customer, the
    first included, so with churn :math:`c` it is geometric on
    :math:`1, 2, \dots`, :math:`P(T = t) = c(1-c)^{t-1}` (Fader & Hardie
    2007, section 3), with mean

    .. math::

        E[T] = \frac{1}{c} = \frac{1}{1 - r}

    the "average lifetime" of Farris et al. (2010, chapter 5). The
    expected number of periods *after* the first (renewals) is one less,
    :math:`(1-c)/c`. The result is in the periods of the churn rate; the
    constant rate ignores that customers differ, which underestimates how
    long the base lasts (Fader & Hardie 2010).

    References
    ----------
    .. [1] Fader, P. S., & Hardie, B. G. S. (2007). How to project customer
       retention. Journal of Interactive Marketing, 21(1), 76-90.
    .. [2] Fader, P. S., & Hardie, B. G. S. (2010). Customer-base valuation
       in a contractual setting: The perils of ignoring heterogeneity.
       Marketing Science, 29(1), 85-93.
    .. [3] Farris, P. W., Bendle, N. T., Pfeifer, P. E., & Reibstein, D. J.
       (2010). Marketing Metrics (2nd ed.). Pearson/FT Press, chapter 5.

    Examples
    --------
    With 20% annual churn a customer stays 5 years on average, the year of
    acquisition included:

    >>> from custvalue.evaluation import expected_lifetime
    >>> expected_lifetime(0.2)
    5.0
    """
    c = unit_interval(churn_rate, "churn_rate")
    if c == 0.0:
        msg = (
            "`churn_rate` must be > 0; got 0. Customers who never leave have an "
            "infinite expected lifetime; use a finite horizon instead."
        )
        raise ValueError(msg)
    if c < 1.0 / MAX_MAGNITUDE:
        msg = (
            f"`churn_rate` must be >= {1.0 / MAX_MAGNITUDE:g}; got {churn_rate!r}. "
            "A lifetime this long is indistinguishable from customers who never "
            "leave; use a finite horizon instead."
        )
        raise ValueError(msg)
    return 1.0 / c


def repeat_purchase_rate(frequency: npt.ArrayLike) -> float:
    r"""Share of customers who bought again after their first purchase.

    A simple loyalty KPI for non-contractual businesses: of the customers
    acquired, how many came back at least once?

    Parameters
    ----------
    frequency : array-like of int, shape (n_customers,)
        Number of repeat purchases of each customer (purchases after the
        first), as in :class:`custvalue.clv.CustomerSummary`; whole numbers
        >= 0, at least one customer.

    Returns
    -------
    float
        The share of customers with ``frequency >= 1``, in [0, 1].

    Raises
    ------
    ValueError
        If there are no customers (the rate is undefined), or a frequency is
        negative, fractional or missing.

    See Also
    --------
    custvalue.clv.rfm_summary : Builds ``frequency`` from a transaction log.

    Notes
    -----
    .. math::

        \text{repeat purchase rate} = \frac{\#\{i : x_i \ge 1\}}{n}

    where :math:`x_i` is customer :math:`i`'s number of repeat purchases
    (Fader, Hardie & Lee 2005). It depends on how long the customers were
    observed: compare rates over windows of the same length, for example
    the calibration period of :func:`custvalue.clv.calibration_holdout_summary`.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your
       customers" the easy way: An alternative to the Pareto/NBD model.
       Marketing Science, 24(2), 275-284.

    Examples
    --------
    Two of five customers bought again:

    >>> from custvalue.evaluation import repeat_purchase_rate
    >>> repeat_purchase_rate([0, 2, 0, 1, 0])
    0.4
    """
    x = as_int_array(frequency, "frequency", nonnegative=True, allow_empty=True)
    if x.size == 0:
        msg = (
            "`frequency` must not be empty; got an array of length 0. With no "
            "customers the repeat purchase rate is undefined."
        )
        raise ValueError(msg)
    return float(np.count_nonzero(x > 0)) / x.size
