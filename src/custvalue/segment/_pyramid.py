"""The customer pyramid of Zeithaml, Rust & Lemon (2001): profit tiers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.validation import FloatArray, as_float_array, readonly
from custvalue.segment._labels import SegmentLabels

__all__ = ["CustomerPyramid", "customer_pyramid"]

PYRAMID_TIERS = ("Platinum", "Gold", "Iron", "Lead")


def _frozen_float(value: npt.ArrayLike) -> FloatArray:
    return readonly(np.array(value, dtype=np.float64, copy=True))


@attrs.frozen(kw_only=True)
class CustomerPyramid(Result):
    """Customers in the four tiers of the customer pyramid.

    Returned by :func:`customer_pyramid`.

    Parameters
    ----------
    labels : SegmentLabels
        Each customer's tier: Platinum, Gold, Iron or Lead (codes 0 to 3).
    top_shares : tuple of float
        The shares of the customers with positive profit asked for in
        Platinum and Gold.
    total_profit : ndarray of float64 of shape (4,)
        Sum of profit per tier.

    Examples
    --------
    >>> from custvalue.segment import customer_pyramid
    >>> profit = [-3.0, 10.0, 50.0, 4.0, 1.0]
    >>> pyramid = customer_pyramid(profit, top_shares=(0.25, 0.25))
    >>> dict(zip(pyramid.labels.names, pyramid.labels.sizes.tolist()))
    {'Platinum': 1, 'Gold': 1, 'Iron': 2, 'Lead': 1}
    """

    labels: SegmentLabels
    top_shares: tuple[float, float]
    total_profit: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)


def _check_top_shares(value: Any) -> tuple[float, float]:
    shares = as_float_array(value, "top_shares")
    if shares.size != 2 or not (np.all(shares > 0) and shares.sum() < 1):
        msg = (
            "`top_shares` must be two positive shares (Platinum, Gold) with a "
            f"sum below 1; got {shares.tolist()!r}. Iron takes the rest of the "
            "customers with positive profit, and those at 0."
        )
        raise ValueError(msg)
    return (float(shares[0]), float(shares[1]))


def customer_pyramid(
    profit: npt.ArrayLike,
    *,
    top_shares: Sequence[float] = (0.1, 0.2),
) -> CustomerPyramid:
    """Place customers in the Platinum, Gold, Iron and Lead tiers by profit.

    The customer pyramid of Zeithaml, Rust & Lemon (2001) sorts customers by
    profitability so that service and marketing can differ by tier:
    Platinum are the most profitable, Gold profitable but less so, Iron the
    customers who bring volume without much profit, and Lead those who cost
    the company money. Here Lead is exactly the customers with negative
    profit and Iron includes the break-even ones (profit 0); the customers
    with positive profit are split by profit quantiles.

    Parameters
    ----------
    profit : array-like of shape (n_customers,)
        Profit per customer (or CLV net of cost to serve); finite, any sign.
    top_shares : sequence of 2 float, default=(0.1, 0.2)
        Shares of the customers with positive profit that Platinum and Gold
        should hold: by default the top 10% and the next 20%. Tied customers
        share a tier, so a tier can hold more than its share. The paper
        leaves the cut-offs to the firm; these defaults are custvalue's.

    Returns
    -------
    CustomerPyramid

    Raises
    ------
    ValueError
        If ``profit`` is empty or not finite, or ``top_shares`` is malformed.

    See Also
    --------
    abc_classes : Classes by cumulative share of value.
    value_tiers : Equal-count tiers of any value.

    Notes
    -----
    Among the :math:`m` customers with profit :math:`> 0`, let :math:`a(v)`
    be the share with profit strictly above :math:`v`. A customer with
    profit :math:`v > 0` is Platinum if :math:`a(v) < s_1`, Gold if
    :math:`a(v) < s_1 + s_2`, otherwise Iron. The rule depends on values
    only, so a block of tied customers shares a tier, and that tier can hold
    more than its share :math:`s_1` or :math:`s_2` of the :math:`m`
    customers (if all :math:`m` have the same profit, all are Platinum); the
    most profitable customer is always Platinum. Break-even customers
    (profit 0) are Iron, whatever the shares: they earn nothing, so they are
    neither ranked with the profitable customers nor Lead.

    References
    ----------
    .. [1] Zeithaml, V. A., Rust, R. T., & Lemon, K. N. (2001). The customer
       pyramid: Creating and serving profitable customers. *California
       Management Review*, 43(4), 118–142.

    Examples
    --------
    >>> from custvalue.segment import customer_pyramid
    >>> profit = [500.0, -20.0, 80.0, 10.0, 0.0, 35.0, -5.0, 12.0, 60.0, 25.0]
    >>> pyramid = customer_pyramid(profit, top_shares=(0.125, 0.25))
    >>> pyramid.labels.as_strings()
    array(['Platinum', 'Lead', 'Gold', 'Iron', 'Iron', 'Iron', 'Lead', 'Iron',
           'Gold', 'Iron'], dtype='<U8')
    >>> pyramid.total_profit
    array([500., 140.,  82., -25.])
    """
    s_platinum, s_gold = _check_top_shares(top_shares)
    x = as_float_array(profit, "profit")
    # Lead (3) below 0, Iron (2) from 0 (break-even, -0.0 included); only
    # customers with positive profit are ranked into Platinum (0) and Gold (1)
    codes = np.where(x < 0, 3, 2).astype(np.int16)
    profitable = x > 0
    kept = x[profitable]
    if kept.size:
        ascending = np.sort(kept)
        n_above = kept.size - np.searchsorted(ascending, kept, side="right")
        share_above = n_above / kept.size
        codes[profitable] = np.searchsorted(
            np.array([s_platinum, s_platinum + s_gold]), share_above, side="right"
        )
    return CustomerPyramid(
        labels=SegmentLabels(codes=codes, names=PYRAMID_TIERS),
        top_shares=(s_platinum, s_gold),
        total_profit=np.bincount(codes, weights=x, minlength=4),
    )
