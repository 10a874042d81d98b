"""Marcus's customer value matrix and Gale's customer value map."""

from __future__ import annotations

import math
from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.validation import (
    FloatArray,
    as_float_array,
    check_same_length,
    check_scalar,
    readonly,
)
from custvalue.segment._labels import SegmentLabels

__all__ = ["ValueMap", "ValueMatrix", "value_map", "value_matrix"]

QUADRANTS = ("Best Customers", "Frequent Customers", "Spenders", "Uncertain Customers")
VALUE_ZONES = ("Better Value", "Fair Value", "Worse Value")


def _frozen_float(value: npt.ArrayLike) -> FloatArray:
    return readonly(np.array(value, dtype=np.float64, copy=True))


def _exact_sum(x: FloatArray) -> float:
    """Return the correctly rounded sum of ``x``, whatever the order of ``x``.

    ``np.sum`` and ``np.dot`` round partial sums in an order set by the row
    order, so a mean can differ in its last bit when rows are shuffled and
    flip the label of a customer exactly at it. ``math.fsum`` rounds the
    exact sum once (Shewchuk 1997, the algorithm ``math.fsum`` follows),
    so it depends on the values only.

    Shewchuk, J. R. (1997). Adaptive precision floating-point arithmetic and
    fast robust geometric predicates. *Discrete & Computational Geometry*,
    18(3), 305–363.
    """
    return math.fsum(x)


def _order_free_mean(x: FloatArray) -> float:
    """Return the mean of ``x`` as the correctly rounded sum over the count."""
    return _exact_sum(x) / x.size


@attrs.frozen(kw_only=True)
class ValueMatrix(Result):
    """Customers in the four quadrants of the customer value matrix.

    Returned by :func:`value_matrix`.

    Parameters
    ----------
    labels : SegmentLabels
        Quadrants in the order Best Customers, Frequent Customers, Spenders,
        Uncertain Customers.
    split : {'mean', 'median'}
        Where each axis was split.
    frequency_split, value_split : float
        The split points; "high" means strictly above them.

    Examples
    --------
    >>> from custvalue.segment import value_matrix
    >>> matrix = value_matrix([1, 3, 5], [10.0, 30.0, 20.0], split="median")
    >>> matrix.labels.as_strings()
    array(['Uncertain Customers', 'Spenders', 'Frequent Customers'], dtype='<U19')
    """

    labels: SegmentLabels
    split: Literal["mean", "median"]
    frequency_split: float
    value_split: float


