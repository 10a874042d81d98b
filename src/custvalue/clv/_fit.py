"""The fit result shared by every model: estimates, uncertainty, convergence."""

from __future__ import annotations

import math
from typing import Generic, Literal, TypeVar

import attrs
import numpy as np

from custvalue._lib.intervals import ConfidenceInterval, normal_quantile
from custvalue._lib.optimize import ConvergenceReport, MaximumLikelihoodResult
from custvalue._lib.validation import FloatArray, readonly

__all__ = ["Fit"]

ModelT = TypeVar("ModelT")


def _matrix(value: FloatArray) -> FloatArray:
    return readonly(np.array(value, dtype=np.float64, copy=True))


@attrs.frozen(kw_only=True)
class Fit(Generic[ModelT]):
    """A fitted model with its log-likelihood, uncertainty and convergence report.

    Returned by every ``fit_*`` function of :mod:`custvalue.clv`. What the
    fit learned is ``model``, a frozen parameter object with all the
    model's predictions; the rest describes how well and how surely.

    Parameters
    ----------
    model : model object
        The fitted model (for example a :class:`BGNBD`).
    log_likelihood : float
        The maximized log-likelihood summed over customers, in the data's own
        time unit (not a mean, not on rescaled time). With a penalizer this
        is the unpenalized log-likelihood at the penalized estimates.
    n_customers : float
        Number of customers (the sum of the weights).
    n_patterns : int
        Number of distinct data rows the likelihood was evaluated on.
    parameter_names : tuple of str
        The parameters, in the order of ``covariance``.
    covariance : ndarray of shape (n_parameters, n_parameters)
        Delta-method (inverse observed information) covariance of the
        estimates in their natural units; symmetric.
    convergence : ConvergenceReport
        How the optimizer ended.
    penalizer : float
        The L2 penalty coefficient used (0 for maximum likelihood).

    Notes
    -----
    :math:`\\mathrm{AIC} = 2k - 2\\ell` and :math:`\\mathrm{BIC} = k\\ln n -
    2\\ell` with :math:`k` parameters and :math:`n` customers.
    """

    model: ModelT
    log_likelihood: float
    n_customers: float
    n_patterns: int
    parameter_names: tuple[str, ...]
    covariance: FloatArray = attrs.field(
        converter=_matrix, eq=attrs.cmp_using(eq=np.array_equal)
    )
    convergence: ConvergenceReport
    penalizer: float = 0.0

    @classmethod
    def from_maximum_likelihood(
        cls,
        model_class: type[ModelT],
        result: MaximumLikelihoodResult,
        *,
        parameter_names: tuple[str, ...],
        n_customers: float,
        n_patterns: int,
        penalizer: float = 0.0,
    ) -> Fit[ModelT]:
        """Build the fit result of ``model_class`` from the shared driver's output.

        The estimates in ``result.parameters`` are in the order of
        ``parameter_names``, which are also the model's keyword arguments.
        """
        estimates = dict(zip(parameter_names, result.parameters.tolist(), strict=True))
        return cls(
            model=model_class(**estimates),
            log_likelihood=result.log_likelihood,
            n_customers=float(n_customers),
            n_patterns=int(n_patterns),
            parameter_names=parameter_names,
            covariance=result.covariance,
            convergence=result.report,
            penalizer=penalizer,
        )

    @property
    def n_parameters(self) -> int:
        """Number of estimated parameters."""
        return len(self.parameter_names)

    @property
    def parameters(self) -> dict[str, float]:
        """The estimates by name."""
        return {name: float(getattr(self.model, name)) for name in self.parameter_names}

    @property
    def aic(self) -> float:
        """Akaike information criterion, :math:`2k - 2\\ell`."""
        return 2.0 * self.n_parameters - 2.0 * self.log_likelihood

    @property
    def bic(self) -> float:
        """Bayesian information criterion, :math:`k \\ln n - 2\\ell`."""
        return (
            self.n_parameters * math.log(self.n_customers) - 2.0 * self.log_likelihood
        )

    @property
    def standard_errors(self) -> dict[str, float]:
        """Standard errors of the estimates: square roots of the covariance diagonal."""
        diagonal = np.diag(self.covariance)
        return {
            name: float(np.sqrt(v)) if v >= 0 else math.nan
            for name, v in zip(self.parameter_names, diagonal, strict=True)
        }

    def confidence_intervals(
        self,
        confidence_level: float = 0.95,
        *,
        method: Literal["log", "wald"] = "log",
    ) -> dict[str, ConfidenceInterval]:
        """Confidence intervals for every parameter.

        Parameters
        ----------
        confidence_level : float, default=0.95
            Nominal two-sided coverage, strictly between 0 and 1.
        method : {'log', 'wald'}, default='log'
            ``'log'``: a Wald interval for :math:`\\ln\\theta`, transformed
            back, :math:`\\theta\\exp(\\pm z\\,\\mathrm{se}/\\theta)`; it stays
            positive like the parameters. ``'wald'``:
            :math:`\\theta \\pm z\\,\\mathrm{se}`, which can go below 0.

        Returns
        -------
        dict of str to ConfidenceInterval
        """
        if method not in ("log", "wald"):
            msg = f"`method` must be 'log' or 'wald'; got {method!r}."
            raise ValueError(msg)
        z = normal_quantile(confidence_level)
        out: dict[str, ConfidenceInterval] = {}
        for name, se in self.standard_errors.items():
            value = float(getattr(self.model, name))
            if method == "log":
                factor = math.exp(z * se / value)
                low, high = value / factor, value * factor
            else:
                low, high = value - z * se, value + z * se
            out[name] = ConfidenceInterval(
                low=low, high=high, confidence_level=float(confidence_level)
            )
        return out
