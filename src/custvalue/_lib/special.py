"""Numerically delicate special-function pieces used by several models."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from numpy.polynomial import chebyshev

from custvalue._lib.validation import FloatArray

__all__ = ["expm1_ratio", "group_by_value", "values_of_smooth_function"]


def expm1_ratio(x: npt.ArrayLike, eps: npt.ArrayLike) -> FloatArray:
    """Compute :math:`(e^{\\epsilon x} - 1)/\\epsilon`, with limit ``x`` at 0.

    Evaluated with :func:`numpy.expm1`, and by its Taylor series
    :math:`x + \\epsilon x^2/2 + \\epsilon^2 x^3/6` where
    :math:`|\\epsilon x| < 10^{-8}` (where the quotient would lose digits).

    Examples
    --------
    >>> from custvalue._lib.special import expm1_ratio
    >>> float(expm1_ratio(-2.0, 0.0)), round(float(expm1_ratio(-2.0, 0.5)), 6)
    (-2.0, -1.264241)
    """
    x_arr = np.asarray(x, dtype=np.float64)
    e_arr = np.asarray(eps, dtype=np.float64)
    ex = e_arr * x_arr
    small = np.abs(ex) < 1e-8
    safe_eps = np.where(small, 1.0, e_arr)
    with np.errstate(all="ignore"):
        direct = np.expm1(ex) / safe_eps
    series = x_arr * (1.0 + ex / 2.0 + ex * ex / 6.0)
    return np.asarray(np.where(small, series, direct), dtype=np.float64)


def group_by_value(
    values: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Distinct values of an integer array and the index of each entry among them.

    Terms that depend only on an integer such as the frequency are computed
    once per distinct value and gathered back (``per_value[index]``).
    """
    low = int(values.min())
    high = int(values.max())
    if high - low < 4 * values.size + 1024:
        present = np.zeros(high - low + 1, dtype=bool)
        present[values - low] = True
        distinct = np.flatnonzero(present) + low
        position = np.cumsum(present) - 1
        return distinct.astype(np.int64), position[values - low].astype(np.intp)
    distinct, index = np.unique(values, return_inverse=True)
    return distinct.astype(np.int64), index.reshape(-1).astype(np.intp)


#: Fewest points for which interpolation is tried; below it direct
#: evaluation is cheaper.
_INTERPOLATION_MIN_POINTS = 4096
#: Chebyshev degrees tried, in order.
_INTERPOLATION_DEGREES = (24, 32, 48)
#: The interpolant is used only if its last coefficients are below this,
#: relative to the largest, and spot checks agree to 100 times it.
_INTERPOLATION_TOLERANCE = 1e-13


def values_of_smooth_function(
    func: Callable[[FloatArray], FloatArray], points: FloatArray
) -> FloatArray:
    """Evaluate a smooth function of one variable at many points, fast and exactly.

    Where ``func`` is costly (a hypergeometric function, say) and is needed
    at very many points of an interval on which it is analytic, its
    Chebyshev interpolant on ``[min(points), max(points)]`` reproduces it to
    rounding error at a fraction of the cost. The interpolant is used only
    when (a) its trailing Chebyshev coefficients have decayed below
    :math:`10^{-13}` of the largest, the standard sign that the series has
    converged (Trefethen, *Approximation Theory and Approximation Practice*,
    ch. 8), and (b) it agrees with ``func`` to :math:`10^{-11}` relative at
    spot checks spread over the points. Otherwise, and for fewer than 4096
    points, ``func`` is evaluated directly.

    Parameters
    ----------
    func : callable
        Vectorized function of one real variable.
    points : ndarray of float
        Where to evaluate it.

    Returns
    -------
    ndarray
        ``func(points)``, to within about :math:`10^{-13}` relative.
    """
    if points.size < _INTERPOLATION_MIN_POINTS:
        return func(points)
    low, high = float(points.min()), float(points.max())
    if not (np.isfinite(low) and np.isfinite(high)) or high - low <= 1e-12 * max(
        abs(low), abs(high), 1.0
    ):
        return func(points)
    checks = np.concatenate([[low, high], points[:: max(points.size // 14, 1)][:14]])
    exact = func(checks)
    if not np.all(np.isfinite(exact)) or np.any(exact == 0):
        return func(points)
    for degree in _INTERPOLATION_DEGREES:
        interpolant = chebyshev.Chebyshev.interpolate(func, degree, domain=[low, high])
        coefficients = np.abs(interpolant.coef)
        scale = coefficients.max()
        if not np.isfinite(scale) or scale == 0:
            break
        if coefficients[-4:].max() > _INTERPOLATION_TOLERANCE * scale:
            continue
        if (
            np.max(np.abs(interpolant(checks) / exact - 1.0))
            > 100 * _INTERPOLATION_TOLERANCE
        ):
            break
        return np.asarray(interpolant(points), dtype=np.float64)
    return func(points)
