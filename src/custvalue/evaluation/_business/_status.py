"""Red/amber/green status from explicit thresholds."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import attrs

from custvalue._lib.fields import Result
from custvalue._lib.validation import check_scalar
from custvalue.evaluation._business._ordering import Direction, Ordered
from custvalue.evaluation._business._serialization import read_mapping

__all__ = ["StatusThresholds"]


def _green(value: Any) -> float:
    return check_scalar(value, "green")


def _red(value: Any) -> float:
    return check_scalar(value, "red")


@attrs.frozen(kw_only=True)
class StatusThresholds(Ordered, Result):
    r"""Red/amber/green status from two explicit values.

    A value at or better than ``green`` is green; otherwise a value worse
    than ``red`` is red; anything in between is amber. "Better" follows the
    KPI's polarity. A value exactly at a threshold gets the better colour
    (green at ``green``, amber at ``red``), and the bands cannot overlap:
    ``green`` must be at least as good as ``red`` (the scorecard rejects the
    opposite when it is built). With ``green == red`` there is no amber.

    Parameters
    ----------
    green : float
        The value from which on the KPI is green.
    red : float
        The value beyond which (strictly worse) the KPI is red.

    Raises
    ------
    ValueError
        If a value is not finite, or (when used) ``red`` is better than
        ``green``.

    Notes
    -----
    On oriented values :math:`x` (negated for lower-is-better KPIs):
    green if :math:`x \ge g`, else red if :math:`x < r`, else amber. The
    status comes from the value, not the score, so a score of 0.9 is not
    "90% of target".

    Examples
    --------
    Retention: green from 85%, red below 75%.

    >>> from custvalue.evaluation import StatusThresholds
    >>> rag = StatusThresholds(green=0.85, red=0.75)
    >>> values = (0.9, 0.85, 0.8, 0.75, 0.7)
    >>> [rag.status(v, polarity="higher_is_better") for v in values]
    ['green', 'green', 'amber', 'amber', 'red']

    Acquisition cost, lower is better: green up to $120, red above $150.

    >>> rag = StatusThresholds(green=120, red=150)
    >>> [rag.status(v, polarity="lower_is_better") for v in (100, 130, 151)]
    ['green', 'amber', 'red']
    """

    _worst_to_best: ClassVar[tuple[str, ...]] = ("red", "green")
    _strict: ClassVar[bool] = False

    green: float = attrs.field(converter=_green)
    red: float = attrs.field(converter=_red)

    def status(
        self, value: float, *, polarity: Direction
    ) -> Literal["green", "amber", "red"]:
        """Return ``'green'``, ``'amber'`` or ``'red'`` for ``value``."""
        v = check_scalar(value, "value")
        sign = self._check_direction(polarity)
        x = sign * v
        if x >= sign * self.green:
            return "green"
        if x < sign * self.red:
            return "red"
        return "amber"

    @classmethod
    def from_dict(
        cls, data: object, where: str = "`status_thresholds`"
    ) -> StatusThresholds:
        """Build from ``{'green': ..., 'red': ...}``.

        Raises
        ------
        TypeError, ValueError
            If ``data`` is not such a dict.
        """
        parts = read_mapping(data, where, required=("green", "red"))
        try:
            return cls(**parts)
        except (TypeError, ValueError) as exc:
            msg = f"{where}: {exc}"
            raise type(exc)(msg) from None
