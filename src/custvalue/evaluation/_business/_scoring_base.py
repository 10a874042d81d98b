"""The shared base of the KPI scoring methods: parameter checks and ``from_dict``.

The methods themselves are in :mod:`custvalue.evaluation._business._scoring`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

import attrs

from custvalue._lib.fields import Result
from custvalue._lib.validation import check_scalar
from custvalue.evaluation._business._ordering import Ordered
from custvalue.evaluation._business._serialization import read_mapping

__all__ = [
    "Scoring",
    "build_scoring",
    "check_baseline",
    "check_cap",
    "check_goal",
    "check_maximum",
    "check_minimum",
    "check_red_flag",
    "check_stretch",
    "check_target",
    "check_threshold",
    "check_threshold_score",
]


# Converters, one per parameter so that errors name it.
def check_minimum(value: Any) -> float:
    return check_scalar(value, "minimum")


def check_maximum(value: Any) -> float:
    return check_scalar(value, "maximum")


def check_baseline(value: Any) -> float:
    return check_scalar(value, "baseline")


def check_target(value: Any) -> float:
    return check_scalar(value, "target")


def check_threshold(value: Any) -> float:
    return check_scalar(value, "threshold")


def check_stretch(value: Any) -> float:
    return check_scalar(value, "stretch")


def check_threshold_score(value: Any) -> float:
    return check_scalar(value, "threshold_score")


def check_cap(value: Any) -> float:
    return check_scalar(value, "cap")


def check_goal(value: Any) -> float:
    return check_scalar(value, "goal")


def check_red_flag(value: Any) -> float:
    return check_scalar(value, "red_flag")


def build_scoring(cls: type[Any], data: Mapping[str, Any], where: str) -> Any:
    """Build scoring method ``cls`` from its ``to_dict()`` form ``data``.

    Raises
    ------
    TypeError, ValueError
        If a parameter is missing, unknown or invalid; the message starts
        with ``where``.
    """
    fields = tuple(f.name for f in attrs.fields(cls))
    required = tuple(f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING)
    optional = tuple(name for name in fields if name not in required)
    parts = read_mapping(
        data, f"{where}: `scoring`", required=("method", *required), optional=optional
    )
    del parts["method"]
    try:
        return cls(**parts)
    except (TypeError, ValueError) as exc:
        msg = f"{where}: {exc}"
        raise type(exc)(msg) from None


class Scoring(Ordered, Result):
    """Base of the scoring methods: their dicts carry the method's name."""

    __slots__ = ()

    method: ClassVar[str] = ""

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Build the method from ``{'method': ..., <parameters>}`` (its ``to_dict``).

        Parameters
        ----------
        data : dict
            What :meth:`to_dict` returns.

        Returns
        -------
        scoring method
            An equal object.

        Raises
        ------
        TypeError, ValueError
            If ``data`` is not such a dict, or names another method.
        """
        method = data.get("method") if isinstance(data, Mapping) else None
        if not isinstance(data, Mapping) or method != cls.method:
            msg = (
                f"`data` must describe a {cls.__name__}: a dict with method "
                f"{cls.method!r}; got method {method!r}."
            )
            raise ValueError(msg)
        scoring: Self = build_scoring(cls, data, cls.__name__)
        return scoring
