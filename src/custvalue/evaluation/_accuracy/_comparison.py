"""Several fitted models judged on the same calibration and holdout data."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import Result
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    check_integer_option,
    validate_customer_histories,
)
from custvalue.clv import Fit
from custvalue.evaluation._accuracy._columns import (
    ARRAY_EQ,
    check_columns,
    float_column,
    int_column,
    text_column,
)
from custvalue.evaluation._accuracy._goodness_of_fit import frequency_goodness_of_fit
from custvalue.evaluation._accuracy._holdout import holdout_comparison
from custvalue.evaluation._accuracy._models import (
    ConditionalPurchaseModel,
    PurchaseDistributionModel,
)
from custvalue.evaluation._accuracy._ranking import normalized_gini

__all__ = ["ModelComparison", "compare_models"]


@attrs.frozen(kw_only=True)
class ModelComparison(Result):
    """In-sample fit and holdout accuracy of several models, one row each.

    Returned by :func:`compare_models`; rows keep the order in which the
    fits were given.

    Parameters
    ----------
    model : ndarray of str
        The names the fits were given under.
    log_likelihood, aic, bic : ndarray of float
        Calibration-period log-likelihood and information criteria.
    n_parameters : ndarray of int
        Fitted parameters.
    chi_square : ndarray of float
        Pearson chi-square of the calibration frequency histogram
        (:func:`frequency_goodness_of_fit`).
    degrees_of_freedom : ndarray of int
        Its degrees of freedom.
    p_value : ndarray of float
        Its p-value (NaN without degrees of freedom).
    mae, rmse, bias : ndarray of float
        Holdout error metrics of the per-customer predictions
        (:func:`error_metrics`).
    gini : ndarray of float
        Normalized Gini of the holdout predictions against holdout purchases
        (:func:`normalized_gini`).
    """

    model: npt.NDArray[np.str_] = attrs.field(converter=text_column, eq=ARRAY_EQ)
    log_likelihood: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    n_parameters: IntArray = attrs.field(converter=int_column, eq=ARRAY_EQ)
    aic: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    bic: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    chi_square: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    degrees_of_freedom: IntArray = attrs.field(converter=int_column, eq=ARRAY_EQ)
    p_value: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    mae: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    rmse: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    bias: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    gini: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)

    def __attrs_post_init__(self) -> None:
        check_columns(self)


def _check_fits(fits: Mapping[str, Fit[Any]], n_customers: int) -> None:
    if not fits:
        msg = "`fits` must hold at least one fit; got an empty mapping."
        raise ValueError(msg)
    for name, candidate in fits.items():
        value: object = candidate  # checked at run time for untyped callers
        if not isinstance(value, Fit):
            kind = type(value).__name__
            msg = f"`fits` must map names to Fit results; {name!r} is {kind}."
            raise TypeError(msg)
        model: object = value.model
        for protocol, method in (
            (PurchaseDistributionModel, "purchase_probability"),
            (ConditionalPurchaseModel, "conditional_expected_purchases"),
        ):
            if not isinstance(model, protocol):
                msg = (
                    f"`fits` must hold transaction models with `{method}`; the "
                    f"model of {name!r} is {type(model).__name__}."
                )
                raise TypeError(msg)
        if not math.isclose(value.n_customers, n_customers, rel_tol=1e-12):
            msg = (
                f"`fits` must be made on the customers passed; {name!r} was fitted "
                f"to {value.n_customers:g} customers and {n_customers} were given. "
                "Fit every model to the same calibration summary."
            )
            raise ValueError(msg)


def compare_models(
    fits: Mapping[str, Fit[Any]],
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    holdout_frequency: npt.ArrayLike,
    *,
    horizon: npt.ArrayLike,
    max_frequency: int = 7,
) -> ModelComparison:
    r"""Evaluate several fitted models on the same calibration and holdout data.

    One table to choose a model by: how well each fits the calibration
    period (log-likelihood, AIC, BIC, and the chi-square of the frequency
    histogram) and how well it predicts the holdout period, customer by
    customer (MAE, RMSE, aggregate bias) and in ranking the customers
    (normalized Gini).

    Parameters
    ----------
    fits : mapping of str to Fit
        The fits to compare, under the names to show; each made on the
        calibration summary below, with a model offering
        ``purchase_probability`` and ``conditional_expected_purchases``.
    frequency, recency, T : array-like of shape (n_customers,)
        The calibration summary.
    holdout_frequency : array-like of int, shape (n_customers,)
        Purchases each customer made in the holdout period.
    horizon : float or array-like of shape (n_customers,)
        Length of the holdout period, > 0, in the summary's period.
    max_frequency : int, default=7
        The censored bin of the histogram (``'7+'``), >= 1.

    Returns
    -------
    ModelComparison

    Raises
    ------
    ValueError
        If ``fits`` is empty, a fit was made on a different number of
        customers, the data break the rules of :func:`holdout_comparison`
        or :func:`frequency_goodness_of_fit`, or every customer made the
        same number of holdout purchases (the Gini is then undefined).
    TypeError
        If a value of ``fits`` is not a :class:`custvalue.clv.Fit` of a
        transaction model.

    See Also
    --------
    custvalue.clv.compare_fits : Log-likelihood, AIC and BIC only.
    frequency_goodness_of_fit : The chi-square column, for one model.
    holdout_comparison : Holdout predictions against actual purchases.
    error_metrics : The error columns, for any predictions.
    normalized_gini : The ranking column, for any predictions.

    Notes
    -----
    Each column is computed as by its own function: the chi-square with the
    fit's number of parameters and the pooling rule of
    :func:`frequency_goodness_of_fit`, the holdout predictions as in
    :func:`holdout_comparison`. Information criteria compare models of the
    same data only; the holdout columns compare predictions, which is
    possible between any models (Fader, Hardie & Lee 2005 compare BG/NBD
    and Pareto/NBD this way).

    Examples
    --------
    >>> from custvalue.clv import calibration_holdout_summary, fit_bgnbd, fit_mbgnbd
    >>> from custvalue.datasets import load_cdnow_transactions
    >>> from custvalue.evaluation import compare_models
    >>> log = load_cdnow_transactions()
    >>> split = calibration_holdout_summary(
    ...     log.customer_id, log.timestamp, log.amount,
    ...     calibration_end="1997-09-30", merge="day", time_unit="week",
    ... )
    >>> cal = split.calibration
    >>> data = (cal.frequency, cal.recency, cal.T)
    >>> table = compare_models(
    ...     {"BG/NBD": fit_bgnbd(*data), "MBG/NBD": fit_mbgnbd(*data)},
    ...     *data, split.holdout_frequency, horizon=split.holdout_duration,
    ... )
    >>> table.model
    array(['BG/NBD', 'MBG/NBD'], dtype='<U7')
    >>> table.chi_square.round(2), table.degrees_of_freedom
    (array([4.82, 2.95]), array([3, 3]))
    """
    x, tx, t_obs, _ = validate_customer_histories(frequency, recency, T)
    check_integer_option(max_frequency, "max_frequency", minimum=1)
    _check_fits(fits, x.size)
    rows: dict[str, list[float]] = {
        name: []
        for name in (
            "log_likelihood",
            "n_parameters",
            "aic",
            "bic",
            "chi_square",
            "degrees_of_freedom",
            "p_value",
            "mae",
            "rmse",
            "bias",
            "gini",
        )
    }
    for fit in fits.values():
        histogram = frequency_goodness_of_fit(
            fit.model,
            x,
            tx,
            t_obs,
            max_frequency=max_frequency,
            n_parameters=fit.n_parameters,
        )
        holdout = holdout_comparison(
            fit.model, x, tx, t_obs, holdout_frequency, horizon=horizon
        )
        errors = holdout.error_metrics()
        values = {
            "log_likelihood": fit.log_likelihood,
            "n_parameters": fit.n_parameters,
            "aic": fit.aic,
            "bic": fit.bic,
            "chi_square": histogram.chi_square,
            "degrees_of_freedom": histogram.degrees_of_freedom,
            "p_value": histogram.p_value,
            "mae": errors.mae,
            "rmse": errors.rmse,
            "bias": errors.bias,
            "gini": normalized_gini(holdout.actual, holdout.predicted),
        }
        for name, value in values.items():
            rows[name].append(float(value))
    return ModelComparison(model=list(fits), **rows)
