"""Tie-correct ranking metrics: the normalized Gini and the cumulative-gains curve."""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt
from scipy import stats

from custvalue._lib.fields import Result
from custvalue._lib.validation import FloatArray
from custvalue.evaluation._accuracy._columns import (
    ARRAY_EQ,
    actual_and_predicted,
    check_columns,
    float_column,
)
from custvalue.evaluation._accuracy._ties import check_positive_total, tie_groups

__all__ = ["GainsCurve", "gains_curve", "normalized_gini"]


def _rank_covariance(actual: FloatArray, order_by: FloatArray) -> float:
    """Compute the sum of (a - mean a) (R - mean R), R the mid-ranks of ``order_by``."""
    centered_ranks = stats.rankdata(order_by) - (order_by.size + 1) / 2.0
    return float((actual - actual.mean()) @ centered_ranks)


def normalized_gini(actual: npt.ArrayLike, predicted: npt.ArrayLike) -> float:
    r"""Compute the normalized Gini coefficient of a ranking, exact with ties.

    How well the predictions put the customers who turn out to matter most
    at the top: 1 for the best possible order, 0 for an order that is no
    better than chance, -1 for the worst. Only the order of the predictions
    counts, not their values. Tied predictions are handled exactly: the
    coefficient is the average over every order in which the ties could be
    listed, so a constant prediction scores exactly 0 whatever the row
    order.

    Parameters
    ----------
    actual : array-like of shape (n,)
        What happened, >= 0 (for example holdout purchases or revenue); not
        all equal.
    predicted : array-like of shape (n,)
        The scores that rank the customers, higher meaning more valuable.

    Returns
    -------
    float
        In [-1, 1].

    Raises
    ------
    ValueError
        If the arrays are empty, differ in length, hold NaN or infinity, an
        actual value is negative, or all actual values are equal (there is
        no order to recover, so the coefficient is undefined).
    TypeError
        If they hold something other than real numbers.

    See Also
    --------
    gains_curve : The curve whose area the Gini coefficient measures.
    decile_table : The same ranking, summarized by deciles.

    Notes
    -----
    List the customers by decreasing prediction and let :math:`L_k` be the
    share of the actual total held by the first :math:`k` of :math:`n`. The
    Gini coefficient of the order is

    .. math::

        G = \frac{1}{n}\sum_{k=1}^{n}\left(L_k - \frac{k}{n}\right),

    the area between the cumulative-gains curve through the points
    :math:`(k/n, L_k)` (joined by straight lines) and the diagonal. Where
    predictions tie, :math:`L_k` depends on the arbitrary order of the
    tied rows; custvalue averages :math:`G` over all those orders. Since
    :math:`G` is linear in the position of each customer, the average is
    obtained with mid-ranks :math:`R_i` (the average position of a tied
    block), which gives

    .. math::

        \bar G = \frac{\sum_i (y_i - \bar y)(R_i - \bar R)}{n\sum_i y_i},
        \qquad R_i = \text{mid-rank of } \hat y_i \text{ (ascending)}.

    The normalized coefficient divides by the Gini of the best order, that
    of the actual values themselves:

    .. math::

        G^* = \frac{\bar G(\hat y)}{\bar G(y)}
            = \frac{\sum_i (y_i - \bar y)(R_i(\hat y) - \bar R)}
                   {\sum_i (y_i - \bar y)(R_i(y) - \bar R)}.

    For a constant prediction every mid-rank equals :math:`\bar R`, so
    :math:`G^* = 0` exactly. Implementations that sort without handling
    ties (the Kaggle code and Google's ``lifetime_value`` package among
    them) give a constant prediction any value between about -1 and 1
    depending on the row order. The form above is the covariance
    representation of the Gini coefficient (Lerman & Yitzhaki 1984).

    References
    ----------
    .. [1] Lerman, R. I., & Yitzhaki, S. (1984). A note on the calculation
       and interpretation of the Gini index. Economics Letters, 15(3-4),
       363-368.
    .. [2] Wang, X., Liu, T., & Miao, J. (2019). A deep probabilistic model
       for customer lifetime value prediction. arXiv:1912.07753.
    .. [3] Frees, E. W., Meyers, G., & Cummings, A. D. (2011). Summarizing
       insurance scores using a Gini index. Journal of the American
       Statistical Association, 106(495), 1085-1098.

    Examples
    --------
    Four customers spent 0, 0, 10 and 30; a model scores them 1, 3, 2, 4:

    >>> from custvalue.evaluation import normalized_gini
    >>> normalized_gini([0, 0, 10, 30], [1, 3, 2, 4])
    0.8

    It found the best customer but put a non-buyer second. The perfect
    order scores 1 and a constant score 0, in any row order:

    >>> normalized_gini([0, 0, 10, 30], [0, 0, 10, 30])
    1.0
    >>> normalized_gini([0, 0, 10, 30], [5, 5, 5, 5])
    0.0
    """
    y, p = actual_and_predicted(actual, predicted, nonnegative_actual=True)
    if bool(np.all(y == y[0])):
        msg = (
            f"`actual` must not be constant for a normalized Gini; got all "
            f"{y.size} values equal to {float(y[0])!r}. With nothing to rank, "
            "every order is as good as any other."
        )
        raise ValueError(msg)
    # the coefficient does not depend on the scale of y; dividing by the
    # largest value keeps the products clear of underflow for tiny values
    weight = y / float(y.max())
    best = _rank_covariance(weight, y)
    # + 0.0 turns the -0.0 of an exactly centred constant prediction into 0.0
    return _rank_covariance(weight, p) / best + 0.0


