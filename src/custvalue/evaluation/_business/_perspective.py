"""A perspective of the balanced scorecard and its weight."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from custvalue._lib.fields import Result
from custvalue._lib.validation import check_scalar
from custvalue.evaluation._business._checks import text

__all__ = ["Perspective", "as_perspectives"]


@attrs.frozen(kw_only=True)
class Perspective(Result):
    """A perspective of the scorecard and its weight among the perspectives.

    Parameters
    ----------
    name : str
        ``'financial'``, ``'customer'``, ``'internal_process'``,
        ``'learning_and_growth'`` or a custom name.
    weight : float, default=1.0
        Weight in the overall score, >= 0; normalized among perspectives.

    Raises
    ------
    TypeError, ValueError
        If the name is empty or the weight negative or not finite.

    Examples
    --------
    >>> from custvalue.evaluation import Perspective
    >>> Perspective(name="customer", weight=2)
    Perspective(name='customer', weight=2.0)
    """

    name: str
    weight: float = 1.0

    def __attrs_post_init__(self) -> None:
        text(self.name, "perspective `name`", nonempty=True)
        try:
            weight = check_scalar(self.weight, "weight", nonnegative=True)
        except (TypeError, ValueError) as exc:
            msg = f"perspective {self.name!r}: {exc}"
            raise type(exc)(msg) from None
        object.__setattr__(self, "weight", weight)


def _as_perspective(value: Any) -> Perspective:
    if isinstance(value, Perspective):
        return value
    if isinstance(value, str):
        return Perspective(name=value)
    msg = f"`perspectives` must hold Perspective objects or names; got {value!r}."
    raise TypeError(msg)


def as_perspectives(
    value: Iterable[Perspective | str] | None,
) -> tuple[Perspective, ...] | None:
    if value is None:
        return None
    given: object = value
    if isinstance(given, str):
        msg = (
            f"`perspectives` must be a sequence of perspectives; got the str {value!r}."
        )
        raise TypeError(msg)
    if not isinstance(given, Iterable):
        msg = f"`perspectives` must be a sequence of perspectives; got {given!r}."
        raise TypeError(msg)
    return tuple(_as_perspective(v) for v in value)
