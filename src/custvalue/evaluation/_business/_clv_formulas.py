"""Simple retention-based CLV formulas and the AOV x frequency x lifespan heuristic."""

from __future__ import annotations

import math
from typing import Literal, TypeAlias

from custvalue._lib.validation import check_scalar, choice_error
from custvalue.evaluation._business._checks import unit_interval

__all__ = ["CLVTiming", "heuristic_clv", "retention_clv"]

CLVTiming: TypeAlias = Literal[
    "include_first_margin", "exclude_first_margin", "end_of_period"
]
"""When the margins of :func:`retention_clv` are booked (Fader & Hardie 2012)."""

_TIMINGS = ("include_first_margin", "exclude_first_margin", "end_of_period")


def _geometric_sum(q: float, n: float) -> float:
    """Sum of q**t for t = 0 .. n-1 (n may be infinite, then q < 1)."""
    if math.isinf(n):
        return 1.0 / (1.0 - q)
    if q == 1.0:
        return n
    if q == 0.0:
        return 1.0
    # (1 - q^n) / (1 - q), with q^n - 1 = expm1(n log q) to keep accuracy
    # when q is close to 1.
    return -math.expm1(n * math.log(q)) / (1.0 - q)


def retention_clv(
    margin: float,
    retention_rate: float,
    discount_rate: float,
    *,
    timing: CLVTiming,
    horizon: float = math.inf,
) -> float:
    r"""Compute CLV from a constant margin, retention rate and discount rate.

    The textbook formula: a customer brings the same net margin every period
    until they leave, they stay each period with the same probability, and
    future money is discounted. Textbooks disagree on whether the margin of
    the first period is counted and on whether margins arrive at the start
    or the end of a period, which changes the answer by a factor of up to
    :math:`(1+d)/r`. You must say which you mean with ``timing``; there is no
    default.

    Parameters
    ----------
    margin : float
        Net margin (cash flow) per period from a customer who is still a
        customer, :math:`m`.
    retention_rate : float
        Probability of staying from one period to the next, :math:`r`, in
        [0, 1].
    discount_rate : float
        Discount rate per period, :math:`d \ge 0`; convert annual rates with
        :func:`convert_rate`.
    timing : {'include_first_margin', 'exclude_first_margin', 'end_of_period'}
        ``'include_first_margin'``: margins at the start of each period, the
        first one (at time 0, certain) included. ``'exclude_first_margin'``:
        the same without the first margin, the value of a customer who has
        just paid it. ``'end_of_period'``: margins at the end of each period,
        the first one (at time 1, certain) included (Ofek's form).
    horizon : float, default=math.inf
        Number of margins summed, a whole number > 0, or ``math.inf`` for
        the lifetime value. A finite horizon gives what Fader & Hardie (2014)
        call a truncated CLV.

    Returns
    -------
    float
        Expected present value at time 0 of the margins counted.

    Raises
    ------
    ValueError
        If the rates are out of range, ``timing`` is not one of the three,
        ``horizon`` is not a positive whole number or infinity, or the
        horizon is infinite with :math:`r = 1` and :math:`d = 0` (the sum
        diverges).

    See Also
    --------
    heuristic_clv : The average-order-value heuristic.
    custvalue.clv.customer_lifetime_value : CLV from fitted customer-base
        models, which let retention vary across customers.

    Notes
    -----
    With :math:`q = r/(1+d)`, the three timings, whose lifetime values are
    eqs. (1)-(3) of Fader & Hardie (2012), are, for an infinite horizon,

    .. math::

        \text{include first: } \sum_{t=0}^{\infty} \frac{m r^t}{(1+d)^t}
            = \frac{m(1+d)}{1+d-r},\qquad
        \text{exclude first: } \sum_{t=1}^{\infty} \frac{m r^t}{(1+d)^t}
            = \frac{m r}{1+d-r},

    .. math::

        \text{end of period: } \sum_{t=1}^{\infty} \frac{m r^{t-1}}{(1+d)^t}
            = \frac{m}{1+d-r}.

    Fader & Hardie (2012, introduction) list which readings use which:
    the first Blattberg et al. (2008) and Steenburgh & Avery (2011); the
    second Capon (2007), Kotler & Keller (2012) and Lehmann & Winer (2008);
    the third Ofek (2002) and Davis (2007). These attributions are theirs,
    not checked here against the books. The three differ only in
    bookkeeping: "exclude first" is "include first" minus :math:`m`, and
    "end of period" is "include first" divided by :math:`1+d`. With a finite
    horizon :math:`H` each sum stops after :math:`H` terms, e.g.
    :math:`m\,(1-q^H)/(1-q)` for "include first". Acquisition cost is not
    subtracted. All three assume one retention rate for every customer and
    period, which understates the value of a heterogeneous base (Fader &
    Hardie 2010, 2014).

    References
    ----------
    .. [1] Fader, P. S., & Hardie, B. G. S. (2012). Reconciling and
       clarifying CLV formulas. http://brucehardie.com/notes/024/
    .. [2] Fader, P. S., & Hardie, B. G. S. (2014). What's wrong with this
       CLV formula? http://brucehardie.com/
    .. [3] Fader, P. S., & Hardie, B. G. S. (2010). Customer-base valuation
       in a contractual setting: The perils of ignoring heterogeneity.
       Marketing Science, 29(1), 85-93.

    Examples
    --------
    A subscriber pays a net $100 a year, 80% renew, money is discounted at
    10% a year. The three textbook answers:

    >>> from custvalue.evaluation import retention_clv
    >>> for timing in ("include_first_margin", "exclude_first_margin", "end_of_period"):
    ...     print(timing, round(retention_clv(100, 0.8, 0.1, timing=timing), 2))
    include_first_margin 366.67
    exclude_first_margin 266.67
    end_of_period 333.33

    Over the first three years only:

    >>> round(retention_clv(100, 0.8, 0.1, timing="include_first_margin", horizon=3), 2)
    225.62
    """
    m = check_scalar(margin, "margin")
    r = unit_interval(retention_rate, "retention_rate")
    d = check_scalar(discount_rate, "discount_rate", nonnegative=True)
    h = check_scalar(horizon, "horizon", positive=True, allow_inf=True)
    if timing not in _TIMINGS:
        msg = (
            f"`timing` must be one of {list(_TIMINGS)}; got {timing!r}. See "
            "Fader & Hardie (2012) for which textbook uses which."
        )
        raise choice_error(timing)(msg)
    if not math.isinf(h) and h != math.floor(h):
        msg = (
            f"`horizon` must be a whole number of margins or math.inf; got {horizon!r}."
        )
        raise ValueError(msg)
    if math.isinf(h) and r == 1.0 and d == 0.0:
        msg = (
            "`retention_rate` must be < 1 or `discount_rate` > 0 when `horizon` "
            "is infinite; got retention_rate=1 and discount_rate=0. Customers "
            "who never leave, undiscounted, have an infinite value; pass a "
            "finite horizon."
        )
        raise ValueError(msg)
    q = r / (1.0 + d)
    first_h = _geometric_sum(q, h)  # sum of q^t, t = 0 .. H-1
    if timing == "include_first_margin":
        return m * first_h
    if timing == "exclude_first_margin":
        return m * q * first_h
    return m * first_h / (1.0 + d)


