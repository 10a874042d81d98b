"""Confidence intervals and normal quantiles shared across custvalue."""

from __future__ import annotations

from scipy import special

from custvalue._lib.validation import check_scalar
from custvalue.results import ConfidenceInterval

__all__ = ["ConfidenceInterval", "normal_quantile"]


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
