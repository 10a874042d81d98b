"""Profile-likelihood confidence intervals for positive parameters.

The interval for parameter :math:`\\theta_k` holds the values :math:`t` whose
profile log-likelihood :math:`\\ell_p(t) = \\max_{\\theta_{-k}}
\\ell(\\theta_k = t, \\theta_{-k})` is within :math:`\\chi^2_{1,c}/2` of the
maximum (Wilks' theorem): the likelihood-ratio test of
:math:`\\theta_k = t` does not reject at level :math:`1-c`. Unlike a Wald
interval it follows the likelihood's own shape, so it keeps its coverage
where the likelihood is skewed (small samples, parameters near a boundary).

The profile is maximized over the other log-parameters with the same
trust-region Newton method as the fit, warm-started along the path, and the
two ends are found by bracketing outwards from the Wald interval on the log
scale and Brent's method.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

from custvalue._lib.optimize import LOG_LIMIT, LogLikelihood
from custvalue._lib.validation import FloatArray

__all__ = ["profile_bounds"]

#: Largest distance (in log-parameter units, a factor of e^30) searched from
#: the estimate; beyond it the bound is reported as 0 or infinity.
_SEARCH_LIMIT = 30.0
#: Accuracy of each bound in log-parameter units (relative accuracy in the
#: parameter).
_BOUND_TOLERANCE = 1e-7


class _Profile:
    """Twice the log-likelihood drop when parameter ``index`` is fixed."""

    def __init__(
        self,
        log_likelihood: LogLikelihood,
        phi_hat: FloatArray,
        index: int,
        total_weight: float,
        penalizer: float,
    ) -> None:
        self._ll = log_likelihood
        self._memo: tuple[bytes, tuple[float, FloatArray, FloatArray]] | None = None
        self._index = index
        self._others = np.flatnonzero(np.arange(phi_hat.size) != index)
        self._scale = 1.0 / total_weight
        self._penalizer = penalizer
        self._weight = total_weight
        self._f_hat = self._objective(phi_hat)[0]
        self._warm = phi_hat[self._others].copy()
        self._phi_hat = phi_hat

    def _objective(self, phi: FloatArray) -> tuple[float, FloatArray, FloatArray]:
        """Mean penalized negative log-likelihood and its log-space derivatives."""
        key = phi.tobytes()
        if self._memo is not None and self._memo[0] == key:
            return self._memo[1]
        result = self._evaluate(phi)
        self._memo = (key, result)
        return result

    def _evaluate(self, phi: FloatArray) -> tuple[float, FloatArray, FloatArray]:
        if np.any(np.abs(phi) > LOG_LIMIT):
            # beyond the parameters' range (see optimize.LOG_LIMIT)
            return math.inf, np.zeros_like(phi), np.eye(phi.size)
        theta = np.exp(phi)
        with np.errstate(all="ignore"):
            ll, grad, hess = self._ll(theta)
        if not (np.isfinite(ll) and np.all(np.isfinite(grad))):
            return math.inf, np.zeros_like(phi), np.eye(phi.size)
        s, pen = self._scale, self._penalizer
        value = -ll * s + pen * float(np.sum(theta**2))
        g = -(theta * grad) * s + 2.0 * pen * theta**2
        h = -(np.outer(theta, theta) * hess + np.diag(theta * grad)) * s
        h += np.diag(4.0 * pen * theta**2)
        return float(value), g, 0.5 * (h + h.T)

    def deviance(self, t: float) -> float:
        """Return :math:`2(\\ell(\\hat\\theta) - \\ell_p(e^t))` (inf if not finite)."""
        others = self._others

        def full(rest: FloatArray) -> FloatArray:
            phi = self._phi_hat.copy()
            phi[self._index] = t
            phi[others] = rest
            return phi

        def fun(rest: FloatArray) -> tuple[float, FloatArray]:
            value, g, _ = self._objective(full(rest))
            return value, g[others]

        def hess(rest: FloatArray) -> FloatArray:
            return self._objective(full(rest))[2][np.ix_(others, others)]

        if others.size:
            result = optimize.minimize(
                fun,
                self._warm,
                jac=True,
                hess=hess,
                method="trust-exact",
                options={"gtol": 1e-9, "maxiter": 200},
            )
            value = float(result.fun)
            if np.isfinite(value):
                self._warm = np.asarray(result.x, dtype=np.float64)
        else:
            value = self._objective(full(np.zeros(0)))[0]
        if not np.isfinite(value):
            return math.inf
        # the profile maximum can sit a hair above the fit's by rounding
        return max(2.0 * self._weight * (value - self._f_hat), 0.0)

    def reset(self) -> None:
        """Warm-start the next search from the estimate again."""
        self._warm = self._phi_hat[self._others].copy()


def _bound(profile: _Profile, phi_k: float, step: float, target: float) -> float:
    """Return the log-parameter offset where the deviance reaches ``target``.

    Brackets outwards from ``step`` by doubling, then narrows the bracket by
    regula falsi with the Illinois modification, falling back to bisection:
    every new point replaces the end whose side it is on, so a profile
    value perturbed by the sub-optimization's tolerance can never break the
    bracket (as it can for a method that re-evaluates the ends).
    """
    profile.reset()
    inside, d_inside = 0.0, 0.0
    outside = step
    d_outside = profile.deviance(phi_k + outside)
    while d_outside < target:
        inside, d_inside = outside, d_outside
        outside = 2.0 * outside
        if abs(outside) > _SEARCH_LIMIT:
            return math.copysign(math.inf, step)
        d_outside = profile.deviance(phi_k + outside)
    f_in, f_out = d_inside - target, d_outside - target  # f_in < 0 <= f_out
    side = 0
    for _ in range(200):
        if abs(outside - inside) <= _BOUND_TOLERANCE:
            break
        if math.isfinite(f_out):
            middle = inside - f_in * (outside - inside) / (f_out - f_in)
            # keep the new point well inside the bracket
            lo, hi = sorted((inside, outside))
            width = hi - lo
            middle = min(max(middle, lo + 0.01 * width), hi - 0.01 * width)
        else:
            middle = 0.5 * (inside + outside)
        f_mid = profile.deviance(phi_k + middle) - target
        if f_mid < 0:
            inside, f_in = middle, f_mid
            if side == -1:
                f_out *= 0.5  # Illinois: halve the stale end's value
            side = -1
        else:
            outside, f_out = middle, f_mid
            if side == 1:
                f_in *= 0.5
            side = 1
    return 0.5 * (inside + outside)


def profile_bounds(
    log_likelihood: LogLikelihood,
    estimates: FloatArray,
    index: int,
    *,
    total_weight: float,
    penalizer: float,
    confidence_level: float,
    log_standard_error: float,
) -> tuple[float, float]:
    """Profile-likelihood interval of ``estimates[index]`` in natural units.

    Parameters
    ----------
    log_likelihood : callable
        ``theta -> (ll, gradient, Hessian)`` as given to the fit.
    estimates : ndarray of shape (n_parameters,)
        The maximum-likelihood (or penalized) estimates, all > 0.
    index : int
        Which parameter.
    total_weight : float
        Number of customers.
    penalizer : float
        The fit's L2 penalty (the profile is of the same objective).
    confidence_level : float
        Nominal coverage, strictly between 0 and 1.
    log_standard_error : float
        The Wald standard error of the log-parameter, used to start the
        search (any positive value works; NaN or inf start at 0.5).

    Returns
    -------
    low : float
        The lower bound; 0 where the likelihood never drops by the critical
        amount within a factor of :math:`e^{30}` below the estimate.
    high : float
        The upper bound; ``inf`` in the same case above it.

    Notes
    -----
    The search stops at a factor of :math:`e^{30}` from the estimate.
    """
    phi_hat = np.log(np.asarray(estimates, dtype=np.float64))
    profile = _Profile(log_likelihood, phi_hat, index, total_weight, penalizer)
    target = float(stats.chi2.ppf(confidence_level, 1))
    se = log_standard_error if 0 < log_standard_error < _SEARCH_LIMIT else 0.5
    step = max(se * math.sqrt(target), 1e-3)
    phi_k = float(phi_hat[index])
    low = _bound(profile, phi_k, -step, target)
    high = _bound(profile, phi_k, step, target)
    return _exp(phi_k + low), _exp(phi_k + high)


def _exp(x: float) -> float:
    # e^x beyond the float range is infinity, not OverflowError
    return math.exp(x) if x < 709.0 else math.inf
