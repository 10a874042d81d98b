"""Confidence intervals and normal quantiles shared across custvalue."""

from __future__ import annotations

import attrs
from scipy import special

from custvalue._lib.fields import Result
from custvalue._lib.validation import check_scalar

__all__ = ["ConfidenceInterval", "normal_quantile"]


@attrs.frozen(kw_only=True)
class ConfidenceInterval(Result):
    """A two-sided confidence interval.

    Parameters
    ----------
    low, high : float
        The bounds, ``low <= high``.
    confidence_level : float
        The nominal coverage, strictly between 0 and 1.
    """

    low: float
    high: float
    confidence_level: float


def normal_quantile(confidence_level: float) -> float:
    """Two-sided standard normal quantile :math:`z_{1-(1-c)/2}` for level ``c``.

    Raises
    ------
    ValueError
        If ``confidence_level`` is not strictly between 0 and 1.

    Examples
    --------
    >>> from custvalue._lib.intervals import normal_quantile
    >>> round(normal_quantile(0.95), 6)
    1.959964
    """
    level = check_scalar(confidence_level, "confidence_level", open_unit_interval=True)
    return float(special.ndtri(0.5 + level / 2.0))
