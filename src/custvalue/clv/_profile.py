"""Profile-likelihood confidence intervals for the parameters of a fit."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from custvalue._lib.optimize import LogLikelihood
from custvalue._lib.profile import profile_bounds
from custvalue._lib.validation import (
    FloatArray,
    validate_customer_histories,
    validate_discrete_histories,
)
from custvalue.clv._bgbb import _likelihood as bgbb
from custvalue.clv._bgbb._model import BGBB
from custvalue.clv._bgnbd import _likelihood as bgnbd
from custvalue.clv._bgnbd._model import BetaGeometricModel
from custvalue.clv._fit import Fit
from custvalue.clv._gamma_gamma import _likelihood as gamma_gamma
from custvalue.clv._gamma_gamma._model import GammaGamma
from custvalue.clv._pareto_nbd import _likelihood as pareto
from custvalue.clv._pareto_nbd._model import ParetoNBD
from custvalue.clv._patterns import compress_patterns
from custvalue.clv._sbg import _likelihood as sbg
from custvalue.clv._sbg._fit import compress_lifetimes
from custvalue.clv._sbg._model import ShiftedBetaGeometric
from custvalue.results import ConfidenceInterval

__all__ = ["profile_confidence_intervals"]

#: Relative difference between the log-likelihood of the data passed and the
#: fit's beyond which the data are taken to be other data.
_SAME_DATA = 1e-8


def _likelihood(
    model: Any, data: tuple[npt.ArrayLike, ...], counts: npt.ArrayLike | None
) -> LogLikelihood:
    """Build the fit's log-likelihood function on ``data``, as the fit did."""
    if len(data) not in (2, 3):
        msg = f"`data` must be the fit's 2 or 3 data arrays; got {len(data)}."
        raise TypeError(msg)
    if isinstance(model, BetaGeometricModel | ParetoNBD | BGBB) and len(data) != 3:
        msg = "`data` must be `frequency, recency, T` for this model."
        raise TypeError(msg)
    if isinstance(model, GammaGamma | ShiftedBetaGeometric) and len(data) != 2:
        msg = "`data` must be two arrays for this model (see the docstring)."
        raise TypeError(msg)
    if isinstance(model, BetaGeometricModel):
        x, tx, t, w = validate_customer_histories(data[0], data[1], data[2], counts)
        arranged = bgnbd.LikelihoodData.from_patterns(
            compress_patterns(x, tx, t, w), model._shift
        )
        return lambda theta: bgnbd.log_likelihood_derivatives(theta, arranged)
    if isinstance(model, ParetoNBD):
        x, tx, t, w = validate_customer_histories(data[0], data[1], data[2], counts)
        patterns = pareto.LikelihoodData.from_patterns(compress_patterns(x, tx, t, w))
        return lambda theta: pareto.log_likelihood_derivatives(theta, patterns)
    if isinstance(model, BGBB):
        xd, txd, n, w = validate_discrete_histories(data[0], data[1], data[2], counts)
        p = bgbb.compress_discrete(xd, txd, n, w)
        discrete = bgbb.LikelihoodData.from_patterns(
            p.frequency, p.recency, p.n, p.weight
        )
        return lambda theta: bgbb.log_likelihood_derivatives(theta, discrete)
    if isinstance(model, GammaGamma):
        frequency, monetary_value = data
        xg, m, wg = gamma_gamma.repeat_customers(frequency, monetary_value, counts)
        spend = gamma_gamma.SpendData.from_customers(xg, m, wg)
        return lambda theta: gamma_gamma.log_likelihood_derivatives(theta, spend)
    if isinstance(model, ShiftedBetaGeometric):
        lifetime, churned = data
        ts, dead, ws = compress_lifetimes(
            *sbg.validate_lifetimes(lifetime, churned, counts)
        )
        return lambda theta: sbg.log_likelihood_derivatives(theta, ts, dead, ws)
    msg = f"`fit` must be a fit of a custvalue.clv model; got {type(model).__name__}."
    raise TypeError(msg)


