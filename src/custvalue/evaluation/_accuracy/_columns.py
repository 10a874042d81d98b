"""Read-only column converters and argument checks shared by the accuracy results."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, FLOAT_EQ
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    check_all,
    check_same_length,
    readonly,
)

__all__ = [
    "ARRAY_EQ",
    "FLOAT_EQ",
    "actual_and_predicted",
    "check_columns",
    "float_column",
    "int_column",
    "text_column",
]


def float_column(value: npt.ArrayLike) -> FloatArray:
    """Copy ``value`` into a read-only float64 array."""
    return readonly(np.array(value, dtype=np.float64, copy=True))


def int_column(value: npt.ArrayLike) -> IntArray:
    """Copy ``value`` into a read-only int64 array."""
    return readonly(np.array(value, dtype=np.int64, copy=True))


def text_column(value: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """Copy ``value`` into a read-only array of str."""
    return readonly(np.array(value, dtype=str, copy=True))


def check_columns(instance: Any) -> None:
    """Check that the array fields of a table result have one length.

    Used in ``__attrs_post_init__`` of every table, so that a table built by
    hand cannot have columns of different lengths.
    """
    columns = {
        field.name: getattr(instance, field.name)
        for field in attrs.fields(type(instance))
        if isinstance(getattr(instance, field.name), np.ndarray)
    }
    check_same_length(**columns)


def actual_and_predicted(
    actual: npt.ArrayLike,
    predicted: npt.ArrayLike,
    *,
    nonnegative_actual: bool = False,
) -> tuple[FloatArray, FloatArray]:
    """Check a pair of outcome and prediction arrays: 1-D, finite, same length.

    Raises
    ------
    ValueError
        If either is empty, not one-dimensional or not finite, the lengths
        differ, or (with ``nonnegative_actual``) an outcome is negative.
    TypeError
        If either holds something other than real numbers.
    """
    y = as_float_array(actual, "actual")
    p = as_float_array(predicted, "predicted")
    check_same_length(actual=y, predicted=p)
    if nonnegative_actual:
        check_all(
            y >= 0,
            "`actual` must be >= 0",
            {"actual": y},
            "These metrics rank shares of a total, such as purchases or revenue.",
        )
    return y, p
