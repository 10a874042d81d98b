"""Predicted against actual holdout purchases (Fader-Hardie calibration/holdout)."""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import Result
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    check_all,
    check_integer_option,
    validate_customer_histories,
)
from custvalue.evaluation._accuracy._columns import (
    ARRAY_EQ,
    check_columns,
    float_column,
    int_column,
    text_column,
)
from custvalue.evaluation._accuracy._customers import (
    holdout_counts,
    holdout_horizon,
)
from custvalue.evaluation._accuracy._error_metrics import ErrorMetrics, error_metrics
from custvalue.evaluation._accuracy._models import (
    ConditionalPurchaseModel,
    check_model,
)

__all__ = ["HoldoutComparison", "HoldoutTable", "holdout_comparison"]


@attrs.frozen(kw_only=True)
class HoldoutTable(Result):
    """Mean predicted and actual holdout purchases by group of customers.

    Returned by :meth:`HoldoutComparison.by_frequency` and
    :meth:`HoldoutComparison.by_recency`. Groups without customers are left
    out.

    Parameters
    ----------
    group : ndarray of str
        Label of each group (``'0'``, ..., ``'7+'``, or a recency interval).
    lower, upper : ndarray of float
        The range of the grouping variable. By frequency both ends are
        included (``upper`` is ``inf`` for the censored last group); by
        recency ``lower`` is included and ``upper`` excluded, except in the
        last interval, which includes it.
    n_customers : ndarray of int
        Customers in the group.
    mean_predicted, mean_actual : ndarray of float
        Mean predicted and actual holdout purchases per customer.
    total_predicted, total_actual : ndarray of float
        The same, summed over the group.
    """

    group: npt.NDArray[np.str_] = attrs.field(converter=text_column, eq=ARRAY_EQ)
    lower: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    upper: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    n_customers: IntArray = attrs.field(converter=int_column, eq=ARRAY_EQ)
    mean_predicted: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    mean_actual: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    total_predicted: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    total_actual: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)

    def __attrs_post_init__(self) -> None:
        check_columns(self)


def _table(
    index: IntArray,
    n_groups: int,
    labels: list[str],
    lower: FloatArray,
    upper: FloatArray,
    predicted: FloatArray,
    actual: IntArray,
) -> HoldoutTable:
    counts = np.bincount(index, minlength=n_groups)
    total_predicted = np.bincount(index, weights=predicted, minlength=n_groups)
    total_actual = np.bincount(index, weights=actual, minlength=n_groups)
    used = counts > 0
    return HoldoutTable(
        group=np.array(labels)[used],
        lower=lower[used],
        upper=upper[used],
        n_customers=counts[used],
        mean_predicted=total_predicted[used] / counts[used],
        mean_actual=total_actual[used] / counts[used],
        total_predicted=total_predicted[used],
        total_actual=total_actual[used],
    )


def _recency_edges(bins: int | npt.ArrayLike, recency: FloatArray) -> FloatArray:
    if isinstance(bins, int | np.integer) and not isinstance(bins, bool):
        count = check_integer_option(bins, "bins", minimum=1)
        top = float(recency.max()) if recency.size else 0.0
        return np.linspace(0.0, top if top > 0 else 1.0, count + 1)
    if np.ndim(bins) == 0:
        msg = (
            f"`bins` must be an integer or a sequence of interval edges; got {bins!r}."
        )
        raise TypeError(msg)
    edges = as_float_array(bins, "bins")
    if edges.size < 2:
        msg = f"`bins` must hold at least 2 edges; got {edges.size}."
        raise ValueError(msg)
    # Flag each value not above its predecessor, indexed in the full array.
    increasing = np.ones(edges.size, dtype=np.bool_)
    increasing[1:] = np.diff(edges) > 0
    check_all(
        increasing,
        "`bins` must be strictly increasing",
        {"bins": edges},
        "Pass the interval edges in increasing order.",
    )
    return edges