@attrs.frozen(kw_only=True)
class GainsCurve(Result):
    """The cumulative-gains curve as data; returned by :func:`gains_curve`.

    One point at the origin and one after each block of tied predictions;
    within a block the curve is the straight line between its end points
    (the average over the orders of the tied rows).

    Parameters
    ----------
    share_of_customers : ndarray of float
        Share of the customers taken from the top, from 0 to 1.
    share_of_actual : ndarray of float
        Share of the actual total those customers hold, from 0 to 1.
    threshold : ndarray of float
        The prediction of the block just added (``inf`` at the origin): the
        point is what selecting every customer with a prediction >=
        threshold captures.
    """

    share_of_customers: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    share_of_actual: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    threshold: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)

    def __attrs_post_init__(self) -> None:
        check_columns(self)

    def area_above_diagonal(self) -> float:
        """Area between the curve and the diagonal: the Gini :math:`\\bar G`.

        Trapezoids between the points, minus 1/2. Dividing by the same
        area for ``gains_curve(actual, actual)`` gives
        :func:`normalized_gini` (up to rounding).
        """
        x, y = self.share_of_customers, self.share_of_actual
        return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2.0)) - 0.5


def gains_curve(actual: npt.ArrayLike, predicted: npt.ArrayLike) -> GainsCurve:
    """Compute the cumulative-gains curve: share of the total held by the top customers.

    The data behind the usual gains (or Lorenz, or CAP) chart: take the
    customers from the highest prediction down and follow which share of
    the actual total (purchases, revenue) the first x% of them hold. A good
    model climbs steeply; a useless one follows the diagonal. Ties are
    kept together and treated as exactly as in :func:`normalized_gini`.

    Parameters
    ----------
    actual : array-like of shape (n,)
        What happened, >= 0, with a total > 0.
    predicted : array-like of shape (n,)
        The scores that rank the customers, higher meaning more valuable.

    Returns
    -------
    GainsCurve

    Raises
    ------
    ValueError
        If the arrays are empty, differ in length, hold NaN or infinity, an
        actual value is negative, or all actual values are 0.
    TypeError
        If they hold something other than real numbers.

    See Also
    --------
    normalized_gini : The area between this curve and the diagonal, scaled.
    lift : One point of the curve, read as a lift.

    Examples
    --------
    >>> from custvalue.evaluation import gains_curve
    >>> curve = gains_curve([0, 0, 10, 30], [1, 3, 3, 4])
    >>> curve.share_of_customers
    array([0.  , 0.25, 0.75, 1.  ])
    >>> curve.share_of_actual
    array([0.  , 0.75, 1.  , 1.  ])

    The top customer holds 75% of the total; the two tied at 3 bring the
    rest. The area above the diagonal is 0.28125, of a best possible
    0.3125, so the normalized Gini is 0.9:

    >>> best = gains_curve([0, 0, 10, 30], [0, 0, 10, 30])
    >>> curve.area_above_diagonal(), best.area_above_diagonal()
    (0.28125, 0.3125)
    """
    y, p = actual_and_predicted(actual, predicted, nonnegative_actual=True)
    check_positive_total(y)
    groups = tie_groups(y, p)
    customers = np.cumsum(groups.size) / groups.n
    captured = np.cumsum(groups.total) / groups.grand_total
    return GainsCurve(
        share_of_customers=np.concatenate(([0.0], customers)),
        share_of_actual=np.concatenate(([0.0], captured)),
        threshold=np.concatenate(([np.inf], groups.predicted)),
    )
