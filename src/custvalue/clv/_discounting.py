"""Discounted sums and integrals over long horizons at a bounded cost.

Customer valuation needs sums :math:`\\sum_k v^k g(k)` and integrals
:math:`\\int e^{-\\delta t} g(t)\\,dt` over horizons of up to millions of
periods, with rates so small that the discount factor hardly decays inside
the horizon. Summing period by period costs as many evaluations as there
are periods, and a fixed quadrature rule on :math:`[0, H]` puts all its
nodes where the discount factor has already vanished. The tools here cost
the same whatever the horizon:

* :func:`panel_rule`: Gauss-Legendre panels whose widths grow
  geometrically with :math:`t` (the functions integrated vary on the scale
  of :math:`t` itself) and never exceed a few :math:`1/\\delta` (the scale
  of the discount factor), stopped where the discounted rest is negligible;
* :func:`gregory_head` and :func:`gregory_tail`: Gregory's end corrections
  that turn such an integral into the sum over the whole numbers in its
  range (the Euler-Maclaurin formula with finite differences in place of
  derivatives).

References
----------
Hildebrand, F. B. (1974). Introduction to Numerical Analysis, 2nd ed.,
section 5.9 (Gregory's formula).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from custvalue._lib.validation import FloatArray

__all__ = [
    "cut_off",
    "evaluate_rows",
    "gregory_head",
    "gregory_tail",
    "panel_rule",
]

#: Gauss-Legendre nodes per panel. A panel [t, 2t] of a function analytic
#: in the right half-plane has its nearest singularity at least one panel
#: width away (Bernstein ellipse parameter >= 3 + sqrt(8)), so 16 nodes
#: leave about 5.8**-32 ~ 4e-25; a panel of width 4/delta sees e^{-2x} on
#: [-1, 1], for which 16 nodes leave about 2**32/32! ~ 2e-26.
PANEL_NODES = 16
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(PANEL_NODES)
#: Widest panel, in units of 1/delta.
_WIDEST = 4.0
#: Finest panel next to t = 0, relative to the first natural scale.
_MAX_LEVELS = 30
#: Gregory's coefficients (Hildebrand 1974, eq. 5.9.19): the sum of f over
#: a..b minus its integral is (f_a + f_b)/2 plus these times differences.
_GREGORY = (1.0 / 12.0, 1.0 / 24.0, 19.0 / 720.0, 3.0 / 160.0, 863.0 / 60480.0)
#: Values at consecutive whole numbers that Gregory's corrections use.
GREGORY_POINTS = len(_GREGORY) + 1
#: ln(1e-18): relative size of the neglected discounted rest.
_LOG_TOLERANCE = math.log(1e-18)
#: Most array elements evaluated in one call of a model.
_CHUNK = 1 << 20


def panel_rule(
    start: float, stop: float, delta: float, *, finest: float | None = None
) -> tuple[FloatArray, FloatArray]:
    """Return nodes and weights for an integral over ``[start, stop]``.

    The rule integrates :math:`e^{-\\delta t} g(t)` for a ``g`` that varies
    on the scale of :math:`t` (and, from ``start = 0``, on the scale
    ``finest`` near 0). Panels start at ``start`` (from 0: halving down to
    ``finest``), double in width up to ``4/delta`` and keep that width up
    to ``stop``, which must be finite; the caller chooses ``stop`` with
    :func:`cut_off`.
    """
    breaks = [start]
    t = start
    if start == 0.0:
        top = stop if delta == 0.0 else min(stop, 1.0 / delta)
        smallest = top * 2.0**-_MAX_LEVELS
        if finest is not None:
            smallest = max(min(finest, top), smallest)
        levels = max(1, math.ceil(math.log2(top / smallest)))
        breaks.extend(top * 2.0 ** -np.arange(levels, -1, -1))
        t = top
    while t < stop:
        width = t if delta == 0.0 else min(t, _WIDEST / delta)
        t = min(stop, t + width)
        breaks.append(t)
    edges = np.asarray(breaks, dtype=np.float64)
    lower, upper = edges[:-1], edges[1:]
    half = 0.5 * (upper - lower)
    nodes = (0.5 * (lower + upper))[:, None] + half[:, None] * _NODES
    weights = half[:, None] * _WEIGHTS
    return nodes.reshape(-1), weights.reshape(-1)


def cut_off(reference: float, delta: float, *, log_factor: float = 0.0) -> float:
    """Return a time beyond which a discounted integral is negligible.

    For a concave :math:`E` with :math:`E(0) = 0` (so :math:`E(t)/t` does
    not increase) and a total of at least :math:`e^{-\\delta r}E(r)`, the
    part of :math:`\\delta\\int_c^\\infty e^{-\\delta t}E(t)\\,dt` beyond
    :math:`c` is at most :math:`e^{-\\delta(c-r)}(c/r + 1/(\\delta r))` of
    the total; ``c`` is the first whole multiple of ``1/delta`` past ``r``
    that makes this (times ``exp(log_factor)``) below 1e-18.
    """
    scaled = delta * reference
    u = 30.0
    # ln of e^{-u} (1 + (u + 1)/(delta r)), with c = r + u/delta
    while log_factor - u + math.log1p((u + 1.0) / scaled) > _LOG_TOLERANCE:
        u += 1.0
    return reference + u / delta


def evaluate_rows(
    evaluate: Callable[[FloatArray], FloatArray], t: FloatArray, n: int
) -> FloatArray:
    """Evaluate ``evaluate(t[:, None])`` of shape (t.size, n) in chunks."""
    rows = max(1, _CHUNK // max(n, 1))
    parts = [
        np.broadcast_to(evaluate(t[i : i + rows, None]), (t[i : i + rows].size, n))
        for i in range(0, t.size, rows)
    ]
    if not parts:
        return np.zeros((0, n))
    return np.asarray(np.concatenate(parts, axis=0), dtype=np.float64)


def gregory_head(values: FloatArray) -> FloatArray:
    """Return the sum over k >= a of f(k) minus the integral from a, head part.

    ``values`` holds f(a), ..., f(a + 5) in its rows. Gregory's formula: the
    sum is the integral plus f(a)/2 plus sum_j c_j (-1)^j Delta^j f(a) plus
    the same terms at the upper end (:func:`gregory_tail`).
    """
    correction = 0.5 * values[0]
    for j, c in enumerate(_GREGORY, start=1):
        correction = correction + c * (-1.0) ** j * np.diff(values, n=j, axis=0)[0]
    return np.asarray(correction, dtype=np.float64)


def gregory_tail(values: FloatArray) -> FloatArray:
    """Return the upper-end part of Gregory's formula.

    ``values`` holds f(b - 5), ..., f(b) in its rows; the part is
    f(b)/2 plus sum_j c_j nabla^j f(b).
    """
    correction = 0.5 * values[-1]
    for j, c in enumerate(_GREGORY, start=1):
        correction = correction + c * np.diff(values, n=j, axis=0)[-1]
    return np.asarray(correction, dtype=np.float64)