@attrs.frozen(kw_only=True)
class HoldoutComparison(Result):
    """Each customer's predicted and actual holdout purchases.

    Returned by :func:`holdout_comparison`. The calibration history is kept
    so that the comparison can be grouped by it.

    Parameters
    ----------
    frequency, recency, T : ndarray, shape (n_customers,)
        The calibration summary.
    horizon : ndarray of float, shape (n_customers,)
        Length of each customer's holdout period.
    predicted : ndarray of float, shape (n_customers,)
        Expected holdout purchases given the calibration history.
    actual : ndarray of int, shape (n_customers,)
        Purchases made in the holdout period.
    """

    frequency: IntArray = attrs.field(converter=int_column, eq=ARRAY_EQ)
    recency: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    T: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    horizon: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    predicted: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    actual: IntArray = attrs.field(converter=int_column, eq=ARRAY_EQ)

    def __attrs_post_init__(self) -> None:
        check_columns(self)

    def by_frequency(self, max_frequency: int = 7) -> HoldoutTable:
        """Group by calibration repeat purchases 0, 1, ..., with a censored last group.

        The table of Fader, Hardie & Lee (2005, figure 4): customers with
        ``max_frequency`` or more calibration purchases form the last
        group, labelled ``'7+'`` by default.

        Parameters
        ----------
        max_frequency : int, default=7
            First frequency of the censored group, >= 1.

        Returns
        -------
        HoldoutTable
        """
        k = check_integer_option(max_frequency, "max_frequency", minimum=1)
        index = np.minimum(self.frequency, k)
        labels = [str(x) for x in range(k)] + [f"{k}+"]
        lower = np.arange(k + 1, dtype=np.float64)
        upper = np.append(np.arange(k, dtype=np.float64), np.inf)
        return _table(index, k + 1, labels, lower, upper, self.predicted, self.actual)

    def by_recency(self, bins: int | npt.ArrayLike = 8) -> HoldoutTable:
        """Group by the recency of the last calibration purchase.

        Customers without a repeat purchase (recency 0 by definition) form
        the first group, ``'no repeat'``, so that they do not hide the
        repeat buyers of short recency. The repeat buyers are grouped by
        recency intervals :math:`[e_j, e_{j+1})`, the last one closed.

        Parameters
        ----------
        bins : int or array-like of float, default=8
            A number of equal-width intervals from 0 to the largest recency,
            or the interval edges, strictly increasing and covering every
            repeat buyer's recency.

        Returns
        -------
        HoldoutTable

        Raises
        ------
        ValueError
            If the edges are not increasing or leave a repeat buyer out, or
            a number of intervals is < 1.
        TypeError
            If ``bins`` is neither an integer nor a sequence of numbers.
        """
        repeat = self.frequency > 0
        edges = _recency_edges(bins, self.recency[repeat])
        inside = (self.recency >= edges[0]) & (self.recency <= edges[-1])
        check_all(
            inside | ~repeat,
            f"`bins` must cover the recency of every repeat buyer "
            f"[{edges[0]:g}, {edges[-1]:g}]",
            {"recency": self.recency},
            "Widen the first or last edge; nothing is dropped silently.",
        )
        n_intervals = edges.size - 1
        interval = np.searchsorted(edges, self.recency, side="right") - 1
        interval = np.minimum(interval, n_intervals - 1)
        index = np.where(repeat, interval + 1, 0)
        labels = ["no repeat"] + [
            f"[{edges[j]:.4g}, {edges[j + 1]:.4g}{']' if j == n_intervals - 1 else ')'}"
            for j in range(n_intervals)
        ]
        return _table(
            index,
            n_intervals + 1,
            labels,
            np.concatenate(([0.0], edges[:-1])),
            np.concatenate(([0.0], edges[1:])),
            self.predicted,
            self.actual,
        )

    def error_metrics(self) -> ErrorMetrics:
        """Error metrics of the per-customer predictions (see :func:`error_metrics`)."""
        return error_metrics(self.actual, self.predicted)


def holdout_comparison(
    model: ConditionalPurchaseModel,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    holdout_frequency: npt.ArrayLike,
    *,
    horizon: npt.ArrayLike,
) -> HoldoutComparison:
    r"""Compare a model's holdout predictions with what each customer did.

    The test of Fader, Hardie & Lee (2005): fit a model on a calibration
    period, predict each customer's purchases in the holdout period that
    follows from the calibration history alone, and compare with the
    purchases actually made. The result holds the per-customer predictions
    and actual counts; its methods group them by calibration frequency
    (the paper's figure 4) or recency, and compute error metrics.

    Parameters
    ----------
    model : ConditionalPurchaseModel
        A fitted transaction model (the ``.model`` of a fit), for example
        :class:`custvalue.clv.BGNBD`; anything with
        ``conditional_expected_purchases(horizon, frequency, recency, T)``.
    frequency, recency, T : array-like of shape (n_customers,)
        The calibration summary the model was fitted on (for BG/BB, ``T`` is
        the number of opportunities).
    holdout_frequency : array-like of int, shape (n_customers,)
        Purchases each customer made in the holdout period.
    horizon : float or array-like of shape (n_customers,)
        Length of the holdout period, > 0, in the calibration summary's
        period (whole opportunities for BG/BB): one value for everyone or
        one per customer (``CalibrationHoldoutSummary.holdout_duration``).

    Returns
    -------
    HoldoutComparison

    Raises
    ------
    ValueError
        If an array is empty, the lengths differ, or a value breaks the
        rules of a calibration summary (see :class:`custvalue.clv.CustomerSummary`).
    TypeError
        If ``model`` has no ``conditional_expected_purchases``.

    See Also
    --------
    frequency_goodness_of_fit : The calibration-period fit of the same model.
    compare_models : This comparison for several models at once.

    Notes
    -----
    The prediction for customer :math:`i` is the conditional expectation
    :math:`E[Y_i(t^*) \mid x_i, t_{x,i}, T_i]` of the purchases in
    :math:`(T_i, T_i + t^*]` (FHL 2005, eq. 10, for BG/NBD). Grouping by
    calibration frequency with the largest group censored ("7+") is the
    paper's figure 4; grouping by recency shows whether the model reads
    long silences right.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting
       your customers" the easy way: An alternative to the Pareto/NBD
       model. Marketing Science, 24(2), 275-284.

    Examples
    --------
    Three customers of the published BG/NBD model, watched for 39 more
    weeks:

    >>> from custvalue.clv import BGNBD
    >>> from custvalue.evaluation import holdout_comparison
    >>> model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> result = holdout_comparison(
    ...     model, [2, 0, 0], [30.43, 0.0, 0.0], [38.86, 38.86, 38.86], [1, 0, 1],
    ...     horizon=39,
    ... )
    >>> result.predicted.round(3)
    array([1.226, 0.195, 0.195])
    >>> table = result.by_frequency(max_frequency=2)
    >>> table.group, table.mean_predicted.round(3), table.mean_actual
    (array(['0', '2+'], dtype='<U2'), array([0.195, 1.226]), array([0.5, 1. ]))
    """
    check_model(model, ConditionalPurchaseModel, "conditional_expected_purchases")
    x, tx, t_obs, _ = validate_customer_histories(frequency, recency, T)
    actual = holdout_counts(holdout_frequency, x.size)
    h = holdout_horizon(horizon, x.size)
    predicted = np.asarray(
        model.conditional_expected_purchases(h, x, tx, t_obs), dtype=np.float64
    )
    return HoldoutComparison(
        frequency=x, recency=tx, T=t_obs, horizon=h, predicted=predicted, actual=actual
    )
