"""Customer acquisition cost and customer return on investment."""

from __future__ import annotations

import math

from custvalue._lib.validation import check_scalar
from custvalue.evaluation._business._checks import count

__all__ = ["customer_acquisition_cost", "customer_roi"]


def customer_acquisition_cost(
    acquisition_spend: float, new_customers: int | float
) -> float:
    r"""Average cost of winning one new customer.

    What the firm spent on acquisition (campaigns, offers, sales effort)
    divided by the customers it acquired in the same period. Compare it with
    the value of a new customer (:func:`retention_clv`) to judge whether
    acquisition pays.

    Parameters
    ----------
    acquisition_spend : float
        Money spent on acquiring customers in the period, >= 0.
    new_customers : int
        Customers acquired in the period, > 0.

    Returns
    -------
    float
        Spend per new customer, in the currency of ``acquisition_spend``.

    Raises
    ------
    ValueError
        If ``new_customers`` is 0 (a cost per customer is undefined when
        nobody was acquired: the spend bought nothing), or an input is
        negative, fractional (customers) or not finite.

    See Also
    --------
    customer_roi : Return on what was spent.
    retention_clv : Value of a customer to compare the cost with.

    Notes
    -----
    .. math::

        \text{CAC} = \frac{\text{acquisition spend}}{\text{customers acquired}}

    the "average acquisition cost" of Farris et al. (2010, section 5.5).
    Retention spending does not belong in the numerator; only spending that
    aims at new customers does.

    References
    ----------
    .. [1] Farris, P. W., Bendle, N. T., Pfeifer, P. E., & Reibstein, D. J.
       (2010). Marketing Metrics (2nd ed.). Pearson/FT Press, section 5.5.

    Examples
    --------
    A $60,000 campaign brings 400 new customers:

    >>> from custvalue.evaluation import customer_acquisition_cost
    >>> customer_acquisition_cost(60_000, 400)
    150.0
    """
    spend = check_scalar(acquisition_spend, "acquisition_spend", nonnegative=True)
    new = count(new_customers, "new_customers")
    if new == 0:
        msg = (
            "`new_customers` must be > 0; got 0. With no customers acquired the "
            "cost per acquired customer is undefined (the spend bought nobody), "
            "not infinite or 0."
        )
        raise ValueError(msg)
    return spend / new


def customer_roi(profit: float, cost: float) -> float:
    r"""Return on investment in customers: net gain per unit of cost.

    How many units of net profit each unit spent on customers brought back:
    0.5 means that every dollar spent returned the dollar plus 50 cents.

    Parameters
    ----------
    profit : float
        Profit (contribution) the customers generated, before the cost is
        subtracted. May be negative.
    cost : float
        What was spent to acquire and serve them, > 0.

    Returns
    -------
    float
        :math:`(\text{profit} - \text{cost})/\text{cost}`; -1 means all of
        the cost was lost.

    Raises
    ------
    ValueError
        If ``cost`` is 0 (the return on nothing spent is undefined) or
        negative, or an input is not finite.

    See Also
    --------
    customer_acquisition_cost : The cost per customer.

    Notes
    -----
    .. math::

        \text{ROI} = \frac{\text{profit} - \text{cost}}{\text{cost}}

    as the return on marketing investment of Farris et al. (2010, chapter
    10): the numerator is net of the cost, so break-even is 0, not 1.
    ``profit`` must be the profit the customers brought, not revenue.

    References
    ----------
    .. [1] Farris, P. W., Bendle, N. T., Pfeifer, P. E., & Reibstein, D. J.
       (2010). Marketing Metrics (2nd ed.). Pearson/FT Press, chapter 10.

    Examples
    --------
    Customers who cost $40,000 to win and serve brought $52,000 of profit:

    >>> from custvalue.evaluation import customer_roi
    >>> customer_roi(52_000, 40_000)
    0.3
    """
    gross = check_scalar(profit, "profit")
    spent = check_scalar(cost, "cost")
    if spent == 0.0:
        msg = (
            "`cost` must be > 0; got 0. A return on investment divides by what "
            "was invested, so with nothing spent it is undefined."
        )
        raise ValueError(msg)
    if spent < 0.0:
        msg = (
            f"`cost` must be > 0; got {cost!r}. Record refunds or income as "
            "part of `profit`, not as a negative cost."
        )
        raise ValueError(msg)
    roi = (gross - spent) / spent
    if not math.isfinite(roi):
        msg = (
            f"`profit` / `cost` must be a finite ratio; got profit={profit!r}, "
            f"cost={cost!r}, whose ratio overflows. Check that both use the "
            "same unit of money."
        )
        raise ValueError(msg)
    return roi
