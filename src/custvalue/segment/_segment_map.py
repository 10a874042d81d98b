"""Segment maps: named boxes on the (R, FM) score grid, validated when built."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import Result
from custvalue._lib.validation import (
    as_float_array,
    as_vector,
    check_integer_option,
    readonly,
)
from custvalue.segment._binning import check_bins
from custvalue.segment._labels import SegmentLabels

__all__ = ["Segment", "SegmentMap", "SegmentOverlap"]

Cell = tuple[int, int]


def _score_range(value: Any) -> tuple[int, int]:
    pair = tuple(value)
    if len(pair) != 2:
        msg = f"a score range must be a (low, high) pair; got {value!r}."
        raise ValueError(msg)
    low, high = (check_integer_option(v, "score range", minimum=None) for v in pair)
    if not 1 <= low <= high:
        msg = f"a score range must satisfy 1 <= low <= high; got {value!r}."
        raise ValueError(msg)
    return (low, high)


def _priority(value: Any) -> int:
    return check_integer_option(value, "priority", minimum=None)


def _name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        msg = f"`{attribute.name}` must be a non-empty string; got {value!r}."
        raise TypeError(msg)


@attrs.frozen(kw_only=True)
class Segment(Result):
    """A named box on the (recency score, FM score) grid.

    Parameters
    ----------
    name : str
        The segment's name, e.g. ``'Champions'``.
    r_score : tuple of 2 int
        Inclusive (low, high) range of recency scores.
    fm_score : tuple of 2 int
        Inclusive (low, high) range of combined FM scores.
    priority : int
        Which segment takes a cell claimed by several: the smallest number
        wins. Priorities must differ between the segments of a map.
    description : str, default=''
        What the segment means for a marketer.

    Examples
    --------
    >>> from custvalue.segment import Segment
    >>> lapsed = Segment(name="Lapsed", r_score=(1, 2),
    ...                  fm_score=(4, 5), priority=2)
    >>> lapsed.cells()
    [(1, 4), (1, 5), (2, 4), (2, 5)]
    """

    name: str = attrs.field(validator=_name)
    r_score: tuple[int, int] = attrs.field(converter=_score_range)
    fm_score: tuple[int, int] = attrs.field(converter=_score_range)
    priority: int = attrs.field(converter=_priority)
    description: str = ""

    def cells(self) -> list[Cell]:
        """Return the (recency score, FM score) cells the box covers."""
        r_low, r_high = self.r_score
        fm_low, fm_high = self.fm_score
        return [
            (r, fm)
            for r in range(r_low, r_high + 1)
            for fm in range(fm_low, fm_high + 1)
        ]


@attrs.frozen(kw_only=True)
class SegmentOverlap(Result):
    """Cells claimed by two segments, and which one got them.

    Parameters
    ----------
    winner : str
        The segment with the smaller priority number, which takes the cells.
    loser : str
        The other segment.
    cells : tuple of (int, int)
        The shared (recency score, FM score) cells.

    Examples
    --------
    >>> from custvalue.segment import SegmentMap
    >>> SegmentMap.eleven_segment().overlaps[0]
    SegmentOverlap(winner='Champions', loser='Loyal', cells=((5, 5),))
    """

    winner: str
    loser: str
    cells: tuple[Cell, ...]


def _segments(value: Any) -> tuple[Segment, ...]:
    segments = tuple(value)
    for s in segments:
        if not isinstance(s, Segment):
            msg = f"`segments` must contain Segment objects; got {s!r}."
            raise TypeError(msg)
    return segments


def _describe(cell: Cell) -> str:
    return f"r_score={cell[0]}, fm_score={cell[1]}"


@attrs.frozen(kw_only=True)
class SegmentMap(Result):
    """Named segments on the (recency score, FM score) grid, checked when built.

    A segment map turns the two scores of :func:`rfm_scores` (recency and
    the combined frequency-monetary score) into named segments such as
    "Champions" or "At Risk". It is data, not code: a list of boxes with
    priorities, validated when the map is built so that every customer gets
    exactly one name. Building a map checks that the boxes cover the whole
    ``bins × bins`` grid, that each segment can be reached, and that
    overlaps are intended; the overlaps and how they were resolved are kept
    on the map for inspection.

    Parameters
    ----------
    segments : sequence of Segment
        The named boxes; their order is the order of ``names`` and of the
        codes of the labels.
    bins : int, default=5
        Scores per axis: the grid is ``1..bins`` × ``1..bins``.
    allow_overlaps : bool, default=False
        Whether boxes may overlap. Overlapping cells go to the segment with
        the smallest ``priority`` and are listed in :attr:`overlaps`.
        Without this declaration an overlap is an error.
    unmatched_label : str or None, default=None
        A name for cells no box covers. Without it, a gap is an error; with
        it, the gaps are listed in :attr:`gaps` and their customers get this
        explicit label (never a raw score tuple).
    source : str, default=''
        Where the map comes from, for the record.

    Attributes
    ----------
    names : tuple of str
        Segment names, then ``unmatched_label`` if given.
    grid : ndarray of int16 of shape (bins, bins)
        ``grid[r - 1, fm - 1]`` is the code (index into ``names``) of cell
        (r, fm).
    overlaps : tuple of SegmentOverlap
        Each pair of overlapping segments, the winner and the shared cells.
    gaps : tuple of (int, int)
        Cells covered by no segment.

    Raises
    ------
    ValueError
        If names or priorities repeat, a box leaves the grid, cells are left
        uncovered without ``unmatched_label``, boxes overlap without
        ``allow_overlaps``, or a segment wins no cell at all.

    See Also
    --------
    rfm_scores : The scores a map is applied to.

    Examples
    --------
    A two-segment map on a 2 × 2 grid:

    >>> from custvalue.segment import Segment, SegmentMap
    >>> small = SegmentMap(
    ...     segments=[
    ...         Segment(name="Recent", r_score=(2, 2),
    ...                 fm_score=(1, 2), priority=1),
    ...         Segment(name="Lapsed", r_score=(1, 1),
    ...                 fm_score=(1, 2), priority=2),
    ...     ],
    ...     bins=2,
    ... )
    >>> small.assign([2, 1, 2], [1, 2, 2]).as_strings()
    array(['Recent', 'Lapsed', 'Recent'], dtype='<U6')

    A map with a gap is refused unless the gap gets a name:

    >>> SegmentMap(segments=small.segments[:1], bins=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `segments` must cover every cell of the 2 x 2 score grid; ...
    >>> SegmentMap(segments=small.segments[:1], bins=2,
    ...            unmatched_label="Unclassified").gaps
    ((1, 1), (1, 2))
    """

    segments: tuple[Segment, ...] = attrs.field(converter=_segments)
    bins: int = attrs.field(default=5, converter=check_bins)
    allow_overlaps: bool = False
    unmatched_label: str | None = None
    source: str = ""
    grid: npt.NDArray[np.int16] = attrs.field(init=False, eq=False, repr=False)
    overlaps: tuple[SegmentOverlap, ...] = attrs.field(init=False, repr=False)
    gaps: tuple[Cell, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self._check_segments()
        claims: dict[Cell, list[int]] = {}
        for index, segment in enumerate(self.segments):
            for cell in segment.cells():
                claims.setdefault(cell, []).append(index)
        cells = [
            (r, fm) for r in range(1, self.bins + 1) for fm in range(1, self.bins + 1)
        ]
        gaps = tuple(cell for cell in cells if cell not in claims)
        self._check_gaps(gaps, len(cells))
        grid = np.full((self.bins, self.bins), len(self.segments), dtype=np.int16)
        shared: dict[tuple[int, int], list[Cell]] = {}
        for cell, owners in claims.items():
            ranked = sorted(owners, key=lambda i: self.segments[i].priority)
            grid[cell[0] - 1, cell[1] - 1] = ranked[0]
            for loser in ranked[1:]:
                shared.setdefault((ranked[0], loser), []).append(cell)
        overlaps = tuple(
            SegmentOverlap(
                winner=self.segments[w].name,
                loser=self.segments[lo].name,
                cells=tuple(sorted(c)),
            )
            for (w, lo), c in sorted(shared.items())
        )
        self._check_overlaps(overlaps)
        self._check_reachable(grid)
        object.__setattr__(self, "grid", readonly(grid))
        object.__setattr__(self, "overlaps", overlaps)
        object.__setattr__(self, "gaps", gaps)

    def _check_segments(self) -> None:
        if not self.segments:
            msg = "`segments` must not be empty; got no segments."
            raise ValueError(msg)
        names = [s.name for s in self.segments]
        keys: dict[str, list[object]] = {
            "names": list(names),
            "priorities": [s.priority for s in self.segments],
        }
        for kind, seen in keys.items():
            repeated = [v for v in seen if seen.count(v) > 1]
            if repeated:
                holders = [names[i] for i, v in enumerate(seen) if v == repeated[0]]
                msg = (
                    f"`segments` must have distinct {kind}; {repeated[0]!r} is "
                    f"used by {len(holders)} segments "
                    f"({', '.join(map(repr, holders))}). Give each its own so "
                    "that every cell resolves one way."
                )
                raise ValueError(msg)
        if self.unmatched_label is not None and self.unmatched_label in names:
            msg = (
                "`unmatched_label` must differ from the segment names; got "
                f"{self.unmatched_label!r}."
            )
            raise ValueError(msg)
        for s in self.segments:
            for axis in ("r_score", "fm_score"):
                low, high = getattr(s, axis)
                if high > self.bins:
                    msg = (
                        f"`{axis}` of segment {s.name!r} must lie within "
                        f"1..{self.bins} (the map's bins); got {(low, high)!r}."
                    )
                    raise ValueError(msg)

    def _check_gaps(self, gaps: tuple[Cell, ...], n_cells: int) -> None:
        if gaps and self.unmatched_label is None:
            msg = (
                f"`segments` must cover every cell of the {self.bins} x {self.bins} "
                f"score grid; {len(gaps)} of {n_cells} cells are not covered "
                f"(first: {_describe(gaps[0])}). Widen a segment's box, or pass "
                "unmatched_label='...' to give these cells an explicit name."
            )
            raise ValueError(msg)

    def _check_overlaps(self, overlaps: tuple[SegmentOverlap, ...]) -> None:
        if overlaps and not self.allow_overlaps:
            first = overlaps[0]
            msg = (
                "`segments` must not overlap unless allow_overlaps=True; "
                f"{len(overlaps)} pairs overlap (first: {first.winner!r} and "
                f"{first.loser!r} share {len(first.cells)} cells, e.g. "
                f"{_describe(first.cells[0])}). Pass allow_overlaps=True to give "
                "shared cells to the segment with the smaller priority number, "
                "or shrink the boxes."
            )
            raise ValueError(msg)

    def _check_reachable(self, grid: npt.NDArray[np.int16]) -> None:
        won = set(np.unique(grid).tolist())
        for index, segment in enumerate(self.segments):
            if index not in won:
                msg = (
                    f"`segments` must each win at least one cell; {segment.name!r} "
                    "lies entirely under segments with smaller priority numbers. "
                    "Give it a smaller priority number or remove it."
                )
                raise ValueError(msg)

    @property
    def names(self) -> tuple[str, ...]:
        """Segment names in code order, then the unmatched label if any."""
        names = tuple(s.name for s in self.segments)
        if self.unmatched_label is not None:
            names += (self.unmatched_label,)
        return names

    @classmethod
    def eleven_segment(cls) -> SegmentMap:
        """Build the widely copied 11-segment R × FM map, Champions to Lost.

        See :doc:`/explanation/segmentation` for its source (Putler's RFM
        table) and how its ranges on a 0–5 scale become the boxes below.

        Examples
        --------
        >>> from custvalue.segment import SegmentMap
        >>> eleven = SegmentMap.eleven_segment()
        >>> for r, row in zip(range(5, 0, -1), eleven.cell_names()[::-1]):
        ...     print(r, " | ".join(row))
        5 New | Potential Loyalist | Potential Loyalist | Loyal | Champions
        4 Promising | Potential Loyalist | Potential Loyalist | Loyal | Loyal
        3 About to Sleep | About to Sleep | Need Attention | Loyal | Loyal
        2 Lost | Hibernating | At Risk | At Risk | At Risk
        1 Lost | Lost | At Risk | At Risk | Can't Lose Them
        >>> for overlap in eleven.overlaps:
        ...     print(overlap.winner, "over", overlap.loser, "at", overlap.cells)
        Champions over Loyal at ((5, 5),)
        Can't Lose Them over At Risk at ((1, 5),)
        Hibernating over Lost at ((2, 2),)
        """
        from custvalue.segment._presets import eleven_segments

        return eleven_segments(cls)

    @classmethod
    def five_segment(cls) -> SegmentMap:
        """Build a compact 5-segment map that merges the 11 segments in groups.

        Examples
        --------
        >>> from custvalue.segment import SegmentMap
        >>> SegmentMap.five_segment().names
        ('Champions', 'Promising', 'Need Attention', 'At Risk', 'Lost')
        """
        from custvalue.segment._presets import five_segments

        return five_segments(cls)

    def cell_names(self) -> npt.NDArray[np.str_]:
        """Return the segment name of each cell, indexed ``[r - 1, fm - 1]``."""
        return np.asarray(self.names, dtype=np.str_)[self.grid]

    def assign(
        self,
        r_score: npt.ArrayLike,
        fm_score: npt.ArrayLike,
    ) -> SegmentLabels:
        """Label each customer with the segment of their (R, FM) cell.

        Parameters
        ----------
        r_score : array-like of int, shape (n_customers,)
            Recency scores, 1 to ``bins``.
        fm_score : array-like of int, shape (n_customers,)
            Combined FM scores, 1 to ``bins``.

        Returns
        -------
        SegmentLabels
            One label per customer; codes index :attr:`names`.

        Raises
        ------
        ValueError
            If the arrays differ in length or hold scores outside 1..bins.
        """
        r = self._scores(r_score, "r_score")
        fm = self._scores(fm_score, "fm_score")
        if r.size != fm.size:
            msg = (
                "`r_score`, `fm_score` must have the same "
                f"length; `r_score` has {r.size}, `fm_score` "
                f"has {fm.size}. Pass one entry per customer in each."
            )
            raise ValueError(msg)
        codes = self.grid[r - 1, fm - 1]
        return SegmentLabels(codes=codes, names=self.names)

    def _scores(self, value: npt.ArrayLike, name: str) -> npt.NDArray[np.intp]:
        array = as_vector(value, name)
        if array.dtype.kind not in "iu" or array.dtype == np.bool_:
            array = as_float_array(array, name, integer_valued=True)
        low, high = array.min(), array.max()
        if low < 1 or high > self.bins:
            bad = (array < 1) | (array > self.bins)
            first = int(np.flatnonzero(bad)[0])
            msg = (
                f"`{name}` must be a score from 1 to {self.bins}; {int(bad.sum())} "
                f"of {bad.size} violate this (first at index {first}: {name}="
                f"{array[first].item()!r}). Score with the same number of bins as "
                "the map."
            )
            raise ValueError(msg)
        return array.astype(np.intp)  # type: ignore[no-any-return]
