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
:mod:`custvalue.clv._pareto_nbd._quadrature`, and its derivatives in the
parameters by the same rule applied to the differentiated integrand, so the
gradient and Hessian are those of the computed likelihood.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.reductions import weighted_sum, weighted_sums
from custvalue._lib.validation import FloatArray
from custvalue.clv._pareto_nbd._quadrature import (
    LogIntegrand,
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
        rules = concave_rules(f, np.log(f.m), np.log(f.m + tt[sl]), accurate=True)
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
    #: distinct frequencies and their total weights: the terms of the
    #: likelihood that depend on x alone are summed over these
    distinct_x: FloatArray = attrs.field(init=False)
    distinct_weight: FloatArray = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        values, inverse = np.unique(self.x, return_inverse=True)
        totals = np.bincount(inverse.ravel(), weights=self.weight)
        object.__setattr__(self, "distinct_x", values)
        object.__setattr__(self, "distinct_weight", totals)

    @classmethod
    def from_patterns(cls, data: Patterns) -> LikelihoodData:
        """Take the distinct patterns and their weights."""
        return cls(
            x=data.frequency.astype(np.float64),
            tx=data.recency,
            T=data.T,
            weight=data.weight,
        )


@attrs.frozen
class NodeRule:
    """Quadrature nodes ``tau`` and log-weights for the customers ``index``.

    The integral of customer ``index[i]`` is
    ``sum(exp(log_weight[i]) * f(tau[i]))``: the Gauss-Legendre rule in
    ``z`` moved to ``tau = e^z - m`` (weight times the Jacobian ``e^z``), so
    it can be kept while the parameters change.
    """

    index: npt.NDArray[np.intp]
    tau: FloatArray
    log_weight: FloatArray


def likelihood_rules(
    theta: npt.ArrayLike, x: FloatArray, tx: FloatArray, T: FloatArray
) -> list[NodeRule]:
    """Build the quadrature rules of the likelihood integrals at ``theta``."""
    r, alpha, s, beta = (float(v) for v in np.asarray(theta, dtype=np.float64))
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
    out = []
    for rule in concave_rules(f, np.log(m + tx), np.log(m + T)):
        with np.errstate(divide="ignore"):
            log_weight = np.log(rule.weight) + rule.z
        out.append(
            NodeRule(
                index=rule.index,
                tau=np.maximum(np.exp(rule.z) - m, 0.0),
                log_weight=log_weight,
            )
        )
    return out


def _chunk_derivatives(
    theta: tuple[float, float, float, float],
    x: FloatArray,
    tx: FloatArray,
    T: FloatArray,
    w: FloatArray,
    rules: list[NodeRule] | None,
) -> tuple[float, FloatArray, FloatArray]:
    r"""Weighted sums of the bracket's log, gradient and Hessian over one block.

    With :math:`\omega_k` the share of node :math:`k` and :math:`\pi` the
    share of the alive term in the bracket, and :math:`d` the derivatives
    of the logs of the integrand and of the alive term,
    :math:`\nabla \ln[\cdot] = \pi d_E + \sum_k\omega_k d_k` and
    :math:`\nabla^2 \ln[\cdot] = \pi(\nabla^2\ln E + d_Ed_E^\top) +
    \sum_k\omega_k(\nabla^2\ln f_k + d_kd_k^\top) - \nabla\nabla^\top`.
    ``rules`` are built at ``theta`` when not given.
    """
    if rules is None:
        rules = likelihood_rules(theta, x, tx, T)
    total = 0.0
    grad = np.zeros(4)
    hess = np.zeros((4, 4))
    for rule in rules:
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
    rule: NodeRule,
) -> tuple[float, FloatArray, FloatArray]:
    """Sum the terms of :func:`_chunk_derivatives` over one rule's customers."""
    r, alpha, s, beta = theta
    n = x.size
    p1 = r + x
    p2 = s + 1.0
    a_tau = alpha + rule.tau
    b_tau = beta + rule.tau
    la = np.log(a_tau)
    lb = np.log(b_tau)
    g = rule.log_weight - p1[:, None] * la - p2 * lb
    # the alive term E and the nodes, scaled by a common maximum
    la_t, lb_t = np.log(alpha + T), np.log(beta + T)
    log_e = -p1 * la_t - s * lb_t
    top = np.maximum(log_e, np.log(s) + np.max(g, axis=1))  # g = -inf: no nodes
    e_scaled = np.exp(log_e - top)
    with np.errstate(under="ignore"):
        nodes = np.exp(g - (top - np.log(s))[:, None])
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
    # the bracket only: the terms outside it are added by the caller
    return (
        weighted_sum(w, top + np.log(total)),
        weighted_sums(grad_b, w),
        weighted_sums(hess, w),
    )