def value_matrix(
    frequency: npt.ArrayLike,
    average_purchase_value: npt.ArrayLike,
    *,
    split: Literal["mean", "median"] = "mean",
) -> ValueMatrix:
    """Place customers in Marcus's (1998) customer value matrix.

    The matrix crosses how often customers buy with how much they spend per
    purchase, each split into high and low, giving four groups a small
    business can act on: Best Customers (frequent, big baskets) to keep,
    Frequent Customers (frequent, small baskets) to sell more per visit,
    Spenders (rare, big baskets) to bring back more often, and Uncertain
    Customers (rare, small baskets) to spend little on.

    Parameters
    ----------
    frequency : array-like of shape (n_customers,)
        Number of purchases (or repeat purchases: the split moves with the
        data, so the quadrants are the same), >= 0.
    average_purchase_value : array-like of shape (n_customers,)
        Mean spend per purchase, >= 0. (The ``monetary_value`` of a
        :class:`custvalue.clv.CustomerSummary` is the mean of *repeat*
        purchases and is 0 for one-time buyers; compute the mean over all
        purchases for this matrix).
    split : {'mean', 'median'}, default='mean'
        Split each axis at its mean (Marcus's averages) or its median.

    Returns
    -------
    ValueMatrix

    Raises
    ------
    ValueError
        If the arrays are empty, differ in length, are negative or not
        finite, or ``split`` is unknown.

    Notes
    -----
    A customer is high on an axis when their value is strictly above the
    split point, so with the median at most half the customers are high.
    The mean is the correctly rounded sum (``math.fsum``) divided by the
    number of customers, and the median the midpoint of the middle values,
    so both split points, and every label, are the same whatever the order
    of the rows (a customer exactly at the mean stays on the same side).

    References
    ----------
    .. [1] Marcus, C. (1998). A practical yet meaningful approach to customer
       segmentation. *Journal of Consumer Marketing*, 15(5), 494–504.

    Examples
    --------
    >>> from custvalue.segment import value_matrix
    >>> matrix = value_matrix([1, 8, 2, 6], [90.0, 80.0, 20.0, 10.0])
    >>> matrix.frequency_split, matrix.value_split
    (4.25, 50.0)
    >>> matrix.labels.as_strings()
    array(['Spenders', 'Best Customers', 'Uncertain Customers',
           'Frequent Customers'], dtype='<U19')
    """
    if split not in ("mean", "median"):
        msg = f"`split` must be 'mean' or 'median'; got {split!r}."
        raise ValueError(msg)
    f = as_float_array(frequency, "frequency", nonnegative=True)
    v = as_float_array(
        average_purchase_value, "average_purchase_value", nonnegative=True
    )
    check_same_length(frequency=f, average_purchase_value=v)
    # both split points depend on the values only, not on the row order: the
    # mean via the correctly rounded sum, the median via a sort (np.median
    # averages the one or two middle values, and a + b == b + a in IEEE 754)
    centre = _order_free_mean if split == "mean" else np.median
    f_split, v_split = float(centre(f)), float(centre(v))
    high_f, high_v = f > f_split, v > v_split
    codes = np.where(high_f, np.where(high_v, 0, 1), np.where(high_v, 2, 3))
    return ValueMatrix(
        labels=SegmentLabels(codes=codes, names=QUADRANTS),
        split=split,
        frequency_split=f_split,
        value_split=v_split,
    )


@attrs.frozen(kw_only=True)
class ValueMap(Result):
    """Competitors on Gale's value map, with their distance to fair value.

    Returned by :func:`value_map`.

    Parameters
    ----------
    labels : SegmentLabels
        Better Value, Fair Value or Worse Value for each offering.
    relative_quality, relative_price : ndarray of float64
        Each offering's score divided by the market average.
    value_gap : ndarray of float64
        Relative quality minus the fair-value line at the offering's relative
        price; positive means more quality than the price calls for.
    slope : float
        Slope of the fair-value line through (1, 1).
    tolerance : float
        Gaps within ``±tolerance`` count as fair value.

    Examples
    --------
    Prices differ; the fitted fair-value line through (1, 1) passes through
    all three offerings, and the default tolerance absorbs rounding:

    >>> from custvalue.segment import value_map
    >>> vm = value_map([6.0, 8.0, 10.0], [8.0, 10.0, 12.0], slope=None)
    >>> round(vm.slope, 6), vm.labels.as_strings()
    (1.25, array(['Fair Value', 'Fair Value', 'Fair Value'], dtype='<U12'))
    """

    labels: SegmentLabels
    relative_quality: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    relative_price: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    value_gap: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    slope: float
    tolerance: float


