"""Value tiers: quantile tiers of any value, and ABC classes by share of value."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.validation import FloatArray, IntArray, as_float_array, readonly
from custvalue.errors import TiedBinsWarning
from custvalue.segment._binning import (
    ScoreArray,
    Ties,
    bin_by_cut_points,
    check_bins,
    check_cut_points,
    check_ties,
    occupancy,
    quantile_cut_points,
)
from custvalue.segment._labels import SegmentLabels

__all__ = ["ABCClasses", "ValueTiers", "abc_classes", "value_tiers"]


def _frozen_float(value: npt.ArrayLike) -> FloatArray:
    return readonly(np.array(value, dtype=np.float64, copy=True))


def _frozen_int(value: npt.ArrayLike) -> IntArray:
    return readonly(np.array(value, dtype=np.int64, copy=True))


def check_names(names: Any, count: int, what: str) -> tuple[str, ...]:
    """Check ``names``: ``count`` distinct non-empty strings."""
    if isinstance(names, str):
        msg = (
            f"`names` must be a sequence of {count} strings, not one string; "
            f"got {names!r}."
        )
        raise TypeError(msg)
    result = tuple(names)
    if len(result) != count or not all(isinstance(n, str) and n for n in result):
        msg = (
            f"`names` must be {count} non-empty strings, one per {what}; "
            f"got {result!r}."
        )
        raise ValueError(msg)
    if len(set(result)) != count:
        msg = f"`names` must be distinct; got {result!r}."
        raise ValueError(msg)
    return result


@attrs.frozen(kw_only=True)
class ValueTiers(Result):
    """Quantile tiers of a value, 1 (lowest values) to ``n_tiers`` (highest).

    Returned by :func:`value_tiers`.

    Parameters
    ----------
    labels : SegmentLabels
        Each customer's tier; code ``k - 1`` is tier ``k``.
    method : {'quantile', 'cut_points'}
        Whether the cut points were computed or given.
    cut_points : ndarray of float64 of shape (n_tiers - 1,)
        ``cut_points[k - 1]`` is the largest value in tiers ``1..k`` (NaN if
        they are empty); tiers are right-closed.
    occupancy : ndarray of int64 of shape (n_tiers,)
        Customers per tier.

    Examples
    --------
    >>> from custvalue.segment import value_tiers
    >>> tiers = value_tiers([5.0, 1.0, 3.0, 7.0], n_tiers=2)
    >>> tiers.tier, tiers.occupancy
    (array([2, 1, 1, 2], dtype=int8), array([2, 2]))
    """

    labels: SegmentLabels
    method: Literal["quantile", "cut_points"]
    cut_points: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    occupancy: IntArray = attrs.field(converter=_frozen_int, eq=ARRAY_EQ)

    @property
    def tier(self) -> ScoreArray:
        """Each customer's tier number, 1 to ``n_tiers`` (highest values)."""
        return readonly((self.labels.codes + 1).astype(np.int8))


def value_tiers(
    values: npt.ArrayLike,
    *,
    n_tiers: int = 5,
    names: Sequence[str] | None = None,
    ties: Ties = "midrank",
    cut_points: npt.ArrayLike | None = None,
) -> ValueTiers:
    """Split customers into quantile tiers of a value such as CLV.

    Tiers rank customers by one number (predicted CLV, margin, spend) into
    groups of about equal size. The rule is the one of :func:`rfm_scores`:
    tiers depend on values only, so tied customers share a tier and row
    order is irrelevant. Values may be negative.

    Parameters
    ----------
    values : array-like of shape (n_customers,)
        The value of each customer; finite.
    n_tiers : int, default=5
        Number of tiers, 2 to 100.
    names : sequence of str, optional
        Names of the tiers from lowest to highest values; default
        ``'tier 1'`` .. ``'tier n'``.
    ties : {'midrank', 'low', 'high'}, default='midrank'
        How a block of tied values straddling a boundary is placed (see
        :func:`rfm_scores`).
    cut_points : array-like, optional
        ``n_tiers - 1`` strictly increasing right-closed cut points instead of
        quantiles.

    Returns
    -------
    ValueTiers

    Raises
    ------
    ValueError
        If ``values`` is empty or not finite, ``n_tiers`` < 2, or names or
        cut points are malformed.

    Warns
    -----
    TiedBinsWarning
        When ties leave a quantile tier empty.

    See Also
    --------
    abc_classes : Classes by cumulative share of value instead of count.
    customer_pyramid : Profit tiers with a tier for unprofitable customers.

    Notes
    -----
    Customer values sorted ascending occupy positions :math:`0..n-1`; a
    value at position :math:`i` (tied blocks at their middle by default) is
    in tier :math:`1 + \\lfloor k (i + 1/2) / n \\rfloor` of :math:`k`.

    Examples
    --------
    >>> from custvalue.segment import value_tiers
    >>> clv = [120.0, 15.0, 60.0, 15.0, 300.0, 40.0]
    >>> tiers = value_tiers(clv, n_tiers=3, names=("low", "mid", "high"))
    >>> tiers.labels.as_strings()
    array(['high', 'low', 'mid', 'low', 'high', 'mid'], dtype='<U4')
    >>> tiers.cut_points
    array([15., 60.])
    """
    n_tiers = check_bins(n_tiers, "n_tiers")
    ties = check_ties(ties)
    tier_names = (
        tuple(f"tier {k}" for k in range(1, n_tiers + 1))
        if names is None
        else check_names(names, n_tiers, "tier")
    )
    x = as_float_array(values, "values")
    if cut_points is None:
        cuts = quantile_cut_points(x, n_tiers, ties=ties, descending=False)
    else:
        cuts = check_cut_points(cut_points, "cut_points", n_tiers)
    tier = bin_by_cut_points(x, cuts)
    counts = occupancy(tier, n_tiers)
    if cut_points is None and bool((counts == 0).any()):
        empty = [k + 1 for k in np.flatnonzero(counts == 0).tolist()]
        message = (
            f"Ties in `values` left {len(empty)} of {n_tiers} quantile tiers empty "
            f"(tiers {', '.join(map(str, empty))}); customers per tier: "
            f"{counts.tolist()}; cut points used: {cuts.tolist()}."
        )
        warnings.warn(message, TiedBinsWarning, stacklevel=2)
    return ValueTiers(
        labels=SegmentLabels(codes=tier - 1, names=tier_names),
        method="quantile" if cut_points is None else "cut_points",
        cut_points=cuts,
        occupancy=counts,
    )


