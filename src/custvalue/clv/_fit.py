"""The fit result shared by every model, and the one recipe every fit follows.

Every ``fit_*`` function checks its data, compresses it into weighted
patterns, and calls :func:`maximum_likelihood_fit` with the model class,
its log-likelihood with exact derivatives, and starting values; the shared
driver (:mod:`custvalue._lib.optimize`) does the rest.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any, Generic, Literal, Self, TypeVar

import attrs
import numpy as np

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.intervals import normal_quantile
from custvalue._lib.optimize import (
    BoundaryReason,
    LogLikelihood,
    MaximumLikelihoodResult,
    maximize_log_likelihood,
)
from custvalue._lib.validation import FloatArray, readonly
from custvalue.clv._bgbb._model import BGBB
from custvalue.clv._bgnbd._model import BGNBD, MBGNBD
from custvalue.clv._gamma_gamma._model import GammaGamma
from custvalue.clv._pareto_nbd._model import ParetoNBD
from custvalue.clv._sbg._model import ShiftedBetaGeometric
from custvalue.results import ConfidenceInterval, ConvergenceReport

__all__ = [
    "MODEL_CLASSES",
    "Fit",
    "FitSummary",
    "fit_from_result",
    "maximum_likelihood_fit",
]

ModelT = TypeVar("ModelT")

#: The model classes a :class:`Fit` can hold, by class name: what
#: :meth:`Fit.from_dict` rebuilds the model from.
MODEL_CLASSES: Mapping[str, type[Result]] = {
    cls.__name__: cls
    for cls in (BGNBD, MBGNBD, ParetoNBD, BGBB, ShiftedBetaGeometric, GammaGamma)
}


def _matrix(value: FloatArray) -> FloatArray:
    return readonly(np.array(value, dtype=np.float64, copy=True))


@attrs.frozen(kw_only=True)
class Fit(Result, Generic[ModelT]):
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
    time_unit : numpy.timedelta64 or None, default=None
        The period of the data the model was fitted on (its rates are per
        this period), recorded when the fit was given a
        :class:`CustomerSummary` that knows it; None when unknown.

    Notes
    -----
    :math:`\\mathrm{AIC} = 2k - 2\\ell` and :math:`\\mathrm{BIC} = k\\ln n -
    2\\ell` with :math:`k` parameters and :math:`n` customers.

    ``to_dict()`` names the model's class next to its parameters, so
    :meth:`from_dict` rebuilds the fit, model included, from plain data
    (no pickle)::

        {"model": {"class": "BGNBD", "parameters": {"r": 0.243, ...}},
         "log_likelihood": -9582.4, "n_customers": 2357.0, "n_patterns": 1125,
         "parameter_names": ["r", "alpha", "a", "b"],
         "covariance": [[...], ...], "convergence": {...}, "penalizer": 0.0,
         "time_unit": "7 days"}
    """

    model: ModelT
    log_likelihood: float
    n_customers: float
    n_patterns: int
    parameter_names: tuple[str, ...]
    covariance: FloatArray = attrs.field(converter=_matrix, eq=ARRAY_EQ)
    convergence: ConvergenceReport
    penalizer: float = 0.0
    time_unit: np.timedelta64 | None = None

    def __repr__(self) -> str:
        estimates = ", ".join(f"{k}={v:.4g}" for k, v in self.parameters.items())
        state = "converged" if self.convergence.converged else "NOT converged"
        return (
            f"Fit({type(self.model).__name__}({estimates}), "
            f"log_likelihood={self.log_likelihood:.6g}, "
            f"n_customers={self.n_customers:g}, {state})"
        )

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def to_dict(self) -> dict[str, Any]:
        """Return the fit as plain JSON-ready data, its model's class named.

        Every field as plain data (the covariance as nested lists, the
        convergence report as a dict, NaN and infinity as floats), with
        ``model`` written as ``{"class": <class name>, "parameters": <the
        model's to_dict()>}``.

        Returns
        -------
        dict
            Plain data that :meth:`from_dict` reads back into an equal fit.

        Examples
        --------
        >>> import json
        >>> from custvalue.clv import Fit, fit_sbg_survivors
        >>> fit = fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
        >>> data = fit.to_dict()
        >>> data["model"]["class"], sorted(data["model"]["parameters"])
        ('ShiftedBetaGeometric', ['alpha', 'beta'])
        >>> Fit.from_dict(json.loads(json.dumps(data))) == fit
        True
        """
        data = super().to_dict()
        data["model"] = {
            "class": type(self.model).__name__,
            "parameters": data["model"],
        }
        return data

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Build a fit from plain data such as :meth:`to_dict` returns.

        The model is rebuilt from its class name, looked up among the model
        classes of :mod:`custvalue.clv`, and its parameters.

        Parameters
        ----------
        data : dict
            What :meth:`to_dict` returns, or ``json.loads`` of its JSON.

        Returns
        -------
        Fit
            A fit equal to the one ``data`` came from.

        Raises
        ------
        TypeError
            If ``data`` is not a dict.
        ValueError
            If ``data["model"]`` is not ``{"class": ..., "parameters": ...}``,
            names a class that is not a model of :mod:`custvalue.clv`, or
            ``data`` has a key that is not a field.
        """
        if isinstance(data, Mapping) and "model" not in data:
            matches = [
                name
                for name, model_class in MODEL_CLASSES.items()
                if set(data) == set(getattr(model_class, "parameter_names", ()))
            ]
            if matches:
                msg = (
                    f"`data` holds the parameters of a {' or '.join(matches)} "
                    "model, not a fit; rebuild the model with its own "
                    f"from_dict, e.g. custvalue.clv.{matches[0]}.from_dict(data)."
                )
                raise ValueError(msg)
        if isinstance(data, Mapping) and "model" in data:
            data = {**data, "model": _model_from_plain(data["model"])}
        return super().from_dict(data)

    def summary(self, confidence_level: float = 0.95) -> FitSummary:
        """Summarize the fit: a parameter table and the fit statistics.

        Parameters
        ----------
        confidence_level : float, default=0.95
            Coverage of the intervals in the table (log intervals, as
            :meth:`confidence_intervals` with ``method="log"``).

        Returns
        -------
        FitSummary
            Printable (``print(fit.summary())``) and shown as an HTML table
            in notebooks.

        Examples
        --------
        >>> from custvalue.clv import fit_sbg_survivors
        >>> fit = fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
        >>> print(fit.summary())
        ShiftedBetaGeometric fit: 1000 customers, 8 patterns, converged
        log-likelihood -1680.27, AIC 3364.53, BIC 3374.35
        parameter    estimate  std. error    95% CI low   95% CI high
        alpha           0.704      0.0656         0.587         0.845
        beta             1.18       0.152         0.918          1.52
        """
        intervals = self.confidence_intervals(confidence_level)
        errors = self.standard_errors
        return FitSummary(
            model=type(self.model).__name__,
            parameter_names=self.parameter_names,
            estimates=tuple(self.parameters[k] for k in self.parameter_names),
            standard_errors=tuple(errors[k] for k in self.parameter_names),
            low=tuple(intervals[k].low for k in self.parameter_names),
            high=tuple(intervals[k].high for k in self.parameter_names),
            confidence_level=float(confidence_level),
            log_likelihood=self.log_likelihood,
            aic=self.aic,
            bic=self.bic,
            n_customers=self.n_customers,
            n_patterns=self.n_patterns,
            converged=self.convergence.converged,
            penalizer=self.penalizer,
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
            Never raises for a fitted model: a log interval whose standard
            error is huge next to its estimate reaches 0 and ``inf``, and a
            parameter without a standard error gets NaN bounds.
        """
        if method not in ("log", "wald"):
            msg = f"`method` must be 'log' or 'wald'; got {method!r}."
            if str(method) == "profile":
                msg += (
                    " Profile-likelihood intervals need the data again: use "
                    "custvalue.clv.profile_confidence_intervals(fit, *data)."
                )
            raise ValueError(msg)
        z = normal_quantile(confidence_level)
        out: dict[str, ConfidenceInterval] = {}
        for name, se in self.standard_errors.items():
            value = float(getattr(self.model, name))
            if method == "log":
                # exp overflows for a standard error over ~700 times the
                # estimate: the interval then reaches 0 and infinity
                exponent = z * se / value
                factor = math.exp(exponent) if exponent < 709.0 else math.inf
                low, high = value / factor, value * factor
            else:
                low, high = value - z * se, value + z * se
            out[name] = ConfidenceInterval(
                low=low, high=high, confidence_level=float(confidence_level)
            )
        return out


