"""Vectorized BG/BB mathematics: inputs, likelihood with derivatives, sums, pmf.

References (equation numbers are those of FHS10):

- FHS10: Fader, Hardie & Shang (2010), "Customer-base analysis in a
  discrete-time noncontractual setting", Marketing Science 29(6), 1086-1108.

Notation: a customer made a transaction in ``x`` of ``n`` opportunities after
the first purchase, the last in opportunity ``t_x`` (0 when ``x = 0``). Every
quantity here is a sum of products of beta-function ratios; they are all
computed in log space, so hundreds of opportunities neither underflow nor
lose digits.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.reductions import weighted_gram, weighted_sum, weighted_sums
from custvalue._lib.special import group_by_value, log_beta_ratio, log_gamma_ratio
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    validate_discrete_histories,
)

__all__ = [
    "DiscretePatterns",
    "LikelihoodData",
    "compress_discrete",
    "discounted_survival_sum",
    "discrete_customers",
    "log_alive_terms",
    "log_likelihood_derivatives",
    "log_likelihood_patterns",
    "log_pmf",
    "simulate_histories",
    "survival_sum",
]

#: Largest number of likelihood terms (pattern, opportunity) held at once.
_CHUNK_TERMS = 1 << 20
#: Largest number of entries of a temporary (element, opportunity) array.
_CHUNK_CELLS = 1 << 22
#: Opportunities summed per block in the infinite discounted sum.
_BLOCK = 4096
#: The infinite discounted sum stops when the remainder bound falls below this
#: share of the sum.
_SUM_TOLERANCE = 1e-17
#: Most opportunities summed in the infinite discounted sum.
_MAX_TERMS = 50_000_000


def discrete_customers(
    frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
) -> tuple[IntArray, IntArray, IntArray, bool]:
    """Check customer arrays (scalars broadcast); say whether all were scalars."""
    values = [np.asarray(v) for v in (frequency, recency, T)]
    scalar = all(v.ndim == 0 for v in values)
    size = max((v.shape[0] for v in values if v.ndim == 1), default=1)
    x, tx, n, _ = validate_discrete_histories(
        *(np.broadcast_to(v, (size,)) if v.ndim == 0 else v for v in values)
    )
    return x, tx, n, scalar


@attrs.frozen(eq=False)
class DiscretePatterns:
    """Distinct (x, t_x, n) rows, their total weights, and each input row's pattern."""

    frequency: IntArray
    recency: IntArray
    n: IntArray
    weight: FloatArray
    index: npt.NDArray[np.intp]

    @property
    def total_weight(self) -> float:
        """Sum of the weights: the number of customers when weights are counts."""
        return float(self.weight.sum())


