"""Decile tables and top-k% lift, keeping tied predictions together."""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import Result
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    check_integer_option,
    check_scalar,
)
from custvalue.evaluation._accuracy._columns import (
    ARRAY_EQ,
    actual_and_predicted,
    check_columns,
    float_column,
    int_column,
)
from custvalue.evaluation._accuracy._ties import check_positive_total, tie_groups

__all__ = ["DecileTable", "LiftResult", "decile_table", "lift"]


@attrs.frozen(kw_only=True)
class DecileTable(Result):
    """Customers in groups of decreasing prediction; returned by :func:`decile_table`.

    One row per non-empty group, the highest predictions first. Groups
    hold whole blocks of tied predictions, so their sizes can differ.

    Parameters
    ----------
    decile : ndarray of int
        Group number, 1 for the highest predictions.
    n_customers : ndarray of int
        Customers in the group.
    min_predicted, max_predicted, mean_predicted : ndarray of float
        Range and mean of the predictions in the group.
    mean_actual, total_actual : ndarray of float
        Mean and sum of the actual values in the group.
    share_of_actual : ndarray of float
        The group's share of the actual total.
    cumulative_share_of_customers, cumulative_share_of_actual : ndarray of float
        The same, summed from the top group down (points of the gains curve).
    lift : ndarray of float
        ``mean_actual`` divided by the mean over all customers.
    """

    decile: IntArray = attrs.field(converter=int_column, eq=ARRAY_EQ)
    n_customers: IntArray = attrs.field(converter=int_column, eq=ARRAY_EQ)
    min_predicted: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    max_predicted: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    mean_predicted: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    mean_actual: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    total_actual: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    share_of_actual: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    cumulative_share_of_customers: FloatArray = attrs.field(
        converter=float_column, eq=ARRAY_EQ
    )
    cumulative_share_of_actual: FloatArray = attrs.field(
        converter=float_column, eq=ARRAY_EQ
    )
    lift: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)

    def __attrs_post_init__(self) -> None:
        check_columns(self)


def decile_table(
    actual: npt.ArrayLike, predicted: npt.ArrayLike, *, n_groups: int = 10
) -> DecileTable:
    r"""Summarize predictions and outcomes by decile of prediction, ties kept together.

    Sort the customers by prediction, cut them into ten equal groups, and
    compare what each group was predicted to do with what it did: the
    standard check that a customer-value model both ranks and scales
    correctly (Wang, Liu & Miao 2019). Customers with the same prediction
    always land in the same group, so the table does not depend on the row
    order of the data; groups are equal in size up to the tied blocks.

    Parameters
    ----------
    actual : array-like of shape (n,)
        What happened, >= 0, with a total > 0.
    predicted : array-like of shape (n,)
        The predictions, higher meaning more valuable.
    n_groups : int, default=10
        Number of groups (10 for deciles, 5 for quintiles), >= 1.

    Returns
    -------
    DecileTable

    Raises
    ------
    ValueError
        If the arrays are empty, differ in length, hold NaN or infinity, an
        actual value is negative or all are 0, or ``n_groups < 1``.
    TypeError
        If they hold something other than real numbers, or ``n_groups`` is
        not an integer.

    See Also
    --------
    lift : Lift and capture of a top fraction, splitting ties fractionally.

    Notes
    -----
    List the customers by decreasing prediction; a block of :math:`m` tied
    predictions occupies positions :math:`s, \dots, s+m-1` (from 0). The
    block goes to group

    .. math::

        g = 1 + \left\lfloor \frac{G\,(s + m/2)}{n} \right\rfloor,

    the group that contains the middle of its positions, with :math:`G`
    groups of :math:`n/G` positions each. Without ties this is the usual
    split into equal groups. A block larger than a group can leave groups
    empty; those rows are left out (a constant prediction gives one row,
    group :math:`1 + \lfloor G/2 \rfloor`, with lift 1).

    References
    ----------
    .. [1] Wang, X., Liu, T., & Miao, J. (2019). A deep probabilistic model
       for customer lifetime value prediction. arXiv:1912.07753.

    Examples
    --------
    >>> from custvalue.evaluation import decile_table
    >>> table = decile_table([0, 0, 1, 3], [0.1, 0.2, 0.2, 2.0], n_groups=2)
    >>> table.decile, table.n_customers
    (array([1, 2]), array([1, 3]))

    The two customers tied at 0.2 stay together in group 2. The top
    customer holds 75% of the purchases, 3 times the average:

    >>> table.share_of_actual, table.lift
    (array([0.75, 0.25]), array([3.        , 0.33333333]))
    """
    y, p = actual_and_predicted(actual, predicted, nonnegative_actual=True)
    n_groups = check_integer_option(n_groups, "n_groups", minimum=1)
    check_positive_total(y)
    blocks = tie_groups(y, p)
    n = blocks.n
    # group of the block's middle position s + m/2, in exact integer arithmetic
    group = (n_groups * (2 * blocks.start + blocks.size)) // (2 * n)
    present = np.unique(group)
    index = np.searchsorted(present, group)
    sizes = np.bincount(index, weights=blocks.size).astype(np.int64)
    totals = np.bincount(index, weights=blocks.total)
    predicted_sums = np.bincount(index, weights=blocks.predicted * blocks.size)
    # blocks are in decreasing order, so the first block of a group holds its
    # maximum and the last its minimum
    first = np.searchsorted(index, np.arange(present.size), side="left")
    last = np.searchsorted(index, np.arange(present.size), side="right") - 1
    grand_total = blocks.grand_total
    mean_actual = totals / sizes
    return DecileTable(
        decile=present + 1,
        n_customers=sizes,
        min_predicted=blocks.predicted[last],
        max_predicted=blocks.predicted[first],
        mean_predicted=predicted_sums / sizes,
        mean_actual=mean_actual,
        total_actual=totals,
        share_of_actual=totals / grand_total,
        cumulative_share_of_customers=np.cumsum(sizes) / n,
        cumulative_share_of_actual=np.cumsum(totals) / grand_total,
        lift=mean_actual / (grand_total / n),
    )


