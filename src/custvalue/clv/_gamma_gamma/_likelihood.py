"""Gamma-Gamma likelihood with exact derivatives, inputs and starting values.

Note 025: Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value",
http://brucehardie.com/notes/025/.
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.reductions import weighted_gram, weighted_sum, weighted_sums
from custvalue._lib.special import group_by_value
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    as_int_array,
    as_row_counts,
    check_all,
    check_same_length,
)

__all__ = [
    "POSITIVE_SPEND",
    "SpendData",
    "initial_values",
    "log_likelihood_derivatives",
    "repeat_customers",
    "repeat_frequency",
]

_REPEAT_ONLY = (
    "The Gamma-Gamma model describes the mean spend of repeat transactions, "
    "so fit on repeat customers only, e.g. `mask = frequency > 0`."
)
POSITIVE_SPEND = (
    "The mean spend of a repeat customer must be > 0; remove or correct "
    "zero and negative amounts (returns, free orders) before summarizing."
)


def repeat_frequency(frequency: npt.ArrayLike) -> IntArray:
    """Check repeat-transaction counts: whole numbers >= 1."""
    x = as_int_array(frequency, "frequency")
    check_all(x >= 1, "`frequency` must be >= 1", {"frequency": x}, _REPEAT_ONLY)
    return x


def repeat_customers(
    frequency: npt.ArrayLike,
    monetary_value: npt.ArrayLike,
    counts: npt.ArrayLike | None,
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Check the data of a fit: x >= 1 whole, m > 0 finite, counts > 0."""
    x = as_int_array(frequency, "frequency")
    m = as_float_array(monetary_value, "monetary_value")
    if counts is None:
        w = np.ones(x.size)
        check_same_length(frequency=x, monetary_value=m)
    else:
        w = as_row_counts(counts)
        check_same_length(frequency=x, monetary_value=m, counts=w)
    check_all(x >= 1, "`frequency` must be >= 1", {"frequency": x}, _REPEAT_ONLY)
    check_all(
        m > 0, "`monetary_value` must be > 0", {"monetary_value": m}, POSITIVE_SPEND
    )
    return x, m, w


@attrs.frozen(eq=False)
class SpendData:
    """Data-only pieces of the weighted log-likelihood, computed once per fit.

    ``distinct`` are the distinct frequencies u with their total weights
    ``weight_by_value``; ``xm`` and ``weight``, ``weighted_x`` are per customer.
    ``sum_log_xm`` is :math:`\\sum w\\ln(xm)` and ``sum_log_m`` is
    :math:`\\sum w\\ln m`.
    """

    distinct: FloatArray
    weight_by_value: FloatArray
    xm: FloatArray
    inverse_xm: FloatArray
    weight: FloatArray
    weighted_x: FloatArray
    total_weight: float
    sum_log_xm: float
    sum_log_m: float

    @classmethod
    def from_customers(cls, x: IntArray, m: FloatArray, w: FloatArray) -> SpendData:
        values, index = group_by_value(x)
        wu = np.bincount(index, weights=w, minlength=values.size).astype(np.float64)
        xf = x.astype(np.float64)
        xm = xf * m
        sum_log_m = weighted_sum(w, np.log(m))
        return cls(
            distinct=values.astype(np.float64),
            weight_by_value=wu,
            xm=xm,
            inverse_xm=1.0 / xm,
            weight=w,
            weighted_x=w * xf,
            total_weight=float(w.sum()),
            # sum w ln(xm) = sum w ln m + sum w ln x, the last per distinct x
            sum_log_xm=sum_log_m + weighted_sum(wu, np.log(values.astype(np.float64))),
            sum_log_m=sum_log_m,
        )


