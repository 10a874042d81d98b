"""The preset segment maps: the widely copied 11-segment map and a 5-segment one.

The 11-segment map is Putler's table of RFM segments ("RFM Analysis for
Successful Customer Segmentation", putler.com), reproduced in many blog posts
and packages. It gives each segment a range of the recency score and of the
combined frequency-monetary score on a continuous 0–5 scale (Champions 4–5
and 4–5, Lost 0–2 and 0–2, ...). Neighbouring ranges share their end points,
and read as inclusive integer ranges two of them coincide (Hibernating 1–2 ×
1–2 and Lost, whose 0 does not exist on integer scores); in table order four
segments could never be reached. Here each range a–b of the 0–5 scale is the
set of integer scores whose interval (s - 1, s] lies in it, i.e. the scores
a + 1 .. b: "4–5" is score 5, "0–2" is scores 1 and 2. The boxes then tile
the 5 × 5 grid except three intended overlaps, resolved by priority.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from custvalue.segment._segment_map import Segment

if TYPE_CHECKING:
    from custvalue.segment._segment_map import SegmentMap

__all__ = ["ELEVEN_SEGMENT_SOURCE", "eleven_segments", "five_segments"]

ELEVEN_SEGMENT_SOURCE = (
    "Putler, 'RFM Analysis for Successful Customer Segmentation' (putler.com): "
    "segment ranges on a 0-5 scale of the recency score and the mean of the "
    "frequency and monetary scores; range a-b read as integer scores a+1..b."
)
FIVE_SEGMENT_SOURCE = (
    "custvalue: the 11-segment map merged into five groups (Champions + Loyal; "
    "Potential Loyalist + New + Promising; Need Attention + About to Sleep; "
    "At Risk + Can't Lose Them; Hibernating + Lost)."
)

# (name, Putler's recency range, Putler's FM range, priority, description), in
# the table's order. Can't Lose Them lies inside At Risk, so it needs the
# smaller priority number (8 before 9) to be reachable.
_ELEVEN: tuple[tuple[str, tuple[int, int], tuple[int, int], int, str], ...] = (
    ("Champions", (4, 5), (4, 5), 1, "Bought recently, buy often and spend the most."),
    ("Loyal", (2, 5), (3, 5), 2, "Buy often and spend well; responsive to rewards."),
    (
        "Potential Loyalist",
        (3, 5),
        (1, 3),
        3,
        "Recent, with a few purchases; could become loyal.",
    ),
    ("New", (4, 5), (0, 1), 4, "Bought very recently, for the first time or little."),
    ("Promising", (3, 4), (0, 1), 5, "Recent shoppers who have not spent much yet."),
    (
        "Need Attention",
        (2, 3),
        (2, 3),
        6,
        "Middling on every score; slipping if ignored.",
    ),
    (
        "About to Sleep",
        (2, 3),
        (0, 2),
        7,
        "Below average and fading; will be lost without a nudge.",
    ),
    ("At Risk", (0, 2), (2, 5), 9, "Bought often and spent well, but long ago."),
    (
        "Can't Lose Them",
        (0, 1),
        (4, 5),
        8,
        "Were among the best, long gone; win them back.",
    ),
    (
        "Hibernating",
        (1, 2),
        (1, 2),
        10,
        "Last purchase long ago, few purchases, low spend.",
    ),
    ("Lost", (0, 2), (0, 2), 11, "Lowest recency, frequency and spend."),
)


def _scores(published: tuple[int, int]) -> tuple[int, int]:
    """Integer scores s with (s - 1, s] inside the published range a–b."""
    low, high = published
    return (low + 1, high)


def eleven_segments(cls: type[SegmentMap]) -> SegmentMap:
    """Build the 11-segment map (see the module docstring)."""
    segments = [
        Segment(
            name=name,
            r_score=_scores(r),
            fm_score=_scores(fm),
            priority=priority,
            description=description,
        )
        for name, r, fm, priority, description in _ELEVEN
    ]
    return cls(
        segments=segments, bins=5, allow_overlaps=True, source=ELEVEN_SEGMENT_SOURCE
    )


def five_segments(cls: type[SegmentMap]) -> SegmentMap:
    """Build the compact 5-segment map: a partition of the grid, no overlaps."""
    boxes = (
        (
            "Champions",
            (3, 5),
            (4, 5),
            "Champions and Loyal: recent, frequent, high spend.",
        ),
        (
            "Promising",
            (4, 5),
            (1, 3),
            "Recent but not yet frequent: New, Promising, Potential Loyalist.",
        ),
        (
            "Need Attention",
            (3, 3),
            (1, 3),
            "Middling recency and value: Need Attention, About to Sleep.",
        ),
        ("At Risk", (1, 2), (3, 5), "Valuable but lapsing: At Risk, Can't Lose Them."),
        ("Lost", (1, 2), (1, 2), "Lapsed and low value: Hibernating, Lost."),
    )
    segments = [
        Segment(
            name=name,
            r_score=r,
            fm_score=fm,
            priority=priority,
            description=description,
        )
        for priority, (name, r, fm, description) in enumerate(boxes, start=1)
    ]
    return cls(segments=segments, bins=5, source=FIVE_SEGMENT_SOURCE)