def value_map(
    quality: npt.ArrayLike,
    price: npt.ArrayLike,
    *,
    market_share: npt.ArrayLike | None = None,
    slope: float | None = 1.0,
    tolerance: float = 1e-9,
) -> ValueMap:
    """Place competing offerings on Gale's (1994) customer value map.

    The value map compares what customers get with what they pay, across
    the offerings in a market: relative perceived quality against relative
    price, from survey scores. Offerings on the fair-value line give quality
    in proportion to price; those above it offer better value and tend to
    gain share, those below offer worse value and tend to lose it.

    Parameters
    ----------
    quality : array-like of shape (n_offerings,)
        Perceived quality score of each offering (for example its weighted
        mean attribute rating from a survey), > 0.
    price : array-like of shape (n_offerings,)
        Perceived (or actual) price score of each offering, > 0.
    market_share : array-like of shape (n_offerings,), optional
        Weights of the market averages; default equal weights.
    slope : float or None, default=1.0
        Slope of the fair-value line through the market average (1, 1):
        1 means quality and price ratios in proportion. ``None`` estimates it
        by share-weighted least squares through (1, 1).
    tolerance : float, default=1e-9
        Value gaps within ``±tolerance`` are labelled Fair Value. Gaps are in
        units of relative quality, where the market average is 1, so the
        tolerance is a share of the market average: the default only absorbs
        floating-point rounding (about 1e-16), so that offerings exactly on
        the line are Fair Value; pass, say, 0.05 to count gaps within 5% of
        the market average as fair. 0 leaves only exact zeros.

    Returns
    -------
    ValueMap

    Raises
    ------
    ValueError
        If scores are not positive and finite, lengths differ, or the slope
        is to be estimated but every offering has the same price (up to 4
        units in the last place of the largest price, i.e. rounding).

    Notes
    -----
    With market-share weights :math:`w_i` (summing to 1), relative quality
    and price are :math:`q_i = Q_i / \\sum_j w_j Q_j` and :math:`p_i = P_i /
    \\sum_j w_j P_j`. The fair-value line is :math:`q = 1 + \\beta (p - 1)`
    and the value gap is :math:`q_i - 1 - \\beta (p_i - 1)`. The estimated
    slope is :math:`\\hat\\beta = \\sum_i w_i (p_i - 1)(q_i - 1) / \\sum_i
    w_i (p_i - 1)^2`. Every sum over offerings is correctly rounded
    (``math.fsum``), so the relative scores, the slope, the gaps and the
    labels do not depend on the order in which the offerings are listed.

    References
    ----------
    .. [1] Gale, B. T. (1994). *Managing Customer Value: Creating Quality and
       Service That Customers Can See*. New York: Free Press.

    Examples
    --------
    Three brands rated on quality and price (equal shares):

    >>> from custvalue.segment import value_map
    >>> vm = value_map([8.0, 6.0, 7.0], [10.0, 10.0, 10.0])
    >>> vm.relative_quality
    array([1.14285714, 0.85714286, 1.        ])
    >>> vm.value_gap
    array([ 0.14285714, -0.14285714,  0.        ])
    >>> vm.labels.as_strings()
    array(['Better Value', 'Worse Value', 'Fair Value'], dtype='<U12')
    """
    q = as_float_array(quality, "quality", positive=True)
    p = as_float_array(price, "price", positive=True)
    arrays = {"quality": q, "price": p}
    if market_share is None:
        raw = np.ones(q.size)
    else:
        raw = as_float_array(
            market_share,
            "market_share",
            positive=True,
            suggestion="Leave out offerings with no share of the market.",
        )
        arrays["market_share"] = raw
    check_same_length(**arrays)
    tol = check_scalar(tolerance, "tolerance", nonnegative=True)
    # sums via math.fsum, not np.sum/np.dot: rounded once, whatever the order
    # of the offerings, so equal inputs in any order give equal gaps
    total = _exact_sum(raw)
    w = raw / total
    rel_q = q / (_exact_sum(raw * q) / total)
    rel_p = p / (_exact_sum(raw * p) / total)
    if slope is None:
        # test the raw prices, not the spread of rel_p: equal prices give
        # rel_p - 1 of rounding size (1e-16), a spread of 1e-32 > 0 and a
        # meaningless slope; 4 ulps of the largest price is still rounding
        if np.ptp(p) <= 4 * np.finfo(np.float64).eps * float(p.max()):
            msg = (
                "`price` must differ between offerings to estimate the slope "
                f"(slope=None); got every price equal to {float(p[0])!r} up to "
                "rounding. Pass the slope instead, e.g. slope=1.0."
            )
            raise ValueError(msg)
        dp, dq = rel_p - 1.0, rel_q - 1.0
        beta = _exact_sum(w * dp * dq) / _exact_sum(w * dp * dp)
    else:
        beta = check_scalar(slope, "slope")
    gap = rel_q - 1.0 - beta * (rel_p - 1.0)
    codes = np.where(gap > tol, 0, np.where(gap < -tol, 2, 1))
    return ValueMap(
        labels=SegmentLabels(codes=codes, names=VALUE_ZONES),
        relative_quality=rel_q,
        relative_price=rel_p,
        value_gap=gap,
        slope=beta,
        tolerance=tol,
    )
