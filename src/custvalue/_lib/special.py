"""Numerically delicate special-function pieces used by several models."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from numpy.polynomial import chebyshev
from scipy import linalg, special

from custvalue._lib.validation import FloatArray

__all__ = [
    "beta_quadrature",
    "expm1_ratio",
    "group_by_value",
    "log_beta_ratio",
    "log_gamma_ratio",
    "values_of_smooth_function",
]

#: From this argument on ln Gamma is written as Stirling's series; its
#: correction (below) is then exact to rounding with the terms kept.
_STIRLING_MIN = 10.0
#: B_{2k} / (2k (2k - 1)), k = 1..7: the coefficients of Stirling's series
#: ln Gamma(y) = (y - 1/2) ln y - y + ln(2 pi)/2 + sum_k c_k y^(1-2k)
#: (DLMF 5.11.1). At y >= 10 the first omitted term is below 1e-16 of the sum.
_STIRLING_COEFFICIENTS = (
    1.0 / 12.0,
    -1.0 / 360.0,
    1.0 / 1260.0,
    -1.0 / 1680.0,
    1.0 / 1188.0,
    -691.0 / 360360.0,
    1.0 / 156.0,
)


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


def _stirling_correction(y: FloatArray) -> FloatArray:
    """Stirling correction of ln Gamma(y), y >= 10 (DLMF 5.11.1).

    That is, ln Gamma(y) - [(y - 1/2) ln y - y + ln(2 pi)/2].
    """
    inv = 1.0 / y
    inv2 = inv * inv
    total = np.zeros_like(y)
    for c in reversed(_STIRLING_COEFFICIENTS):
        total = total * inv2 + c
    return np.asarray(total * inv, dtype=np.float64)


def log_gamma_ratio(x: npt.ArrayLike, h: npt.ArrayLike) -> FloatArray:
    """Compute :math:`\\ln\\Gamma(x+h) - \\ln\\Gamma(x)` without cancellation.

    For :math:`x \\ge 10` the two Stirling series are subtracted
    analytically (the idea of ``algdiv`` in TOMS 708, Didonato & Morris
    1992):

    .. math::

        \\ln\\frac{\\Gamma(x+h)}{\\Gamma(x)} = h(\\ln x - 1)
        + (x + h - \\tfrac12)\\,\\mathrm{log1p}(h/x)
        + \\Delta(x+h) - \\Delta(x),

    with :math:`\\Delta` the Stirling correction, so the result is exact to
    a few rounding errors *relative to itself*; differencing two values of
    :func:`scipy.special.gammaln` would lose :math:`\\epsilon\\,x\\ln x` in
    absolute terms. For smaller ``x`` ln Gamma(x) is below 14 in size and
    the plain difference is as accurate. Exactly 0 at ``h = 0``.

    Parameters
    ----------
    x : array-like of float
        Arguments > 0.
    h : array-like of float
        Increments >= 0, broadcast against ``x``.

    Returns
    -------
    ndarray of float
        The broadcast shape of ``x`` and ``h``.

    Examples
    --------
    >>> from custvalue._lib.special import log_gamma_ratio
    >>> float(log_gamma_ratio(1e6, 1.0))  # ln(1e6)
    13.815510557964274
    """
    x_arr, h_arr = np.broadcast_arrays(
        np.asarray(x, dtype=np.float64), np.asarray(h, dtype=np.float64)
    )
    large = x_arr >= _STIRLING_MIN
    x_big = np.where(large, x_arr, _STIRLING_MIN)
    h_big = np.where(large, h_arr, 0.0)
    # TOMS 708 algdiv-style difference of Stirling series (see docstring)
    stirling = (
        h_big * (np.log(x_big) - 1.0)
        + (x_big + h_big - 0.5) * np.log1p(h_big / x_big)
        + (_stirling_correction(x_big + h_big) - _stirling_correction(x_big))
    )
    direct = special.gammaln(x_arr + h_arr) - special.gammaln(x_arr)
    return np.asarray(np.where(large, stirling, direct), dtype=np.float64)


def log_beta_ratio(a: npt.ArrayLike, b: npt.ArrayLike, n: npt.ArrayLike) -> FloatArray:
    """Compute :math:`\\ln B(a, b+n) - \\ln B(a, b)` without cancellation.

    The ratio :math:`B(a, b+n)/B(a, b)` is the chance that ``n`` trials with
    a Beta(a, b) success probability all fail; it appears in every
    beta-geometric and beta-binomial model. Written as differences of
    log-gamma values,

    .. math::

        \\ln\\frac{B(a, b+n)}{B(a, b)}
        = \\ln\\frac{\\Gamma(b+n)}{\\Gamma(b)}
          - \\ln\\frac{\\Gamma(a+b+n)}{\\Gamma(a+b)}
        = \\ln\\frac{\\Gamma(a+b)}{\\Gamma(b)}
          - \\ln\\frac{\\Gamma(a+b+n)}{\\Gamma(b+n)},

    each difference from :func:`log_gamma_ratio` (exact relative to itself).
    The first grouping is used where :math:`n \\le a`, the second
    elsewhere, so the absolute error is a few
    :math:`\\epsilon \\min(a, n) \\ln(a+b+n)`. Where :math:`b \\ge 10`
    and :math:`n \\le b` (both groupings cancel when :math:`a, n \\ll b`)
    the Stirling series of the four log-gamma values are combined
    analytically into three ``log1p`` terms of the size of the result (see
    the comment in the code). The difference of two
    :func:`scipy.special.betaln` values loses
    :math:`\\epsilon\\,|\\ln B(a, b)|`, which for :math:`b = 10^6` is
    :math:`3\\times10^{-9}`. Exactly 0 at ``n = 0``.

    Parameters
    ----------
    a, b : array-like of float
        Beta parameters > 0.
    n : array-like of float
        Increments >= 0 (need not be whole), broadcast against ``a`` and
        ``b``.

    Returns
    -------
    ndarray of float
        The broadcast shape, values <= 0.

    Examples
    --------
    >>> from custvalue._lib.special import log_beta_ratio
    >>> float(log_beta_ratio(1.0, 1.0, 1.0))  # ln(1/2)
    -0.6931471805599453
    """
    a_arr, b_arr, n_arr = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (a, b, n))
    )
    small_n = n_arr <= a_arr
    # n <= a: ln G(b+n)/G(b) - ln G(a+b+n)/G(a+b)   (both of size ~ n ln(a+b+n))
    # n > a:  ln G(b+a)/G(b) - ln G(b+n+a)/G(b+n)   (both of size ~ a ln(a+b+n))
    step = np.where(small_n, n_arr, a_arr)
    upper = np.where(small_n, a_arr + b_arr, b_arr + n_arr)
    value = log_gamma_ratio(b_arr, step) - log_gamma_ratio(upper, step)
    # For b >= 10 and n <= b both groupings still cancel when a, n << b; there
    # the four Stirling series are combined analytically (L1 - L2 below is
    # ln[(b+n)(a+b) / (b(a+b+n))] = log1p(a n / (b (a+b+n))), exact):
    # R = -n log1p(a/b) + (b+n-1/2) log1p(an/(b(a+b+n))) - a log1p(n/(a+b))
    #     + D(b+n) - D(b) - D(a+b+n) + D(a+b),  D the Stirling correction.
    near = (b_arr >= _STIRLING_MIN) & (n_arr <= b_arr)
    if near.any():
        a_n, b_n, n_n = a_arr[near], b_arr[near], n_arr[near]
        apb = a_n + b_n
        corrections = (
            _stirling_correction(b_n + n_n)
            - _stirling_correction(b_n)
            - _stirling_correction(apb + n_n)
            + _stirling_correction(apb)
        )
        value = np.array(value, dtype=np.float64, copy=True)
        value[near] = (
            -n_n * np.log1p(a_n / b_n)
            + (b_n + n_n - 0.5) * np.log1p(a_n * n_n / (b_n * (apb + n_n)))
            - a_n * np.log1p(n_n / apb)
            + corrections
        )
    return np.asarray(value, dtype=np.float64)


def beta_quadrature(a: float, b: float, n_nodes: int) -> tuple[FloatArray, FloatArray]:
    """Gauss nodes and weights for expectations over p ~ Beta(a, b).

    ``weights @ f(nodes)`` approximates :math:`E[f(p)]`, exactly for
    polynomials of degree below ``2 * n_nodes``. The nodes are the
    eigenvalues of the Jacobi matrix of the polynomials orthogonal for
    :math:`p^{a-1}(1-p)^{b-1}` on [0, 1], and the weights the squared first
    components of its eigenvectors (Golub & Welsch 1969), so they are
    normalized by construction: :func:`scipy.special.roots_jacobi` scales
    them by :math:`B(a, b)\\,2^{a+b-1}`, which overflows for :math:`a + b`
    beyond about 1000.

    Parameters
    ----------
    a, b : float
        Beta parameters > 0.
    n_nodes : int
        Number of nodes, >= 2.

    Returns
    -------
    nodes : ndarray of shape (n_nodes,)
        In [0, 1], increasing.
    weights : ndarray of shape (n_nodes,)
        Positive, summing to 1.

    Notes
    -----
    With the Jacobi exponents :math:`\\alpha_J = b - 1`, :math:`\\beta_J = a - 1`,
    :math:`s = \\alpha_J + \\beta_J` and :math:`m = 2k`, the three-term
    recurrence of the Jacobi polynomials (DLMF 18.9.2) mapped from [-1, 1] to
    [0, 1] gives the diagonal

    .. math::

        d_0 = \\frac{a}{a+b},\\qquad
        d_k = \\frac{(m+\\beta_J)^2 + \\beta_J^2 + 2\\alpha_J(m+\\beta_J)
        + 2(m+s)}{2(m+s)(m+s+2)},

    a sum of positive terms (the textbook :math:`(1 + a_k)/2` cancels when
    :math:`b \\gg a`), and the off-diagonal
    :math:`\\frac12\\sqrt{4k(k+\\alpha_J)(k+\\beta_J)(k+s)/((2k+s)^2
    (2k+s+1)(2k+s-1))}`.

    References
    ----------
    .. [1] Golub, G. H., & Welsch, J. H. (1969). Calculation of Gauss
       quadrature rules. Mathematics of Computation, 23(106), 221-230.

    Examples
    --------
    >>> from custvalue._lib.special import beta_quadrature
    >>> nodes, weights = beta_quadrature(2.0, 3.0, 4)
    >>> round(float(weights @ nodes), 12)  # E[p] = a / (a + b)
    0.4
    """
    alpha_j = b - 1.0
    beta_j = a - 1.0
    s = alpha_j + beta_j
    k = np.arange(1, n_nodes, dtype=np.float64)
    m = 2.0 * k
    # Golub-Welsch Jacobi matrix on [0, 1]; diagonal as a sum of positive terms
    diagonal = np.empty(n_nodes)
    diagonal[0] = a / (a + b)
    diagonal[1:] = (
        (m + beta_j) ** 2 + beta_j**2 + 2.0 * alpha_j * (m + beta_j) + 2.0 * (m + s)
    ) / (2.0 * (m + s) * (m + s + 2.0))
    two_k_s = m + s
    off = 0.5 * np.sqrt(
        4.0
        * k
        * (k + alpha_j)
        * (k + beta_j)
        * (k + s)
        / (two_k_s**2 * (two_k_s + 1.0) * (two_k_s - 1.0))
    )
    nodes, vectors = linalg.eigh_tridiagonal(diagonal, off[: n_nodes - 1])
    weights = vectors[0] ** 2
    return (
        np.asarray(np.clip(nodes, 0.0, 1.0), dtype=np.float64),
        np.asarray(weights / weights.sum(), dtype=np.float64),
    )
