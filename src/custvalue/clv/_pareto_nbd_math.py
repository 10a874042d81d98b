"""Pareto/NBD likelihood, its derivatives, and the integral behind the predictions.

With :math:`\\lambda \\sim \\mathrm{Gamma}(r, \\alpha)` and lifetimes
exponential with :math:`\\mu \\sim \\mathrm{Gamma}(s, \\beta)`, the likelihood
of :math:`(x, t_x, T)` is (Fader & Hardie 2005, note 009, eq. 3, integrated
over the death time rather than through the Gauss hypergeometric function)

.. math::

    L = \\frac{\\Gamma(r+x)\\alpha^r\\beta^s}{\\Gamma(r)}
        \\Big[\\underbrace{(\\alpha+T)^{-(r+x)}(\\beta+T)^{-s}}_{E}
        + \\underbrace{s\\int_{t_x}^{T}(\\alpha+\\tau)^{-(r+x)}
          (\\beta+\\tau)^{-(s+1)}d\\tau}_{A}\\Big],

where :math:`E` is "alive at :math:`T`" and :math:`A` "died at
:math:`\\tau \\in (t_x, T]`". The integral is computed by
:mod:`custvalue.clv._pareto_nbd_quadrature`, and its derivatives in the
parameters by the same rule applied to the differentiated integrand, so the
gradient and Hessian are those of the computed likelihood.
"""

from __future__ import annotations

import attrs
import numpy as np
from scipy import special

from custvalue._lib.validation import FloatArray
from custvalue.clv._pareto_nbd_quadrature import (
    LogIntegrand,
    Rule,
    concave_rules,
    log_integral,
)
from custvalue.clv._patterns import Patterns

__all__ = [
    "LikelihoodData",
    "log_bracket_terms",
    "log_likelihood_derivatives",
    "log_purchase_pmf",
]

#: Customers per block: bounds the memory of the (customers x nodes) arrays.
CHUNK = 16_384


def _family(
    r: FloatArray,
    alpha: FloatArray,
    s: FloatArray,
    beta: FloatArray,
    x0: FloatArray,
    x: FloatArray,
) -> LogIntegrand:
    m = np.minimum(alpha, beta)
    return LogIntegrand(
        x0=np.asarray(x0, dtype=np.float64),
        p1=np.asarray(r + x, dtype=np.float64),
        p2=np.asarray(s + 1.0, dtype=np.float64),
        da=np.asarray(alpha - m),
        db=np.asarray(beta - m),
        m=np.asarray(m),
    )


def _broadcast(*arrays: object) -> list[FloatArray]:
    return [
        np.ascontiguousarray(a, dtype=np.float64).ravel()
        for a in np.broadcast_arrays(*[np.asarray(v, dtype=np.float64) for v in arrays])
    ]


def log_bracket_terms(
    r: object, alpha: object, s: object, beta: object, x: object, tx: object, T: object
) -> tuple[FloatArray, FloatArray]:
    """Return ``ln E`` and ``ln A`` of the likelihood bracket, per customer.

    The parameters may be scalars or arrays (the conditional predictions
    use per-customer updated parameters); all inputs broadcast.
    """
    rr, aa, ss, bb, xx, txa, ta = _broadcast(r, alpha, s, beta, x, tx, T)
    log_e = -(rr + xx) * np.log(aa + ta) - ss * np.log(bb + ta)
    log_a = np.empty_like(log_e)
    for lo in range(0, log_e.size, CHUNK):
        sl = slice(lo, lo + CHUNK)
        f = _family(rr[sl], aa[sl], ss[sl], bb[sl], np.zeros(1), xx[sl])
        rules = concave_rules(f, np.log(f.m + txa[sl]), np.log(f.m + ta[sl]))
        log_a[sl] = np.log(ss[sl]) + log_integral(f, rules)
    return log_e, log_a


