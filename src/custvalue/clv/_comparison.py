"""Side-by-side comparison of models fitted to the same customers."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.validation import readonly
from custvalue.clv._fit import Fit

__all__ = ["FitComparison", "compare_fits"]


def _float_column(value: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return readonly(np.array(value, dtype=np.float64, copy=True))


def _int_column(value: npt.ArrayLike) -> npt.NDArray[np.int64]:
    return readonly(np.array(value, dtype=np.int64, copy=True))


def _names(value: npt.ArrayLike) -> npt.NDArray[np.str_]:
    return readonly(np.array(value, dtype=str, copy=True))


@attrs.frozen(kw_only=True)
class FitComparison(Result):
    """Log-likelihood, parameter count, AIC and BIC of several fits, one row each.

    Returned by :func:`compare_fits`; rows keep the order in which the fits
    were given. Lower AIC and BIC are better; the ``delta_`` columns are the
    differences from the best row (0 for the best).

    Parameters
    ----------
    model : ndarray of str
        The names the fits were given under.
    log_likelihood, aic, bic, delta_aic, delta_bic : ndarray of float
        Per fit.
    n_parameters : ndarray of int
        Per fit.
    n_customers : float
        The number of customers every fit was made on.
    """

    model: npt.NDArray[np.str_] = attrs.field(converter=_names, eq=ARRAY_EQ)
    log_likelihood: npt.NDArray[np.float64] = attrs.field(
        converter=_float_column, eq=ARRAY_EQ
    )
    n_parameters: npt.NDArray[np.int64] = attrs.field(
        converter=_int_column, eq=ARRAY_EQ
    )
    aic: npt.NDArray[np.float64] = attrs.field(converter=_float_column, eq=ARRAY_EQ)
    bic: npt.NDArray[np.float64] = attrs.field(converter=_float_column, eq=ARRAY_EQ)
    delta_aic: npt.NDArray[np.float64] = attrs.field(
        converter=_float_column, eq=ARRAY_EQ
    )
    delta_bic: npt.NDArray[np.float64] = attrs.field(
        converter=_float_column, eq=ARRAY_EQ
    )
    n_customers: float

    @property
    def best_by_aic(self) -> str:
        """The name of the fit with the lowest AIC (the first one on ties)."""
        return str(self.model[int(np.argmin(self.aic))])

    @property
    def best_by_bic(self) -> str:
        """The name of the fit with the lowest BIC (the first one on ties)."""
        return str(self.model[int(np.argmin(self.bic))])

    def _headline(self) -> str:
        return (
            f"{self.model.size} fits: {', '.join(map(repr, self.model.tolist()))}; "
            f"best_by_aic={self.best_by_aic!r}, best_by_bic={self.best_by_bic!r}"
        )


def compare_fits(fits: Mapping[str, Fit[Any]]) -> FitComparison:
    r"""Compare models fitted to the same customers by likelihood, AIC and BIC.

    A quick, principled way to choose between, say, BG/NBD and MBG/NBD on
    your data: the information criteria trade fit against the number of
    parameters. They are comparable only between fits of the same
    customers, so fits of different data are refused.

    Parameters
    ----------
    fits : mapping of str to Fit
        The fits to compare, under the names to show; at least one.

    Returns
    -------
    FitComparison

    Raises
    ------
    ValueError
        If ``fits`` is empty or the fits were made on different numbers of
        customers.
    TypeError
        If a value is not a :class:`Fit`.

    Notes
    -----
    :math:`\mathrm{AIC} = 2k - 2\ell` and :math:`\mathrm{BIC} = k\ln n -
    2\ell` with :math:`k` parameters, :math:`n` customers and :math:`\ell` the
    maximized log-likelihood (Akaike 1974; Schwarz 1978). Differences of
    more than about 2 (AIC) or 6 (BIC) are commonly read as meaningful
    (Burnham & Anderson 2002; Kass & Raftery 1995).

    References
    ----------
    .. [1] Burnham, K. P., & Anderson, D. R. (2002). Model Selection and
       Multimodel Inference (2nd ed.). Springer.
    .. [2] Kass, R. E., & Raftery, A. E. (1995). Bayes factors. Journal of the
       American Statistical Association, 90(430), 773-795.

    Examples
    --------
    >>> from custvalue.clv import compare_fits, fit_bgnbd, fit_mbgnbd
    >>> from custvalue.datasets import load_cdnow_summary
    >>> cdnow = load_cdnow_summary()
    >>> data = (cdnow.frequency, cdnow.recency, cdnow.T)
    >>> table = compare_fits({"BG/NBD": fit_bgnbd(*data), "MBG/NBD": fit_mbgnbd(*data)})
    >>> table.log_likelihood.round(1), table.best_by_aic
    (array([-9582.4, -9582.1]), 'MBG/NBD')
    """
    if not fits:
        msg = "`fits` must hold at least one fit; got an empty mapping."
        raise ValueError(msg)
    for name, candidate in fits.items():
        value: object = candidate  # checked at run time for untyped callers
        if not isinstance(value, Fit):
            kind = type(value).__name__
            msg = f"`fits` must map names to Fit results; {name!r} is {kind}."
            raise TypeError(msg)
    sizes = {name: fit.n_customers for name, fit in fits.items()}
    first = next(iter(sizes.values()))
    if any(not math.isclose(size, first, rel_tol=1e-12) for size in sizes.values()):
        described = ", ".join(f"{k!r}: {v:g}" for k, v in sizes.items())
        msg = (
            "`fits` must all be made on the same customers; their numbers of "
            f"customers differ ({described}). Information criteria of different "
            "data cannot be compared."
        )
        raise ValueError(msg)
    aic = np.array([fit.aic for fit in fits.values()])
    bic = np.array([fit.bic for fit in fits.values()])
    return FitComparison(
        model=list(fits),
        log_likelihood=[fit.log_likelihood for fit in fits.values()],
        n_parameters=[fit.n_parameters for fit in fits.values()],
        aic=aic,
        bic=bic,
        delta_aic=aic - aic.min(),
        delta_bic=bic - bic.min(),
        n_customers=float(first),
    )