@attrs.frozen(kw_only=True)
class LiftResult(Result):
    """Lift and capture of the top customers; returned by :func:`lift`.

    Parameters
    ----------
    fraction : float
        The share of customers selected from the top.
    n_selected : float
        ``fraction`` times the number of customers (may be fractional).
    captured : float
        Expected sum of the actual values of the selected customers, ties at
        the cutoff shared out fractionally.
    capture : float
        ``captured`` as a share of the actual total.
    lift : float
        ``capture / fraction``: how many times better than a random pick.
    """

    fraction: float
    n_selected: float
    captured: float
    capture: float
    lift: float


def lift(
    actual: npt.ArrayLike, predicted: npt.ArrayLike, *, fraction: float = 0.1
) -> LiftResult:
    r"""Compute the lift and capture of the top ``fraction`` of customers.

    Target the customers with the highest predictions: what share of all
    purchases (or revenue) do they account for, and how many times more
    than a random selection of the same size? When the cutoff falls inside
    a block of tied predictions, the block is shared out fractionally
    rather than cut by row order, so the answer does not depend on how the
    data happen to be sorted.

    Parameters
    ----------
    actual : array-like of shape (n,)
        What happened, >= 0, with a total > 0.
    predicted : array-like of shape (n,)
        The predictions, higher meaning more valuable.
    fraction : float, default=0.1
        Share of customers selected from the top, in (0, 1].

    Returns
    -------
    LiftResult

    Raises
    ------
    ValueError
        If the arrays are empty, differ in length, hold NaN or infinity, an
        actual value is negative or all are 0, or ``fraction`` is not in
        (0, 1].
    TypeError
        If they hold something other than real numbers.

    See Also
    --------
    gains_curve : Capture at every cutoff.
    decile_table : Lift of every decile.

    Notes
    -----
    With :math:`k = fn` customers selected (:math:`f` the fraction) and a
    block of :math:`m` tied predictions starting at position :math:`s`
    (from 0) with actual total :math:`Y_b`, the block contributes
    :math:`\min(\max(k - s, 0), m)/m \cdot Y_b`: the expected amount
    captured when the order of the tied rows is random. Then

    .. math::

        \mathrm{capture} = \frac{\sum_b \min(\max(k-s_b,0),m_b)\,Y_b/m_b}
                                {\sum_i y_i},
        \qquad \mathrm{lift} = \frac{\mathrm{capture}}{f}.

    A constant prediction captures the fraction :math:`f` exactly: lift 1.

    Examples
    --------
    Ten customers; the model gives the top score to the two best ones and
    ties the next three:

    >>> from custvalue.evaluation import lift
    >>> actual = [9, 5, 2, 0, 4, 0, 0, 0, 0, 0]
    >>> score = [0.9, 0.9, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1]
    >>> top = lift(actual, score, fraction=0.3)

    The top 30% are the two leaders and one third of the tied block (whose
    total is 6): 14 + 6/3 = 16 of the 20 purchases, 80%, a lift of 2.67:

    >>> top.captured, top.capture, round(top.lift, 2)
    (16.0, 0.8, 2.67)
    """
    y, p = actual_and_predicted(actual, predicted, nonnegative_actual=True)
    share = check_scalar(fraction, "fraction")
    if not 0.0 < share <= 1.0:
        msg = f"`fraction` must be in (0, 1]; got {fraction!r}."
        raise ValueError(msg)
    check_positive_total(y)
    blocks = tie_groups(y, p)
    n = blocks.n
    size = blocks.size.astype(np.float64)
    # part of each block inside the cutoff k = f n, as f (n/m) - s/m, which is
    # exactly f for a single block (constant prediction)
    portion = np.clip(share * (n / size) - blocks.start / size, 0.0, 1.0)
    grand_total = blocks.grand_total
    captured = float(portion @ blocks.total)
    capture = float(portion @ (blocks.total / grand_total))
    return LiftResult(
        fraction=share,
        n_selected=share * n,
        captured=captured,
        capture=capture,
        lift=capture / share,
    )
