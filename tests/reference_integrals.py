"""Independent numerical integrals that closed forms are checked against."""

from __future__ import annotations

import numpy as np
from scipy import integrate, special

from custvalue.clv import BGNBD


def bgnbd_conditional_expectation(
    model: BGNBD, t: float, x: int, tx: float, T: float
) -> float:
    """E[Y(t) | x, t_x, T] by integrating over the drop-out probability p.

    Given alive, Y(t) is a BG/NBD count with parameters (r + x, alpha + T, a,
    b + x), whose mean is E_p[(1/p)(1 - (beta/(beta + p t))^s)] with
    p ~ Beta(a, b + x), beta = alpha + T, s = r + x (FHL 2005, section 4).
    P(alive) is note 021's closed form, computed here independently.
    """
    s, beta = model.r + x, model.alpha + T
    alive = 1.0
    if x > 0:
        odds = (
            model.a / (model.b + x - 1) * ((model.alpha + T) / (model.alpha + tx)) ** s
        )
        alive = 1.0 / (1.0 + odds)

    def smooth_part(p: float) -> float:
        # (1/p)(1 - (1 + p t / beta)^-s), finite at p = 0
        if p == 0.0:
            return s * t / beta
        return float(-np.expm1(-s * np.log1p(p * t / beta)) / p)

    # quad's algebraic weight p^(a-1) (1-p)^(b+x-1) handles the endpoints.
    value = integrate.quad(
        smooth_part,
        0.0,
        1.0,
        weight="alg",
        wvar=(model.a - 1.0, model.b + x - 1.0),
        limit=400,
        epsabs=0.0,
        epsrel=1e-12,
    )[0]
    return float(alive * value / np.exp(special.betaln(model.a, model.b + x)))
