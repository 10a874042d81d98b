"""The customer-history rules: (frequency, recency, T) checked once, for every model.

Continuous-time histories (BG/NBD, MBG/NBD, Pareto/NBD) and discrete-time
ones (BG/BB) share one set of rules each, with optional row ``counts``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from custvalue._lib.arrays import (
    FloatArray,
    IntArray,
    as_float_array,
    as_int_array,
    as_row_counts,
    check_all,
    check_le,
    check_same_length,
)

__all__ = [
    "validate_customer_histories",
    "validate_discrete_histories",
]


def validate_customer_histories(
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    counts: npt.ArrayLike | None = None,
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray | None]:
    """Check continuous-time customer histories (frequency, recency, T).

    Rules: one entry per customer in each array; ``frequency`` whole and
    >= 0; ``recency`` and ``T`` finite and >= 0; ``recency <= T``;
    ``recency == 0`` where ``frequency == 0``; ``counts`` > 0.

    Parameters
    ----------
    frequency : array-like of shape (n_customers,)
        Number of repeat purchases.
    recency : array-like of shape (n_customers,)
        Time of the last repeat purchase since the first purchase.
    T : array-like of shape (n_customers,)
        Time since the first purchase.
    counts : array-like of shape (n_customers,), optional
        Number of customers each row stands for.

    Returns
    -------
    frequency : ndarray of int64
    recency, T : ndarray of float64
    counts : ndarray of float64 or None
        Checked copies.

    Raises
    ------
    TypeError
        If an array does not hold real numbers.
    ValueError
        With the house message when a rule is broken.
    """
    x = as_int_array(frequency, "frequency", nonnegative=True)
    tx = as_float_array(recency, "recency", nonnegative=True)
    t_obs = as_float_array(T, "T", nonnegative=True)
    arrays = {"frequency": x, "recency": tx, "T": t_obs}
    w = None
    if counts is not None:
        w = as_row_counts(counts)
        arrays["counts"] = w
    check_same_length(**arrays)
    check_le(
        tx,
        "recency",
        t_obs,
        "T",
        suggestion="Check both are measured in the same period from the "
        "first purchase.",
    )
    check_all(
        (x > 0) | (tx == 0),
        "`recency` must be 0 for every customer with `frequency` 0",
        {"frequency": x, "recency": tx},
        "Recency is the time from the first to the last purchase.",
    )
    return x, tx, t_obs, w


def _whole(value: npt.ArrayLike, name: str, suggestion: str) -> IntArray:
    return as_float_array(
        value,
        name,
        nonnegative=True,
        integer_valued=True,
        suggestion=suggestion,
    ).astype(np.int64)


def validate_discrete_histories(
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    counts: npt.ArrayLike | None = None,
) -> tuple[IntArray, IntArray, IntArray, FloatArray | None]:
    """Check discrete-time customer histories (frequency, recency, T).

    Rules: one entry per customer in each array; ``frequency``, ``recency``
    and ``T`` whole numbers >= 0; ``frequency <= recency <= T``; ``recency``
    is 0 exactly when ``frequency`` is 0; ``counts`` > 0.

    Parameters
    ----------
    frequency : array-like of shape (n_customers,)
        Number of opportunities with a transaction after the first purchase.
    recency : array-like of shape (n_customers,)
        The opportunity (1, 2, ...) of the last transaction; 0 if none.
    T : array-like of shape (n_customers,)
        Number of transaction opportunities observed.
    counts : array-like of shape (n_customers,), optional
        Number of customers each row stands for.

    Returns
    -------
    frequency, recency, T : ndarray of int64
    counts : ndarray of float64 or None
        Checked copies.

    Raises
    ------
    TypeError
        If an array does not hold real numbers.
    ValueError
        With the house message when a rule is broken.
    """
    x = _whole(
        frequency,
        "frequency",
        "`frequency` counts opportunities with a transaction.",
    )
    tx = _whole(
        recency,
        "recency",
        "`recency` is the opportunity (1, 2, ...) of the last transaction.",
    )
    n = _whole(T, "T", "`T` is the number of transaction opportunities n.")
    arrays: dict[str, npt.NDArray[Any]] = {"frequency": x, "recency": tx, "T": n}
    w = None
    if counts is not None:
        w = as_row_counts(counts)
        arrays["counts"] = w
    check_same_length(**arrays)
    check_le(
        x,
        "frequency",
        tx,
        "recency",
        suggestion="A customer with transactions in x opportunities made the "
        "last one in opportunity x or later.",
    )
    check_le(
        tx,
        "recency",
        n,
        "T",
        suggestion="Check that both count opportunities after the first purchase.",
    )
    check_all(
        (x > 0) == (tx > 0),
        "`recency` must be 0 exactly when `frequency` is 0",
        {"frequency": x, "recency": tx},
        "Recency is the opportunity of the last transaction, 0 if there was none.",
    )
    return x, tx, n, w
