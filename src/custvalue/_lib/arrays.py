"""Turn user input into checked numpy arrays, with one error-message template.

Every public function converts its array arguments here, once, at the
boundary. Messages follow the house template::

    `recency` must be <= `T` for every customer; 3 of 2357 violate this
    (first at index 17: recency=40.0, T=38.9). Check both use the same period.

that is, the argument's name, the rule, how many entries break it, the first
offending index and value, and one suggestion. Inside
:func:`naming_customers` (a keyed prediction) the offender is also named by
its customer id: ``(first at customer 'C17' (index 3): ...)``.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "MAGNITUDE_SUGGESTION",
    "MAX_MAGNITUDE",
    "MAX_WHOLE",
    "FloatArray",
    "IntArray",
    "as_counts",
    "as_float_array",
    "as_int_array",
    "as_row_counts",
    "as_vector",
    "check_all",
    "check_le",
    "check_same_length",
    "naming_customers",
    "readonly",
    "violation_message",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Largest whole number accepted where an integer count is expected: 2**53,
#: beyond which float64 no longer represents every whole number (and int64
#: arithmetic on such counts would overflow long before anything useful).
MAX_WHOLE = 2**53

#: Largest magnitude accepted for any real input (amounts, counts, weights, times,
#: options). Sums over up to 1e100 rows of squares or of triple products of
#: such numbers stay finite in float64, so no function needs to guard its
#: arithmetic against overflow; real data never come near it.
MAX_MAGNITUDE = 1e100
MAGNITUDE_SUGGESTION = (
    "Rescale the values (for example to thousands); numbers this large "
    "overflow in sums, squares and products."
)


def readonly(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Return ``array`` with its writeable flag cleared (a view if needed)."""
    if array.flags.writeable:
        array = array.view()
        array.flags.writeable = False
    return array


def _format_value(value: Any) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


_CUSTOMER_IDS: contextvars.ContextVar[npt.NDArray[Any] | None] = contextvars.ContextVar(
    "custvalue_customer_ids", default=None
)


@contextlib.contextmanager
def naming_customers(customer_id: npt.NDArray[Any] | None) -> Iterator[None]:
    """Name offenders by customer id in messages raised inside the block.

    Messages about arrays of one entry per customer (the length of
    ``customer_id``) then quote the first offender's id next to its index.
    ``None`` (ids unknown) changes nothing.
    """
    token = _CUSTOMER_IDS.set(customer_id)
    try:
        yield
    finally:
        _CUSTOMER_IDS.reset(token)


def _location(first: int, size: int) -> str:
    ids = _CUSTOMER_IDS.get()
    if ids is None or ids.size != size:
        return f"index {first}"
    return f"customer {_format_value(ids[first])} (index {first})"


def violation_message(
    rule: str,
    mask: npt.NDArray[np.bool_],
    shown: dict[str, npt.NDArray[Any]],
    suggestion: str | None,
) -> str:
    """Build the house error message for an array rule broken where ``mask``.

    Parameters
    ----------
    rule : str
        The sentence start, e.g. ``"`recency` must be <= `T` for every customer"``.
    mask : ndarray of bool
        True where the rule is broken; at least one entry must be True.
    shown : dict of str to ndarray
        Arrays whose value at the first offending index is quoted.
    suggestion : str or None
        One sentence telling the caller what to check.
    """
    bad = np.flatnonzero(mask)
    first = int(bad[0])
    values = ", ".join(f"{k}={_format_value(v[first])}" for k, v in shown.items())
    message = (
        f"{rule}; {bad.size} of {mask.size} violate this "
        f"(first at {_location(first, mask.size)}: {values})."
    )
    if suggestion:
        message += f" {suggestion}"
    return message


def check_all(
    ok: npt.NDArray[np.bool_],
    rule: str,
    shown: dict[str, npt.NDArray[Any]],
    suggestion: str | None = None,
) -> None:
    """Raise ``ValueError`` with the house template unless ``ok`` is all True."""
    if not ok.all():
        raise ValueError(violation_message(rule, ~ok, shown, suggestion))


def as_vector(value: npt.ArrayLike, name: str, *, allow_empty: bool = False) -> Any:
    """Convert ``value`` to a 1-D numpy array of its own dtype.

    Parameters
    ----------
    value : array-like
        Anything :func:`numpy.asarray` accepts (lists, pandas Series, ...).
    name : str
        The argument's name, quoted in error messages.
    allow_empty : bool, default=False
        Whether a length-0 array is acceptable.

    Raises
    ------
    ValueError
        If the array is not one-dimensional, or is empty and that is not allowed.
    """
    array = np.asarray(value)
    if array.ndim != 1:
        msg = (
            f"`{name}` must be one-dimensional; got an array of shape "
            f"{array.shape}. Pass one value per customer or transaction."
        )
        raise ValueError(msg)
    if array.size == 0 and not allow_empty:
        msg = f"`{name}` must not be empty; got an array of length 0."
        raise ValueError(msg)
    return array