def compress_discrete(
    x: IntArray, tx: IntArray, n: IntArray, counts: FloatArray | None = None
) -> DiscretePatterns:
    """Group identical (x, t_x, n) rows on one integer key.

    With :math:`N = \\max n + 1` the key :math:`(xN + t_x)N + n` is unique per
    pattern. When the key range is small (as for discrete data, with few
    opportunities) patterns are counted with :func:`numpy.bincount` in one
    pass; otherwise :func:`numpy.unique` sorts the keys.
    """
    size = x.size
    span = int(n.max()) + 1 if size else 1
    unit = np.ones(size) if counts is None else counts
    if span**3 >= 2**62:  # pragma: no cover - needs more than 1.6e6 opportunities
        rows, inverse = np.unique(
            np.stack([x, tx, n], axis=1), axis=0, return_inverse=True
        )
        index = inverse.reshape(-1).astype(np.intp)
        total = np.bincount(index, weights=unit, minlength=rows.shape[0])
        return DiscretePatterns(
            rows[:, 0].astype(np.int64),
            rows[:, 1].astype(np.int64),
            rows[:, 2].astype(np.int64),
            total.astype(np.float64),
            index,
        )
    key = (x * span + tx) * span + n
    distinct, index = group_by_value(key)
    total = np.bincount(index, weights=unit, minlength=distinct.size)
    rest = distinct // span
    return DiscretePatterns(
        (rest // span).astype(np.int64),
        (rest % span).astype(np.int64),
        (distinct % span).astype(np.int64),
        total.astype(np.float64),
        index,
    )


@attrs.frozen(eq=False)
class LikelihoodData:
    """Patterns laid out once as the flat list of their likelihood terms.

    Pattern :math:`(x, t_x, n)` has one term per opportunity
    :math:`j = t_x, \\dots, n`: :math:`j < n` is "alive through opportunity
    :math:`j`, dropped out at the start of :math:`j+1`", :math:`j = n` is
    "alive through :math:`n`" (FHS10 eq. 5). Term :math:`k` of the flat list
    belongs to pattern ``owner[k]`` and has opportunity ``j[k]``; the terms
    of a pattern are contiguous and start at ``starts``.
    """

    x: IntArray  # per term
    j: IntArray  # per term
    last: npt.NDArray[np.bool_]  # per term: j == n
    owner: npt.NDArray[np.intp]  # per term
    starts: npt.NDArray[np.intp]  # per pattern
    weight: FloatArray  # per pattern
    chunks: tuple[tuple[int, int], ...]  # pattern ranges of bounded term count
    max_n: int

    @classmethod
    def from_patterns(
        cls, x: IntArray, tx: IntArray, n: IntArray, weight: FloatArray
    ) -> LikelihoodData:
        """Lay out the terms of patterns ``(x, tx, n)`` with weights."""
        length = (n - tx + 1).astype(np.intp)
        ends = np.cumsum(length)
        starts = ends - length
        total = int(ends[-1])
        owner = np.repeat(np.arange(x.size, dtype=np.intp), length)
        j = tx[owner] + (np.arange(total, dtype=np.intp) - starts[owner])
        chunks = []
        first = 0
        while first < x.size:
            # patterns [first, last) with at most _CHUNK_TERMS terms (at least one)
            limit = int(starts[first]) + _CHUNK_TERMS
            last = max(int(np.searchsorted(ends, limit, side="right")), first + 1)
            chunks.append((first, last))
            first = last
        return cls(
            x=x[owner],
            j=j.astype(np.int64),
            last=j == n[owner],
            owner=owner,
            starts=starts.astype(np.intp),
            weight=weight,
            chunks=tuple(chunks),
            max_n=int(n.max()),
        )


def _tables(
    func: Any, theta: FloatArray, size: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """``func`` at alpha + k, beta + k, alpha + beta + k, delta + k, gamma + delta + k.

    For k = 0..size-1. Every term of the likelihood is a gather from these
    (plus gamma and gamma + 1).
    """
    alpha, beta, gamma, delta = theta
    k = np.arange(size, dtype=np.float64)
    return (
        func(alpha + k),
        func(beta + k),
        func(alpha + beta + k),
        func(delta + k),
        func(gamma + delta + k),
    )


def _term_values(
    theta: FloatArray, data: LikelihoodData, part: slice, size: int
) -> FloatArray:
    """Non-constant part of the log of each term of FHS10 eq. (5).

    A term is :math:`\\ln B(\\alpha+x, \\beta+j-x) + \\ln B(\\gamma+c,
    \\delta+j)` with :math:`c = 1` for :math:`j < n` and :math:`c = 0` for
    :math:`j = n`; :math:`-\\ln B(\\alpha,\\beta) - \\ln B(\\gamma,\\delta)` is
    common to all and added by the caller. Each log-beta is written as
    :math:`\\ln\\Gamma(a) + \\ln\\Gamma(b) - \\ln\\Gamma(a+b)` and gathered from
    tables over the opportunity index.
    """
    gamma = theta[2]
    lg_a, lg_b, lg_ab, lg_d, lg_gd = _tables(special.gammaln, theta, size)
    x, j, last = data.x[part], data.j[part], data.last[part]
    c = np.where(last, 0, 1)
    lg_gamma_c = np.where(last, special.gammaln(gamma), special.gammaln(gamma + 1.0))
    return np.asarray(
        lg_a[x] + lg_b[j - x] - lg_ab[j] + lg_gamma_c + lg_d[j] - lg_gd[j + c],
        dtype=np.float64,
    )


def _log_sum_exp_segments(
    terms: FloatArray, starts: npt.NDArray[np.intp], owner: npt.NDArray[np.intp]
) -> tuple[FloatArray, FloatArray]:
    """Per-segment log-sum-exp and the softmax weight of each term.

    The segment maximum is subtracted before exponentiating, the standard
    reformulation that neither overflows nor underflows.
    """
    top = np.maximum.reduceat(terms, starts)
    scaled = np.exp(terms - top[owner])
    total = np.add.reduceat(scaled, starts)
    return top + np.log(total), scaled / total[owner]


def _constant(theta: FloatArray) -> float:
    alpha, beta, gamma, delta = theta
    return -float(special.betaln(alpha, beta) + special.betaln(gamma, delta))


def _relative_term_values(
    theta: FloatArray, data: LikelihoodData, part: slice, size: int
) -> FloatArray:
    """Compute the full log of each term of FHS10 eq. (5) from exact log ratios.

    A term is :math:`\\ln[B(\\alpha+x, \\beta+j-x)/B(\\alpha,\\beta)] +
    \\ln[B(\\gamma+c, \\delta+j)/B(\\gamma,\\delta)]`. Rather than
    log-gamma values of the parameters, which are large and cancel
    (losing :math:`\\epsilon\\ln\\Gamma(\\alpha+\\beta)` and more), it
    is built from :math:`G_y(k) = \\ln\\Gamma(y+k) - \\ln\\Gamma(y)`
    (:func:`~custvalue._lib.special.log_gamma_ratio`, 0 at k = 0):

    .. math::

        G_\\alpha(x) + G_\\beta(j-x) - G_{\\alpha+\\beta}(j)
        + c\\ln\\frac{\\gamma}{\\gamma+\\delta+j}
        + \\ln\\frac{B(\\gamma, \\delta+j)}{B(\\gamma, \\delta)},

    the last from :func:`~custvalue._lib.special.log_beta_ratio`. A
    customer with n = 0 has one term, exactly 0.
    """
    gamma, delta = float(theta[2]), float(theta[3])
    x, j, last = data.x[part], data.j[part], data.last[part]
    # B(gamma+1, delta+j) = B(gamma, delta+j) gamma / (gamma+delta+j)
    drop = np.where(last, 0.0, np.log(gamma / (gamma + delta + j)))
    return np.asarray(log_alive_terms(theta, x, j, size) + drop, dtype=np.float64)


def log_alive_terms(
    theta: FloatArray, x: IntArray, n: IntArray, size: int | None = None
) -> FloatArray:
    """Ln of the first term of FHS10 eq. (5): x transactions in n, alive in n.

    :math:`\\ln[B(\\alpha+x, \\beta+n-x)/B(\\alpha,\\beta)] +
    \\ln[B(\\gamma, \\delta+n)/B(\\gamma,\\delta)]`, gathered from tables
    over ``0..size-1`` of :math:`G_y(k) = \\ln\\Gamma(y+k) - \\ln\\Gamma(y)`
    (exact log ratios, see :func:`_relative_term_values`). The same
    arithmetic as the likelihood's terms, so that P(alive) = exp(this -
    log-likelihood) is exactly 1 where this is the only term.
    """
    alpha, beta, gamma, delta = (float(v) for v in theta)
    if size is None:
        size = int(n.max()) + 2 if n.size else 2
    k = np.arange(size, dtype=np.float64)
    g_a = log_gamma_ratio(alpha, k)
    g_b = log_gamma_ratio(beta, k)
    g_ab = log_gamma_ratio(alpha + beta, k)
    survive = log_beta_ratio(gamma, delta, k)
    return np.asarray(g_a[x] + g_b[n - x] - g_ab[n] + survive[n], dtype=np.float64)


def log_likelihood_patterns(theta: FloatArray, data: LikelihoodData) -> FloatArray:
    """Log-likelihood of each pattern, FHS10 eq. (5), as a log-sum-exp of terms.

    The terms are the ratio form of :func:`_relative_term_values`, so that
    the result is exact to a few rounding errors of the log-likelihood
    itself (0 exactly for n = 0, and never above 0 from rounding of large
    log-gamma values).
    """
    size = data.max_n + 2
    out = np.empty(data.starts.size)
    for first, last in data.chunks:
        lo = int(data.starts[first])
        hi = int(data.starts[last]) if last < data.starts.size else data.x.size
        part = slice(lo, hi)
        terms = _relative_term_values(theta, data, part, size)
        starts = data.starts[first:last] - lo
        owner = data.owner[part] - first
        with np.errstate(under="ignore"):  # exp of far-below-maximum terms
            out[first:last] = _log_sum_exp_segments(terms, starts, owner)[0]
    return out


def log_likelihood_derivatives(
    theta: FloatArray, data: LikelihoodData
) -> tuple[float, FloatArray, FloatArray]:
    """Weighted log-likelihood with its exact gradient and Hessian (FHS10 eq. 5).

    With :math:`\\ell_p = \\ln\\sum_t e^{u_t} + C` for the terms :math:`u_t`
    of pattern :math:`p` and softmax weights :math:`s_t = e^{u_t - \\ell_p + C}`:
    :math:`\\nabla \\ell_p = \\sum_t s_t \\nabla u_t + \\nabla C` and
    :math:`\\nabla^2 \\ell_p = \\sum_t s_t [\\nabla^2 u_t + (\\nabla u_t -
    \\bar g_p)(\\nabla u_t - \\bar g_p)^\\top] + \\nabla^2 C` with
    :math:`\\bar g_p = \\sum_t s_t \\nabla u_t` (the covariance is taken about
    the mean, which avoids cancellation). The derivatives of each log-beta
    are digamma and trigamma differences:
    :math:`\\partial_a \\ln B(a, b) = \\psi(a) - \\psi(a+b)`,
    :math:`\\partial_a^2 \\ln B = \\psi_1(a) - \\psi_1(a+b)`,
    :math:`\\partial_a\\partial_b \\ln B = -\\psi_1(a+b)`. The
    :math:`(\\alpha, \\beta)` and :math:`(\\gamma, \\delta)` blocks of each
    term's Hessian are uncoupled; the covariance term couples them.
    """
    alpha, beta, gamma, delta = (float(v) for v in theta)
    size = data.max_n + 2
    psi = _tables(special.digamma, theta, size)
    tri = _tables(lambda v: special.polygamma(1, v), theta, size)
    psi_g = special.digamma(np.array([gamma, gamma + 1.0]))
    tri_g = special.polygamma(1, np.array([gamma, gamma + 1.0]))
    ll = 0.0
    grad = np.zeros(4)
    hess = np.zeros((4, 4))
    for first, last in data.chunks:
        lo = int(data.starts[first])
        hi = int(data.starts[last]) if last < data.starts.size else data.x.size
        part = slice(lo, hi)
        terms = _term_values(theta, data, part, size)
        starts = data.starts[first:last] - lo
        owner = data.owner[part] - first
        lse, soft = _log_sum_exp_segments(terms, starts, owner)
        w = data.weight[first:last]
        ll += weighted_sum(w, lse)
        x, j, last_term = data.x[part], data.j[part], data.last[part]
        c = np.where(last_term, 0, 1)
        g = np.empty((4, x.size))
        g[0] = psi[0][x] - psi[2][j]
        g[1] = psi[1][j - x] - psi[2][j]
        g[2] = psi_g[c] - psi[4][j + c]
        g[3] = psi[3][j] - psi[4][j + c]
        mean = np.add.reduceat(g * soft, starts, axis=1)  # (4, patterns)
        grad += weighted_sums(mean, w)
        tw = soft * w[owner]  # weight of each term in the total
        centred = g - mean[:, owner]
        hess += weighted_gram(centred, tw)
        t_ab = tri[2][j]
        t_gd = tri[4][j + c]
        hess[0, 0] += weighted_sum(tw, tri[0][x] - t_ab)
        hess[0, 1] -= weighted_sum(tw, t_ab)
        hess[1, 1] += weighted_sum(tw, tri[1][j - x] - t_ab)
        hess[2, 2] += weighted_sum(tw, tri_g[c] - t_gd)
        hess[2, 3] -= weighted_sum(tw, t_gd)
        hess[3, 3] += weighted_sum(tw, tri[3][j] - t_gd)
    hess[1, 0] = hess[0, 1]
    hess[3, 2] = hess[2, 3]
    # the constant -ln B(alpha, beta) - ln B(gamma, delta), once per customer
    total = float(data.weight.sum())
    ll += total * _constant(theta)
    d_ab, d_gd = special.digamma([alpha + beta, gamma + delta])
    t_ab0, t_gd0 = special.polygamma(1, [alpha + beta, gamma + delta])
    grad -= total * (
        special.digamma(np.array([alpha, beta, gamma, delta]))
        - np.array([d_ab, d_ab, d_gd, d_gd])
    )
    tri0 = special.polygamma(1, np.array([alpha, beta, gamma, delta]))
    hess[0, 0] -= total * (tri0[0] - t_ab0)
    hess[1, 1] -= total * (tri0[1] - t_ab0)
    hess[0, 1] += total * t_ab0
    hess[1, 0] += total * t_ab0
    hess[2, 2] -= total * (tri0[2] - t_gd0)
    hess[3, 3] -= total * (tri0[3] - t_gd0)
    hess[2, 3] += total * t_gd0
    hess[3, 2] += total * t_gd0
    return ll, grad, hess


def _log_survival_ratios(gamma: float, d: FloatArray, count: int) -> FloatArray:
    """ln[B(gamma, d + k) / B(gamma, d)] for k = 1..count, one row per ``d``.

    Uses :math:`B(\\gamma, d+k)/B(\\gamma, d) = \\prod_{i=0}^{k-1}
    (d+i)/(\\gamma+d+i)`, whose logarithm is the cumulative sum of
    :math:`-\\mathrm{log1p}(\\gamma/(d+i))`: every factor is exact to
    rounding, where a difference of log-gamma values of large arguments
    would cancel.
    """
    i = np.arange(count, dtype=np.float64)
    return np.cumsum(-np.log1p(gamma / (d[:, None] + i)), axis=1)


def survival_sum(gamma: float, d: FloatArray, horizon: IntArray) -> FloatArray:
    """Sum of B(gamma, d + k) / B(gamma, d) over k = 1..horizon, elementwise.

    This is the expected number of the next ``horizon`` opportunities in
    which a customer alive now, with drop-out probability distributed
    Beta(gamma, d), is still alive. FHS10 give the closed form
    :math:`\\frac{d}{\\gamma-1}[1 - \\frac{\\Gamma(\\gamma+d)\\Gamma(d+K+1)}
    {\\Gamma(d+1)\\Gamma(\\gamma+d+K)}]` (inside eqs. 9 and 13), which is 0/0
    at :math:`\\gamma = 1` and cancels near it; the sum is taken directly
    instead, once per distinct ``d``, from the exact products of
    :func:`_log_survival_ratios`.
    """
    d_b, k_b = np.broadcast_arrays(np.asarray(d, dtype=np.float64), horizon)
    out = np.zeros(d_b.shape)
    top = int(k_b.max()) if k_b.size else 0
    if top == 0:
        return out
    values, inverse = np.unique(d_b.reshape(-1), return_inverse=True)
    flat_k = k_b.reshape(-1)
    result = np.zeros(flat_k.size)
    rows = max(1, _CHUNK_CELLS // top)
    for lo in range(0, values.size, rows):
        ratios = np.exp(_log_survival_ratios(gamma, values[lo : lo + rows], top))
        cumulative = np.concatenate(
            [np.zeros((ratios.shape[0], 1)), np.cumsum(ratios, axis=1)], axis=1
        )
        mine = (inverse >= lo) & (inverse < lo + rows)
        result[mine] = cumulative[inverse[mine] - lo, flat_k[mine]]
    return result.reshape(d_b.shape)


def discounted_survival_sum(gamma: float, d: FloatArray, rate: float) -> FloatArray:
    """Sum of (1 + rate)^-k B(gamma, d + k) / B(gamma, d) over k >= 1.

    FHS10 eq. (14) writes it as :math:`z\\frac{d}{\\gamma+d}\\,{}_2F_1(1,
    d+1; \\gamma+d+1; z)` with :math:`z = 1/(1+\\text{rate})`. It is summed
    directly in blocks of opportunities: the ratios decrease in :math:`k`,
    so after :math:`K` terms the remainder is at most
    :math:`r_K z^{K+1}/(1-z)`, and summing stops when that bound is below
    :math:`10^{-17}` of the sum.
    """
    values, inverse = np.unique(np.asarray(d, dtype=np.float64), return_inverse=True)
    log_z = -np.log1p(rate)
    bound_factor = 1.0 / -np.expm1(log_z)  # 1 / (1 - z)
    total = np.zeros(values.size)
    carried = np.zeros(values.size)  # ln ratio at the end of the last block
    start = 0
    while True:
        block = _log_survival_ratios(gamma, values + start, _BLOCK)
        log_ratio = carried[:, None] + block
        k = np.arange(start + 1, start + _BLOCK + 1, dtype=np.float64)
        terms = np.exp(log_ratio + k * log_z)
        total += terms.sum(axis=1)
        carried = log_ratio[:, -1]
        start += _BLOCK
        remainder = np.exp(carried + (start + 1) * log_z) * bound_factor
        if np.all(remainder <= _SUM_TOLERANCE * total) or start >= _MAX_TERMS:
            break
    return np.asarray(total[inverse.reshape(-1)].reshape(np.shape(d)))


def log_pmf(
    count: IntArray,
    horizon: IntArray,
    alpha: FloatArray,
    beta: FloatArray,
    gamma: float,
    delta: FloatArray,
) -> FloatArray:
    """Log of P(X(n) = k) for ``horizon`` opportunities n (FHS10 eq. 8).

    .. math::

        P(X(n)=k) = \\binom{n}{k}\\frac{B(\\alpha+k, \\beta+n-k)}{B(\\alpha,\\beta)}
        \\frac{B(\\gamma, \\delta+n)}{B(\\gamma,\\delta)}
        + \\sum_{i=k}^{n-1}\\binom{i}{k}
        \\frac{B(\\alpha+k, \\beta+i-k)}{B(\\alpha,\\beta)}
        \\frac{B(\\gamma+1, \\delta+i)}{B(\\gamma,\\delta)},

    as a log-sum-exp over the terms (0 outside :math:`0 \\le k \\le n`).
    All arguments broadcast; ``alpha``, ``beta`` and ``delta`` may vary (the
    updated parameters of conditional predictions).
    """
    k, n, a, b, d = np.broadcast_arrays(
        count, horizon, np.asarray(alpha, np.float64), beta, delta
    )
    shape = k.shape
    k, n, a, b, d = (v.reshape(-1) for v in (k, n, a, b, d))
    out = np.full(k.size, -np.inf)
    top = int(n.max()) if n.size else 0
    rows = max(1, _CHUNK_CELLS // max(top, 1))
    for lo in range(0, k.size, rows):
        part = slice(lo, lo + rows)
        kk, nn = k[part].astype(np.float64), n[part].astype(np.float64)
        aa, bb, dd = a[part], b[part], d[part]
        valid = kk <= nn
        nk = np.where(valid, nn - kk, 0.0)
        log_binom_n = (
            special.gammaln(nn + 1) - special.gammaln(kk + 1) - special.gammaln(nk + 1)
        )
        # ratios of beta functions as differences of exact log ratios
        # (log_beta_ratio), not of betaln values, which lose eps |ln B|:
        # B(a+k, b+m)/B(a, b) = [B(a+k, b+m)/B(a, b+m)] [B(a, b+m)/B(a, b)]
        first = (
            log_binom_n
            + log_beta_ratio(bb + nk, aa, kk)
            + log_beta_ratio(aa, bb, nk)
            + log_beta_ratio(gamma, dd, nn)
        )
        first = np.where(valid, first, -np.inf)
        if top == 0:
            out[part] = first
            continue
        i = np.arange(top, dtype=np.float64)[None, :]
        inside = (i >= kk[:, None]) & (i < nn[:, None])
        ik = np.where(inside, i - kk[:, None], 0.0)
        # B(gamma+1, d+i)/B(gamma, d) = [B(gamma, d+i)/B(gamma, d)] gamma/(gamma+d+i)
        rest = (
            special.gammaln(i + 1)
            - special.gammaln(kk[:, None] + 1)
            - special.gammaln(ik + 1)
            + log_beta_ratio(bb[:, None] + ik, aa[:, None], kk[:, None])
            + log_beta_ratio(aa[:, None], bb[:, None], ik)
            + log_beta_ratio(gamma, dd[:, None], i)
            + np.log(gamma / (gamma + dd[:, None] + i))
        )
        rest = np.where(inside, rest, -np.inf)
        both = np.concatenate([first[:, None], rest], axis=1)
        with np.errstate(under="ignore"):  # exp of far-below-maximum terms
            out[part] = special.logsumexp(both, axis=1)
    return out.reshape(shape)


def simulate_histories(
    theta: FloatArray,
    n_opportunities: IntArray,
    holdout: int,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray, IntArray]:
    """Simulate customers opportunity by opportunity.

    Each customer draws :math:`p \\sim \\mathrm{Beta}(\\alpha, \\beta)` and
    :math:`\\theta \\sim \\mathrm{Beta}(\\gamma, \\delta)`; at the start of
    every opportunity an alive customer drops out with probability
    :math:`\\theta`, and an alive customer transacts with probability
    :math:`p`. Returns the frequency and recency over each customer's
    ``n_opportunities`` and the number of transactions in the following
    ``holdout`` opportunities.
    """
    alpha, beta, gamma, delta = theta
    size = n_opportunities.size
    p = rng.beta(alpha, beta, size)
    drop = rng.beta(gamma, delta, size)
    alive = np.ones(size, dtype=bool)
    x = np.zeros(size, dtype=np.int64)
    tx = np.zeros(size, dtype=np.int64)
    future = np.zeros(size, dtype=np.int64)
    top = int(n_opportunities.max()) if size else 0
    for t in range(1, top + holdout + 1):
        alive &= rng.random(size) >= drop
        buy = alive & (rng.random(size) < p)
        inside = t <= n_opportunities
        x += buy & inside
        tx = np.where(buy & inside, t, tx)
        future += buy & (t > n_opportunities) & (t <= n_opportunities + holdout)
    return x, tx, future