@attrs.frozen(kw_only=True)
class ABCClasses(Result):
    """ABC classes: customers grouped by their cumulative share of value.

    Returned by :func:`abc_classes`.

    Parameters
    ----------
    labels : SegmentLabels
        Each customer's class, in the order of the class names (A first).
    thresholds : tuple of float
        The cumulative shares that end each class but the last.
    customer_share : ndarray of float64 of shape (n_classes,)
        Share of customers in each class.
    value_share : ndarray of float64 of shape (n_classes,)
        Share of the total value held by each class.

    Examples
    --------
    >>> from custvalue.segment import abc_classes
    >>> abc = abc_classes([70.0, 20.0, 10.0], thresholds=(0.7,), names=("A", "B"))
    >>> abc.labels.as_strings(), abc.customer_share
    (array(['A', 'B', 'B'], dtype='<U1'), array([0.33333333, 0.66666667]))
    """

    labels: SegmentLabels
    thresholds: tuple[float, ...]
    customer_share: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    value_share: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)


def _check_thresholds(thresholds: Any) -> tuple[float, ...]:
    values = as_float_array(thresholds, "thresholds")
    if not (np.all(values > 0) and np.all(values < 1) and np.all(np.diff(values) > 0)):
        msg = (
            "`thresholds` must be strictly increasing shares strictly between 0 "
            f"and 1; got {values.tolist()!r}."
        )
        raise ValueError(msg)
    return tuple(float(v) for v in values)


def abc_classes(
    values: npt.ArrayLike,
    *,
    thresholds: Sequence[float] = (0.8, 0.95),
    names: Sequence[str] = ("A", "B", "C"),
) -> ABCClasses:
    """Classify customers A, B, C by their cumulative share of total value.

    ABC analysis ranks customers from the most valuable down and cuts the
    ranking where the cumulative share of value reaches 80% (class A) and
    95% (class B); the rest are class C. Typically a small A class holds most
    of the value. Customers with equal values are always in the same class.

    Parameters
    ----------
    values : array-like of shape (n_customers,)
        Value per customer (revenue, CLV), >= 0 with a positive total.
    thresholds : sequence of float, default=(0.8, 0.95)
        Increasing cumulative shares strictly between 0 and 1 that close each
        class but the last.
    names : sequence of str, default=('A', 'B', 'C')
        Class names, one more than ``thresholds``.

    Returns
    -------
    ABCClasses

    Raises
    ------
    ValueError
        If a value is negative or not finite, all values are 0, or the
        thresholds or names are malformed.

    See Also
    --------
    customer_pyramid : Tiers of profit, which may be negative.

    Notes
    -----
    Let :math:`S(v) = \\sum_{j : v_j > v} v_j / \\sum_j v_j` be the share of
    value held by customers strictly more valuable than value :math:`v`. A
    customer with value :math:`v` is in the first class :math:`c` with
    :math:`S(v) < \\tau_c` (A if :math:`S(v) < 0.8`, else B if :math:`S(v) <
    0.95`, else C). So class A is the smallest set of top customers whose
    value reaches 80%, the customer who crosses the line included, and ties
    are never split. Customers with value 0 are in the last class.

    Examples
    --------
    Five customers worth 50, 30, 10, 6 and 4 (total 100):

    >>> from custvalue.segment import abc_classes
    >>> abc = abc_classes([10.0, 50.0, 4.0, 30.0, 6.0])
    >>> abc.labels.as_strings()
    array(['B', 'A', 'C', 'A', 'B'], dtype='<U1')
    >>> abc.value_share
    array([0.8 , 0.16, 0.04])
    """
    cuts = _check_thresholds(thresholds)
    class_names = check_names(names, len(cuts) + 1, "class")
    x = as_float_array(
        values,
        "values",
        nonnegative=True,
        suggestion="ABC shares need non-negative values; for profit use "
        "customer_pyramid.",
    )
    ascending = np.sort(x)
    # running totals from the most valuable down; the last is the total, so
    # every share below is a ratio of sums accumulated the same way
    above = np.concatenate(([0.0], np.cumsum(ascending[::-1])))
    total = float(above[-1])
    if not total > 0:
        msg = (
            "`values` must have a positive total; got all zeros. ABC classes "
            "split the total value."
        )
        raise ValueError(msg)
    n_greater = x.size - np.searchsorted(ascending, x, side="right")
    share_above = above[n_greater] / total
    codes = np.searchsorted(np.asarray(cuts), share_above, side="right")
    n_classes = len(class_names)
    sums = np.bincount(codes, weights=x, minlength=n_classes)
    counts = np.bincount(codes, minlength=n_classes)
    return ABCClasses(
        labels=SegmentLabels(codes=codes, names=class_names),
        thresholds=cuts,
        customer_share=counts / x.size,
        value_share=sums / sums.sum(),
    )
