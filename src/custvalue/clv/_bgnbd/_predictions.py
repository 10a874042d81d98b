"""BG/NBD predictions in closed form: E[X(t)] and the purchase distribution.

The same code serves MBG/NBD through ``shift`` (see
:mod:`custvalue.clv._bgnbd._likelihood`). References: FHL05, Fader, Hardie &
Lee (2005), Marketing Science 24(2), equation numbers of that paper; Note
026, Fader, Hardie & Lee, "Deriving the conditional PMF of the BG/NBD model".
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.special import (
    beta_quadrature,
    expm1_ratio,
    group_by_value,
    log_beta_ratio,
    log_gamma_ratio,
    values_of_smooth_function,
)
from custvalue._lib.validation import FloatArray

__all__ = ["expected_count", "log_pmf"]

#: Customers processed at once (bounds temporary memory).
_CHUNK = 16_384

#: Below this |a - 1| the closed form for E[X(t)] loses digits to its factor
#: 1/(a - 1) (1.8e-9 relative at |a - 1| = 1e-4, b = 40, against mpmath; about
#: 4e-12 at 0.05), and the integral of `_expected_count_near_one` is used.
#: That integral needs a not far below 1 (its lower limit keeps a share
#: p_lo^a / a of the Beta mass), which holds in this band.
_A_NEAR_ONE = 0.05
#: From this a on, E[X(t)] is computed by Gauss quadrature over the drop-out
#: probability (`_expected_count_quadrature`): the Euler-transformed 2F1 has
#: c - a - b = r + x + 1 - a, very negative, and loses up to 1e-8 relative
#: for a in [20, 100] and overflows beyond, while the Beta(a, b) weight
#: vanishes like p^(a-1) at 0, so that 64 nodes give full precision
#: (checked against mpmath over a, b, r, alpha in [1e-3, 1e6], t up to 1e4).
_A_QUADRATURE = 20.0
#: Nodes of that quadrature.
_QUADRATURE_NODES = 64


def _expected_count_series(
    t: FloatArray, r: FloatArray, alpha: FloatArray, a: FloatArray, b: FloatArray
) -> FloatArray:
    """E[X(t)] from a series that stays finite as a -> 1 and as a + b - 1 -> 0.

    With :math:`z = t/(\\alpha+t)`, :math:`L = \\ln(1-z)`, :math:`C = a+b-1`,
    :math:`A = a+b-1-r`, expanding the Euler-transformed closed form (see
    :func:`expected_count`) with :math:`(a-1)_k = (a-1)(a)_{k-1}` and
    :math:`(C)_k = C(C+1)_{k-1}` gives

    .. math::

        E[X(t)] = -C\\,\\frac{e^{(a-1)L}-1}{a-1}
                  - e^{(a-1)L}\\sum_{k\\ge1}
                    \\frac{(A)_k (a)_{k-1}}{(C+1)_{k-1}\\,k!}z^k,

    every term of which is finite for a, b > 0.
    """
    z = t / (alpha + t)
    L = -np.log1p(t / alpha)
    C = a + b - 1.0
    A = C - r
    term = A * z
    total = term.copy()
    k = 1
    active = np.ones(total.shape, dtype=bool)
    while active.any() and k < 200_000:
        term = term * (A + k) * (a + k - 1.0) * z / ((C + k) * (k + 1.0))
        total = total + term
        active = np.abs(term) > 1e-17 * np.maximum(np.abs(total), 1e-300)
        k += 1
    return np.asarray(-C * expm1_ratio(L, a - 1.0) - np.exp((a - 1.0) * L) * total)


#: Gauss-Legendre nodes per panel and panels of the log-p integral near a = 1.
_NEAR_ONE_NODES = 12
_NEAR_ONE_PANELS = 40
#: Gauss-Jacobi nodes of the upper half p in [1/2, 1].
_NEAR_ONE_JACOBI = 32


def _expected_count_near_one(
    t: FloatArray, r: FloatArray, alpha: FloatArray, a: float, b: FloatArray
) -> FloatArray:
    """E[X(t)] as an integral over the drop-out probability, for a near 1.

    :math:`E[X(t)] = \\int_0^1 f(p)\\,[1-(1+pu)^{-r}]/p\\,dp` with
    :math:`u = t/\alpha` and :math:`f` the Beta(a, b) density (given p, the
    purchases before drop-out are geometric, and the gamma mixture of rates
    gives :math:`(1-(1+pu)^{-r})/p`). Every term is positive, so nothing
    cancels, unlike the series of :func:`_expected_count_series`, whose
    terms alternate and grow for large r and z (it gave negative values at
    a = 1, r = 100, t/alpha = 1e3). On p in (0, 1/2] the integral is taken
    over y = ln p, where the integrand :math:`p^{a-1}(1-p)^{b-1}[1-(1+pu)^{-r}]`
    is smooth (the transition at :math:`p \approx 1/(ru)` is a few units of
    y wide), by Gauss-Legendre panels from :math:`p = 10^{-18}\\min(1,
    1/(ru))`; on [1/2, 1], by Gauss-Jacobi with the weight
    :math:`(1-p)^{b-1}` (nodes of a Beta(b, 1) law in 1 - p). The Beta
    normalization is integrated with the same
    nodes, so the rule's errors largely cancel in the ratio.
    """
    u = t / alpha
    ru = np.maximum(r * u, 1.0)
    y_lo = np.log(1e-18 / ru)
    y_hi = np.log(0.5)
    x, w = np.polynomial.legendre.leggauss(_NEAR_ONE_NODES)
    edges = np.linspace(0.0, 1.0, _NEAR_ONE_PANELS + 1)
    # nodes in [0, 1] as panels, then mapped to [y_lo, y_hi] per customer
    s_nodes = (edges[:-1, None] + (x[None, :] + 1.0) * 0.5 / _NEAR_ONE_PANELS).ravel()
    s_weights = np.tile(w * 0.5 / _NEAR_ONE_PANELS, _NEAR_ONE_PANELS)
    width = (y_hi - y_lo)[:, None]
    y = y_lo[:, None] + width * s_nodes[None, :]
    p = np.exp(y)
    # p^(a-1) (1-p)^(b-1) in log space; the dy = dp/p Jacobian cancels 1/p
    log_f = (a - 1.0) * y + (b[:, None] - 1.0) * np.log1p(-p)
    gain = -np.expm1(-r[:, None] * np.log1p(p * u[:, None]))
    weight = width * s_weights[None, :] * np.exp(log_f)
    lower_num = np.sum(weight * gain, axis=1)
    # the normalization integrates f itself: p^(a-1) (1-p)^(b-1) p dy
    lower_den = np.sum(weight * p, axis=1)
    upper_num = np.empty_like(t)
    upper_den = np.empty_like(t)
    values, index = np.unique(b, return_inverse=True)
    for k, b_k in enumerate(values.tolist()):
        members = np.flatnonzero(index == k)
        # q = 1 - p = v/2 with v ~ Beta(b, 1): dq q^(b-1) = 2^-b v^(b-1) dv,
        # and int_0^1 v^(b-1) g dv = E[g(v)] / b (own Golub-Welsch nodes, whose
        # weights do not overflow for large b as roots_jacobi's do)
        v, wv = beta_quadrature(b_k, 1.0, _NEAR_ONE_JACOBI)
        pk = 1.0 - 0.5 * v
        with np.errstate(under="ignore"):
            scale = np.exp(-b_k * np.log(2.0) - np.log(b_k))
        common = scale * wv * pk ** (a - 1.0)
        gain_k = -np.expm1(-r[members, None] * np.log1p(pk * u[members, None]))
        upper_num[members] = np.sum(common * gain_k / pk, axis=1)
        upper_den[members] = np.sum(common)
    return np.asarray(
        (lower_num + upper_num) / (lower_den + upper_den), dtype=np.float64
    )


def _expected_count_quadrature(
    t: FloatArray, r: FloatArray, alpha: FloatArray, a: float, b: FloatArray
) -> FloatArray:
    """E[X(t)] by Gauss quadrature over p ~ Beta(a, b), elementwise.

    Given the drop-out probability p, the purchases of a customer alive at
    0 are a Poisson process stopped after a Geometric(p) number of
    purchases, so :math:`E[X(t) \\mid \\lambda, p] = (1 - e^{-\\lambda p t})/p`
    (FHL05, eq. 5 before mixing); mixing over
    :math:`\\lambda \\sim \\mathrm{Gamma}(r, \\alpha)` gives

    .. math::

        E[X(t)] = E_{p \\sim \\mathrm{Beta}(a, b)}\\left[
        \\frac{1 - (1 + p t/\\alpha)^{-r}}{p}\\right],

    whose integrand is smooth and bounded (by :math:`r t/\\alpha`, its value
    at p = 0). It is evaluated with the Gauss rule of
    :func:`~custvalue._lib.special.beta_quadrature`, once per distinct ``b``.
    """
    shape = np.broadcast_shapes(t.shape, r.shape, alpha.shape, b.shape)
    t_f, r_f, al_f, b_f = (
        np.broadcast_to(v, shape).reshape(-1) for v in (t, r, alpha, b)
    )
    out = np.empty(t_f.size)
    values, index = np.unique(b_f, return_inverse=True)
    index = index.reshape(-1)
    for k, b_k in enumerate(values):
        p, w = beta_quadrature(a, float(b_k), _QUADRATURE_NODES)
        members = np.flatnonzero(index == k)
        for start in range(0, members.size, _CHUNK):
            part = members[start : start + _CHUNK]
            u = p[None, :] * (t_f[part] / al_f[part])[:, None]
            # [1 - (1 + p t/alpha)^(-r)] / p = -expm1(-r log1p(p t / alpha)) / p
            numerator = -np.expm1(-r_f[part, None] * np.log1p(u))
            safe_p = np.where(p > 0.0, p, 1.0)
            limit = (r_f[part] * t_f[part] / al_f[part])[:, None]  # p -> 0
            h = np.where(p > 0.0, numerator / safe_p, limit)
            out[part] = np.sum(h * w, axis=1)  # no BLAS in likelihood code
    return out.reshape(shape)


def expected_count(
    t: npt.ArrayLike,
    r: float,
    alpha: float,
    a: float,
    b: float,
    x: npt.ArrayLike = 0.0,
    T: npt.ArrayLike = 0.0,
) -> FloatArray:
    """E[X(t)] under the parameters (r + x, alpha + T, a, b + x), broadcasting.

    With ``x = T = 0`` this is the expectation for a new customer; with a
    customer's frequency and age it is the expectation of an *alive*
    customer, whose future is a BG/NBD process with those updated
    parameters. FHL05 eq. (7):

    .. math::

        E[X(t)] = \\frac{a+b-1}{a-1}
        \\left[1 - \\left(\\frac{\\alpha}{\\alpha+t}\\right)^r
        {}_2F_1\\!\\left(r, b; a+b-1; \\frac{t}{\\alpha+t}\\right)\\right].

    Euler's transformation :math:`{}_2F_1(A,B;C;z) = (1-z)^{C-A-B}
    {}_2F_1(C-A, C-B; C; z)` turns :math:`(1-z)^r {}_2F_1(r, b; a+b-1; z)` into
    :math:`(1-z)^{a-1} {}_2F_1(a+b-1-r, a-1; a+b-1; z)`. Under the updated
    parameters the first two arguments, :math:`a+b-1-r` and :math:`a-1`, do
    not depend on the customer and do not grow with the frequency, so
    nothing overflows. :math:`1 - (1-z)^{a-1}F` is computed as
    :math:`-\\mathrm{expm1}((a-1)\\ln(1-z) + \\ln F)` to keep its digits when
    it is small. Near a = 1, where the factor :math:`1/(a-1)` cancels, the
    expectation is integrated over the drop-out probability
    (:func:`_expected_count_near_one`); wherever else the closed form is not
    finite, the series of :func:`_expected_count_series` is used. For many
    customers with one frequency the hypergeometric function is a function
    of z alone and is evaluated by checked Chebyshev interpolation
    (:func:`_hyp2f1_in_z`),
    which agrees with direct evaluation to about 1e-12 relative.

    For :math:`a \\ge 20` the closed form loses digits and then overflows
    (:math:`(1-z)^{a-1}` times a hypergeometric function that grows like
    :math:`(1-z)^{r+x+1-a}`); there the expectation is integrated over the
    drop-out probability instead (:func:`_expected_count_quadrature`).
    """
    t_ = np.asarray(t, dtype=np.float64)
    x_ = np.asarray(x, dtype=np.float64)
    beta = alpha + np.asarray(T, dtype=np.float64)
    if a >= _A_QUADRATURE:
        quad = _expected_count_quadrature(t_, r + x_, beta, a, b + x_)
        return np.asarray(np.where(t_ == 0, 0.0, quad), dtype=np.float64)
    C = a + b + x_ - 1.0
    am1 = a - 1.0
    with np.errstate(all="ignore"):
        z = t_ / (beta + t_)
        L = -np.log1p(t_ / beta)
        F = _hyp2f1_in_z(a + b - 1.0 - r, am1, C, z, x_)
        result = np.asarray(C / am1 * -np.expm1(am1 * L + np.log(F)))
        negative = F <= 0
        if negative.any():
            full = np.broadcast_to(C / am1 * (1.0 - np.exp(am1 * L) * F), result.shape)
            result = np.where(negative, full, result)
    bad = ~np.isfinite(result) | (np.abs(np.broadcast_to(C, result.shape)) < 1e-8)
    if abs(am1) < _A_NEAR_ONE:
        bad = np.ones(result.shape, dtype=bool)
    if bad.any():
        shape = result.shape
        t_b, x_b, beta_b = (np.broadcast_to(v, shape)[bad] for v in (t_, x_, beta))
        result = np.array(result, dtype=np.float64, copy=True)
        if abs(am1) < _A_NEAR_ONE:
            # the series alternates and cancels for large r and z; the
            # integral over the drop-out probability has positive terms
            result[bad] = _expected_count_near_one(t_b, r + x_b, beta_b, a, b + x_b)
        else:
            result[bad] = _expected_count_series(
                t_b, r + x_b, beta_b, np.full(t_b.shape, a), b + x_b
            )
    return np.asarray(np.where(t_ == 0, 0.0, result), dtype=np.float64)


def _hyp2f1_in_z(
    A: float, B: float, C: FloatArray, z: FloatArray, x: FloatArray
) -> FloatArray:
    """Compute 2F1(A, B; C; z) with C = a + b + x - 1, by groups of equal x.

    Within a group of customers with the same frequency the function depends
    on z alone, so large groups are evaluated through
    :func:`values_of_smooth_function` (Chebyshev interpolation in z, checked
    against the direct evaluation); the rest directly.
    """
    if z.ndim != 1 or z.shape != x.shape or z.size < 4096:
        return np.asarray(special.hyp2f1(A, B, C, z), dtype=np.float64)
    values, index = group_by_value(x.astype(np.int64))
    counts = np.bincount(index, minlength=values.size)
    result = np.empty_like(z)
    direct = np.ones(z.size, dtype=bool)
    C_arr = np.broadcast_to(C, z.shape)
    for k in np.flatnonzero(counts >= 4096):
        members = index == k
        c = float(C_arr[np.argmax(members)])

        def in_z(points: FloatArray, c: float = c) -> FloatArray:
            return np.asarray(special.hyp2f1(A, B, c, points), dtype=np.float64)

        result[members] = values_of_smooth_function(in_z, z[members])
        direct &= ~members
    result[direct] = special.hyp2f1(A, B, C_arr[direct], z[direct])
    return result


def log_pmf(
    n: npt.ArrayLike,
    t: npt.ArrayLike,
    r: npt.ArrayLike,
    alpha: npt.ArrayLike,
    a: npt.ArrayLike,
    b: npt.ArrayLike,
) -> FloatArray:
    """Ln P(X(t) = n) for a customer alive at 0, FHL05 eq. (8), broadcasting.

    .. math::

        P(X(t)=n) = \\frac{B(a, b+n)}{B(a,b)}
        \\mathrm{NB}(n; r, \\tfrac{\\alpha}{\\alpha+t})
        + \\delta_{n>0}\\frac{B(a+1, b+n-1)}{B(a,b)} P(\\mathrm{NB} \\ge n)

    where the negative-binomial tail
    :math:`1 - (\\frac{\\alpha}{\\alpha+t})^r\\sum_{j<n}\\ldots` is computed as the
    regularized incomplete beta :math:`I_{t/(\\alpha+t)}(n, r)` instead of
    one minus a sum, which loses all digits when the tail is small.
    """
    n_, t_, r_, al_, a_, b_ = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (n, t, r, alpha, a, b))
    )
    with np.errstate(all="ignore"):
        z = t_ / (al_ + t_)
        log_nb = (
            # ln Gamma(r+n) - ln Gamma(r) as one exact ratio (log_gamma_ratio)
            log_gamma_ratio(r_, n_)
            - special.gammaln(n_ + 1.0)
            - r_ * np.log1p(t_ / al_)
            + special.xlogy(n_, z)
        )
        # ln[B(a, b+n) / B(a, b)] without the cancellation of two betaln values
        log_survive = log_beta_ratio(a_, b_, n_)
        first = log_survive + log_nb
        positive = n_ > 0
        n_safe = np.where(positive, n_, 1.0)
        # B(a+1, b+n-1)/B(a, b) = [a/(a+b)] B(a+1, b+n-1)/B(a+1, b): no large
        # logs that cancel (a/(b+n-1) times B(a, b+n)/B(a, b) would add and
        # subtract ln(a/b) and lose eps |ln(a/b)|)
        second = np.where(
            positive,
            -np.log1p(b_ / a_)
            + log_beta_ratio(a_ + 1.0, b_, n_safe - 1.0)
            + np.log(special.betainc(n_safe, r_, z)),
            -np.inf,
        )
        out = np.logaddexp(first, second)
    return np.asarray(out, dtype=np.float64)