def _outside_terms(
    theta: tuple[float, float, float, float], data: LikelihoodData
) -> tuple[float, FloatArray, FloatArray]:
    """Sum ln Gamma(r+x) - ln Gamma(r) + r ln alpha + s ln beta over customers.

    The x-dependent part is summed over the distinct frequencies.
    """
    r, alpha, s, beta = theta
    p1 = r + data.distinct_x
    w, total = data.distinct_weight, float(data.weight.sum())
    value = weighted_sum(w, special.gammaln(p1)) + total * (
        -special.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    )
    grad = np.array(
        [
            weighted_sum(w, special.digamma(p1))
            + total * (np.log(alpha) - special.digamma(r)),
            total * r / alpha,
            total * np.log(beta),
            total * s / beta,
        ]
    )
    hess = np.zeros((4, 4))
    hess[0, 0] = weighted_sum(w, special.polygamma(1, p1)) - total * special.polygamma(
        1, r
    )
    hess[0, 1] = hess[1, 0] = total / alpha
    hess[1, 1] = -total * r / alpha**2
    hess[2, 3] = hess[3, 2] = total / beta
    hess[3, 3] = -total * s / beta**2
    return value, grad, hess


def log_likelihood_value(theta: FloatArray, data: LikelihoodData) -> float:
    """Sum the log-likelihood alone, with rules built at ``theta``."""
    params = (float(theta[0]), float(theta[1]), float(theta[2]), float(theta[3]))
    total = _outside_terms(params, data)[0]
    for sl in _blocks(data.x.size):
        log_e, log_a = log_bracket_terms(*params, data.x[sl], data.tx[sl], data.T[sl])
        total += weighted_sum(data.weight[sl], np.logaddexp(log_e, log_a))
    return total


def frozen_rules(theta: npt.ArrayLike, data: LikelihoodData) -> list[list[NodeRule]]:
    """Build the rules of every block of ``data`` at ``theta``, to be kept."""
    return [
        likelihood_rules(theta, data.x[sl], data.tx[sl], data.T[sl])
        for sl in _blocks(data.x.size)
    ]


def _blocks(n: int) -> list[slice]:
    return [slice(lo, lo + CHUNK) for lo in range(0, n, CHUNK)]


def log_likelihood_derivatives(
    theta: FloatArray,
    data: LikelihoodData,
    rules: list[list[NodeRule]] | None = None,
) -> tuple[float, FloatArray, FloatArray]:
    """Sum log-likelihood, exact gradient and Hessian in (r, alpha, s, beta).

    With ``rules`` (from :func:`frozen_rules`) the quadrature nodes stay
    where they were built, so the result is a smooth function of ``theta``
    near there; without, they are built at ``theta``.
    """
    params = (float(theta[0]), float(theta[1]), float(theta[2]), float(theta[3]))
    total, grad, hess = _outside_terms(params, data)
    for k, sl in enumerate(_blocks(data.x.size)):
        v, g, h = _chunk_derivatives(
            params,
            data.x[sl],
            data.tx[sl],
            data.T[sl],
            data.weight[sl],
            None if rules is None else rules[k],
        )
        total += v
        grad += g
        hess += h
    return total, grad, hess
