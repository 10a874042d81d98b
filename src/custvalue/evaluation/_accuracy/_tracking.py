"""Expected against actual repeat purchases of a cohort over calendar time."""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import Result
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    as_vector,
    check_all,
    check_same_length,
)
from custvalue.evaluation._accuracy._columns import (
    ARRAY_EQ,
    check_columns,
    float_column,
    int_column,
)
from custvalue.evaluation._accuracy._models import ExpectedPurchaseModel, check_model

__all__ = ["TrackingTable", "tracking"]

#: Most model evaluations held in memory at once (periods x distinct starts).
_CHUNK = 2_000_000


@attrs.frozen(kw_only=True)
class TrackingTable(Result):
    """Expected and actual repeat purchases per period; returned by :func:`tracking`.

    Parameters
    ----------
    period_end : ndarray of float
        End of each period, in calendar time.
    n_customers : ndarray of int
        Customers whose first purchase was at or before the period end.
    actual_cumulative, expected_cumulative : ndarray of float
        Repeat purchases up to the period end.
    actual_incremental, expected_incremental : ndarray of float
        Repeat purchases within the period (the first period starts with the
        cohort's first purchase).
    n_later_purchases : int
        Repeat purchases after the last period end, which the table does not
        count.
    """

    period_end: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    n_customers: IntArray = attrs.field(converter=int_column, eq=ARRAY_EQ)
    actual_cumulative: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    expected_cumulative: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    actual_incremental: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    expected_incremental: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    n_later_purchases: int

    def __attrs_post_init__(self) -> None:
        check_columns(self)


