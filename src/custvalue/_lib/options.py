"""Check scalar options, integer options, string choices and random generators."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from custvalue._lib.arrays import MAGNITUDE_SUGGESTION, MAX_MAGNITUDE

__all__ = [
    "as_generator",
    "check_integer_option",
    "check_scalar",
    "choice_error",
]


def check_scalar(
    value: Any,
    name: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    allow_inf: bool = False,
    open_unit_interval: bool = False,
) -> float:
    """Check a real scalar option and return it as a float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (booleans included).
    ValueError
        If it is NaN, infinite (unless allowed), larger in magnitude than
        :data:`MAX_MAGNITUDE` or breaks a sign rule.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        msg = f"`{name}` must be a real number; got {value!r}."
        raise TypeError(msg)
    number = float(value)
    if math.isnan(number) or (math.isinf(number) and not allow_inf):
        rule = "a finite number" if not allow_inf else "a number (not NaN)"
        msg = f"`{name}` must be {rule}; got {value!r}."
        raise ValueError(msg)
    if math.isfinite(number) and abs(number) > MAX_MAGNITUDE:
        msg = (
            f"`{name}` must be at most {MAX_MAGNITUDE:g} in absolute value; "
            f"got {value!r}. {MAGNITUDE_SUGGESTION}"
        )
        raise ValueError(msg)
    if positive and not number > 0:
        msg = f"`{name}` must be > 0; got {value!r}."
        raise ValueError(msg)
    if nonnegative and not number >= 0:
        msg = f"`{name}` must be >= 0; got {value!r}."
        raise ValueError(msg)
    if open_unit_interval and not 0 < number < 1:
        msg = f"`{name}` must be strictly between 0 and 1; got {value!r}."
        raise ValueError(msg)
    return number


def choice_error(value: object) -> type[TypeError] | type[ValueError]:
    """Return the error class for a string option outside its choices.

    A str that is not one of the choices is a bad value (``ValueError``);
    anything else, ``None`` included, is a wrong type (``TypeError``).
    """
    return ValueError if isinstance(value, str) else TypeError


def check_integer_option(
    value: Any,
    name: str,
    *,
    minimum: int | None,
    maximum: int | None = None,
    suggestion: str | None = None,
) -> int:
    """Check an integer option (``n_bins``, ``max_frequency``, ...) and return it.

    Parameters
    ----------
    value : object
        The option as given; Python and numpy integers are accepted, booleans
        and floats (even ``2.0``) are not.
    name : str
        The argument's name, quoted in error messages.
    minimum : int or None
        Smallest acceptable value; None for no lower bound.
    maximum : int or None, default=None
        Largest acceptable value; None for no upper bound.
    suggestion : str or None, optional
        One sentence appended to the message when the value is out of range.

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    TypeError
        If ``value`` is not an integer.
    ValueError
        If it is outside [``minimum``, ``maximum``].
    """
    if minimum is not None and maximum is not None:
        rule = f"an integer from {minimum} to {maximum}"
    elif minimum is not None:
        rule = f"an integer >= {minimum}"
    elif maximum is not None:
        rule = f"an integer <= {maximum}"
    else:
        rule = "an integer"
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        msg = f"`{name}` must be {rule}; got {value!r}."
        raise TypeError(msg)
    number = int(value)
    if (minimum is not None and number < minimum) or (
        maximum is not None and number > maximum
    ):
        msg = f"`{name}` must be {rule}; got {value!r}."
        if suggestion:
            msg += f" {suggestion}"
        raise ValueError(msg)
    return number


def as_generator(rng: object) -> np.random.Generator:
    """Return a random generator for ``rng``; global state is never touched.

    Parameters
    ----------
    rng : numpy.random.Generator, int or None
        A generator (returned as is), a seed >= 0 for a new one, or None for
        one seeded from the operating system's entropy.

    Returns
    -------
    numpy.random.Generator
        The generator to draw from.

    Raises
    ------
    TypeError
        If ``rng`` is anything else (a float, a ``RandomState``, a bool, ...).
    ValueError
        If the seed is negative; seeds from :func:`hash` often are, and they
        change between interpreter runs, so a result would not be
        reproducible.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        seed = int(rng)
        if seed < 0:
            msg = (
                f"`rng` must be a seed >= 0; got {rng!r}. Seeds from hash() are "
                "often negative and change between runs: use a fixed integer "
                "or numpy.random.SeedSequence(...).generate_state(1)[0]."
            )
            raise ValueError(msg)
        return np.random.default_rng(seed)
    msg = (
        "`rng` must be a numpy.random.Generator, an int seed >= 0 or None; "
        f"got {rng!r}."
    )
    raise TypeError(msg)
