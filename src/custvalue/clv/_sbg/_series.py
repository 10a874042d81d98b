"""Sums and log-ratios behind the sBG model's predictions.

Survival ratios in log space without cancellation, and the renewal sums of
expected and discounted residual lifetimes, summed term by term and then in
blocks or panels with a bounded tail.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from custvalue._lib.validation import FloatArray
from custvalue.clv._discounting import (
    GREGORY_POINTS,
    PANEL_NODES,
    cut_off,
    gregory_head,
    panel_rule,
)

__all__ = [
    "EXPLICIT_TERMS",
    "NEAR_ONE",
    "discounted_renewals",
    "log_beta_ratio",
    "renewal_sum",
]

#: Below this distance of ``alpha`` from 1 the closed form of
#: :meth:`ShiftedBetaGeometric.expected_renewals` cancels badly (it divides
#: by ``alpha - 1``), and the renewals are summed term by term instead.
NEAR_ONE = 0.05
#: Relative size of the neglected tail at which a discounted sum stops.
TAIL_TOLERANCE = 1e-17
#: Terms of the discounted residual lifetime summed one by one.
EXPLICIT_TERMS = 1024
#: First and largest block of terms summed at once.
FIRST_BLOCK = 256
LARGEST_BLOCK = 65_536


def log_beta_ratio(
    alpha: float, beta: float, start: FloatArray, stop: FloatArray
) -> FloatArray:
    """Compute ln S(stop) - ln S(start) = ln B(a, b+stop) - ln B(a, b+start).

    Where y = beta + start >= 4 alpha the betaln difference loses about
    eps * ln Gamma(y) in absolute terms (1e-9 relative at alpha = 1e-3,
    beta = 1e3; expected renewals above the horizon for alpha = 0.03 and
    tenure 1e5), so there it is written as
    -int_0^alpha [psi(beta+stop+s) - psi(beta+start+s)] ds
    (from ln Gamma(y+a) - ln Gamma(y) = int_0^a psi(y+s) ds), a 16-node
    Gauss-Legendre integral of a function analytic within 4 alpha of
    [0, alpha]. Elsewhere the betaln difference is accurate.
    """
    start, stop = np.broadcast_arrays(
        np.asarray(start, dtype=np.float64), np.asarray(stop, dtype=np.float64)
    )
    value = np.asarray(
        special.betaln(alpha, beta + stop) - special.betaln(alpha, beta + start),
        dtype=np.float64,
    )
    small = alpha <= 0.25 * (beta + start)
    if np.any(small):
        nodes, weights = np.polynomial.legendre.leggauss(PANEL_NODES)
        s = 0.5 * alpha * (nodes + 1.0)
        gap = special.digamma(beta + stop[small][:, None] + s) - special.digamma(
            beta + start[small][:, None] + s
        )
        value = value.copy()
        value[small] = -0.5 * alpha * (gap @ weights)
    return value


def discounted_renewals(alpha: float, b: FloatArray, d: float) -> FloatArray:
    """Compute sum_{m>=1} S(n+m)/S(n) v^(m-1), v = 1/(1+d) > 0, with b = beta + n.

    The cost is bounded whatever ``d``: 1,024 terms, then (where the rest
    is not yet negligible) the integral of the smooth summand over
    [1025, c] by panels plus Gregory's head correction.
    """
    delta = math.log1p(d)
    base = special.betaln(alpha, b)
    m = np.arange(1.0, EXPLICIT_TERMS + 1.0)

    def summand(t: FloatArray, rows: FloatArray, offset: FloatArray) -> FloatArray:
        # u(t) v^(t-1) = exp(ln B(a, b+t) - ln B(a, b) - (t-1) delta)
        with np.errstate(under="ignore"):  # terms below 1e-308 add nothing
            return np.asarray(
                np.exp(special.betaln(alpha, rows + t) - offset - (t - 1.0) * delta),
                dtype=np.float64,
            )

    total = summand(m, b[:, None], base[:, None]).sum(axis=1)
    # rest after M terms <= u_{M+1} v^M / (1 - v), 1/(1 - v) = (1+d)/d
    log_factor = math.log1p(d) - math.log(d)
    log_rest = (
        special.betaln(alpha, b + EXPLICIT_TERMS + 1.0)
        - base
        - EXPLICIT_TERMS * delta
        + log_factor
    )
    pending = log_rest > np.log(TAIL_TOLERANCE * total)
    if np.any(pending):
        first = EXPLICIT_TERMS + 1.0
        # u(t) <= u(M) and the total >= u(M) v^(M-1): the rest past c is below
        # 1e-18 of the total (cut_off's bound is the stronger one)
        cut = cut_off(float(EXPLICIT_TERMS), delta, log_factor=log_factor)
        nodes, weights = panel_rule(first, cut, delta)
        rows, offset = b[pending, None], base[pending, None]
        integral = summand(nodes, rows, offset) @ weights
        head_t = first + np.arange(GREGORY_POINTS, dtype=np.float64)
        head = gregory_head(summand(head_t, rows, offset).T)
        total[pending] += integral + head
    return np.asarray(total, dtype=np.float64)


def renewal_sum(alpha: float, b: FloatArray, v: float, count: FloatArray) -> FloatArray:
    """Compute sum_{m=1}^{count} S(n+m)/S(n) v^(m-1), with b = beta + n.

    Summed in log space in growing blocks. For an infinite ``count`` (which
    needs ``v < 1``) it stops once the tail bound u_{M+1} v^M / (1 - v) is
    below ``TAIL_TOLERANCE`` of the total: the terms u_m decrease in m.
    """
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    limit = np.asarray(count, dtype=np.float64).reshape(-1)
    shape = np.shape(count)
    total = np.zeros(b.size)
    active = limit > 0
    log_v = math.log(v)
    base = special.betaln(alpha, b)
    done = 0
    block = FIRST_BLOCK
    while np.any(active):
        idx = np.flatnonzero(active)
        m = np.arange(done + 1, done + block + 1, dtype=np.float64)
        log_u = special.betaln(alpha, b[idx, None] + m) - base[idx, None]
        terms = np.exp(log_u + (m - 1.0) * log_v)
        terms = np.where(m <= limit[idx, None], terms, 0.0)
        total[idx] += terms.sum(axis=1)
        done += block
        finished = limit[idx] <= done
        if v < 1.0:
            # upper bound on the rest of the infinite series
            log_tail = (
                special.betaln(alpha, b[idx] + done + 1.0)
                - base[idx]
                + done * log_v
                - math.log1p(-v)
            )
            finished |= np.exp(log_tail) <= TAIL_TOLERANCE * total[idx]
        active[idx[finished]] = False
        block = min(2 * block, LARGEST_BLOCK)
    return total.reshape(shape)