def heuristic_clv(
    average_order_value: float,
    purchase_frequency: float,
    lifespan: float,
    *,
    margin: float = 1.0,
) -> float:
    r"""Average order value x purchase frequency x lifespan: a rough CLV heuristic.

    The back-of-the-envelope customer value found in many marketing blogs
    and dashboards. It is a heuristic, not a model: it ignores discounting,
    treats the lifespan as certain, and uses averages where customers
    differ a lot. Use it for orders of magnitude; for decisions, use
    :func:`retention_clv` or the models of :mod:`custvalue.clv`.

    Parameters
    ----------
    average_order_value : float
        Mean revenue per order, >= 0.
    purchase_frequency : float
        Orders per customer per period, >= 0.
    lifespan : float
        Periods a customer stays, >= 0 (for example :func:`expected_lifetime`).
    margin : float, default=1.0
        Profit per unit of revenue. The default 1 gives revenue, not value;
        pass your margin (0.3 for 30%) to get profit.

    Returns
    -------
    float
        :math:`\text{AOV} \times f \times L \times \text{margin}`.

    Raises
    ------
    ValueError
        If an input is negative (``margin`` may be negative: a loss-making
        customer) or not finite.

    See Also
    --------
    retention_clv : Retention-based CLV with discounting.
    custvalue.clv.customer_lifetime_value : Model-based CLV per customer.

    Notes
    -----
    .. math::

        \text{CLV} \approx \text{AOV} \times f \times L \times \text{margin}

    Fader & Hardie (2014) list what goes wrong with formulas of this kind:
    no discounting, a horizon that is not a lifetime, one retention
    behaviour for everybody. Because the three inputs are averages over
    customers, their product is not the average of the products when
    frequency and lifespan are correlated (heavy buyers stay longer), which
    the heuristic ignores.

    References
    ----------
    .. [1] Fader, P. S., & Hardie, B. G. S. (2014). What's wrong with this
       CLV formula? http://brucehardie.com/

    Examples
    --------
    Orders average $50, customers order 4 times a year, stay 3 years, and
    the margin is 30%:

    >>> from custvalue.evaluation import heuristic_clv
    >>> round(heuristic_clv(50, 4, 3, margin=0.3), 2)
    180.0
    """
    aov = check_scalar(average_order_value, "average_order_value", nonnegative=True)
    f = check_scalar(purchase_frequency, "purchase_frequency", nonnegative=True)
    life = check_scalar(lifespan, "lifespan", nonnegative=True)
    share = check_scalar(margin, "margin")
    return aov * f * life * share