def log_likelihood_derivatives(
    theta: FloatArray, data: SpendData
) -> tuple[float, FloatArray, FloatArray]:
    """Weighted log-likelihood with exact gradient and Hessian in (p, q, gamma).

    With :math:`L = \\ln(1 + \\gamma/(xm))` the individual log-likelihood
    (note 025, eq. 3) is rearranged as

    .. math::

        \\ell = \\ln\\Gamma(px+q) - \\ln\\Gamma(px) - \\ln\\Gamma(q)
                - (px+q) L - q(\\ln(xm) - \\ln\\gamma) - \\ln m,

    using :math:`q\\ln\\gamma + (px-1)\\ln m + px\\ln x - (px+q)\\ln(\\gamma+xm)
    = -(px+q)L - q\\ln(xm/\\gamma) - \\ln m`. The gamma-function terms depend on
    the integer x only and are evaluated once per distinct frequency; the
    sums of :math:`\\ln(xm)` and :math:`\\ln m` are data-only and
    precomputed; per customer only :math:`L` (one ``log1p``, exact when
    :math:`\\gamma \\ll xm`) and :math:`1/(\\gamma+xm) = \\partial L/\\partial\\gamma`
    are evaluated.
    """
    p, q, gamma = (float(v) for v in theta)
    u, wu, total = data.distinct, data.weight_by_value, data.total_weight
    pu = p * u
    puq = pu + q
    # per distinct frequency: ln Gamma, digamma and trigamma of px + q and px
    gl = special.gammaln(puq) - special.gammaln(pu)
    dg_puq = special.digamma(puq)
    dg = dg_puq - special.digamma(pu)
    tg_puq = special.polygamma(1, puq)
    tg = tg_puq - special.polygamma(1, pu)
    log_gamma = math.log(gamma)

    # per customer: L = ln(1 + gamma/(xm)) and its derivative 1/(gamma + xm)
    log_ratio = np.log1p(gamma * data.inverse_xm)
    inv = 1.0 / (gamma + data.xm)
    inv2 = inv * inv
    w, wx = data.weight, data.weighted_x
    a1, a0 = weighted_sum(wx, log_ratio), weighted_sum(w, log_ratio)
    b1, b0 = weighted_sum(wx, inv), weighted_sum(w, inv)
    c1, c0 = weighted_sum(wx, inv2), weighted_sum(w, inv2)

    ll = (
        weighted_sum(wu, gl)
        - total * float(special.gammaln(q))
        - p * a1
        - q * a0
        - q * (data.sum_log_xm - total * log_gamma)
        - data.sum_log_m
    )
    grad = np.array(
        [
            weighted_sum(wu, u * dg) - a1,
            weighted_sum(wu, dg_puq)
            - total * float(special.digamma(q))
            - a0
            - data.sum_log_xm
            + total * log_gamma,
            total * q / gamma - p * b1 - q * b0,
        ]
    )
    hess = np.empty((3, 3))
    hess[0, 0] = weighted_sum(wu, u * u * tg)
    hess[0, 1] = hess[1, 0] = weighted_sum(wu, u * tg_puq)
    hess[0, 2] = hess[2, 0] = -b1
    hess[1, 1] = weighted_sum(wu, tg_puq) - total * float(special.polygamma(1, q))
    hess[1, 2] = hess[2, 1] = total / gamma - b0
    hess[2, 2] = -total * q / gamma**2 + p * c1 + q * c0
    return ll, grad, hess


#: Bounds on the moment-based starting values of p and q.
_START_BOUNDS = (0.1, 1000.0)


def initial_values(x: IntArray, m: FloatArray, w: FloatArray) -> FloatArray:
    """Scale-aware starting values from the first two moments of m.

    Under the model :math:`E[m] = \\mu = p\\gamma/(q-1)` and
    :math:`\\mathrm{Var}(m \\mid x)/\\mu^2 = a/x + b` with
    :math:`a = (q-1)/(p(q-2))` and :math:`b = 1/(q-2)` (from
    :math:`m \\mid \\nu \\sim \\mathrm{Gamma}(px, x\\nu)` and the inverse-gamma
    moments of :math:`1/\\nu`). A weighted least-squares fit of
    :math:`(m/\\mu - 1)^2` on :math:`(1, 1/x)` gives a and b, hence q, p and
    then :math:`\\gamma = \\mu(q-1)/p`; implausible values are clipped. They
    only start the Newton iterations, which converge from far away too.
    """
    low, high = _START_BOUNDS
    total = float(w.sum())
    mu = weighted_sum(w, m) / total
    deviation = (m / mu - 1.0) ** 2
    h = 1.0 / x.astype(np.float64)
    design = np.stack([np.ones_like(h), h])
    normal = weighted_gram(design, w)
    rhs = weighted_sums(design, w * deviation)
    try:
        b, a = np.linalg.solve(normal, rhs)
    except np.linalg.LinAlgError:  # a single distinct frequency
        b, a = weighted_sum(w, deviation) / total, 0.0
    q = float(np.clip(2.0 + 1.0 / b, 2.1, high)) if b > 0 else high
    p = float(np.clip((q - 1.0) / (a * (q - 2.0)), low, high)) if a > 0 else 1.0
    return np.array([p, q, mu * (q - 1.0) / p])
