"""Maximum-likelihood fitting of the shifted-beta-geometric model."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from custvalue._lib.optimize import (
    BoundaryReason,
    Direction,
)
from custvalue._lib.reductions import weighted_sum
from custvalue._lib.validation import FloatArray, check_scalar
from custvalue.clv._fit import Fit, maximum_likelihood_fit
from custvalue.clv._sbg._likelihood import (
    BoolArray,
    log_likelihood_derivatives,
    validate_lifetimes,
    validate_survivors,
)
from custvalue.clv._sbg._model import ShiftedBetaGeometric

__all__ = ["fit_sbg", "fit_sbg_survivors"]


def compress_lifetimes(
    t: FloatArray, churned: BoolArray, w: FloatArray
) -> tuple[FloatArray, BoolArray, FloatArray]:
    """Merge customers with the same (lifetime, churned) into weighted rows."""
    key = 2 * t.astype(np.int64) + churned.astype(np.int64)
    distinct, inverse = np.unique(key, return_inverse=True)
    weight = np.bincount(inverse.reshape(-1), weights=w, minlength=distinct.size)
    return (
        (distinct // 2).astype(np.float64),
        (distinct % 2).astype(np.bool_),
        np.asarray(weight, dtype=np.float64),
    )


def _boundary_reason(lifetime: FloatArray, dead: BoolArray) -> BoundaryReason:
    """Say which feature of the data lets a parameter run away."""
    nobody_cancelled = not bool(np.any(dead))
    all_at_first = bool(np.all(dead & (lifetime == 1)))

    def reason(name: str, direction: Direction) -> str | None:
        if nobody_cancelled:
            return (
                "no customer cancelled, so the churn probability "
                "alpha/(alpha+beta) cannot be told from 0"
            )
        if all_at_first:
            return (
                "every customer cancelled at the first renewal, so the churn "
                "probability cannot be told from 1"
            )
        return None

    return reason


def _fit(
    t: FloatArray, churned: BoolArray, w: FloatArray, penalizer: float
) -> Fit[ShiftedBetaGeometric]:
    pen = check_scalar(penalizer, "penalizer", nonnegative=True)
    lifetime, dead, weight = compress_lifetimes(t, churned, w)
    # Start at alpha = 1, where the mean cancellation probability 1/(1+beta)
    # matches the observed churners per period at risk.
    exposure = weighted_sum(weight, lifetime)
    rate = weighted_sum(weight, dead) / exposure if exposure > 0 else 0.5
    initial = np.array([1.0, min(max(1.0 / max(rate, 1e-6) - 1.0, 0.1), 1e6)])
    return maximum_likelihood_fit(
        ShiftedBetaGeometric,
        lambda theta: log_likelihood_derivatives(theta, lifetime, dead, weight),
        initial,
        boundary_reason=_boundary_reason(lifetime, dead),
        parameter_names=ShiftedBetaGeometric.parameter_names,
        n_customers=float(weight.sum()),
        n_patterns=int(lifetime.size),
        penalizer=pen,
    )


def fit_sbg(
    lifetime: npt.ArrayLike,
    churned: npt.ArrayLike,
    *,
    counts: npt.ArrayLike | None = None,
    penalizer: float = 0.0,
) -> Fit[ShiftedBetaGeometric]:
    """Fit the sBG model to individual lifetimes, some right-censored.

    Each customer is observed from joining until either cancelling or the
    end of observation; customers may have joined at different times, so
    they may be observed for different numbers of periods. Customers with
    the same (lifetime, churned) are merged into weighted rows first, and
    the log-likelihood is maximized over the logarithms of the parameters
    by a trust-region Newton method with the exact gradient and Hessian.

    Parameters
    ----------
    lifetime : array-like of int, shape (n_customers,)
        Periods subscribed: whole, >= 1 where ``churned`` (the renewal
        opportunity at which the customer cancelled) and >= 0 otherwise
        (the renewals made by the end of observation).
    churned : array-like of bool, shape (n_customers,)
        True where the cancellation was observed; False where the customer
        was still subscribed after ``lifetime`` periods (right-censored).
    counts : array-like of float, shape (n_customers,), optional
        Number of customers each row stands for (> 0).
    penalizer : float, default=0.0
        L2 penalty on the parameters, as in :func:`fit_bgnbd`; a small one
        keeps the fit finite when the data cannot identify both parameters
        (nobody cancelled, or everybody at the first renewal).

    Returns
    -------
    Fit[ShiftedBetaGeometric]
        The model, log-likelihood, AIC/BIC, covariance, standard errors,
        confidence intervals and convergence report.

    Raises
    ------
    ValueError
        For invalid data (see Parameters for the rules).
    ConvergenceError
        If no trustworthy maximum is found (for example, nobody cancelled,
        or everybody cancelled at the first opportunity).

    See Also
    --------
    fit_sbg_survivors : The same model from a cohort's survivor counts.
    ShiftedBetaGeometric : The model and its predictions.

    Notes
    -----
    The log-likelihood is :math:`\\sum_i w_i \\ln[B(\\alpha+p_i,
    \\beta+q_i)/B(\\alpha,\\beta)]` with :math:`(p_i, q_i) = (1, t_i-1)` for
    a customer who cancelled at :math:`t_i` and :math:`(0, t_i)` for one
    still subscribed after :math:`t_i` periods; its derivatives are
    digamma and trigamma differences.

    Examples
    --------
    The "regular" cohort of Fader & Hardie (2007) as individual lifetimes
    with counts: 369 customers cancelled at the first renewal, 163 at the
    second, and so on; 241 were still subscribed after 7 years. This is the
    data of :func:`fit_sbg_survivors`' example, and gives the same fit:

    >>> from custvalue.clv import fit_sbg
    >>> fit = fit_sbg(
    ...     [1, 2, 3, 4, 5, 6, 7, 7],
    ...     [True, True, True, True, True, True, True, False],
    ...     counts=[369, 163, 86, 56, 37, 27, 21, 241],
    ... )
    >>> {k: round(v, 3) for k, v in fit.parameters.items()}
    {'alpha': 0.704, 'beta': 1.182}
    >>> round(fit.log_likelihood, 2)
    -1680.27
    """
    t, c, w = validate_lifetimes(lifetime, churned, counts)
    return _fit(t, c, w, penalizer)


def fit_sbg_survivors(
    survivors: npt.ArrayLike, *, penalizer: float = 0.0
) -> Fit[ShiftedBetaGeometric]:
    """Fit the sBG model to the survivor counts of one cohort.

    The form in which retention data usually arrive: how many of the
    customers who joined together are still subscribed after each period.
    The customers lost in period ``t`` cancelled at the ``t``-th renewal
    opportunity; those still subscribed after the last period are
    right-censored there (Fader & Hardie 2007, eq. 9). The result is the
    same as :func:`fit_sbg` on the equivalent individual lifetimes.

    Parameters
    ----------
    survivors : array-like of int, shape (n_periods + 1,)
        ``survivors[0]`` is the cohort size (> 0) and ``survivors[t]`` the
        number still subscribed after ``t`` periods; whole numbers,
        non-increasing, at least 2 entries.
    penalizer : float, default=0.0
        L2 penalty on the parameters, as in :func:`fit_sbg`.

    Returns
    -------
    Fit[ShiftedBetaGeometric]
        As for :func:`fit_sbg`; ``n_customers`` is the cohort size.

    Raises
    ------
    ValueError
        If the counts are not whole, are negative, increase, or are too few.
    ConvergenceError
        If no trustworthy maximum is found (for example, nobody cancelled).

    See Also
    --------
    fit_sbg : The same model from individual lifetimes.

    Notes
    -----
    .. math::

        \\ell(\\alpha, \\beta) = \\sum_{t=1}^{k} (s_{t-1} - s_t)
            \\ln P(T = t) + s_k \\ln S(k).

    References
    ----------
    .. [1] Fader, P. S., & Hardie, B. G. S. (2007). How to project customer
       retention. Journal of Interactive Marketing, 21(1), 76-90.

    Examples
    --------
    The "regular" and "high end" segments of Fader & Hardie (2007), 1,000
    customers each, observed for 7 years:

    >>> from custvalue.clv import fit_sbg_survivors
    >>> regular = fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> {k: round(v, 3) for k, v in regular.parameters.items()}
    {'alpha': 0.704, 'beta': 1.182}
    >>> high_end = fit_sbg_survivors([1000, 869, 743, 653, 593, 551, 517, 491])
    >>> {k: round(v, 3) for k, v in high_end.parameters.items()}
    {'alpha': 0.668, 'beta': 3.806}
    """
    s = validate_survivors(survivors)
    k = s.size - 1
    lifetime = np.concatenate([np.arange(1.0, k + 1.0), [float(k)]])
    churned = np.concatenate([np.ones(k, dtype=np.bool_), [False]])
    weight = np.concatenate([s[:-1] - s[1:], s[-1:]])
    keep = weight > 0
    return _fit(lifetime[keep], churned[keep], weight[keep], penalizer)
