"""Scores by value: quantile bins that keep ties together, or given cut points.

Every score in :mod:`custvalue.segment` is a function of the value alone, so
equal values get equal scores and row order cannot matter. The quantile rule
works on positions in the sorted values: customer ``i`` of ``n`` (0-based,
distinct values) sits at the plotting position :math:`(i + 1/2)/n` (Hazen's)
and gets bin :math:`1 + \\lfloor b (i + 1/2) / n \\rfloor`. A block of tied
values occupying sorted positions ``lo .. hi - 1`` is scored as one: by its
middle (``'midrank'``), its first member (``'low'``) or its last (``'high'``).

Bins are reported as right-closed cut points on the raw values:
``cut_points[j - 1]`` is the largest value in bins ``1 .. j`` (NaN when those
bins are empty), so a value ``x`` is in bin ``1 + #{j : cut_points[j-1] < x}``.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    check_integer_option,
)

__all__ = [
    "Ties",
    "bin_by_cut_points",
    "check_bins",
    "check_cut_points",
    "check_ties",
    "occupancy",
    "quantile_cut_points",
]

Ties = Literal["midrank", "low", "high"]
ScoreArray = npt.NDArray[np.int8]
MAX_BINS = 100


def check_bins(bins: Any, name: str = "bins") -> int:
    """Check a number of bins: an integer from 2 to 100.

    Raises
    ------
    TypeError
        If ``bins`` is not an integer.
    ValueError
        If it is below 2 or above 100.
    """
    return check_integer_option(
        bins,
        name,
        minimum=2,
        maximum=MAX_BINS,
        suggestion="One bin would give every customer the same score.",
    )


def check_ties(ties: Any) -> Ties:
    """Check the ``ties`` option."""
    if ties not in ("midrank", "low", "high"):
        msg = f"`ties` must be 'midrank', 'low' or 'high'; got {ties!r}."
        raise ValueError(msg)
    return ties  # type: ignore[no-any-return]


def check_cut_points(value: npt.ArrayLike, name: str, bins: int) -> FloatArray:
    """Check user cut points: ``bins - 1`` finite, strictly increasing values.

    Raises
    ------
    ValueError
        If the count is wrong, a value is not finite, or they do not increase.
    """
    cuts = as_float_array(value, name)
    if cuts.size != bins - 1:
        msg = (
            f"`{name}` must have bins - 1 = {bins - 1} values; got {cuts.size}. "
            "Cut points separate neighbouring bins."
        )
        raise ValueError(msg)
    if cuts.size > 1 and not bool(np.all(np.diff(cuts) > 0)):
        first = int(np.flatnonzero(np.diff(cuts) <= 0)[0])
        msg = (
            f"`{name}` must be strictly increasing; got {cuts.tolist()!r} "
            f"(value {first + 1} is not above value {first}). Equal cut points "
            "would leave a bin that can hold no customer."
        )
        raise ValueError(msg)
    return cuts


def _twice_position(lo: int, hi: int, n: int, ties: Ties, descending: bool) -> int:
    """Twice the plotting position of a tied block, counted from the worst end."""
    if descending:
        lo, hi = n - hi, n - lo
    if ties == "midrank":
        return lo + hi
    if ties == "low":
        return 2 * lo + 1
    return 2 * hi - 1


def _block_bin(lo: int, hi: int, n: int, bins: int, ties: Ties, desc: bool) -> int:
    """Bin (1 = smallest values) of the block of tied values at ``lo .. hi-1``."""
    score = 1 + (bins * _twice_position(lo, hi, n, ties, desc)) // (2 * n)
    return bins + 1 - score if desc else score


def quantile_cut_points(
    x: FloatArray, bins: int, *, ties: Ties, descending: bool
) -> FloatArray:
    """Right-closed cut points of the tie-aware quantile bins of ``x``.

    Parameters
    ----------
    x : ndarray of float64
        The values (finite); may be empty.
    bins : int
        Number of bins.
    ties : {'midrank', 'low', 'high'}
        Which member's position scores a block of tied values: its middle, the
        one with the lowest score or the one with the highest.
    descending : bool
        Whether scores run against the values (score ``bins`` for the
        smallest value), as for time since last purchase.

    Returns
    -------
    ndarray of float64 of shape (bins - 1,)
        ``cut[j - 1]`` is the largest value whose bin (counted from the
        smallest values) is at most ``j``; NaN if there is none.

    Notes
    -----
    Member ``i`` of a run of distinct values is in bin at most ``j`` when
    :math:`2i + 1 < 2jn/b` (ascending; ``<=`` when descending, by symmetry of
    the positions), so the bins change between sorted positions ``c - 1``
    and ``c`` for one integer ``c``. Only a tied block that spans both
    positions needs its own rule; it is found with one ``np.partition`` and
    two counting passes instead of a full sort (DESIGN: sorting 10^7 values
    is the cost to avoid).
    """
    n = int(x.size)
    cuts = np.full(bins - 1, np.nan)
    if n == 0:
        return cuts
    boundaries: list[int] = []
    for j in range(1, bins):
        numerator = 2 * j * n - bins
        if descending:
            boundaries.append(numerator // (2 * bins) + 1)
        else:
            boundaries.append(-((-numerator) // (2 * bins)))
    kth = sorted({p for c in boundaries for p in (c - 1, c) if 0 <= p < n})
    ordered = np.partition(x, kth) if kth else x
    for j, c in enumerate(boundaries, start=1):
        if c <= 0:
            continue
        if c >= n:
            cuts[j - 1] = ordered[n - 1]
            continue
        below, above = ordered[c - 1], ordered[c]
        if below != above:
            cuts[j - 1] = below
            continue
        lo = int(np.count_nonzero(x < below))
        hi = lo + int(np.count_nonzero(x == below))
        if _block_bin(lo, hi, n, bins, ties, descending) <= j:
            cuts[j - 1] = below
        elif lo > 0:
            cuts[j - 1] = np.max(x, where=x < below, initial=-np.inf)
    return cuts


def bin_by_cut_points(x: FloatArray, cut_points: FloatArray) -> ScoreArray:
    """Bin of each value, 1 for the smallest: ``1 + #{j : cut_points[j] < x}``.

    NaN cut points (bins with no customers below them) count as -infinity.
    """
    searchable = np.where(np.isnan(cut_points), -np.inf, cut_points)
    index = np.searchsorted(searchable, x, side="left")
    return (index + 1).astype(np.int8)


def occupancy(bin_index: ScoreArray, bins: int) -> IntArray:
    """Count the values in each bin ``1 .. bins``."""
    return np.bincount(bin_index, minlength=bins + 1)[1:].astype(np.int64)
