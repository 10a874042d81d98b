"""The maximum-likelihood driver shared by every model.

A model supplies its log-likelihood summed over (weighted) customers with
the exact gradient and Hessian in its natural, positive parameters. The
driver maximizes it over log-parameters with a trust-region Newton method
(:func:`scipy.optimize.minimize` with ``method="trust-exact"``), then checks
that the end point is an interior maximum and computes the delta-method
covariance of the estimates.

The check does not trust the optimizer's message. A parameter that runs to
0 or infinity (a likelihood that keeps rising towards a boundary of the
parameter space) can leave a point with a gradient at rounding level and a
Hessian whose sign is decided by rounding, so which way such a fit goes
would depend on the CPU. Instead, the end point must pass every test of
:func:`_interior_maximum_failures`, among them probes of the likelihood far
out along each weakly determined direction: if it is no lower there, the
parameter runs away, and the fit raises :class:`ConvergenceError` naming it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

import attrs
import numpy as np
from scipy import optimize

from custvalue._lib.validation import FloatArray
from custvalue.errors import ConvergenceError
from custvalue.results import ConvergenceReport

__all__ = [
    "BoundaryReason",
    "Direction",
    "MaximumLikelihoodResult",
    "maximize_log_likelihood",
]

LogLikelihood = Callable[[FloatArray], tuple[float, FloatArray, FloatArray]]
"""``theta -> (log-likelihood, gradient, Hessian)``, summed over customers."""

Direction = Literal["0", "infinity"]
"""The boundary a positive parameter runs to."""

BoundaryReason = Callable[[str, Direction], str | None]
"""``(parameter, direction) -> why the data let it run away, or None``."""

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
#: to log-parameters at the end point (the optimizer may stop on
#: floating-point noise once the gradient is this small).
ACCEPTED_GRADIENT = 1e-6

#: Standard error (in log-parameter units) above which a direction is probed
#: for a boundary: a direction this weakly determined may be a likelihood
#: still rising towards 0 or infinity.
_PROBE_STANDARD_ERROR = 0.5
#: Probe distances in log-parameter units (factors e^2 and e^8).
_PROBE_STEPS = (2.0, 8.0)
#: A probe whose mean objective is not higher than the end point's by more
#: than this (relative to max(1, |objective|)) shows a likelihood that does
#: not fall away from the end point: not an interior maximum. At an interior
#: maximum the objective rises by about step^2 / (2 se^2 n) at the probe,
#: far above this for any parameter that the data determine at all.
_PROBE_TOLERANCE = 1e-9
#: Component size from which a parameter counts as moving along a probed
#: direction (the direction is scaled to a largest component of 1).
_DIRECTION_SHARE = 0.25
#: Distance in log-parameters from the start (a factor of 10^6) beyond which
#: a parameter of a fit that failed its other checks is taken to run away
#: the way it moved, when no probe decides (far out, rounding can make the
#: likelihood too noisy for the probes).
_FAR_MOVE = 6.0 * math.log(10.0)
#: |log theta| beyond which a parameter is at a boundary whatever the probes
#: say, and beyond which the model is not evaluated at all (theta outside
#: [1e-100, 1e100]: powers up to the third, which the derivatives take,
#: then stay within the float range).
LOG_LIMIT = 230.0


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
        self.total_weight = total_weight
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
        theta = np.exp(np.clip(phi, -LOG_LIMIT, LOG_LIMIT))
        if np.any(np.abs(phi) > LOG_LIMIT):
            # a step beyond the parameters' range: reject it without asking
            # the model (its plain-float powers and quotients would overflow
            # or divide by zero)
            nan = np.full(phi.size, np.nan)
            ll, grad, hess = math.nan, nan, np.full((phi.size, phi.size), np.nan)
        else:
            with np.errstate(all="ignore"):
                ll, grad, hess = self._log_likelihood(theta)
        if len(self._natural) >= _MEMO_SIZE:
            del self._natural[next(iter(self._natural))]
        self._natural[key] = (ll, grad, hess)
        if not (
            np.isfinite(ll) and np.all(np.isfinite(grad)) and np.all(np.isfinite(hess))
        ):
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

    def best_point(self, fallback: FloatArray) -> FloatArray:
        """Return the remembered point with the lowest finite objective."""
        finite = [
            (value, np.frombuffer(key, dtype=np.float64).copy())
            for key, (value, _, _) in self._memo.items()
            if np.isfinite(value)
        ]
        if not finite:
            return fallback
        return min(finite, key=lambda pair: pair[0])[1]

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


def _value(objective: _Objective, phi: FloatArray) -> float:
    """Return the mean penalized objective at ``phi`` (inf where not finite)."""
    value = objective.fun(phi)[0]
    return value if np.isfinite(value) else np.inf


def _flat_towards(
    objective: _Objective, phi: FloatArray, direction: FloatArray, f_star: float
) -> float | None:
    """How much lower the objective gets along ``direction``, if at all.

    Returns None when the objective rises by more than the tolerance at the
    nearest probe (the end point is a maximum along this line), else the
    largest decrease found before it rises (<= tolerance; negative values
    mean the likelihood is higher out there).
    """
    tolerance = _PROBE_TOLERANCE * max(1.0, abs(f_star))
    best: float | None = None
    for step in _PROBE_STEPS:
        change = _value(objective, phi + step * direction) - f_star
        if change > tolerance:
            break  # the objective rises: a maximum along this line
        best = change if best is None else min(best, change)
    return best


def _runaway_parameters(
    objective: _Objective,
    phi: FloatArray,
    gradient: FloatArray,
    hessian: FloatArray,
    names: tuple[str, ...],
    start: FloatArray,
) -> list[tuple[str, Direction]]:
    """Parameters along whose weak directions the likelihood does not fall.

    ``gradient`` and ``hessian`` are those of the mean objective in
    log-parameters. Each parameter whose log standard error exceeds
    ``_PROBE_STANDARD_ERROR`` (or all of them if the Hessian is not positive
    definite) is probed on its own, and so is every weakly determined
    direction of the Hessian, on which ridges (parameters growing together) lie, and,
    where the gradient is not at rounding level, the direction in which the
    likelihood still rises. Where
    the likelihood is flat both ways, the parameter is said to run the way
    it moved from ``start``.
    """
    f_star = _value(objective, phi)
    if not np.isfinite(f_star):
        return []
    k = phi.size
    tolerance = _PROBE_TOLERANCE * max(1.0, abs(f_star))
    # the lowest objective change seen towards infinity (column 0) and
    # towards 0 (column 1), per parameter; inf where nothing was flagged
    lowest = np.full((k, 2), np.inf)
    beyond = np.abs(phi) > LOG_LIMIT
    lowest[beyond & (phi > 0), 0] = -np.inf
    lowest[beyond & (phi < 0), 1] = -np.inf
    probe = np.ones(k, dtype=bool)
    directions: list[FloatArray] = []
    if np.all(np.isfinite(hessian)):
        information = objective.total_weight * 0.5 * (hessian + hessian.T)
        values, vectors = np.linalg.eigh(information)  # of the log-parameters
        if np.all(values > 0):
            # marginal log standard errors: diagonal of the inverse information
            variances = np.einsum("ik,k,ik->i", vectors, 1.0 / values, vectors)
            probe = variances > _PROBE_STANDARD_ERROR**2
        for weak in np.flatnonzero(values < 1.0 / _PROBE_STANDARD_ERROR**2):
            v = vectors[:, weak]
            directions.append(v / np.max(np.abs(v)))
    directions.extend(np.eye(k)[probe])
    if np.all(np.isfinite(gradient)) and np.max(np.abs(gradient)) > ACCEPTED_GRADIENT:
        # the optimizer stopped while the likelihood still rises: which way?
        directions.append(-gradient / np.max(np.abs(gradient)))
    for v in directions:
        for sign in (1.0, -1.0):
            change = _flat_towards(objective, phi, sign * v, f_star)
            if change is None:
                continue
            moving = np.abs(v) >= _DIRECTION_SHARE
            column = np.where(sign * v > 0, 0, 1)
            for j in np.flatnonzero(moving).tolist():
                lowest[j, column[j]] = min(lowest[j, column[j]], change)
    out: list[tuple[str, Direction]] = []
    moved = phi - start
    for j in np.flatnonzero(np.any(lowest < np.inf, axis=1)).tolist():
        up, down = float(lowest[j, 0]), float(lowest[j, 1])
        if up == down or abs(up - down) <= tolerance or abs(moved[j]) > _FAR_MOVE:
            # flat both ways, or carried far along a ridge (where holding the
            # others fixed can favour the other side): the way it was taken
            out.append((names[j], "infinity" if moved[j] >= 0 else "0"))
        else:
            out.append((names[j], "infinity" if up < down else "0"))
    return out


def _describe_boundary(
    runaway: list[tuple[str, Direction]], reason: BoundaryReason | None
) -> str:
    # parameters with the same reason are named together, the reason once
    groups: dict[str | None, list[str]] = {}
    for name, direction in runaway:
        why = reason(name, direction) if reason is not None else None
        groups.setdefault(why, []).append(f"`{name}` runs to {direction}")
    return "; ".join(
        ", ".join(parts) + (f" ({why})" if why else "") for why, parts in groups.items()
    )


def maximize_log_likelihood(
    log_likelihood: LogLikelihood,
    initial: FloatArray,
    *,
    total_weight: float,
    penalizer: float = 0.0,
    parameter_names: tuple[str, ...],
    max_iterations: int = 500,
    gradient_tolerance: float = 1e-10,
    boundary_reason: BoundaryReason | None = None,
    unidentified: str | None = None,
) -> MaximumLikelihoodResult:
    """Maximize a positive-parameter log-likelihood and report on it.

    Parameters
    ----------
    log_likelihood : callable
        ``theta -> (ll, gradient, hessian)``: the log-likelihood summed over
        customers (row counts applied), with its exact first and second
        derivatives in the natural parameters.
    initial : ndarray of shape (n_parameters,)
        Starting values, all > 0.
    total_weight : float
        Number of customers (sum of the row counts); the optimizer works on the
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
    boundary_reason : callable, optional
        ``(name, direction) -> str or None``: why the data let a parameter
        run to ``"0"`` or ``"infinity"``, quoted in the error message.
    unidentified : str, optional
        A fact about the data, known before fitting, that leaves the model
        unidentified (for example "no customer made a repeat purchase"); if
        the fit fails, the error says so instead of suggesting a penalizer.

    Returns
    -------
    MaximumLikelihoodResult
        Estimates, the unpenalized log-likelihood there, the delta-method
        covariance and the convergence report. The covariance is the
        inverse of the observed information of the penalized
        log-likelihood :math:`\\ell - n\\lambda\\sum\\theta^2` in natural
        parameters (the plain inverse information when ``penalizer`` is 0).

    Raises
    ------
    ConvergenceError
        If the end point is not an interior maximum: the gradient is not
        at rounding level, the Hessian is not negative definite, or a
        parameter runs to 0 or infinity. The message names what failed
        and the report is attached.

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
    try:
        result = optimize.minimize(
            objective.fun,
            phi0,
            jac=True,
            hess=objective.hess,
            method="trust-exact",
            options={"gtol": gradient_tolerance, "maxiter": max_iterations},
        )
        end, iterations_taken = np.asarray(result.x, dtype=np.float64), int(result.nit)
    except (ValueError, np.linalg.LinAlgError):
        # the trust-region subproblem failed on a degenerate Hessian: judge
        # the best point evaluated so far by the same checks
        end, iterations_taken = objective.best_point(phi0), max_iterations
    # ``end`` is then refined by `_polish`.
    phi, polish_steps = _polish(objective, end)
    value, g, h = objective._evaluate(phi)
    theta = np.exp(phi)
    finite = bool(np.isfinite(value)) and bool(np.all(np.isfinite(theta)))
    gradient_norm = float(np.max(np.abs(g))) if finite else np.inf
    ll, _, hess_natural = objective.natural(phi)
    # the penalized log-likelihood's Hessian in natural parameters
    information = -0.5 * (hess_natural + hess_natural.T)
    information += np.diag(np.full(theta.size, 2.0 * penalizer * total_weight))
    negative_definite = finite and _is_positive_definite(information)
    covariance: FloatArray = np.full_like(information, np.nan)
    if negative_definite:
        covariance = np.asarray(np.linalg.inv(information), dtype=np.float64)
        covariance = 0.5 * (covariance + covariance.T)
        diagonal = np.diag(covariance)
        negative_definite = bool(np.all(np.isfinite(covariance))) and bool(
            np.all(diagonal > 0)
        )
    runaway = (
        _runaway_parameters(objective, phi, g, h, parameter_names, phi0)
        if finite
        else []
    )
    iterations = iterations_taken + polish_steps
    problems = []
    if not finite:
        problems.append("the log-likelihood is not finite at the end point")
    elif gradient_norm > ACCEPTED_GRADIENT:
        problems.append(
            f"the gradient norm is {gradient_norm:.3g} after {iterations} iterations"
        )
    if (problems or not negative_definite) and not runaway:
        runaway = [
            (name, "infinity" if move > 0 else "0")
            for name, move in zip(parameter_names, (phi - phi0).tolist(), strict=True)
            if abs(move) > _FAR_MOVE
        ]
    if runaway:
        problems.append(_describe_boundary(runaway, boundary_reason))
    elif unidentified and problems:
        problems.append(unidentified)
    if finite and not negative_definite:
        problems.append(
            "the Hessian of the log-likelihood is not negative definite there, so "
            "no covariance can be computed"
        )
    converged = not problems
    estimates = dict(zip(parameter_names, theta.tolist(), strict=True))
    if converged:
        message = (
            f"Interior maximum after {iterations} Newton iterations: gradient norm "
            f"{gradient_norm:.2g}, Hessian negative definite, no parameter at a "
            "boundary."
        )
    else:
        message = "No interior maximum: " + "; ".join(problems) + "."
    report = ConvergenceReport(
        optimizer="trust-region Newton (scipy trust-exact) on log-parameters",
        converged=converged,
        iterations=iterations,
        function_evaluations=objective.evaluations,
        gradient_norm=gradient_norm,
        hessian_negative_definite=negative_definite,
        boundary=tuple(f"{name} -> {direction}" for name, direction in runaway),
        message=message,
    )
    if not converged:
        remedy = (
            " These data cannot identify the model; a penalizer would only pick "
            "arbitrary values."
            if unidentified
            else _remedy(runaway, penalizer)
        )
        msg = (
            f"The fit did not reach a maximum of the likelihood: "
            f"{'; '.join(problems)}. Stopped at {_format_estimates(estimates)}."
            + remedy
        )
        raise ConvergenceError(msg, report=report)
    return MaximumLikelihoodResult(
        parameters=theta,
        log_likelihood=float(ll),
        covariance=covariance,
        report=report,
    )


def _remedy(runaway: list[tuple[str, Direction]], penalizer: float) -> str:
    """One suggestion for a fit that did not converge."""
    if any(direction == "0" for _, direction in runaway):
        # the L2 penalty pulls parameters towards 0, so it cannot stop one
        # running there
        return (
            " The data do not determine the parameters running to 0; a "
            "penalizer cannot help there. Check the data, or use a simpler model."
        )
    if runaway and penalizer == 0:
        return " A small `penalizer=` (for example 0.001) keeps the estimates finite."
    if runaway:
        return " A larger `penalizer=` keeps the estimates finite."
    return " Check the data for extreme values, or try a small `penalizer=`."


def _format_estimates(estimates: dict[str, float]) -> str:
    return ", ".join(f"{name}={value:.6g}" for name, value in estimates.items())