def profile_confidence_intervals(
    fit: Fit[Any],
    *data: npt.ArrayLike,
    counts: npt.ArrayLike | None = None,
    confidence_level: float = 0.95,
) -> dict[str, ConfidenceInterval]:
    """Profile-likelihood confidence intervals for every parameter of a fit.

    The interval of a parameter holds the values that a likelihood-ratio
    test would not reject: those whose profile log-likelihood (maximized
    over the other parameters) is within half the chi-square critical value
    of the maximum. It needs the data again, since a fit keeps none.
    Profile intervals follow the likelihood's shape, so they keep their
    coverage where the Wald and log intervals of
    :meth:`Fit.confidence_intervals` do not (small samples, skewed
    likelihoods); they cost a few dozen likelihood evaluations per
    parameter.

    Parameters
    ----------
    fit : Fit
        A fit returned by a ``fit_*`` function of :mod:`custvalue.clv`.
    *data : array-like
        The data the fit was made from, as passed to its ``fit_*``
        function: ``frequency, recency, T`` for BG/NBD, MBG/NBD,
        Pareto/NBD and BG/BB; ``frequency, monetary_value`` for
        Gamma-Gamma; ``lifetime, churned`` for sBG.
    counts : array-like, optional
        The row counts passed to the fit, if any.
    confidence_level : float, default=0.95
        Nominal coverage, strictly between 0 and 1.

    Returns
    -------
    dict of str to ConfidenceInterval
        By parameter name. A bound is 0 or ``inf`` where the likelihood
        never drops by the critical amount within a factor of
        :math:`e^{30}` of the estimate.

    Raises
    ------
    ValueError
        If the data do not give the fit's log-likelihood (they are not the
        data the fit was made from), or for invalid data.
    TypeError
        If ``fit`` is not a fit of a custvalue model.

    Notes
    -----
    With :math:`\\ell_p(t) = \\max_{\\theta_{-k}} \\ell(\\theta_k = t,
    \\theta_{-k})`, the interval is :math:`\\{t : 2[\\ell(\\hat\\theta) -
    \\ell_p(t)] \\le \\chi^2_{1,c}\\}` (Wilks 1938); with a penalizer the
    penalized log-likelihood is profiled.

    References
    ----------
    .. [1] Venzon, D. J., & Moolgavkar, S. H. (1988). A method for computing
       profile-likelihood-based confidence intervals. Applied Statistics,
       37(1), 87-94.

    Examples
    --------
    >>> from custvalue.clv import fit_sbg
    >>> from custvalue.clv import profile_confidence_intervals
    >>> lifetime = [1, 2, 3, 4, 5, 6, 7, 7]
    >>> churned = [True] * 7 + [False]
    >>> counts = [369, 163, 86, 56, 37, 27, 21, 241]
    >>> fit = fit_sbg(lifetime, churned, counts=counts)
    >>> profile = profile_confidence_intervals(fit, lifetime, churned, counts=counts)
    >>> round(profile["alpha"].low, 3), round(profile["alpha"].high, 3)
    (0.589, 0.85)
    """
    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        msg = f"`confidence_level` must be strictly between 0 and 1; got {level!r}."
        raise ValueError(msg)
    log_likelihood = _likelihood(fit.model, data, counts)
    estimates: FloatArray = np.array(
        [fit.parameters[name] for name in fit.parameter_names], dtype=np.float64
    )
    ll = float(log_likelihood(estimates)[0])
    if not abs(ll - fit.log_likelihood) <= _SAME_DATA * max(1.0, abs(ll)):
        msg = (
            f"The data give log-likelihood {ll:.10g} at the fit's estimates, "
            f"not the fit's {fit.log_likelihood:.10g}: pass the data (and "
            "`counts`) the fit was made from."
        )
        raise ValueError(msg)
    errors = fit.standard_errors
    out: dict[str, ConfidenceInterval] = {}
    for k, name in enumerate(fit.parameter_names):
        se = errors[name] / float(estimates[k])
        low, high = profile_bounds(
            log_likelihood,
            estimates,
            k,
            total_weight=fit.n_customers,
            penalizer=fit.penalizer,
            confidence_level=level,
            log_standard_error=se if math.isfinite(se) else 0.5,
        )
        out[name] = ConfidenceInterval(low=low, high=high, confidence_level=level)
    return out
