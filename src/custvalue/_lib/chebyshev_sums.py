"""Weighted sums of smooth functions over many points, from a few evaluations.

A log-likelihood evaluated again and again during a fit often contains a
sum :math:`\\sum_i w_i f_\\theta(t_i)` over very many points :math:`t_i > 0`
of a function that is smooth in :math:`t` and changes with the parameters
:math:`\\theta`. On an interval :math:`I`, expanding :math:`f_\\theta` in
Chebyshev polynomials, :math:`f_\\theta \\approx \\sum_k c_k T_k`, gives

.. math::

    \\sum_{t_i \\in I} w_i f_\\theta(t_i) \\approx \\sum_k c_k M_k, \\qquad
    M_k = \\sum_{t_i \\in I} w_i T_k(u_i),

where the moments :math:`M_k` do not depend on :math:`\\theta` and are
computed once, and the coefficients :math:`c_k` come from :math:`f_\\theta`
at the Chebyshev points of :math:`I`. The points are split into intervals
:math:`[L, 2L]`: a function with a singularity at :math:`t \\le 0` (such as
:math:`\\ln(\\alpha + t)`) is then analytic in a Bernstein ellipse of
parameter at least :math:`3 + \\sqrt 8` around each, and 24 points resolve
it to rounding. An interval's sum is trusted only when its trailing
coefficients have decayed to rounding level (the standard test that the
series has converged; Trefethen, *Approximation Theory and Approximation
Practice*, ch. 8); otherwise its points are summed directly.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.reductions import matrix_product, weighted_sum, weighted_sums
from custvalue._lib.validation import FloatArray

__all__ = ["ChebyshevSums"]

#: Chebyshev points per interval (degree + 1).
_POINTS = 24
#: Relative size of the last coefficients below which a sum is trusted.
_TOLERANCE = 1e-14

_THETA = np.pi * (np.arange(_POINTS) + 0.5) / _POINTS
# c = _TRANSFORM @ f(nodes): c_k = (2/K) sum_j f(x_j) cos(k theta_j), c_0 halved
_TRANSFORM = (2.0 / _POINTS) * np.cos(np.outer(np.arange(_POINTS), _THETA))
_TRANSFORM[0] *= 0.5


@attrs.frozen
class _Interval:
    low: float
    high: float
    moments: FloatArray
    members: npt.NDArray[np.intp]

    @property
    def nodes(self) -> FloatArray:
        centre, half = 0.5 * (self.high + self.low), 0.5 * (self.high - self.low)
        return np.asarray(centre + half * np.cos(_THETA))


@attrs.frozen
class ChebyshevSums:
    """Moments of weighted points, for sums of smooth functions over them.

    Examples
    --------
    >>> import numpy as np
    >>> from custvalue._lib.chebyshev_sums import ChebyshevSums
    >>> t = np.linspace(0.5, 80.0, 100_000)
    >>> sums = ChebyshevSums.of(t, np.ones_like(t))
    >>> total = sums.sums(lambda s: np.log(2.0 + s)[:, None])[0]
    >>> bool(np.isclose(total, np.log(2.0 + t).sum(), rtol=1e-13))
    True
    """

    points: FloatArray
    weights: FloatArray
    intervals: tuple[_Interval, ...]

    @classmethod
    def of(cls, points: FloatArray, weights: FloatArray) -> ChebyshevSums:
        """Split points >= 0 into intervals [L, 2L] and compute their moments.

        Points at 0 (and below the smallest positive point / 2**40) are kept
        out of the intervals and always summed directly.
        """
        intervals = []
        positive = points > 0
        if np.any(positive):
            smallest = float(points[positive].min())
            level = np.floor(np.log2(np.maximum(points, smallest) / smallest))
            level = np.where(positive, level, -1.0)
            for k in np.unique(level[level >= 0]):
                members = np.flatnonzero(level == k)
                low, high = smallest * 2.0**k, smallest * 2.0 ** (k + 1)
                u = (points[members] - 0.5 * (high + low)) / (0.5 * (high - low))
                w = weights[members]
                moments = np.empty(_POINTS)
                previous, current = np.ones_like(u), u
                moments[0], moments[1] = float(w.sum()), weighted_sum(w, u)
                for j in range(2, _POINTS):
                    previous, current = current, 2.0 * u * current - previous
                    moments[j] = weighted_sum(w, current)
                intervals.append(_Interval(low, high, moments, members))
        return cls(points, weights, tuple(intervals))

    def sums(self, func: Callable[[FloatArray], FloatArray]) -> FloatArray:
        """Weighted sums over the points of the columns of ``func(t)``.

        Parameters
        ----------
        func : callable
            ``t`` of shape (n,) to values of shape (n, n_functions), smooth
            in ``t`` on each interval.

        Returns
        -------
        ndarray of shape (n_functions,)
        """
        direct = np.ones(self.points.size, dtype=bool)
        total: FloatArray | None = None
        if self.intervals:
            nodes = np.concatenate([iv.nodes for iv in self.intervals])
            values = func(nodes)
            for i, interval in enumerate(self.intervals):
                block = values[i * _POINTS : (i + 1) * _POINTS]
                if not np.all(np.isfinite(block)):
                    continue
                coefficients = matrix_product(_TRANSFORM, block)
                scale = np.max(np.abs(coefficients), axis=0)
                tail = np.max(np.abs(coefficients[-3:]), axis=0)
                if np.any(tail > _TOLERANCE * scale):
                    continue
                part = weighted_sums(coefficients.T, interval.moments)
                total = part if total is None else total + part
                direct[interval.members] = False
        rest = np.flatnonzero(direct)
        if rest.size:
            part = weighted_sums(func(self.points[rest]).T, self.weights[rest])
            total = part if total is None else total + part
        if total is None:  # no points at all
            return np.zeros(np.asarray(func(np.ones(1))).shape[1])
        return np.asarray(total)
