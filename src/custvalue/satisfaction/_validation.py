"""Checks for survey answers: scales, missing answers, category breaks, counts."""

from __future__ import annotations

import math
import numbers
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    as_vector,
    check_all,
    check_same_length,
    check_scalar,
)

__all__ = [
    "MissingPolicy",
    "check_breaks",
    "check_count",
    "check_missing_policy",
    "check_scale_answers",
    "nps_categories",
]

MissingPolicy = Literal["raise", "omit"]


def check_missing_policy(missing: str) -> None:
    """Raise ``ValueError`` unless ``missing`` is ``'raise'`` or ``'omit'``."""
    if missing not in ("raise", "omit"):
        msg = f"`missing` must be 'raise' or 'omit'; got {missing!r}."
        raise ValueError(msg)


def _numeric(value: npt.ArrayLike, name: str) -> FloatArray:
    raw = as_vector(value, name)
    if raw.dtype == np.bool_ or raw.dtype.kind not in "iufO":
        msg = f"`{name}` must contain numbers; got dtype {raw.dtype}."
        raise TypeError(msg)
    if raw.dtype.kind == "O":
        # None stands for a missing answer in object arrays (pandas' object
        # columns); anything else must convert to a number.
        raw = np.array([np.nan if v is None else v for v in raw], dtype=object)
        try:
            raw = raw.astype(np.float64)
        except (TypeError, ValueError) as exc:
            msg = f"`{name}` must contain numbers; got values that are not ({exc})."
            raise TypeError(msg) from None
    return np.array(raw, dtype=np.float64, copy=True)


def check_scale_answers(
    value: npt.ArrayLike,
    name: str,
    *,
    low: int,
    high: int,
    missing: str,
    weights: npt.ArrayLike | None = None,
) -> tuple[IntArray, FloatArray | None, npt.NDArray[np.bool_]]:
    """Check answers on the integer scale ``low..high`` and apply the missing policy.

    Parameters
    ----------
    value : array-like of shape (n_respondents,)
        The answers; NaN (or ``None``) marks a missing answer.
    name : str
        The argument's name, quoted in error messages.
    low, high : int
        The ends of the answer scale.
    missing : {'raise', 'omit'}
        ``'raise'``: a missing answer is an error. ``'omit'``: missing answers
        (and their weights) are dropped and counted.
    weights : array-like of shape (n_respondents,), optional
        Survey weights, checked (> 0, finite, same length) and filtered with
        the answers.

    Returns
    -------
    answers : ndarray of int64
        The non-missing answers.
    weights : ndarray of float64 or None
        Their weights.
    present : ndarray of bool
        Which entries of ``value`` were kept (all, with ``missing='raise'``).

    Raises
    ------
    TypeError
        If the answers are not numbers.
    ValueError
        With the house template for missing answers (unless omitted),
        infinities, fractions, answers off the scale, bad weights, or no answer
        left after omitting the missing ones.
    """
    check_missing_policy(missing)
    answers = _numeric(value, name)
    checked_weights = None
    if weights is not None:
        checked_weights = as_float_array(
            weights,
            "weights",
            positive=True,
            suggestion="Drop respondents with a survey weight of 0 instead.",
        )
        check_same_length(**{name: answers, "weights": checked_weights})
    is_missing = np.isnan(answers)
    if missing == "raise":
        check_all(
            ~is_missing,
            f"`{name}` must not contain missing answers (NaN or None)",
            {name: answers},
            "Pass missing='omit' to leave them out and count them, or impute "
            "them first.",
        )
    scale = f"whole numbers from {low} to {high}"
    present = answers[~is_missing]
    check_all(
        is_missing
        | ((answers >= low) & (answers <= high) & (answers == np.round(answers))),
        f"`{name}` must be {scale}",
        {name: answers},
        f"Check that the answers are on the {low} to {high} scale and not already "
        "recoded.",
    )
    n_missing = int(is_missing.sum())
    if present.size == 0:
        msg = (
            f"`{name}` must contain at least one answer; got {n_missing} missing "
            "answers and nothing else."
        )
        raise ValueError(msg)
    if checked_weights is not None:
        checked_weights = checked_weights[~is_missing]
    return present.astype(np.int64), checked_weights, ~is_missing


def check_breaks(breaks: Any) -> tuple[int, int]:
    """Check NPS category breaks: (highest detractor answer, highest passive answer).

    Raises
    ------
    TypeError
        If ``breaks`` is not a pair of integers.
    ValueError
        Unless ``0 <= breaks[0] <= breaks[1] <= 9``.
    """
    if (
        not isinstance(breaks, tuple | list)
        or len(breaks) != 2
        or not all(
            isinstance(b, numbers.Integral) and not isinstance(b, bool) for b in breaks
        )
    ):
        msg = (
            "`breaks` must be a pair of integers (highest detractor answer, "
            f"highest passive answer); got {breaks!r}."
        )
        raise TypeError(msg)
    detractor_max, passive_max = int(breaks[0]), int(breaks[1])
    if not 0 <= detractor_max <= passive_max <= 9:
        msg = (
            "`breaks` must satisfy 0 <= highest detractor answer <= highest "
            f"passive answer <= 9; got {breaks!r}. The default (6, 8) makes 0-6 "
            "detractors, 7-8 passives and 9-10 promoters."
        )
        raise ValueError(msg)
    return detractor_max, passive_max


def nps_categories(answers: IntArray, breaks: tuple[int, int]) -> IntArray:
    """Code 0–10 answers as -1 (detractor), 0 (passive) or +1 (promoter)."""
    detractor_max, passive_max = breaks
    return (answers > passive_max).astype(np.int64) - (answers <= detractor_max).astype(
        np.int64
    )


def check_count(value: Any, name: str) -> float:
    """Check one category count (a finite number >= 0) and return it as a float.

    Weighted totals may have fractions; unweighted counts are whole numbers.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is negative, NaN or infinite.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        msg = f"`{name}` must be a number of respondents; got {value!r}."
        raise TypeError(msg)
    number = float(value)
    if not math.isfinite(number) or number < 0:
        msg = (
            f"`{name}` must be a finite number >= 0; got {value!r}. Counts of "
            "respondents cannot be negative."
        )
        raise ValueError(msg)
    return check_scalar(number, name)
