"""Maximum-likelihood estimation of the Pareto/NBD model."""

from __future__ import annotations

import functools

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.optimize import (
    BoundaryReason,
    MaximumLikelihoodResult,
    maximize_log_likelihood,
)
from custvalue._lib.reductions import weighted_sum
from custvalue._lib.validation import (
    FloatArray,
    check_scalar,
    validate_customer_histories,
)
from custvalue.clv._boundaries import mixing_reasons, no_repeat_purchases
from custvalue.clv._data import CustomerSummary
from custvalue.clv._fit import Fit, fit_from_result
from custvalue.clv._keyed import customer_columns
from custvalue.clv._pareto_nbd import _likelihood as math
from custvalue.clv._pareto_nbd._model import ParetoNBD
from custvalue.clv._patterns import compress_patterns
from custvalue.errors import ConvergenceError

__all__ = ["fit_pareto_nbd"]

#: With at least ``_GROWTH`` times this many distinct patterns, the fit
#: starts from the estimates on evenly spaced subsamples of this many
#: patterns, then ``_GROWTH`` times more, and so on (a speed-up only: the
#: full-data maximum is then found by the same Newton iterations, from
#: closer).
_SUBSAMPLE = 2_000
_GROWTH = 10


#: Largest relative difference between the log-likelihood with rules kept
#: from the start and with rules rebuilt at the estimate, before the
#: maximization is repeated from the estimate.
_KEPT_RULES_TOLERANCE = 1e-10


def _derivatives(
    theta: FloatArray,
    data: math.LikelihoodData,
    rules: list[list[math.NodeRule]] | None,
) -> tuple[float, FloatArray, FloatArray]:
    return math.log_likelihood_derivatives(theta, data, rules)


_NO_DROPOUT = "the data show little drop-out, so the drop-out rate s/beta tends to 0"


def _reason(data: math.LikelihoodData) -> BoundaryReason:
    return mixing_reasons(
        {("r", "alpha"): "purchase rates", ("s", "beta"): "drop-out rates"},
        frequency=data.x,
        fading={("s", "0"): _NO_DROPOUT, ("beta", "infinity"): _NO_DROPOUT},
    )


def _maximize(
    data: math.LikelihoodData,
    start: FloatArray,
    penalizer: float,
    *,
    keep_rules: bool,
) -> MaximumLikelihoodResult:
    """Maximize the likelihood of ``data`` from ``start``.

    From a start near the maximum (``keep_rules``), the quadrature nodes are
    built once at the start and kept: the likelihood is then a smooth
    function of the parameters, and Newton's method is not disturbed by
    rules that change with them (on a million customers the changes are
    larger than the last improvements). At the estimate the likelihood is
    recomputed with rules built there; if the two differ by more than
    ``_KEPT_RULES_TOLERANCE``, the maximization starts again from there.
    """
    for _ in range(2 if keep_rules else 0):
        rules = math.frozen_rules(start, data)
        result = maximize_log_likelihood(
            functools.partial(_derivatives, data=data, rules=rules),
            start,
            total_weight=float(data.weight.sum()),
            penalizer=penalizer,
            parameter_names=ParetoNBD.parameter_names,
            boundary_reason=_reason(data),
            unidentified=no_repeat_purchases(data.x),
        )
        value = math.log_likelihood_value(result.parameters, data)
        if abs(value - result.log_likelihood) <= _KEPT_RULES_TOLERANCE * abs(value):
            return attrs.evolve(result, log_likelihood=value)
        start = result.parameters
    return maximize_log_likelihood(
        functools.partial(_derivatives, data=data, rules=None),
        start,
        total_weight=float(data.weight.sum()),
        penalizer=penalizer,
        parameter_names=ParetoNBD.parameter_names,
        boundary_reason=_reason(data),
        unidentified=no_repeat_purchases(data.x),
    )


def _heuristic_start(data: math.LikelihoodData) -> FloatArray:
    """Start from unit shapes, alpha from the mean rate, beta from the mean T."""
    total = float(data.weight.sum())
    mean_x = weighted_sum(data.weight, data.x) / total
    mean_t = weighted_sum(data.weight, data.T) / total
    return np.array(
        [1.0, max(mean_t, 1e-8) / max(mean_x, 0.05), 1.0, max(mean_t, 1e-8)]
    )


