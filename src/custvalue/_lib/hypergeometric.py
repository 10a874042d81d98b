"""Confluent hypergeometric pieces evaluated by quadrature of a log-concave integrand.

:func:`scipy.special.hyperu` returns NaN for :math:`U(s, s; z)` once
:math:`s \\gtrsim 200`, and a wrong value of :math:`U(1, 2-s; z)` for
small :math:`z` and large :math:`s` (``hyperu(1, 2 - 301.167, 5.6e-4)``
is ``5e-12``, not ``3.3e-3``), so the one function the models need is
computed here from its integral.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import FloatArray

__all__ = ["tricomi_u_one"]

#: How far (in log units) below its peak the integrand is cut off; beyond,
#: by concavity, the rest is below e^-50 of the peak times a width.
_DROP = 50.0
#: Gauss-Legendre nodes per panel, and the widest panel (in w) and largest
#: fall of the log-integrand over one panel: a 20-node rule integrates
#: e^{-10u} on [0, 1], and e^{-c e^u} over 2 units of u, to 1e-15.
_NODES = 20
_PANEL_WIDTH = 2.0
_PANEL_DROP = 10.0
_MAX_PANELS = 400
#: Bisection steps for the cut-off points, and doublings to bracket them.
_CUT_STEPS = 30
_BRACKET_STEPS = 80

_GAUSS = np.polynomial.legendre.leggauss(_NODES)


def _log_integrand(w: FloatArray, s: FloatArray, z: FloatArray) -> FloatArray:
    """``-z (e^w - 1) - (s - 1) w``, the log of the integrand in ``w = ln(1+v)``.

    ``-inf`` where ``e^w`` overflows (far beyond the cut-off).
    """
    with np.errstate(over="ignore"):
        return np.asarray(-z * np.expm1(w) - (s - 1.0) * w)


def tricomi_u_one(s: npt.ArrayLike, z: npt.ArrayLike) -> FloatArray:
    """Compute :math:`U(1, 2-s; z)` for :math:`s > 0`, :math:`z > 0`.

    The confluent hypergeometric function of the second kind with first
    parameter 1, through its Laplace-transform representation (DLMF
    13.4.4):

    .. math::

        U(1, 2-s; z) = \\int_0^\\infty e^{-zv}(1+v)^{-s}\\,dv
        = \\int_0^\\infty e^{-z(e^w-1) - (s-1)w}\\,dw,
        \\qquad w = \\ln(1+v).

    The log of the last integrand is concave in :math:`w`, with its peak at
    :math:`w^* = \\ln((1-s)/z)` when :math:`1 - s > z` and at 0 otherwise;
    it is cut where it has fallen 50 below the peak and integrated by
    20-node Gauss-Legendre panels at most 2 wide over which it falls by at
    most 10, scaled by its peak so nothing overflows. Relative accuracy is
    about :math:`10^{-14}` against 50-digit mpmath quadrature, for
    :math:`s` and :math:`z` from :math:`10^{-8}` to :math:`10^{8}`.

    Parameters
    ----------
    s : array-like of float
        Exponent, > 0 (``2 - s`` is the second parameter of :math:`U`).
    z : array-like of float
        Argument, > 0; broadcast against ``s``.

    Returns
    -------
    ndarray of the broadcast shape
        Values in :math:`(0, \\min(1/z, 1/(s-1))]` (the second bound for
        :math:`s > 1`).

    Notes
    -----
    The Pareto/NBD residual purchases use
    :math:`b^s\\delta^{s-1}U(s, s; \\delta b) = b\\,U(1, 2-s; \\delta b)`
    (Kummer's transformation :math:`U(a, b, z) = z^{1-b}U(a-b+1, 2-b, z)`,
    DLMF 13.2.40), which stays in range where :math:`b^s` and
    :math:`\\delta^{s-1}` do not.

    Examples
    --------
    >>> from custvalue._lib.hypergeometric import tricomi_u_one
    >>> round(float(tricomi_u_one(3.0, 1e-9)), 6)  # 1 / (s - 1) as z -> 0
    0.5
    >>> round(float(tricomi_u_one(0.5, 1e4)), 6)  # about 1 / (z + s)
    0.0001
    """
    s_arr, z_arr = np.broadcast_arrays(
        np.asarray(s, dtype=np.float64), np.asarray(z, dtype=np.float64)
    )
    shape = s_arr.shape
    ss, zz = s_arr.ravel(), z_arr.ravel()
    # h'(w) = -z e^w - (s - 1) vanishes at w* = ln((1 - s)/z) > 0 when
    # 1 - s > z; otherwise h decreases from w = 0
    rising = 1.0 - ss > zz
    peak = np.zeros_like(ss)
    peak[rising] = np.log((1.0 - ss[rising]) / zz[rising])
    top = _log_integrand(peak, ss, zz)
    target = top - _DROP
    right = _cut(peak, peak + 1.0, ss, zz, target)
    left = np.zeros_like(peak)
    # rising from w = 0 by more than _DROP: cut on the left as well
    far = np.flatnonzero(_log_integrand(left, ss, zz) < target)
    if far.size:
        left[far] = _cut(peak[far], left[far], ss[far], zz[far], target[far])
    total = _side(left, peak, ss, zz, top) + _side(peak, right, ss, zz, top)
    # scaled by the peak: U = e^top * sum(weights * e^(h - top))
    return np.asarray(np.exp(top + np.log(total))).reshape(shape)


def _cut(
    peak: FloatArray, far: FloatArray, s: FloatArray, z: FloatArray, target: FloatArray
) -> FloatArray:
    """Find a point past which the log-integrand stays below ``target``.

    ``far`` is moved away from the peak, doubling its distance, until the
    log-integrand there is below ``target`` (concavity: it stays below
    beyond), then the crossing is bisected.
    """
    inside = peak.copy()
    outside = far.copy()
    for _ in range(_BRACKET_STEPS):
        above = _log_integrand(outside, s, z) >= target
        if not above.any():
            break
        inside = np.where(above, outside, inside)
        outside = np.where(above, peak + 2.0 * (outside - peak), outside)
    for _ in range(_CUT_STEPS):
        mid = 0.5 * (inside + outside)
        above = _log_integrand(mid, s, z) >= target
        inside = np.where(above, mid, inside)
        outside = np.where(above, outside, mid)
    return outside


def _side(
    lo: FloatArray, hi: FloatArray, s: FloatArray, z: FloatArray, top: FloatArray
) -> FloatArray:
    """Sum of the scaled integrand over [lo, hi], a side of the peak."""
    width = hi - lo
    fall = np.abs(_log_integrand(lo, s, z) - _log_integrand(hi, s, z))
    panels = np.clip(
        np.maximum(np.ceil(width / _PANEL_WIDTH), np.ceil(fall / _PANEL_DROP)),
        1,
        _MAX_PANELS,
    ).astype(np.intp)
    out = np.zeros_like(lo)
    nodes, weights = _GAUSS
    for count in np.unique(panels):
        index = np.flatnonzero(panels == count)
        edges = np.linspace(0.0, 1.0, int(count) + 1)
        # panel k of [lo, hi]: centre and half-width, then the nodes
        u = (0.5 * (edges[:-1] + edges[1:]))[:, None] + (0.5 * np.diff(edges))[
            :, None
        ] * nodes
        w = (0.5 * np.diff(edges))[:, None] * weights
        span = width[index][:, None]
        points = lo[index][:, None] + span * u.ravel()
        g = _log_integrand(points, s[index][:, None], z[index][:, None])
        with np.errstate(under="ignore"):
            scaled = np.exp(g - top[index][:, None])
        out[index] = np.sum(scaled * (span * w.ravel()), axis=1)
    return out
