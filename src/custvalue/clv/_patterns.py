"""Compress customers with identical (frequency, recency, T) into weighted patterns.

The customer-base likelihoods depend on a customer only through these
three numbers, so customers that share them contribute identical terms.
Fitting on distinct patterns with counts as weights gives the same
likelihood, gradient and Hessian at the cost of the distinct patterns.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    IntArray,
)

__all__ = ["Patterns", "compress_patterns"]

#: Compression is skipped when this share of rows or more is distinct in T.
_DISTINCT_SHARE = 0.5
#: Size of the evenly spaced sample of T that decides quickly whether data are
#: continuous (only a decision about speed: compression is exact either way).
_SAMPLE = 4096


@attrs.frozen
class Patterns:
    """Distinct (frequency, recency, T) rows with their total weights."""

    frequency: IntArray
    recency: FloatArray
    T: FloatArray
    weight: FloatArray
    n_rows: int

    @property
    def total_weight(self) -> float:
        """Sum of the weights: the number of customers when weights are counts."""
        return float(self.weight.sum())


def _mostly_distinct(sample: FloatArray) -> bool:
    """Whether at least the distinct share of an evenly spaced sample is unique."""
    return bool(np.unique(sample).size >= _DISTINCT_SHARE * sample.size)


def _codes(values: FloatArray) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    distinct = np.unique(values)
    return distinct, np.searchsorted(distinct, values).astype(np.int64)


def compress_patterns(
    frequency: IntArray,
    recency: FloatArray,
    T: FloatArray,
    counts: FloatArray | None = None,
) -> Patterns:
    """Group identical rows; counts add up (each row counts 1 by default).

    Rows are compared exactly (floating-point equality). Each float column
    is encoded as the index of its value among the column's distinct values,
    and the three codes are packed into one int64 key, which one sort
    groups; this avoids :func:`numpy.unique` with ``axis=0``, which is slow.
    When most values of ``T`` are distinct, nothing is gained and the rows
    are returned as they are.
    """
    n = frequency.size
    unit = np.ones(n) if counts is None else counts
    if n > 2 * _SAMPLE and _mostly_distinct(T[:: n // _SAMPLE]):
        # continuous-time data: patterns are (almost) all distinct, so do not
        # spend a sort of every column to find that out
        return Patterns(frequency, recency, T, unit, n)
    distinct_T, code_T = _codes(T)
    if distinct_T.size >= _DISTINCT_SHARE * n and n > 1:
        return Patterns(frequency, recency, T, unit, n)
    distinct_tx, code_tx = _codes(recency)
    x_low = int(frequency.min())
    n_x = int(frequency.max()) - x_low + 1
    n_tx, n_T = distinct_tx.size, distinct_T.size
    if n_x * n_tx * n_T >= 2**62:  # pragma: no cover - needs ~2^62 combinations
        stacked = np.stack([frequency, code_tx, code_T], axis=1)
        rows, inverse = np.unique(stacked, axis=0, return_inverse=True)
        total = np.bincount(inverse.reshape(-1), weights=unit).astype(np.float64)
        return Patterns(
            rows[:, 0].astype(np.int64),
            distinct_tx[rows[:, 1]],
            distinct_T[rows[:, 2]],
            total,
            n,
        )
    key = ((frequency - x_low) * n_tx + code_tx) * n_T + code_T
    if counts is None:
        key.sort()
        starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
        distinct_key = key[starts]
        total = np.diff(np.append(starts, n)).astype(np.float64)
    else:
        distinct_key, inverse = np.unique(key, return_inverse=True)
        total = np.bincount(inverse.reshape(-1), weights=counts).astype(np.float64)
    code_T_out = distinct_key % n_T
    rest = distinct_key // n_T
    return Patterns(
        (rest // n_tx + x_low).astype(np.int64),
        distinct_tx[rest % n_tx],
        distinct_T[code_T_out],
        total,
        n,
    )
