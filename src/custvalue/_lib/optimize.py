"""The maximum-likelihood driver shared by every model.

A model supplies its log-likelihood summed over (weighted) customers with
the exact gradient and Hessian in its natural, positive parameters. The
driver maximizes it over log-parameters with a trust-region Newton method
(:func:`scipy.optimize.minimize` with ``method="trust-exact"``), then checks
convergence and computes the delta-method covariance of the estimates.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np
from scipy import optimize

from custvalue._lib.validation import FloatArray
from custvalue.errors import ConvergenceError

__all__ = [
    "ConvergenceReport",
    "MaximumLikelihoodResult",
    "maximize_log_likelihood",
]

LogLikelihood = Callable[[FloatArray], tuple[float, FloatArray, FloatArray]]
"""``theta -> (log-likelihood, gradient, Hessian)``, summed over customers."""

#: Newton steps tried after the trust-region method, and the largest step (in
#: log-parameters) still taken as a local refinement.
_POLISH_STEPS = 8
_POLISH_MAX_STEP = 1e-2
#: Gradient norm (of the mean objective, in log-parameters) below which no
#: Newton step is tried: the estimates are then exact to rounding.
_POLISH_TARGET = 1e-13

#: Evaluations remembered by the objective.
_MEMO_SIZE = 4

#: Largest tolerated max-abs gradient of the mean log-likelihood with respect
#: to log-parameters when the optimizer reports no success (it may stop on
#: floating-point noise once the gradient is this small).
ACCEPTED_GRADIENT = 1e-6


@attrs.frozen(kw_only=True)
class ConvergenceReport:
    """How the optimizer ended.

    Parameters
    ----------
    optimizer : str
        The method used.
    converged : bool
        Whether the stopping criterion was met.
    iterations : int
        Iterations taken.
    function_evaluations : int
        Log-likelihood evaluations.
    gradient_norm : float
        Largest absolute gradient component of the mean log-likelihood with
        respect to the log-parameters at the end (0 at an exact optimum).
    hessian_positive_definite : bool
        Whether the Hessian of the negative objective is positive definite at
        the end, i.e. the point is a strict local maximum.
    message : str
        The optimizer's own message.
    """

    optimizer: str
    converged: bool
    iterations: int
    function_evaluations: int
    gradient_norm: float
    hessian_positive_definite: bool
    message: str


@attrs.frozen(kw_only=True)
class MaximumLikelihoodResult:
    """Estimates, the log-likelihood at them, their covariance and the report."""

    parameters: FloatArray
    log_likelihood: float
    covariance: FloatArray
    report: ConvergenceReport


class _Objective:
    """Penalized mean negative log-likelihood in log-parameters, memoized."""

    def __init__(
        self, log_likelihood: LogLikelihood, total_weight: float, penalizer: float
    ) -> None:
        self._log_likelihood = log_likelihood
        self._scale = 1.0 / total_weight
        self._penalizer = penalizer
        # the last few evaluations: the trust-region method asks for the
        # value, gradient and Hessian at trial and accepted points in turn
        self._memo: dict[bytes, tuple[float, FloatArray, FloatArray]] = {}
        # the model's own (log-likelihood, gradient, Hessian) at those points
        self._natural: dict[bytes, tuple[float, FloatArray, FloatArray]] = {}
        self.evaluations = 0

    def _evaluate(self, phi: FloatArray) -> tuple[float, FloatArray, FloatArray]:
        key = phi.tobytes()
        if key in self._memo:
            return self._memo[key]
        self.evaluations += 1
        theta = np.exp(phi)
        with np.errstate(all="ignore"):
            ll, grad, hess = self._log_likelihood(theta)
        if len(self._natural) >= _MEMO_SIZE:
            del self._natural[next(iter(self._natural))]
        self._natural[key] = (ll, grad, hess)
        if not (np.isfinite(ll) and np.all(np.isfinite(grad))):
            # Outside the region where the model can be evaluated: reject
            # the step (the trust region shrinks).
            value, g, h = np.inf, np.zeros_like(phi), np.eye(phi.size)
        else:
            s, pen = self._scale, self._penalizer
            value = -ll * s + pen * float(np.sum(theta**2))
            g = -(theta * grad) * s + 2.0 * pen * theta**2
            h = -(np.outer(theta, theta) * hess + np.diag(theta * grad)) * s
            h += np.diag(4.0 * pen * theta**2)
            h = 0.5 * (h + h.T)
        if len(self._memo) >= _MEMO_SIZE:
            del self._memo[next(iter(self._memo))]
        self._memo[key] = (value, g, h)
        return value, g, h

    def natural(self, phi: FloatArray) -> tuple[float, FloatArray, FloatArray]:
        """Return the model's log-likelihood, gradient and Hessian at exp(phi)."""
        self._evaluate(phi)
        return self._natural[phi.tobytes()]

    def fun(self, phi: FloatArray) -> tuple[float, FloatArray]:
        value, g, _ = self._evaluate(phi)
        return value, g

    def hess(self, phi: FloatArray) -> FloatArray:
        return self._evaluate(phi)[2]


