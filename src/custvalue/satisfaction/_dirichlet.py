"""Exact quantiles of :math:`p - d` when :math:`(p, a, d)` is Dirichlet distributed.

The posterior of the three shares under a Dirichlet prior is Dirichlet
:math:`(\\alpha_1, \\alpha_2, \\alpha_3)` (positive, neutral, negative).
Write :math:`s = p + d` and :math:`u = p / s`; by the aggregation and
neutrality properties of the Dirichlet distribution, :math:`s \\sim
\\mathrm{Beta}(\\alpha_1 + \\alpha_3, \\alpha_2)` and :math:`u \\sim
\\mathrm{Beta}(\\alpha_1, \\alpha_3)` are independent, and the net score is
:math:`\\theta = s\\,(2u - 1)`. For :math:`t \\ge 0`, substituting
:math:`s = F_s^{-1}(v)`,

.. math::

    P(\\theta > t) = \\int_{F_s(t)}^1
        \\bar F_u\\!\\left(\\frac{s(v) + t}{2\\,s(v)}\\right) dv,

the integral of a bounded, smooth function over a finite range: no density
singularities at the ends and no need to locate a concentrated posterior.
It is computed by adaptive Gauss–Kronrod quadrature; negative :math:`t`
follow by symmetry (swap :math:`\\alpha_1` and :math:`\\alpha_3`).
Quantiles are found by Brent's method on this tail probability.
"""

from __future__ import annotations

from scipy import integrate, optimize, special

from custvalue.errors import ConvergenceError

__all__ = ["net_quantile", "net_upper_tail"]

_TOLERANCE = 1e-8


def _upper_tail_nonnegative(
    t: float, a_pos: float, a_neu: float, a_neg: float
) -> float:
    """Return :math:`P(\\theta > t)` for ``0 <= t < 1``."""
    a_sum = a_pos + a_neg
    if t == 0.0:
        # theta > 0 exactly when u > 1/2, whatever s is.
        return float(special.betaincc(a_pos, a_neg, 0.5))

    def integrand(v: float) -> float:
        s = float(special.betaincinv(a_sum, a_neu, v))
        if s <= t:
            return 0.0
        return float(special.betaincc(a_pos, a_neg, (s + t) / (2.0 * s)))

    start = float(special.betainc(a_sum, a_neu, t))
    if start >= 1.0:
        return 0.0
    # full_output returns QUADPACK's message instead of warning; the error
    # estimate is checked instead (the tail is needed to ~1e-8 at most).
    value, error, *_ = integrate.quad(
        integrand, start, 1.0, epsabs=1e-10, epsrel=1e-9, limit=200, full_output=1
    )
    if not error <= _TOLERANCE:
        msg = (
            f"P(net > {t}) under Dirichlet({a_pos}, {a_neu}, {a_neg}) has "
            f"quadrature error {error:.2g} above {_TOLERANCE:g}."
        )
        raise ConvergenceError(msg)
    return float(min(max(value, 0.0), 1.0))


def net_upper_tail(t: float, a_pos: float, a_neu: float, a_neg: float) -> float:
    """Return :math:`P(\\theta > t)` under Dirichlet ``(a_pos, a_neu, a_neg)``.

    For ``-1 < t < 1``.
    """
    if t >= 0.0:
        return _upper_tail_nonnegative(t, a_pos, a_neu, a_neg)
    return 1.0 - _upper_tail_nonnegative(-t, a_neg, a_neu, a_pos)


def net_quantile(q: float, a_pos: float, a_neu: float, a_neg: float) -> float:
    """Return the ``q``-quantile of :math:`\\theta = p - d`, ``0 < q < 1``."""
    return float(
        optimize.brentq(
            lambda t: net_upper_tail(t, a_pos, a_neu, a_neg) - (1.0 - q),
            -1.0,
            1.0,
            xtol=1e-12,
            rtol=1e-12,
        )
    )
