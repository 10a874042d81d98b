"""Ordering of scoring and status parameters by polarity (internal).

Lower-is-better KPIs are handled by negating values and parameters, so that
every rule works on "more is better" numbers; the check here makes sure the
parameters are ordered from the worst value to the best for a polarity.
"""

from __future__ import annotations

import itertools
from typing import ClassVar, Literal, TypeAlias

from custvalue._lib.validation import choice_error

__all__ = ["Direction", "Ordered", "clamp", "sign_of"]

Direction: TypeAlias = Literal["higher_is_better", "lower_is_better"]
"""Which way a value is better; a band is scored as a lower-is-better distance."""


def sign_of(direction: str) -> float:
    """Return +1 for higher-is-better and -1 for lower-is-better."""
    if direction == "higher_is_better":
        return 1.0
    if direction == "lower_is_better":
        return -1.0
    msg = (
        "`polarity` must be 'higher_is_better' or 'lower_is_better'; got "
        f"{direction!r}. Score target-band KPIs through KPI.score."
    )
    raise choice_error(direction)(msg)


def clamp(x: float, low: float, high: float) -> float:
    """Return ``x`` limited to ``[low, high]``, never ``-0.0``."""
    # A zero numerator over a negative span (a lower-is-better KPI at its
    # baseline) is -0.0, and max(-0.0, 0.0) keeps it; adding +0.0 turns -0.0
    # into +0.0 and leaves every other value unchanged (IEEE 754 sums).
    return min(max(x, low), high) + 0.0


class Ordered:
    """Shared check that parameters are ordered from worst to best."""

    __slots__ = ()

    #: Names of the parameters from the worst value to the best.
    _worst_to_best: ClassVar[tuple[str, ...]] = ()
    #: Whether neighbours must differ (scores) or may coincide (statuses).
    _strict: ClassVar[bool] = True

    def _check_direction(
        self, direction: str, where: str = "", prefix: str = ""
    ) -> float:
        """Check the order for ``direction``; return its sign (+1 or -1).

        ``where`` starts the error message (e.g. the KPI's name) and
        ``prefix`` is put before each parameter name (e.g. ``'scoring.'``).
        """
        sign = sign_of(direction)
        names = self._worst_to_best
        values = [sign * float(getattr(self, n)) for n in names]
        ok = all(
            (a < b) if self._strict else (a <= b) for a, b in itertools.pairwise(values)
        )
        if not ok:
            relation = "<" if self._strict else "<="
            if sign < 0:
                relation = ">" if self._strict else ">="
            chain = f" {relation} ".join(f"`{prefix}{n}`" for n in names)
            got = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
            kind = direction.replace("_", "-")
            msg = (
                f"{where}{chain} must hold for a {kind} KPI; got {got}. Order "
                "the parameters from the worst value to the best."
            )
            raise ValueError(msg)
        return sign