def _first_and_repeats(
    customer_id: npt.ArrayLike, purchase_time: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Each customer's first purchase time, and the times of all later purchases."""
    ids = as_vector(customer_id, "customer_id")
    if ids.dtype.kind in "fO":
        # NaN and None would be silently taken for customers of their own
        missing = np.array([v is None or v != v for v in ids.tolist()], dtype=bool)
        check_all(
            ~missing,
            "`customer_id` must not be missing",
            {"customer_id": ids},
            "Drop or fill purchases without a customer first.",
        )
    times = as_float_array(purchase_time, "purchase_time")
    check_same_length(customer_id=ids, purchase_time=times)
    _, codes = np.unique(ids, return_inverse=True)
    codes = codes.reshape(-1)
    order = np.lexsort((times, codes))
    sorted_codes, sorted_times = codes[order], times[order]
    starts = np.concatenate(([True], sorted_codes[1:] != sorted_codes[:-1]))
    same_time = np.zeros(times.size, dtype=bool)
    same_time[order[1:]] = ~starts[1:] & (sorted_times[1:] == sorted_times[:-1])
    check_all(
        ~same_time,
        "`purchase_time` must not repeat within a customer",
        {"customer_id": ids, "purchase_time": times},
        "Merge purchases made at the same time into one (as the summary "
        "does with `merge`) before tracking.",
    )
    return sorted_times[starts], np.sort(sorted_times[~starts])


def _expected_cumulative(
    model: ExpectedPurchaseModel, first: FloatArray, ends: FloatArray
) -> FloatArray:
    """Sum E[X(end - first_i)] over customers, those with equal starts at once."""
    starts, customers = np.unique(first, return_counts=True)
    rows = max(1, _CHUNK // starts.size)
    out = np.empty(ends.size)
    for lo in range(0, ends.size, rows):
        age = np.maximum(ends[lo : lo + rows, None] - starts[None, :], 0.0)
        expected = np.asarray(model.expected_purchases(age), dtype=np.float64)
        out[lo : lo + rows] = expected @ customers.astype(np.float64)
    return out


def tracking(
    model: ExpectedPurchaseModel,
    customer_id: npt.ArrayLike,
    purchase_time: npt.ArrayLike,
    *,
    period_ends: npt.ArrayLike,
) -> TrackingTable:
    r"""Track a cohort's expected against actual repeat purchases over calendar time.

    The aggregate test of Fader, Hardie & Lee (2005, figure 2): the
    customers joined at different times (their first purchases are
    staggered), and the model, knowing only when each customer joined,
    predicts how many repeat purchases the whole cohort makes week by week,
    cumulatively and per period, through the calibration period and beyond.

    Parameters
    ----------
    model : ExpectedPurchaseModel
        A fitted transaction model (the ``.model`` of a fit); anything with
        ``expected_purchases(horizon)``, the expected repeat purchases of a
        new customer in ``(0, horizon]``.
    customer_id : array-like of shape (n_purchases,)
        The customer of each purchase.
    purchase_time : array-like of float, shape (n_purchases,)
        Calendar time of each purchase, in the model's period (for example
        weeks since the start of the data; for BG/BB whole opportunities).
        Each customer's earliest purchase is the first purchase; all later
        ones are repeat purchases. A customer may not have two purchases at
        the same time.
    period_ends : array-like of float
        Ends of the periods to report, strictly increasing, in the same
        calendar time. The first period starts with the cohort's first
        purchase.

    Returns
    -------
    TrackingTable

    Raises
    ------
    ValueError
        If an array is empty, the lengths differ, a time is not finite, a
        customer has two purchases at the same time, or ``period_ends`` is
        not strictly increasing.
    TypeError
        If ``model`` has no ``expected_purchases``.

    See Also
    --------
    holdout_comparison : The per-customer test.

    Notes
    -----
    A customer whose first purchase was at calendar time :math:`s_i` has,
    by calendar time :math:`t`, :math:`X_i(t - s_i)` repeat purchases, so
    the cohort's expected cumulative repeat purchases are

    .. math::

        E[C(t)] = \sum_i E[X(t - s_i)]\,\mathbb{1}[t > s_i],

    with :math:`E[X(\cdot)]` the model's expectation for a new customer
    (FHL 2005 eq. 9 for BG/NBD); customers who joined at the same time are
    computed together. The actual cumulative count is the number of repeat
    purchases at or before :math:`t`. Incremental values are differences
    of consecutive period ends. Repeat purchases after the last period end
    are counted in ``n_later_purchases`` only.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting
       your customers" the easy way: An alternative to the Pareto/NBD
       model. Marketing Science, 24(2), 275-284.

    Examples
    --------
    Two customers join at weeks 0 and 1; customer ``'a'`` buys again at
    week 1.5. Tracked at weeks 1, 2 and 3 with the published BG/NBD model:

    >>> from custvalue.clv import BGNBD
    >>> from custvalue.evaluation import tracking
    >>> model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> table = tracking(
    ...     model, ["a", "b", "a"], [0.0, 1.0, 1.5], period_ends=[1, 2, 3]
    ... )
    >>> table.n_customers, table.actual_cumulative
    (array([2, 2, 2]), array([0., 1., 1.]))

    The expectation at week 2 is E[X(2)] + E[X(1)]:

    >>> round(float(table.expected_cumulative[1]), 4)
    0.1567
    >>> round(float(model.expected_purchases(2) + model.expected_purchases(1)), 4)
    0.1567
    """
    check_model(model, ExpectedPurchaseModel, "expected_purchases")
    first, repeats = _first_and_repeats(customer_id, purchase_time)
    ends = as_float_array(period_ends, "period_ends")
    # Flag each value not above its predecessor, indexed in the full array.
    increasing = np.ones(ends.size, dtype=np.bool_)
    increasing[1:] = np.diff(ends) > 0
    check_all(
        increasing,
        "`period_ends` must be strictly increasing",
        {"period_ends": ends},
        "Pass the end of each period once, in order.",
    )
    actual = np.searchsorted(repeats, ends, side="right").astype(np.float64)
    expected = _expected_cumulative(model, first, ends)
    return TrackingTable(
        period_end=ends,
        n_customers=np.searchsorted(np.sort(first), ends, side="right"),
        actual_cumulative=actual,
        expected_cumulative=expected,
        actual_incremental=np.diff(actual, prepend=0.0),
        expected_incremental=np.diff(expected, prepend=0.0),
        n_later_purchases=int(
            repeats.size - np.searchsorted(repeats, ends[-1], "right")
        ),
    )
