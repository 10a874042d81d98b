"""Result types shared across custvalue's subpackages.

:class:`ConfidenceInterval` is returned by every ``confidence_interval``
method of the library; :class:`ConvergenceReport` describes how every
maximum-likelihood fit ended (``Fit.convergence``) and is attached to the
:class:`~custvalue.errors.ConvergenceError` of a fit that did not reach an
interior maximum.
"""

from __future__ import annotations

import attrs

from custvalue._lib.fields import Result

__all__ = ["ConfidenceInterval", "ConvergenceReport"]


@attrs.frozen(kw_only=True)
class ConfidenceInterval(Result):
    """A two-sided confidence interval.

    Parameters
    ----------
    low, high : float
        The bounds, ``low <= high``. A bound may be infinite where the
        interval is built on a log scale and the standard error is huge
        (see :meth:`custvalue.clv.Fit.confidence_intervals`).
    confidence_level : float
        The nominal coverage, strictly between 0 and 1.

    Examples
    --------
    >>> from custvalue.results import ConfidenceInterval
    >>> ConfidenceInterval(low=0.2, high=0.3, confidence_level=0.95)
    ConfidenceInterval(low=0.2, high=0.3, confidence_level=0.95)
    """

    low: float
    high: float
    confidence_level: float


@attrs.frozen(kw_only=True)
class ConvergenceReport(Result):
    """How a maximum-likelihood fit ended.

    A fit is reported ``converged`` only at an interior maximum: the
    gradient is zero to rounding, the Hessian of the log-likelihood in the
    reported parameters is negative definite (so the covariance, its
    negative inverse, is positive definite with a finite diagonal), and no
    parameter runs to 0 or infinity. The fields describe the point and the
    covariance that the fit returns.

    Parameters
    ----------
    optimizer : str
        The method used.
    converged : bool
        Whether the end point is an interior maximum (all the conditions
        above hold).
    iterations : int
        Newton iterations taken.
    function_evaluations : int
        Log-likelihood evaluations, including the checks at the end.
    gradient_norm : float
        Largest absolute gradient component of the mean (penalized)
        log-likelihood with respect to the log-parameters at the end; 0 at
        an exact maximum.
    hessian_negative_definite : bool
        Whether the Hessian of the (penalized) log-likelihood with respect to
        the reported parameters is negative definite at the end, so that the
        covariance is a proper covariance matrix.
    boundary : tuple of str
        The parameters found running to a boundary of the parameter space,
        each as ``"name -> 0"`` or ``"name -> infinity"``; empty at an
        interior maximum.
    message : str
        What happened, in words; never contradicts ``converged``.

    Examples
    --------
    >>> from custvalue.clv import fit_sbg_survivors
    >>> report = fit_sbg_survivors([1000, 631, 468, 382, 326]).convergence
    >>> report.converged, report.hessian_negative_definite, report.boundary
    (True, True, ())
    """

    optimizer: str
    converged: bool
    iterations: int
    function_evaluations: int
    gradient_norm: float
    hessian_negative_definite: bool
    boundary: tuple[str, ...] = ()
    message: str

    def _headline(self) -> str:
        state = "converged" if self.converged else "NOT converged"
        parts = [state, f"iterations={self.iterations}"]
        parts.append(f"gradient_norm={self.gradient_norm:.2g}")
        if self.boundary:
            parts.append("boundary: " + ", ".join(self.boundary))
        elif not self.hessian_negative_definite:
            parts.append("Hessian not negative definite")
        return ", ".join(parts)
