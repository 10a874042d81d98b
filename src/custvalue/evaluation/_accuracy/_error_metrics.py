"""Error metrics of predicted against actual values: MAE, RMSE, MSLE, bias, wMAPE."""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt
from scipy import stats

from custvalue._lib.fields import Result
from custvalue._lib.validation import FloatArray
from custvalue.evaluation._accuracy._columns import (
    FLOAT_EQ,
    actual_and_predicted,
)

__all__ = ["ErrorMetrics", "error_metrics", "rank_correlation"]


@attrs.frozen(kw_only=True)
class ErrorMetrics(Result):
    """Error metrics of one set of predictions; returned by :func:`error_metrics`.

    Parameters
    ----------
    n : int
        Number of (actual, predicted) pairs.
    mae : float
        Mean absolute error.
    rmse : float
        Root mean squared error.
    msle : float
        Mean squared logarithmic error; NaN when a value is negative.
    bias : float
        Aggregate relative bias, (total predicted - total actual) / total
        actual; NaN when the actual total is 0.
    wmape : float
        Weighted mean absolute percentage error, total absolute error /
        total absolute actual; NaN when every actual value is 0.
    spearman : float
        Spearman rank correlation (ties get mid-ranks); NaN when either side
        is constant.
    """

    n: int
    mae: float
    rmse: float
    msle: float = attrs.field(eq=FLOAT_EQ)
    bias: float = attrs.field(eq=FLOAT_EQ)
    wmape: float = attrs.field(eq=FLOAT_EQ)
    spearman: float = attrs.field(eq=FLOAT_EQ)


def rank_correlation(actual: FloatArray, predicted: FloatArray) -> float:
    """Spearman correlation (Pearson's of the mid-ranks); NaN if a side is constant."""
    ranks_a = stats.rankdata(actual) - (actual.size + 1) / 2.0
    ranks_p = stats.rankdata(predicted) - (predicted.size + 1) / 2.0
    scale = math.sqrt(float(ranks_a @ ranks_a) * float(ranks_p @ ranks_p))
    if scale == 0.0:
        return math.nan
    return float(ranks_a @ ranks_p) / scale


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator != 0.0 else math.nan


def error_metrics(actual: npt.ArrayLike, predicted: npt.ArrayLike) -> ErrorMetrics:
    r"""Compute MAE, RMSE, MSLE, aggregate bias, wMAPE and Spearman correlation.

    How far predictions are from what happened, in the ways that matter for
    customer-base forecasts: the typical error per customer (MAE, RMSE),
    errors on a relative scale that do not let a few heavy buyers dominate
    (MSLE), whether the total is over- or under-forecast (bias), the total
    error relative to the total (wMAPE), and whether customers are put in
    the right order (Spearman).

    Parameters
    ----------
    actual : array-like of shape (n,)
        What happened, for example holdout purchases per customer.
    predicted : array-like of shape (n,)
        The predictions, in the same order.

    Returns
    -------
    ErrorMetrics

    Raises
    ------
    ValueError
        If the arrays are empty, differ in length, are not one-dimensional,
        or hold NaN or infinity.
    TypeError
        If they hold something other than real numbers.

    See Also
    --------
    holdout_comparison : Per-customer holdout predictions to feed this.
    normalized_gini : How well the predictions rank customers.

    Notes
    -----
    With errors :math:`e_i = \hat y_i - y_i`:

    .. math::

        \mathrm{MAE} = \frac{1}{n}\sum|e_i|, \quad
        \mathrm{RMSE} = \sqrt{\frac{1}{n}\sum e_i^2}, \quad
        \mathrm{MSLE} = \frac{1}{n}\sum\left(\ln(1+\hat y_i)
                        - \ln(1+y_i)\right)^2,

    .. math::

        \mathrm{bias} = \frac{\sum\hat y_i - \sum y_i}{\sum y_i}, \quad
        \mathrm{wMAPE} = \frac{\sum|e_i|}{\sum|y_i|}.

    MSLE is defined for values >= 0 only and is NaN otherwise; bias and
    wMAPE are NaN when their denominator is 0 (there is no relative error
    of a zero total). The bias is the relative error of the aggregate
    forecast that Fader, Hardie & Lee (2005) track; wMAPE is the MAPE
    weighted by the actual values, which stays finite when individual
    actual values are 0 (Kolassa & Schütz 2007). Spearman's :math:`\rho` is
    the Pearson correlation of the ranks, with tied values given their
    average rank (Spearman 1904).

    References
    ----------
    .. [1] Hyndman, R. J., & Koehler, A. B. (2006). Another look at measures
       of forecast accuracy. International Journal of Forecasting, 22(4),
       679-688.
    .. [2] Kolassa, S., & Schütz, W. (2007). Advantages of the MAD/MEAN ratio
       over the MAPE. Foresight, 6, 40-43.
    .. [3] Spearman, C. (1904). The proof and measurement of association
       between two things. American Journal of Psychology, 15(1), 72-101.

    Examples
    --------
    Four customers bought 0, 1, 2 and 5 times in the holdout weeks; a model
    predicted 0.5, 1, 1 and 4:

    >>> from custvalue.evaluation import error_metrics
    >>> m = error_metrics([0, 1, 2, 5], [0.5, 1, 1, 4])
    >>> m.mae, m.rmse
    (0.625, 0.75)

    In total the model expected 6.5 purchases where 8 happened, 18.75% too
    few, and the total absolute error of 2.5 is 31.25% of the total:

    >>> m.bias, m.wmape
    (-0.1875, 0.3125)

    The two middle predictions tie, so the customers are not perfectly
    ordered:

    >>> round(m.spearman, 4)
    0.9487
    """
    y, p = actual_and_predicted(actual, predicted)
    error = p - y
    if bool(np.all(y >= 0) and np.all(p >= 0)):
        msle = float(np.mean((np.log1p(p) - np.log1p(y)) ** 2))
    else:
        msle = math.nan
    return ErrorMetrics(
        n=int(y.size),
        mae=float(np.mean(np.abs(error))),
        rmse=math.sqrt(float(np.mean(error**2))),
        msle=msle,
        bias=_ratio(float(p.sum() - y.sum()), float(y.sum())),
        wmape=_ratio(float(np.abs(error).sum()), float(np.abs(y).sum())),
        spearman=rank_correlation(y, p),
    )