def _polish(objective: _Objective, phi: FloatArray) -> tuple[FloatArray, int]:
    """Refine the optimum with Newton steps judged by the gradient alone.

    The trust-region method accepts a step by comparing the predicted and
    actual change of the mean objective, which is known only to about
    1e-15. Near the maximum the predicted change falls below that noise and
    the method may stop with gradients of 1e-8 to 1e-6, leaving weakly
    identified directions good to ~1e-6. The exact gradient is accurate to
    ~1e-15, so Newton's method judged by the gradient norm converges
    quadratically from there; a step is kept only if it is small and lowers
    the gradient norm.
    """
    value, g, h = objective._evaluate(phi)
    norm = float(np.max(np.abs(g))) if np.isfinite(value) else np.inf
    steps = 0
    while steps < _POLISH_STEPS and _POLISH_TARGET < norm < np.inf:
        try:
            step = np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            break
        if not float(np.max(np.abs(step))) <= _POLISH_MAX_STEP:
            break
        candidate = phi - step
        c_value, c_g, c_h = objective._evaluate(candidate)
        c_norm = float(np.max(np.abs(c_g)))
        if not (np.isfinite(c_value) and c_norm < norm):
            break
        phi, g, h, norm = candidate, c_g, c_h, c_norm
        steps += 1
    return phi, steps


def _is_positive_definite(matrix: FloatArray) -> bool:
    if not np.all(np.isfinite(matrix)):
        return False
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return False
    return True


def maximize_log_likelihood(
    log_likelihood: LogLikelihood,
    initial: FloatArray,
    *,
    total_weight: float,
    penalizer: float = 0.0,
    parameter_names: tuple[str, ...],
    max_iterations: int = 500,
    gradient_tolerance: float = 1e-10,
) -> MaximumLikelihoodResult:
    """Maximize a positive-parameter log-likelihood and report on it.

    Parameters
    ----------
    log_likelihood : callable
        ``theta -> (ll, gradient, hessian)``: the log-likelihood summed over
        customers (weights applied), with its exact first and second
        derivatives in the natural parameters.
    initial : ndarray of shape (n_parameters,)
        Starting values, all > 0.
    total_weight : float
        Number of customers (sum of weights); the optimizer works on the
        mean so its tolerances do not depend on the data size.
    penalizer : float, default=0.0
        Coefficient :math:`\\lambda` of the L2 penalty
        :math:`\\lambda \\sum_k \\theta_k^2` added to the mean negative
        log-likelihood (the convention of the lifetimes package).
    parameter_names : tuple of str
        Names used in messages.
    max_iterations : int, default=500
        Iteration limit of the trust-region method.
    gradient_tolerance : float, default=1e-10
        Stop when the gradient norm of the objective is below this.

    Returns
    -------
    MaximumLikelihoodResult
        Estimates, the unpenalized log-likelihood there, the delta-method
        covariance :math:`(-\\nabla^2 \\ell)^{-1}` in natural parameters and
        the convergence report.

    Raises
    ------
    ConvergenceError
        If the optimizer did not reach a point with a small gradient and a
        positive definite Hessian; the report is attached.

    Notes
    -----
    With :math:`\\theta = e^{\\phi}`, the derivatives of the mean objective
    :math:`f(\\phi) = -\\ell(\\theta)/W + \\lambda\\sum\\theta^2` follow from the
    chain rule: :math:`\\partial f/\\partial\\phi_i = -\\theta_i g_i / W +
    2\\lambda\\theta_i^2` and :math:`\\partial^2 f/\\partial\\phi_i\\partial\\phi_j
    = -(\\theta_i\\theta_j H_{ij} + \\delta_{ij}\\theta_i g_i)/W +
    4\\lambda\\delta_{ij}\\theta_i^2`.
    """
    objective = _Objective(log_likelihood, total_weight, penalizer)
    phi0 = np.log(np.asarray(initial, dtype=np.float64))
    start_value, _ = objective.fun(phi0)
    if not np.isfinite(start_value):
        msg = (
            "The log-likelihood is not finite at the starting values "
            f"{dict(zip(parameter_names, np.exp(phi0).tolist(), strict=True))}."
        )
        raise ConvergenceError(msg)
    result = optimize.minimize(
        objective.fun,
        phi0,
        jac=True,
        hess=objective.hess,
        method="trust-exact",
        options={"gtol": gradient_tolerance, "maxiter": max_iterations},
    )
    # ``result.x`` is then refined by `_polish`.
    phi, polish_steps = _polish(objective, np.asarray(result.x, dtype=np.float64))
    value, g, h = objective._evaluate(phi)
    theta = np.exp(phi)
    gradient_norm = float(np.max(np.abs(g))) if np.isfinite(value) else np.inf
    hessian_pd = bool(np.isfinite(value)) and _is_positive_definite(h)
    converged = bool(result.success) or gradient_norm < ACCEPTED_GRADIENT
    report = ConvergenceReport(
        optimizer="trust-exact Newton on log-parameters",
        converged=converged,
        iterations=int(result.nit) + polish_steps,
        function_evaluations=objective.evaluations,
        gradient_norm=gradient_norm,
        hessian_positive_definite=hessian_pd,
        message=str(result.message)
        + (
            f" Refined by {polish_steps} Newton step(s) on the exact gradient."
            if polish_steps
            else ""
        ),
    )
    estimates = dict(zip(parameter_names, theta.tolist(), strict=True))
    if not (converged and hessian_pd):
        reason = (
            "the Hessian is not positive definite (a saddle point, or a "
            "parameter running to 0 or infinity)"
            if converged
            else f"the gradient norm is {gradient_norm:.3g}"
        )
        msg = (
            f"The fit did not converge: {reason} after {report.iterations} "
            f"iterations, at {estimates}. The data may not identify every "
            "parameter (for example, no repeat purchases); a small penalizer "
            "can stabilize it."
        )
        raise ConvergenceError(msg, report=report)
    ll, _, hess = objective.natural(phi)
    information = -0.5 * (hess + hess.T)
    try:
        covariance = np.linalg.inv(information)
    except np.linalg.LinAlgError:
        covariance = np.full_like(information, np.nan)
    covariance = 0.5 * (covariance + covariance.T)
    return MaximumLikelihoodResult(
        parameters=theta,
        log_likelihood=float(ll),
        covariance=covariance,
        report=report,
    )
