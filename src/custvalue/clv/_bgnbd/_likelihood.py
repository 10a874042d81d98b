"""Vectorized BG/NBD mathematics: the likelihood with exact derivatives.

All functions broadcast over customers and horizons. The same code serves
the MBG/NBD model (Batislam, Denizel & Filiztekin 2007), in which customers
may also drop out right after their first purchase: ``shift = 1`` gives each
customer one more drop-out opportunity, which turns B(a, b + x) into
B(a, b + x + 1) and a/(b + x - 1) into a/(b + x) and makes the second
likelihood term present for x = 0 too. ``shift = 0`` is BG/NBD. References:

- FHL05: Fader, Hardie & Lee (2005), "Counting your customers" the easy way,
  Marketing Science 24(2); equation numbers are that paper's.
- Note 027: Hardie, "Overcoming the BG/NBD model's #NUM! error problem".
- Note 021: Fader, Hardie & Lee (2008), "Computing P(alive) using the BG/NBD
  model".
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.chebyshev_sums import ChebyshevSums
from custvalue._lib.reductions import weighted_gram, weighted_sum
from custvalue._lib.special import (
    group_by_value,
    log_beta_ratio,
)
from custvalue._lib.validation import FloatArray
from custvalue.clv._patterns import Patterns

__all__ = [
    "LikelihoodData",
    "log_likelihood_derivatives",
    "log_likelihood_per_customer",
    "log_odds_dead",
]

#: Patterns processed at once in the likelihood (bounds temporary memory).
_CHUNK = 16_384
#: From this many MBG/NBD customers with x = 0 on, their terms are summed
#: through Chebyshev moments of T (below it, directly).
_MOMENTS_MIN_CUSTOMERS = 4096


def _drop_out_term(
    a: float, b: float, xf: FloatArray, shift: int
) -> tuple[npt.NDArray[np.bool_], FloatArray]:
    """Where a drop-out has been possible, and ln(a / (b + x + shift - 1)) there."""
    possible = xf + shift > 0
    denominator = np.where(possible, b + xf + shift - 1.0, 1.0)
    return possible, np.log(a) - np.log(denominator)


def _terms(
    r: float,
    alpha: float,
    a: float,
    b: float,
    x: npt.NDArray[np.int64],
    tx: FloatArray,
    T: FloatArray,
    shift: int,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """A1 + A2, A3 and A4 of note 027 (A4 = -inf where x + shift = 0)."""
    xf = x.astype(np.float64)
    a12 = (
        special.gammaln(r + xf)
        - special.gammaln(r)
        + r * np.log(alpha)
        # ln B(a, b + x + shift) - ln B(a, b) without cancellation
        + log_beta_ratio(a, b, xf + shift)
    )
    a3 = -(r + xf) * np.log(alpha + T)
    possible, log_drop = _drop_out_term(a, b, xf, shift)
    a4 = np.where(possible, log_drop - (r + xf) * np.log(alpha + tx), -np.inf)
    return a12, a3, a4


def log_likelihood_per_customer(
    r: float,
    alpha: float,
    a: float,
    b: float,
    x: npt.NDArray[np.int64],
    tx: FloatArray,
    T: FloatArray,
    shift: int = 0,
) -> FloatArray:
    """Individual log-likelihood, FHL05 eq. (6) in the form of note 027.

    :math:`\\ell = A_1 + A_2 + \\ln(e^{A_3} + \\delta_{x+s>0} e^{A_4})`, with the
    sum of exponentials taken by ``logaddexp`` so neither term overflows or
    underflows (note 027, section 2).
    """
    a12, a3, a4 = _terms(r, alpha, a, b, x, tx, T, shift)
    return np.asarray(a12 + np.logaddexp(a3, a4), dtype=np.float64)


def log_odds_dead(
    r: float,
    alpha: float,
    a: float,
    b: float,
    x: npt.NDArray[np.int64],
    tx: FloatArray,
    T: FloatArray,
    shift: int = 0,
) -> FloatArray:
    """Compute ln[(a/(b+x+s-1))((alpha+T)/(alpha+t_x))^(r+x)], -inf if x + s = 0.

    P(alive) = 1 / (1 + exp(this)) (note 021, eq. 2); working with the log
    keeps large frequencies from overflowing the power.
    """
    xf = x.astype(np.float64)
    possible, log_drop = _drop_out_term(a, b, xf, shift)
    value = log_drop + (r + xf) * (np.log(alpha + T) - np.log(alpha + tx))
    return np.asarray(np.where(possible, value, -np.inf), dtype=np.float64)


@attrs.frozen(eq=False)
class LikelihoodData:
    """Fitting data arranged once for repeated likelihood evaluations.

    Customers with ``frequency == 0`` are kept apart: under BG/NBD
    (``shift = 0``) they contribute only :math:`A_1 + A_2 + A_3` (FHL05
    eq. 6 without the second term), which is cheap; under MBG/NBD they have
    both terms, a smooth function of T alone, summed through Chebyshev
    moments of T. Terms of the integer frequency alone are grouped by
    distinct frequency.
    """

    shift: int  # 0 for BG/NBD, 1 for MBG/NBD
    distinct: FloatArray  # distinct frequencies
    distinct_weight: FloatArray  # total weight of each distinct frequency
    zero_T: FloatArray  # customers with x = 0
    zero_weight: FloatArray
    x: FloatArray  # customers with x > 0, as floats
    recency: FloatArray
    T: FloatArray
    weight: FloatArray
    #: Under MBG/NBD the x = 0 customers have the mixture term too, a smooth
    #: function of T alone: summed over them from Chebyshev moments of T.
    zero_sums: ChebyshevSums | None = None

    @classmethod
    def from_patterns(cls, data: Patterns, shift: int = 0) -> LikelihoodData:
        """Arrange compressed patterns for :func:`log_likelihood_derivatives`."""
        values, index = group_by_value(data.frequency)
        totals = np.bincount(index, weights=data.weight, minlength=values.size)
        repeat = data.frequency > 0
        zero_T, zero_weight = data.T[~repeat], data.weight[~repeat]
        use_moments = shift == 1 and zero_T.size >= _MOMENTS_MIN_CUSTOMERS
        return cls(
            shift=shift,
            distinct=values.astype(np.float64),
            distinct_weight=totals.astype(np.float64),
            zero_T=zero_T,
            zero_weight=zero_weight,
            x=data.frequency[repeat].astype(np.float64),
            recency=data.recency[repeat],
            T=data.T[repeat],
            weight=data.weight[repeat],
            zero_sums=ChebyshevSums.of(zero_T, zero_weight) if use_moments else None,
        )


def log_likelihood_derivatives(
    theta: FloatArray, data: LikelihoodData
) -> tuple[float, FloatArray, FloatArray]:
    """Weighted log-likelihood with exact gradient and Hessian in (r, alpha, a, b).

    Terms that depend on the integer frequency only (the gamma and beta
    functions of A1 and A2) are computed once per distinct frequency and
    weighted by the total weight of that frequency. For the mixture term
    :math:`L = \\ln(e^{A_3} + e^{A_4})` with :math:`w = e^{A_4 - L}`:
    :math:`\\nabla L = (1-w)\\nabla A_3 + w\\nabla A_4` and
    :math:`\\nabla^2 L = (1-w)\\nabla^2 A_3 + w\\nabla^2 A_4 +
    w(1-w)(\\nabla A_4 - \\nabla A_3)(\\nabla A_4 - \\nabla A_3)^\\top`.
    For customers with x = 0, :math:`L = A_3 = -r\\ln(\\alpha+T)`.
    """
    r, alpha, a, b = (float(v) for v in theta)
    u, wu = data.distinct, data.distinct_weight
    bs = b + data.shift  # B(a, b + x + shift) in A2
    total = float(wu.sum())

    # A1 + A2, per distinct frequency (FHL05 eq. 6)
    ll = float(weighted_sum(wu, special.gammaln(r + u) + special.betaln(a, bs + u)))
    ll += total * (-special.gammaln(r) + r * np.log(alpha) - special.betaln(a, b))
    psi_r, psi_b, psi_ab = special.digamma([r + 0.0, b + 0.0, a + b])
    tri_r, tri_b, tri_ab = special.polygamma(1, [r + 0.0, b + 0.0, a + b])
    grad = np.zeros(4)
    hess = np.zeros((4, 4))
    grad[0] = weighted_sum(wu, special.digamma(r + u)) + total * (np.log(alpha) - psi_r)
    grad[1] = total * r / alpha
    d_ab_u = special.digamma(a + bs + u)
    grad[2] = total * psi_ab - weighted_sum(wu, d_ab_u)
    grad[3] = weighted_sum(wu, special.digamma(bs + u) - d_ab_u) + total * (
        psi_ab - psi_b
    )
    hess[0, 0] = weighted_sum(wu, special.polygamma(1, r + u)) - total * tri_r
    hess[0, 1] = total / alpha
    hess[1, 1] = -total * r / alpha**2
    t_ab_u = special.polygamma(1, a + bs + u)
    hess[2, 2] = total * tri_ab - weighted_sum(wu, t_ab_u)
    hess[2, 3] = hess[2, 2]
    hess[3, 3] = weighted_sum(wu, special.polygamma(1, bs + u) - t_ab_u) + total * (
        tri_ab - tri_b
    )

    if data.shift == 1:
        z_ll, z_grad, z_hess = _mbg_zero_derivatives(r, alpha, a, b, data)
        ll += z_ll
        grad += z_grad
        hess += z_hess
    # x = 0 under BG/NBD: L = A3 = -r ln(alpha + T)
    for start in range(0, data.zero_T.size if data.shift == 0 else 0, _CHUNK):
        part = slice(start, start + _CHUNK)
        w0 = data.zero_weight[part]
        inv = 1.0 / (alpha + data.zero_T[part])
        log_sum = weighted_sum(w0, np.log(alpha + data.zero_T[part]))
        inv_sum = weighted_sum(w0, inv)
        ll -= r * log_sum
        grad[0] -= log_sum
        grad[1] -= r * inv_sum
        hess[0, 1] -= inv_sum
        hess[1, 1] += r * weighted_sum(w0, inv * inv)

    # x > 0: the mixture term ln(e^A3 + e^A4) (note 027), in chunks so that
    # the temporaries stay small whatever the number of patterns.
    for start in range(0, data.x.size, _CHUNK):
        part = slice(start, start + _CHUNK)
        m_ll, m_grad, m_hess = _mixture_derivatives(
            r,
            alpha,
            a,
            b + data.shift,
            data.x[part],
            data.recency[part],
            data.T[part],
            data.weight[part],
        )
        ll += m_ll
        grad += m_grad
        hess += m_hess
    upper = np.triu_indices(4, 1)
    hess[(upper[1], upper[0])] = hess[upper]
    return ll, grad, hess


def _mbg_zero_derivatives(
    r: float, alpha: float, a: float, b: float, data: LikelihoodData
) -> tuple[float, FloatArray, FloatArray]:
    """Sum the mixture term of MBG/NBD customers with x = 0 over them.

    With x = t_x = 0 every term is a smooth function of T, so the sums come
    from the function at Chebyshev points and the moments of T
    (:class:`ChebyshevSums`, which sums directly where the series is not
    resolved); for few customers they are summed directly.
    """
    b_shifted = b + 1.0

    def terms(T: FloatArray) -> FloatArray:
        zeros = np.zeros_like(T)
        with np.errstate(all="ignore"):
            ll, grad, hess = _mixture_terms(r, alpha, a, b_shifted, zeros, zeros, T)
        return np.column_stack([ll, grad.T, hess.reshape(16, -1).T])

    if data.zero_sums is not None:
        sums = data.zero_sums.sums(terms)
        return float(sums[0]), sums[1:5], sums[5:].reshape(4, 4)
    total_ll = 0.0
    total_grad = np.zeros(4)
    total_hess = np.zeros((4, 4))
    for start in range(0, data.zero_T.size, _CHUNK):
        part = slice(start, start + _CHUNK)
        T = data.zero_T[part]
        m_ll, m_grad, m_hess = _mixture_derivatives(
            r,
            alpha,
            a,
            b_shifted,
            np.zeros_like(T),
            np.zeros_like(T),
            T,
            data.zero_weight[part],
        )
        total_ll += m_ll
        total_grad += m_grad
        total_hess += m_hess
    return total_ll, total_grad, total_hess


def _mixture_terms(
    r: float,
    alpha: float,
    a: float,
    b: float,
    x: FloatArray,
    tx: FloatArray,
    T: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-customer ln(e^A3 + e^A4), gradient (4, n) and Hessian (4, 4, n).

    The same terms as :func:`_mixture_derivatives` sums, in the same layout
    (upper triangle of the second derivatives plus the full outer-product
    term).
    """
    rx = r + x
    inv_bx1 = 1.0 / (b + x - 1.0)
    log_aT = np.log(alpha + T)
    log_ratio = log_aT - np.log(alpha + tx)
    d43 = np.log(a * inv_bx1) + rx * log_ratio
    w4 = special.expit(d43)
    w3 = 1.0 - w4
    mix = -rx * log_aT + np.logaddexp(0.0, d43)
    inv_aT = 1.0 / (alpha + T)
    inv_atx = 1.0 / (alpha + tx)
    grad = np.stack(
        [
            -log_aT + w4 * log_ratio,
            -rx * (w3 * inv_aT + w4 * inv_atx),
            w4 / a,
            -w4 * inv_bx1,
        ]
    )
    diff = np.stack(
        [log_ratio, rx * (inv_aT - inv_atx), np.full_like(T, 1.0 / a), -inv_bx1]
    )
    hess = (w4 * w3) * diff[:, None, :] * diff[None, :, :]
    hess[0, 1] += -(w3 * inv_aT + w4 * inv_atx)
    hess[1, 1] += rx * (w3 * inv_aT**2 + w4 * inv_atx**2)
    hess[2, 2] += -w4 / a**2
    hess[3, 3] += w4 * inv_bx1**2
    return mix, grad, hess


