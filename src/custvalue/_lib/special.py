"""Numerically delicate special-function pieces used by several models."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import FloatArray

__all__ = ["expm1_ratio", "group_by_value"]


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