def log_purchase_pmf(
    n: object, t: object, r: object, alpha: object, s: object, beta: object
) -> FloatArray:
    """Return ``ln P(X(t) = n)`` for a new customer (all inputs broadcast).

    Conditioning on the death time :math:`\\tau`: alive through ``t`` with
    probability :math:`(\\beta/(\\beta+t))^s`, the count is negative binomial
    over :math:`(0, t]`; dead at :math:`\\tau < t`, it is negative binomial
    over :math:`(0, \\tau]`:

    .. math::

        P(X(t)=n) = \\mathrm{NB}(n; t)\\Big(\\frac{\\beta}{\\beta+t}\\Big)^s
        + \\int_0^t \\mathrm{NB}(n; \\tau)\\,
          \\frac{s\\beta^s}{(\\beta+\\tau)^{s+1}}\\,d\\tau,
        \\quad
        \\mathrm{NB}(n;\\tau) = \\frac{\\Gamma(r+n)}{\\Gamma(r)\\,n!}
        \\frac{\\alpha^r\\tau^n}{(\\alpha+\\tau)^{r+n}},

    the mixture form of note 009's expression for :math:`P(X(t)=x)`.
    """
    nn, tt, rr, aa, ss, bb = _broadcast(n, t, r, alpha, s, beta)
    log_nb_const = (
        special.gammaln(rr + nn)
        - special.gammaln(rr)
        - special.gammaln(nn + 1.0)
        + rr * np.log(aa)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        log_alive_part = (
            log_nb_const
            + special.xlogy(nn, tt)
            - (rr + nn) * np.log(aa + tt)
            + ss * (np.log(bb) - np.log(bb + tt))
        )
    log_dead_part = np.full_like(log_alive_part, -np.inf)
    for lo in range(0, nn.size, CHUNK):
        sl = slice(lo, lo + CHUNK)
        f = _family(rr[sl], aa[sl], ss[sl], bb[sl], nn[sl], nn[sl])
        rules = concave_rules(f, np.log(f.m), np.log(f.m + tt[sl]))
        log_dead_part[sl] = (
            log_nb_const[sl]
            + np.log(ss[sl])
            + ss[sl] * np.log(bb[sl])
            + log_integral(f, rules)
        )
    return np.asarray(np.logaddexp(log_alive_part, log_dead_part))


@attrs.frozen
class LikelihoodData:
    """Fitting data as float arrays, for repeated likelihood evaluations."""

    x: FloatArray
    tx: FloatArray
    T: FloatArray
    weight: FloatArray

    @classmethod
    def from_patterns(cls, data: Patterns) -> LikelihoodData:
        """Take the distinct patterns and their weights."""
        return cls(
            x=data.frequency.astype(np.float64),
            tx=data.recency,
            T=data.T,
            weight=data.weight,
        )


def _chunk_derivatives(
    theta: tuple[float, float, float, float],
    x: FloatArray,
    tx: FloatArray,
    T: FloatArray,
    w: FloatArray,
) -> tuple[float, FloatArray, FloatArray]:
    r"""Weighted sums of log L, its gradient and Hessian over one block.

    With :math:`\omega_k` the share of node :math:`k` and :math:`\pi` the
    share of the alive term in the bracket, and :math:`d` the derivatives
    of the logs of the integrand and of the alive term,
    :math:`\nabla \ln[\cdot] = \pi d_E + \sum_k\omega_k d_k` and
    :math:`\nabla^2 \ln[\cdot] = \pi(\nabla^2\ln E + d_Ed_E^\top) +
    \sum_k\omega_k(\nabla^2\ln f_k + d_kd_k^\top) - \nabla\nabla^\top`.
    """
    r, alpha, s, beta = theta
    n = x.size
    f = _family(
        np.full(n, r),
        np.full(n, alpha),
        np.full(n, s),
        np.full(n, beta),
        np.zeros(1),
        x,
    )
    m = min(alpha, beta)
    total = 0.0
    grad = np.zeros(4)
    hess = np.zeros((4, 4))
    for rule in concave_rules(f, np.log(m + tx), np.log(m + T)):
        i = rule.index
        v, g, h = _rule_derivatives(theta, x[i], T[i], w[i], rule)
        total += v
        grad += g
        hess += h
    return total, grad, hess


def _rule_derivatives(
    theta: tuple[float, float, float, float],
    x: FloatArray,
    T: FloatArray,
    w: FloatArray,
    rule: Rule,
) -> tuple[float, FloatArray, FloatArray]:
    """Sum the terms of :func:`_chunk_derivatives` over one rule's customers."""
    r, alpha, s, beta = theta
    n = x.size
    p1 = r + x
    p2 = s + 1.0
    m = min(alpha, beta)
    # at the nodes: alpha + tau = e^z + (alpha - m), beta + tau likewise
    ez = np.exp(rule.z)
    a_tau = ez + (alpha - m) if alpha > m else ez
    b_tau = ez + (beta - m) if beta > m else ez
    la = np.log(a_tau) if alpha > m else rule.z
    lb = np.log(b_tau) if beta > m else rule.z
    g = rule.z - p1[:, None] * la - p2 * lb
    # the alive term E and the nodes, scaled by a common maximum
    la_t, lb_t = np.log(alpha + T), np.log(beta + T)
    log_e = -p1 * la_t - s * lb_t
    peak = np.max(g, axis=1)
    log_width = np.log(np.maximum(rule.weight[:, 0], 1e-300))  # 0 width: no nodes
    top = np.maximum(log_e, np.log(s) + peak + log_width)
    e_scaled = np.exp(log_e - top)
    with np.errstate(under="ignore"):
        nodes = rule.weight * np.exp(g - (top - np.log(s))[:, None])
    total = e_scaled + nodes.sum(axis=1)
    pi_e = e_scaled / total  # P(alive at T)
    omega = nodes / total[:, None]
    # minus the derivatives of ln(integrand) in (r, alpha, s, beta) at the
    # nodes (u) and of ln E (u_e); products of two d's are products of u's
    u = (la, p1[:, None] / a_tau, lb - 1.0 / s, p2 / b_tau)
    u_e = (la_t, p1 / (alpha + T), lb_t, s / (beta + T))
    w_u = [omega * ui for ui in u]
    grad_b = np.stack([-(pi_e * u_e[i] + w_u[i].sum(axis=1)) for i in range(4)])
    second = np.empty((4, 4, n))
    for i in range(4):
        for j in range(i, 4):
            second[i, j] = pi_e * u_e[i] * u_e[j] + np.einsum("nk,nk->n", w_u[i], u[j])
            second[j, i] = second[i, j]
    # second derivatives of ln(integrand): -1/(alpha+tau) for (r, alpha),
    # p1/(alpha+tau)^2 = u1^2/p1 for (alpha, alpha), -1/s^2 for (s, s),
    # -1/(beta+tau) for (s, beta), p2/(beta+tau)^2 = u3^2/p2 for (beta, beta)
    curv = np.zeros((4, 4, n))
    curv[0, 1] = -(pi_e / (alpha + T) + w_u[1].sum(axis=1) / p1)
    curv[1, 1] = second[1, 1] / p1
    curv[2, 2] = -(1.0 - pi_e) / s**2
    curv[2, 3] = -(pi_e / (beta + T) + w_u[3].sum(axis=1) / p2)
    curv[3, 3] = (second[3, 3] - pi_e * u_e[3] ** 2) / p2 + pi_e * u_e[3] ** 2 / s
    curv[1, 0], curv[3, 2] = curv[0, 1], curv[2, 3]
    hess = second + curv - grad_b[:, None, :] * grad_b[None, :, :]
    # the constant ln Gamma(r+x) - ln Gamma(r) + r ln alpha + s ln beta
    log_l = (
        special.gammaln(p1)
        - special.gammaln(r)
        + r * np.log(alpha)
        + s * np.log(beta)
        + top
        + np.log(total)
    )
    grad = grad_b
    grad[0] += special.digamma(p1) - special.digamma(r) + np.log(alpha)
    grad[1] += r / alpha
    grad[2] += np.log(beta)
    grad[3] += s / beta
    hess[0, 0] += special.polygamma(1, p1) - special.polygamma(1, r)
    hess[0, 1] += 1.0 / alpha
    hess[1, 0] += 1.0 / alpha
    hess[1, 1] -= r / alpha**2
    hess[2, 3] += 1.0 / beta
    hess[3, 2] += 1.0 / beta
    hess[3, 3] -= s / beta**2
    return float(w @ log_l), grad @ w, hess @ w


def log_likelihood_derivatives(
    theta: FloatArray, data: LikelihoodData
) -> tuple[float, FloatArray, FloatArray]:
    """Sum log-likelihood, exact gradient and Hessian in (r, alpha, s, beta)."""
    params = (float(theta[0]), float(theta[1]), float(theta[2]), float(theta[3]))
    total = 0.0
    grad = np.zeros(4)
    hess = np.zeros((4, 4))
    for lo in range(0, data.x.size, CHUNK):
        sl = slice(lo, lo + CHUNK)
        v, g, h = _chunk_derivatives(
            params, data.x[sl], data.tx[sl], data.T[sl], data.weight[sl]
        )
        total += v
        grad += g
        hess += h
    return total, grad, hess
