"""Why a fit's parameter runs to a boundary: the data facts behind it.

The maximum-likelihood driver detects a parameter running to 0 or
infinity; these functions name the likely reason in the data, quoted in the
:class:`~custvalue.errors.ConvergenceError`. Each model family pairs its
parameters into mixing distributions (a gamma or beta across customers):
both parameters of a pair growing together means the data show no
heterogeneity, a single rate or probability for everybody.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from custvalue._lib.optimize import BoundaryReason, Direction

__all__ = ["NO_REPEAT_PURCHASES", "mixing_reasons", "no_repeat_purchases"]


NO_REPEAT_PURCHASES = (
    "no customer made a repeat purchase, so the purchase and drop-out "
    "processes cannot be told apart"
)


def no_repeat_purchases(frequency: npt.ArrayLike) -> str | None:
    """Return the reason text when no customer made a repeat purchase."""
    return None if bool(np.any(np.asarray(frequency) > 0)) else NO_REPEAT_PURCHASES


def mixing_reasons(
    pairs: Mapping[tuple[str, str], str],
    *,
    frequency: npt.ArrayLike | None = None,
    fading: Mapping[tuple[str, Direction], str] | None = None,
) -> BoundaryReason:
    """Build the reason function of a model family.

    Parameters
    ----------
    pairs : mapping of (shape, scale-or-shape) to str
        Each mixing distribution's two parameters and what it mixes (for
        example ``("r", "alpha"): "purchase rates"``).
    frequency : array-like of int, optional
        Repeat purchases per pattern; when nobody repeated, every parameter
        gets that reason.
    fading : mapping of (parameter, direction) to str, optional
        Reasons for single parameters (for example ``("a", "0")`` when
        drop-out is not visible in the data).
    """
    no_repeat = frequency is not None and not bool(np.any(np.asarray(frequency) > 0))
    members = {name: (pair, what) for pair, what in pairs.items() for name in pair}

    def reason(name: str, direction: Direction) -> str | None:
        if no_repeat:
            return NO_REPEAT_PURCHASES
        if fading is not None and (name, direction) in fading:
            return fading[(name, direction)]
        if direction == "infinity" and name in members:
            pair, what = members[name]
            return (
                f"{what} look alike across customers: the mixing distribution "
                f"tends to a single value as {pair[0]} and {pair[1]} grow together"
            )
        return None

    return reason
