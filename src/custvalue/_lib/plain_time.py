"""Times and durations as plain JSON data, and the field types that ask for them.

:class:`~custvalue._lib.fields.Result` writes ``datetime64`` values as ISO
8601 strings and ``timedelta64`` values as numpy's own text (``"7 days"``);
the type aliases here tell its ``from_dict`` where a string is a time.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any, TypeAlias, cast

import numpy as np
import numpy.typing as npt

__all__ = [
    "TimeArray",
    "TimePoint",
    "first_leaf",
    "ndarray_scalar_type",
    "nested",
    "time_kind",
    "timedelta_from_text",
    "timedelta_to_text",
    "timedeltas_from_text",
]

TimePoint: TypeAlias = np.datetime64 | float
"""A point in time: a ``datetime64`` or a plain number measured in periods.

As a field's type it tells :meth:`~custvalue._lib.fields.Result.from_dict`
to read a string back as ``datetime64`` and to leave a number as it is."""

TimeArray: TypeAlias = npt.NDArray[np.datetime64] | npt.NDArray[np.float64]
"""Points in time as an array: ``datetime64`` values or plain numbers.

As a field's type it tells :meth:`~custvalue._lib.fields.Result.from_dict`
to read a list of strings back as a ``datetime64`` array and a list of
numbers as floats."""

_TIME_UNITS: tuple[Any, ...] = (
    "Y",
    "M",
    "W",
    "D",
    "h",
    "m",
    "s",
    "ms",
    "us",
    "ns",
    "ps",
    "fs",
    "as",
)
# numpy's own names for the units ("7 days", "1 weeks"), read back to codes
_UNIT_CODES: dict[str, Any] = {
    str(np.timedelta64(2, u)).split(" ", 1)[1]: u for u in _TIME_UNITS
}


def timedelta_to_text(value: np.timedelta64) -> str:
    """Write a ``timedelta64`` as numpy's own text, such as ``"7 days"``.

    Parameters
    ----------
    value : numpy.timedelta64
        The duration; a unit with a multiplier (``m8[7D]``) is written in its
        base unit.

    Returns
    -------
    str
        ``"<integer> <unit name>"`` (``"7 days"``, ``"1 weeks"``,
        ``"90 minutes"``), or ``"NaT"``; :func:`timedelta_from_text` reads
        it back.
    """
    unit, _ = np.datetime_data(value.dtype)
    if unit != "generic":
        value = value.astype(f"m8[{unit}]")
    return str(value)


def timedelta_from_text(text: str) -> np.timedelta64:
    """Read back a ``timedelta64`` written by :func:`timedelta_to_text`.

    Parameters
    ----------
    text : str
        Such as ``"7 days"``, ``"90 minutes"`` or ``"NaT"``.

    Returns
    -------
    numpy.timedelta64
        The duration, in the unit named.

    Raises
    ------
    ValueError
        If ``text`` is not of that form.
    """
    if text == "NaT":
        return np.timedelta64("NaT")
    number, _, name = text.strip().partition(" ")
    try:
        count = int(number)
    except ValueError:
        count = None
    generic = name in ("", "generic time units")
    if count is None or not (generic or name in _UNIT_CODES):
        msg = (
            "a duration must be written as '<integer> <unit>', such as '7 days' "
            f"or '90 minutes'; got {text!r}."
        )
        raise ValueError(msg)
    if generic:
        return np.timedelta64(count)
    duration: np.timedelta64 = np.timedelta64(count, _UNIT_CODES[name])
    return duration


def nested(array: npt.NDArray[Any], convert: Callable[[Any], Any]) -> Any:
    if array.ndim == 0:
        return convert(array[()])
    return [nested(row, convert) for row in array]


def ndarray_scalar_type(hint: Any) -> Any:
    """Return the numpy scalar type of an ``npt.NDArray[X]`` hint, or None."""
    # npt.NDArray[X] is np.ndarray[tuple[Any, ...], np.dtype[X]]
    args = typing.get_args(hint)
    if len(args) == 2:
        inner = typing.get_args(args[1])
        if inner and isinstance(inner[0], type) and issubclass(inner[0], np.generic):
            return inner[0]
    return None


def time_kind(hint: Any) -> type | None:
    """``np.datetime64`` or ``np.timedelta64`` if ``hint`` is one or an array of one."""
    if hint is np.datetime64 or hint is np.timedelta64:
        return cast("type", hint)
    if typing.get_origin(hint) is np.ndarray:
        scalar = ndarray_scalar_type(hint)
        if scalar is np.datetime64 or scalar is np.timedelta64:
            return cast("type", scalar)
    return None


def first_leaf(value: Any) -> Any:
    while isinstance(value, list) and value:
        value = value[0]
    return value


def timedeltas_from_text(value: list[Any], dtype: Any) -> npt.NDArray[Any]:
    def read(item: Any) -> Any:
        if isinstance(item, list):
            return [read(v) for v in item]
        return timedelta_from_text(item)

    array = np.array(read(value), dtype="m8" if not value else None)
    unit, _ = np.datetime_data(np.dtype(dtype))
    return array if unit == "generic" else array.astype(dtype)