def _starting_values(
    data: math.LikelihoodData, penalizer: float
) -> tuple[FloatArray, str]:
    """Choose starting values; say in a note when a subsample gave them.

    The subsample is every k-th pattern in (frequency, recency, T) order, so
    it does not depend on the order of the rows.
    """
    start = _heuristic_start(data)
    order = np.lexsort((data.T, data.tx, data.x))
    size, used = _SUBSAMPLE, 0
    while size * _GROWTH // 2 <= data.x.size:
        pick = order[:: data.x.size // size]
        sub = math.LikelihoodData(
            x=data.x[pick], tx=data.tx[pick], T=data.T[pick], weight=data.weight[pick]
        )
        try:
            warm = _maximize(sub, start, penalizer, keep_rules=used > 0)
        except ConvergenceError:
            break
        start, used = warm.parameters, pick.size
        size *= _GROWTH
    if not used:
        return start, ""
    return start, f"Started from the estimates on a subsample of {used} patterns."


def fit_pareto_nbd(
    frequency: npt.ArrayLike | CustomerSummary,
    recency: npt.ArrayLike | None = None,
    T: npt.ArrayLike | None = None,
    *,
    counts: npt.ArrayLike | None = None,
    penalizer: float = 0.0,
) -> Fit[ParetoNBD]:
    """Fit the Pareto/NBD model by maximum likelihood.

    The same procedure as every model of :mod:`custvalue.clv`: identical
    customers are compressed into weighted patterns, and the log-likelihood
    is maximized over log-parameters by a trust-region Newton method with
    its exact gradient and Hessian, which also give the standard errors.

    Parameters
    ----------
    frequency : array-like of int, shape (n_customers,), or CustomerSummary
        Repeat purchases; or a summary in place of the three arrays, whose
        time unit the fit then records.
    recency : array-like of float, shape (n_customers,)
        Time of the last purchase since the first (0 when frequency is 0).
    T : array-like of float, shape (n_customers,)
        Time observed since the first purchase.
    counts : array-like of float, shape (n_customers,), optional
        Number of customers each row stands for (> 0).
    penalizer : float, default=0.0
        L2 penalty on the parameters, as in :func:`fit_bgnbd`.

    Returns
    -------
    Fit[ParetoNBD]

    Raises
    ------
    ValueError
        For invalid data.
    ConvergenceError
        If no trustworthy maximum is found.

    See Also
    --------
    ParetoNBD : The model and its predictions.

    Notes
    -----
    The likelihood integral over the death time is computed by a
    quadrature rule adapted to each customer (see :class:`ParetoNBD`); the
    gradient and Hessian are the same rule applied to the differentiated
    integrand, hence those of the computed likelihood. Unlike Nelder-Mead
    with random restarts (the lifetimes package), Newton's method ends at a
    point with a vanishing gradient and a negative definite Hessian, which
    the convergence report shows.

    References
    ----------
    .. [1] Schmittlein, D. C., Morrison, D. G., & Colombo, R. (1987).
       Counting your customers: Who are they and what will they do next?
       Management Science, 33(1), 1-24.
    .. [2] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). RFM and CLV:
       Using iso-value curves for customer base analysis. Journal of
       Marketing Research, 42(4), 415-430.

    Examples
    --------
    On the CDNOW calibration summary the estimates are those of Fader,
    Hardie & Lee (2005): r = 0.553, alpha = 10.578, s = 0.606,
    beta = 11.669, log-likelihood -9595.0. (Here beta is 11.668; the
    likelihood is flat in beta, whose standard error is about 6.)

    >>> from custvalue.clv import fit_pareto_nbd
    >>> from custvalue.datasets import load_cdnow_summary
    >>> cdnow = load_cdnow_summary()
    >>> fit = fit_pareto_nbd(cdnow.frequency, cdnow.recency, cdnow.T)
    >>> {k: round(v, 3) for k, v in fit.parameters.items()}
    {'r': 0.553, 'alpha': 10.578, 's': 0.606, 'beta': 11.668}
    >>> round(fit.log_likelihood, 1)
    -9595.0
    >>> {k: round(v, 2) for k, v in fit.standard_errors.items()}
    {'r': 0.05, 'alpha': 0.84, 's': 0.19, 'beta': 6.21}
    """
    columns, unit = customer_columns(
        frequency, recency, T, names=("frequency", "recency", "T")
    )
    x, tx, t_obs, w = validate_customer_histories(
        columns[0], columns[1], columns[2], counts
    )
    pen = check_scalar(penalizer, "penalizer", nonnegative=True)
    data = compress_patterns(x, tx, t_obs, w)
    arranged = math.LikelihoodData.from_patterns(data)
    total = data.total_weight
    initial, note = _starting_values(arranged, pen)
    result = _maximize(arranged, initial, pen, keep_rules=bool(note))
    if note:
        report = attrs.evolve(result.report, message=f"{result.report.message} {note}")
        result = attrs.evolve(result, report=report)
    return fit_from_result(
        ParetoNBD,
        result,
        parameter_names=ParetoNBD.parameter_names,
        n_customers=total,
        n_patterns=int(data.frequency.size),
        penalizer=pen,
        time_unit=unit,
    )