def _model_from_plain(value: object) -> Result:
    if not (isinstance(value, Mapping) and set(value) == {"class", "parameters"}):
        msg = (
            "`data['model']` must be a dict {'class': <model class name>, "
            f"'parameters': {{...}}}} as Fit.to_dict() writes; got {value!r}."
        )
        raise ValueError(msg)
    name = value["class"]
    if name not in MODEL_CLASSES:
        msg = (
            f"`data['model']['class']` must name a model of custvalue.clv, one of "
            f"{sorted(MODEL_CLASSES)}; got {name!r}."
        )
        raise ValueError(msg)
    return MODEL_CLASSES[name].from_dict(value["parameters"])


@attrs.frozen(kw_only=True)
class FitSummary(Result):
    """A fit's parameter table and statistics, made by :meth:`Fit.summary`.

    Parameters
    ----------
    model : str
        The model's class name.
    parameter_names : tuple of str
        The rows of the table.
    estimates, standard_errors, low, high : tuple of float
        Per parameter: the estimate, its standard error and the bounds of
        its confidence interval.
    confidence_level : float
        Coverage of the intervals.
    log_likelihood, aic, bic : float
        As on :class:`Fit`.
    n_customers : float
        Number of customers (sum of weights).
    n_patterns : int
        Distinct data rows.
    converged : bool
        Whether the fit reached an interior maximum.
    penalizer : float
        The L2 penalty used.
    """

    model: str
    parameter_names: tuple[str, ...]
    # tuples of floats that may hold NaN (a missing standard error)
    estimates: tuple[float, ...] = attrs.field(eq=ARRAY_EQ)
    standard_errors: tuple[float, ...] = attrs.field(eq=ARRAY_EQ)
    low: tuple[float, ...] = attrs.field(eq=ARRAY_EQ)
    high: tuple[float, ...] = attrs.field(eq=ARRAY_EQ)
    confidence_level: float
    log_likelihood: float
    aic: float
    bic: float
    n_customers: float
    n_patterns: int
    converged: bool
    penalizer: float

    def _header(self) -> tuple[str, str]:
        state = "converged" if self.converged else "NOT converged"
        penalty = f", penalizer {self.penalizer:g}" if self.penalizer else ""
        return (
            f"{self.model} fit: {self.n_customers:g} customers, "
            f"{self.n_patterns} patterns, {state}{penalty}",
            f"log-likelihood {self.log_likelihood:.6g}, AIC {self.aic:.6g}, "
            f"BIC {self.bic:.6g}",
        )

    def _rows(self) -> list[tuple[str, str, str, str, str]]:
        return [
            (name, f"{e:.3g}", f"{se:.3g}", f"{lo:.3g}", f"{hi:.3g}")
            for name, e, se, lo, hi in zip(
                self.parameter_names,
                self.estimates,
                self.standard_errors,
                self.low,
                self.high,
                strict=True,
            )
        ]

    def _columns(self) -> tuple[str, str, str, str, str]:
        level = f"{100 * self.confidence_level:g}%"
        return (
            "parameter",
            "estimate",
            "std. error",
            f"{level} CI low",
            f"{level} CI high",
        )

    def __str__(self) -> str:
        columns = self._columns()
        lines = [
            *self._header(),
            f"{columns[0]:<9s}"
            + "".join(
                f"{c:>12s}" if i < 2 else f"{c:>14s}" for i, c in enumerate(columns[1:])
            ),
        ]
        for row in self._rows():
            lines.append(
                f"{row[0]:<9s}{row[1]:>12s}{row[2]:>12s}{row[3]:>14s}{row[4]:>14s}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        estimates = ", ".join(
            f"{k}={v:.4g}"
            for k, v in zip(self.parameter_names, self.estimates, strict=True)
        )
        ll = self.log_likelihood
        return (
            f"FitSummary({self.model}: {estimates}; log_likelihood={ll:.6g}; "
            "print() shows the table)"
        )

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self._columns())
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
            for row in self._rows()
        )
        caption = "<br>".join(html.escape(line) for line in self._header())
        return (
            f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )


def fit_from_result(
    model_class: type[ModelT],
    result: MaximumLikelihoodResult,
    *,
    parameter_names: tuple[str, ...],
    n_customers: float,
    n_patterns: int,
    penalizer: float = 0.0,
    time_unit: np.timedelta64 | None = None,
) -> Fit[ModelT]:
    """Build the :class:`Fit` of ``model_class`` from the shared driver's output.

    The estimates in ``result.parameters`` are in the order of
    ``parameter_names``, which are also the model's keyword arguments.
    """
    estimates = dict(zip(parameter_names, result.parameters.tolist(), strict=True))
    return Fit(
        model=model_class(**estimates),
        log_likelihood=result.log_likelihood,
        n_customers=float(n_customers),
        n_patterns=int(n_patterns),
        parameter_names=parameter_names,
        covariance=result.covariance,
        convergence=result.report,
        penalizer=penalizer,
        time_unit=time_unit,
    )


def maximum_likelihood_fit(
    model_class: type[ModelT],
    log_likelihood: LogLikelihood,
    initial: FloatArray,
    *,
    parameter_names: tuple[str, ...],
    n_customers: float,
    n_patterns: int,
    penalizer: float,
    boundary_reason: BoundaryReason | None = None,
    unidentified: str | None = None,
    time_unit: np.timedelta64 | None = None,
) -> Fit[ModelT]:
    """Maximize ``log_likelihood`` and wrap the result: the one fit recipe.

    Parameters
    ----------
    model_class : type
        The frozen model class; its keyword arguments are ``parameter_names``.
    log_likelihood : callable
        ``theta -> (ll, gradient, Hessian)`` summed over the weighted patterns.
    initial : ndarray
        Starting values (> 0).
    parameter_names : tuple of str
        The parameters, in the order of ``theta``.
    n_customers : float
        Sum of the weights.
    n_patterns : int
        Number of distinct rows.
    penalizer : float
        L2 penalty (already checked).
    boundary_reason : callable, optional
        Why the data let a parameter run away (see
        :func:`custvalue._lib.optimize.maximize_log_likelihood`).
    unidentified : str, optional
        A known reason why the data cannot identify the model.
    time_unit : numpy.timedelta64, optional
        The period of the data, recorded on the fit.
    """
    result = maximize_log_likelihood(
        log_likelihood,
        initial,
        total_weight=n_customers,
        penalizer=penalizer,
        parameter_names=parameter_names,
        boundary_reason=boundary_reason,
        unidentified=unidentified,
    )
    return fit_from_result(
        model_class,
        result,
        parameter_names=parameter_names,
        n_customers=n_customers,
        n_patterns=n_patterns,
        penalizer=penalizer,
        time_unit=time_unit,
    )