def as_float_array(
    value: npt.ArrayLike,
    name: str,
    *,
    nonnegative: bool = False,
    positive: bool = False,
    integer_valued: bool = False,
    allow_empty: bool = False,
    suggestion: str | None = None,
) -> FloatArray:
    """Convert ``value`` to a checked 1-D float64 array.

    Parameters
    ----------
    value : array-like
        Numbers, one per customer or transaction; booleans are rejected.
    name : str
        The argument's name, quoted in error messages.
    nonnegative, positive, integer_valued : bool, default=False
        Extra rules every entry must satisfy.
    allow_empty : bool, default=False
        Whether a length-0 array is acceptable.
    suggestion : str or None, optional
        Replaces the default suggestion for the value rules.

    Returns
    -------
    ndarray of float64, shape (n,)
        A new array (never a view of the caller's data) that is finite, at
        most :data:`MAX_MAGNITUDE` in absolute value, and satisfies the rules.

    Raises
    ------
    TypeError
        If the values are not real numbers.
    ValueError
        If any rule is broken; the message counts the offenders and quotes the
        first.
    """
    raw = as_vector(value, name, allow_empty=allow_empty)
    if raw.dtype == np.bool_ or raw.dtype.kind not in "iuf":
        if raw.dtype.kind == "O":
            try:
                converted = raw.astype(np.float64)
            except (TypeError, ValueError) as exc:
                msg = (
                    f"`{name}` must contain real numbers; got values of dtype "
                    f"object that cannot be converted ({exc})."
                )
                raise TypeError(msg) from None
            raw = converted
        else:
            msg = f"`{name}` must contain real numbers; got dtype {raw.dtype}."
            raise TypeError(msg)
    array = np.array(raw, dtype=np.float64, copy=True)
    check_all(
        np.isfinite(array),
        f"`{name}` must be finite (no NaN or infinity)",
        {name: array},
        suggestion or "Remove or impute missing values before calling.",
    )
    check_all(
        np.abs(array) <= MAX_MAGNITUDE,
        f"`{name}` must be at most {MAX_MAGNITUDE:g} in absolute value",
        {name: array},
        MAGNITUDE_SUGGESTION,
    )
    if positive:
        check_all(array > 0, f"`{name}` must be > 0", {name: array}, suggestion)
    elif nonnegative:
        check_all(array >= 0, f"`{name}` must be >= 0", {name: array}, suggestion)
    if integer_valued:
        check_all(
            array == np.floor(array),
            f"`{name}` must be whole numbers",
            {name: array},
            suggestion or f"`{name}` counts events, so it cannot have a fraction.",
        )
        check_all(
            np.abs(array) <= MAX_WHOLE,
            f"`{name}` must be whole numbers of at most 2**53 in size",
            {name: array},
            suggestion
            or f"Check the units of `{name}`; counts this large are "
            "almost certainly a data error.",
        )
    return array


def as_int_array(
    value: npt.ArrayLike,
    name: str,
    *,
    nonnegative: bool = False,
    allow_empty: bool = False,
) -> IntArray:
    """Convert ``value`` to a checked 1-D int64 array of whole numbers.

    Float input is accepted when every entry is a whole number (``2.0`` is
    fine, ``2.5`` is an error). See :func:`as_float_array` for the rest.
    """
    array = as_float_array(
        value,
        name,
        nonnegative=nonnegative,
        integer_valued=True,
        allow_empty=allow_empty,
    )
    return array.astype(np.int64)


def as_row_counts(value: npt.ArrayLike) -> FloatArray:
    """Check ``counts``: the number of customers each row stands for, all > 0.

    Counts need not be whole: a row may stand for a fractional number of
    customers (for example after reweighting a sample).

    Raises
    ------
    ValueError
        With the house template if any count is not finite or not > 0.
    """
    return as_float_array(
        value,
        "counts",
        positive=True,
        suggestion="Drop rows with no customers instead of giving them a count of 0.",
    )


def check_same_length(**arrays: npt.NDArray[Any]) -> int:
    """Check that the named arrays have one length and return it.

    Raises
    ------
    ValueError
        Naming every argument and its length when they differ.
    """
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"`{k}` has {v}" for k, v in lengths.items())
        msg = (
            f"{', '.join(f'`{k}`' for k in lengths)} must have the same length; "
            f"{described}. Pass one entry per customer in each."
        )
        raise ValueError(msg)
    return next(iter(lengths.values()))


def check_le(
    smaller: npt.NDArray[Any],
    smaller_name: str,
    larger: npt.NDArray[Any],
    larger_name: str,
    *,
    what: str = "customer",
    suggestion: str | None = None,
) -> None:
    """Check ``smaller <= larger`` entry by entry, with the house message."""
    check_all(
        smaller <= larger,
        f"`{smaller_name}` must be <= `{larger_name}` for every {what}",
        {smaller_name: smaller, larger_name: larger},
        suggestion,
    )


def as_counts(
    value: npt.ArrayLike, name: str, *, suggestion: str | None = None
) -> IntArray:
    """Convert ``value`` to an int64 array of counts of any shape.

    Unlike :func:`as_int_array` a scalar, a vector or a table are all
    accepted; the shape is kept.

    Parameters
    ----------
    value : array-like of any shape
        Whole numbers >= 0 (``2.0`` is fine, ``2.5`` is an error).
    name : str
        The argument's name, quoted in error messages.
    suggestion : str or None, optional
        Replaces the default suggestion.

    Returns
    -------
    ndarray of int64
        A new array of the same shape as ``value``.

    Raises
    ------
    TypeError
        If the values are not real numbers.
    ValueError
        If any entry is not finite, negative, has a fraction or exceeds
        :data:`MAX_WHOLE`.
    """
    array = np.asarray(value)
    if array.dtype == np.bool_ or array.dtype.kind not in "iufO":
        msg = f"`{name}` must contain real numbers; got dtype {array.dtype}."
        raise TypeError(msg)
    if array.dtype.kind == "O":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError) as exc:
            msg = (
                f"`{name}` must contain real numbers; got values of dtype "
                f"object that cannot be converted ({exc})."
            )
            raise TypeError(msg) from None
    flat = as_float_array(
        array.reshape(-1),
        name,
        nonnegative=True,
        integer_valued=True,
        allow_empty=True,
        suggestion=suggestion,
    )
    return flat.astype(np.int64).reshape(array.shape)
