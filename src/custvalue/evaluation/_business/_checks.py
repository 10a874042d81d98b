"""Scalar checks shared by the KPI functions (internal)."""

from __future__ import annotations

from typing import Any

from custvalue._lib.validation import check_scalar

__all__ = ["count", "text", "unit_interval"]


def count(value: Any, name: str) -> int:
    """Check a count of customers (a whole number >= 0) and return it as int.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is negative, not finite or has a fraction.
    """
    number = check_scalar(value, name, nonnegative=True)
    if number != int(number):
        msg = (
            f"`{name}` must be a whole number of customers; got {value!r}. "
            "Counts of customers have no fractions."
        )
        raise ValueError(msg)
    return int(number)


def unit_interval(value: Any, name: str) -> float:
    """Check a proportion in [0, 1] and return it as float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is NaN, infinite or outside [0, 1].
    """
    number = check_scalar(value, name)
    if not 0.0 <= number <= 1.0:
        msg = (
            f"`{name}` must be between 0 and 1; got {value!r}. Pass a "
            "proportion (0.05 for 5%), not a percentage."
        )
        raise ValueError(msg)
    return number


def text(value: object, name: str, *, nonempty: bool) -> str:
    """Check a str option (a name, unit or description) and return it.

    Raises
    ------
    TypeError
        If ``value`` is not a str.
    ValueError
        If ``nonempty`` and the str is empty or only white space.
    """
    if not isinstance(value, str):
        msg = f"{name} must be a str; got {value!r}."
        raise TypeError(msg)
    if nonempty and not value.strip():
        msg = f"{name} must be a non-empty str; got {value!r}."
        raise ValueError(msg)
    return value
