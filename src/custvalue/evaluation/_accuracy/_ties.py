"""Customers ordered by prediction, highest first, with tied predictions grouped.

Every ranking metric of custvalue is defined as the average over all the
orders in which tied predictions could be listed. The metrics used here are
linear in the order within a tie group, so that average is obtained by
treating each group of tied predictions as one block whose outcome is
spread evenly over its positions.
"""

from __future__ import annotations

import attrs
import numpy as np

from custvalue._lib.validation import FloatArray, IntArray

__all__ = ["TieGroups", "check_positive_total", "tie_groups"]


@attrs.frozen
class TieGroups:
    """Blocks of equal predictions, in decreasing order of prediction."""

    predicted: FloatArray  # the prediction shared by the block
    start: IntArray  # 0-based position of the block's first customer
    size: IntArray  # customers in the block
    total: FloatArray  # sum of the outcome over the block
    n: int  # all customers

    @property
    def grand_total(self) -> float:
        """The outcome summed over everyone (as the sum of the block totals)."""
        return float(self.total.sum())


def tie_groups(actual: FloatArray, predicted: FloatArray) -> TieGroups:
    """Group customers by equal prediction, the highest prediction first."""
    order = np.argsort(-predicted, kind="stable")
    p = predicted[order]
    a = actual[order]
    first = np.concatenate(([True], p[1:] != p[:-1]))
    start = np.flatnonzero(first)
    size = np.diff(np.append(start, p.size))
    return TieGroups(
        predicted=p[start],
        start=start.astype(np.int64),
        size=size.astype(np.int64),
        total=np.add.reduceat(a, start),
        n=int(p.size),
    )


def check_positive_total(actual: FloatArray) -> None:
    """Raise ``ValueError`` when shares of the outcome's total are undefined."""
    if not actual.sum() > 0:
        msg = (
            "`actual` must have a total > 0 for shares of it to be defined; got "
            f"all {actual.size} values equal to 0. There is nothing to capture."
        )
        raise ValueError(msg)
