"""Intervals for a proportion (Wilson, Agresti–Coull) and for a mean (t)."""

from __future__ import annotations

import math
from typing import Literal

from scipy import stats

from custvalue._lib.intervals import normal_quantile
from custvalue._lib.validation import check_scalar

__all__ = [
    "PROPORTION_METHODS",
    "ProportionMethod",
    "check_proportion_method",
    "proportion_bounds",
    "t_mean_bounds",
]

ProportionMethod = Literal["wilson", "agresti_coull"]
PROPORTION_METHODS = ("wilson", "agresti_coull")


def check_proportion_method(method: str) -> None:
    """Raise ``ValueError`` unless ``method`` is 'wilson' or 'agresti_coull'."""
    if method not in PROPORTION_METHODS:
        msg = f"`method` must be 'wilson' or 'agresti_coull'; got {method!r}."
        raise ValueError(msg)


def proportion_bounds(
    successes: float, n: float, confidence_level: float, method: str
) -> tuple[float, float]:
    """Wilson (1927) or Agresti–Coull (1998) interval for ``successes / n``.

    With :math:`\\tilde n = n + z^2` and :math:`\\tilde p = (x + z^2/2) /
    \\tilde n`, Wilson's interval is :math:`\\tilde p \\pm (z/\\tilde n)
    \\sqrt{x(n - x)/n + z^2/4}` and Agresti–Coull's is :math:`\\tilde p \\pm
    z\\sqrt{\\tilde p(1 - \\tilde p)/\\tilde n}`, clipped to [0, 1] (Brown, Cai
    & DasGupta 2001, eqs. 4 and 5). Wilson's never leaves [0, 1].
    """
    check_proportion_method(method)
    z = normal_quantile(confidence_level)
    z2 = z * z
    n_tilde = n + z2
    centre = (successes + z2 / 2.0) / n_tilde
    if method == "wilson":
        half = z / n_tilde * math.sqrt(successes * (n - successes) / n + z2 / 4.0)
    else:
        half = z * math.sqrt(centre * (1.0 - centre) / n_tilde)
    low, high = max(centre - half, 0.0), min(centre + half, 1.0)
    # Wilson's bounds are exactly 0 at x = 0 and 1 at x = n; set them so,
    # rather than leaving a rounding residue of ~1e-17.
    if method == "wilson" and successes == 0:
        low = 0.0
    if method == "wilson" and successes == n:
        high = 1.0
    return low, high


def t_mean_bounds(
    mean: float,
    standard_deviation: float,
    n: int,
    confidence_level: float,
    *,
    name: str,
) -> tuple[float, float]:
    """Student t interval :math:`\\bar x \\pm t_{n-1}\\, s / \\sqrt n`.

    Raises
    ------
    ValueError
        If there are fewer than two answers (no standard deviation).
    """
    level = check_scalar(confidence_level, "confidence_level", open_unit_interval=True)
    if n < 2:
        msg = (
            f"`{name}` must have at least 2 answers for a t interval of the mean; "
            f"got {n}. One answer says nothing about the spread."
        )
        raise ValueError(msg)
    t = float(stats.t.ppf(0.5 + level / 2.0, n - 1))
    half = t * standard_deviation / math.sqrt(n)
    return mean - half, mean + half