def _mixture_derivatives(
    r: float,
    alpha: float,
    a: float,
    b: float,
    x: FloatArray,
    tx: FloatArray,
    T: FloatArray,
    wt: FloatArray,
) -> tuple[float, FloatArray, FloatArray]:
    """Weighted sum of ln(e^A3 + e^A4) over repeat customers, with derivatives.

    Returns the gradient and the upper triangle of the Hessian (plus the
    symmetric outer-product term).
    """
    rx = r + x
    inv_bx1 = 1.0 / (b + x - 1.0)
    log_aT = np.log(alpha + T)
    log_atx = np.log(alpha + tx)
    # A4 - A3 = ln a - ln(b+x-1) + (r+x) (ln(alpha+T) - ln(alpha+tx))
    log_ratio = log_aT - log_atx
    d43 = np.log(a * inv_bx1) + rx * log_ratio
    # ln(e^A3 + e^A4) = A3 + log1p(e^(A4-A3)), and w4 = expit(A4 - A3)
    w4 = special.expit(d43)
    w3 = 1.0 - w4
    mix = -rx * log_aT + np.logaddexp(0.0, d43)
    ll = weighted_sum(wt, mix)
    grad = np.zeros(4)
    hess = np.zeros((4, 4))
    inv_aT = 1.0 / (alpha + T)
    inv_atx = 1.0 / (alpha + tx)
    ww4 = wt * w4
    grad[0] = -weighted_sum(wt, log_aT) + weighted_sum(ww4, log_ratio)
    grad[1] = -weighted_sum(wt * rx, w3 * inv_aT + w4 * inv_atx)
    grad[2] = ww4.sum() / a
    grad[3] = -weighted_sum(ww4, inv_bx1)
    # second derivatives of A3 and A4, weighted by w3 and w4
    hess[0, 1] = -weighted_sum(wt, w3 * inv_aT + w4 * inv_atx)
    hess[1, 1] = weighted_sum(wt * rx, w3 * inv_aT**2 + w4 * inv_atx**2)
    hess[2, 2] = -ww4.sum() / a**2
    hess[3, 3] = weighted_sum(ww4, inv_bx1**2)
    # w(1-w) (grad A4 - grad A3)(...)^T
    diff = np.empty((4, x.size))
    diff[0] = log_ratio
    diff[1] = rx * (inv_aT - inv_atx)
    diff[2] = 1.0 / a
    diff[3] = -inv_bx1
    hess += weighted_gram(diff, ww4 * w3)
    return ll, grad, hess
