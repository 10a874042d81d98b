"""The result of :func:`rfm_scores`: scores, cut points and occupancy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np

from custvalue._lib.fields import Result, array_field
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    check_same_length,
    readonly,
)
from custvalue.segment._binning import ScoreArray, Ties
from custvalue.segment._labels import SegmentLabels

if TYPE_CHECKING:
    from custvalue.segment._segment_map import SegmentMap

__all__ = ["RFMScores", "ScoreBins", "Sorting"]

Sorting = Literal["independent", "nested"]


@attrs.frozen(kw_only=True)
class ScoreBins(Result):
    """How one RFM variable was cut into scores: cut points and occupancy.

    Parameters
    ----------
    variable : str
        The input's name, e.g. ``'frequency'``.
    method : {'quantile', 'cut_points'}
        Whether the cut points were computed from the data (tie-aware
        quantiles) or given by the caller.
    higher_is_better : bool
        False for time since last purchase: the smallest values get the top
        score.
    cut_points : ndarray of float64 of shape (..., bins - 1)
        Right-closed cut points on the raw values: ``cut_points[..., j-1]``
        is the largest value in raw bins ``1 .. j``, counting from the
        smallest values (NaN when those bins are empty). A value ``x`` is in
        raw bin ``1 + #{j : cut_points[..., j-1] < x}``; its score is that
        bin, or ``bins + 1`` minus it when ``higher_is_better`` is False.
        With independent sorting the shape is ``(bins - 1,)``; with nested
        sorting it has one row per group: ``(bins, bins - 1)`` for frequency
        (indexed by recency score - 1) and ``(bins, bins, bins - 1)`` for
        monetary value (indexed by recency and frequency score - 1).
    occupancy : ndarray of int64 of shape (..., bins)
        ``occupancy[..., s-1]`` is the number of customers with score ``s``,
        per group as for ``cut_points``.

    Examples
    --------
    >>> from custvalue.segment import rfm_scores
    >>> scores = rfm_scores([1, 2, 3, 4], [0, 1, 2, 3], [5, 6, 7, 8], bins=2)
    >>> scores.r_bins.cut_points, scores.r_bins.occupancy
    (array([2.]), array([2, 2]))
    """

    variable: str
    method: Literal["quantile", "cut_points"]
    higher_is_better: bool
    cut_points: FloatArray = array_field(dtype=np.float64)
    occupancy: IntArray = array_field(dtype=np.int64)

    @property
    def collapsed(self) -> bool:
        """Whether a group with customers has a score that none of them got."""
        flat = self.occupancy.reshape(-1, self.occupancy.shape[-1])
        used = flat.sum(axis=1) > 0
        return bool((flat[used] == 0).any())


@attrs.frozen(kw_only=True)
class RFMScores(Result):
    """Recency, frequency and monetary scores, 1 (worst) to ``bins`` (best).

    Returned by :func:`rfm_scores`; see there for how the scores are made.

    Parameters
    ----------
    r_score, f_score, m_score : ndarray of int8
        One score per customer; ``bins`` is best. The recency score is high
        for a *short* time since the last purchase.
    bins : int
        Number of scores per variable.
    sorting : {'independent', 'nested'}
        How the frequency and monetary scores were binned.
    ties : {'midrank', 'low', 'high'}
        How a block of tied values was scored.
    score_weights : tuple of float
        The weights of the R, F and M scores in
        :attr:`composite_score`.
    r_bins, f_bins, m_bins : ScoreBins
        The cut points and occupancy of each variable.

    Examples
    --------
    >>> from custvalue.segment import rfm_scores
    >>> scores = rfm_scores([3.0, 40.0], [5, 1], [90.0, 10.0], bins=2,
    ...                     score_weights=(2, 1, 1))
    >>> scores.fm_score, scores.composite_score
    (array([2, 1], dtype=int8), array([2., 1.]))
    >>> list(scores.to_dict())[:3]
    ['r_score', 'f_score', 'm_score']
    """

    r_score: ScoreArray = array_field(dtype=np.int8)
    f_score: ScoreArray = array_field(dtype=np.int8)
    m_score: ScoreArray = array_field(dtype=np.int8)
    bins: int
    sorting: Sorting
    ties: Ties
    score_weights: tuple[float, float, float]
    r_bins: ScoreBins
    f_bins: ScoreBins
    m_bins: ScoreBins

    def __attrs_post_init__(self) -> None:
        check_same_length(
            r_score=self.r_score,
            f_score=self.f_score,
            m_score=self.m_score,
        )

    @property
    def n_customers(self) -> int:
        """Number of customers scored."""
        return int(self.r_score.size)

    @property
    def fm_score(self) -> ScoreArray:
        """The combined FM score :math:`\\lceil (F + M) / 2 \\rceil`, 1 to ``bins``.

        The mean of the frequency and monetary scores, rounded up so that it
        stays a score: on the continuous scale where score ``s`` spans
        ``(s - 1, s]``, a mean of 3.5 lies in the score-4 interval. This is
        the second axis of a :class:`SegmentMap`.
        """
        total = self.f_score.astype(np.int16) + self.m_score
        return readonly(((total + 1) // 2).astype(np.int8))

    @property
    def composite_score(self) -> FloatArray:
        """Weighted mean of the three scores, :math:`\\sum_k w_k s_k / \\sum_k w_k`."""
        w_r, w_f, w_m = self.score_weights
        total = (
            w_r * self.r_score.astype(np.float64)
            + w_f * self.f_score
            + w_m * self.m_score
        )
        return readonly(total / (w_r + w_f + w_m))

    def segments(self, segment_map: SegmentMap) -> SegmentLabels:
        """Name each customer's segment with ``segment_map``.

        Shorthand for ``segment_map.assign(self.r_score,
        self.fm_score)``.

        Raises
        ------
        ValueError
            If the map is drawn on a grid of another size than ``bins``.

        Examples
        --------
        >>> from custvalue.segment import SegmentMap, rfm_scores
        >>> scores = rfm_scores(
        ...     [1, 20, 40, 60, 80], [9, 4, 3, 1, 0], [90, 40, 30, 20, 10]
        ... )
        >>> scores.segments(SegmentMap.eleven_segment()).as_strings()
        array(['Champions', 'Loyal', 'Need Attention', 'Hibernating', 'Lost'],
              dtype='<U18')
        """
        if segment_map.bins != self.bins:
            msg = (
                f"`segment_map` must be drawn for {self.bins} scores per axis "
                f"like these scores; its grid has {segment_map.bins}."
            )
            raise ValueError(msg)
        return segment_map.assign(self.r_score, self.fm_score)
