"""Segment maps: the presets against their published ranges, and validation."""

from __future__ import annotations

import pickle

import attrs
import numpy as np
import pytest

from custvalue.segment import Segment, SegmentLabels, SegmentMap

# Putler's table (ranges on a 0-5 scale of R and of the mean of F and M),
# as reproduced in the blog posts and packages that copy it:
PUTLER = {
    "Champions": ((4, 5), (4, 5)),
    "Loyal": ((2, 5), (3, 5)),
    "Potential Loyalist": ((3, 5), (1, 3)),
    "New": ((4, 5), (0, 1)),
    "Promising": ((3, 4), (0, 1)),
    "Need Attention": ((2, 3), (2, 3)),
    "About to Sleep": ((2, 3), (0, 2)),
    "At Risk": ((0, 2), (2, 5)),
    "Can't Lose Them": ((0, 1), (4, 5)),
    "Hibernating": ((1, 2), (1, 2)),
    "Lost": ((0, 2), (0, 2)),
}


def test_eleven_segment_boxes_read_the_published_ranges() -> None:
    # A range a-b on the 0-5 scale holds the integer scores s whose interval
    # (s - 1, s] lies inside it: s = a + 1 .. b.
    eleven = SegmentMap.eleven_segment()
    assert eleven.names == tuple(PUTLER)
    for segment in eleven.segments:
        (r_low, r_high), (fm_low, fm_high) = PUTLER[segment.name]
        assert segment.r_score == (r_low + 1, r_high)
        assert segment.fm_score == (fm_low + 1, fm_high)


def test_eleven_segment_grid_by_hand() -> None:
    # Cells (R, FM) claimed by each box; where two claim a cell the smaller
    # priority number wins: Champions (1) over Loyal (2) at (5, 5), Can't
    # Lose Them (8) over At Risk (9) at (1, 5), Hibernating (10) over Lost
    # (11) at (2, 2). Rows R = 5 .. 1, columns FM = 1 .. 5.
    expected = [
        ["New", "Potential Loyalist", "Potential Loyalist", "Loyal", "Champions"],
        ["Promising", "Potential Loyalist", "Potential Loyalist", "Loyal", "Loyal"],
        ["About to Sleep", "About to Sleep", "Need Attention", "Loyal", "Loyal"],
        ["Lost", "Hibernating", "At Risk", "At Risk", "At Risk"],
        ["Lost", "Lost", "At Risk", "At Risk", "Can't Lose Them"],
    ]
    eleven = SegmentMap.eleven_segment()
    assert eleven.cell_names()[::-1].tolist() == expected
    assert [(o.winner, o.loser, o.cells) for o in eleven.overlaps] == [
        ("Champions", "Loyal", ((5, 5),)),
        ("Can't Lose Them", "At Risk", ((1, 5),)),
        ("Hibernating", "Lost", ((2, 2),)),
    ]
    assert eleven.gaps == ()
    assert "Putler" in eleven.source


def test_table_order_would_leave_four_segments_unreachable() -> None:
    # Reading the ranges as inclusive integer scores (0 -> 1) and resolving
    # overlaps in table order, as the if/elif copies do: New and Promising
    # fall under Potential Loyalist, Can't Lose Them under At Risk, Lost under
    # Hibernating. The map refuses such a segment instead of hiding it.
    segments = [
        Segment(
            name=name,
            r_score=(max(r[0], 1), r[1]),
            fm_score=(max(fm[0], 1), fm[1]),
            priority=i,
        )
        for i, (name, (r, fm)) in enumerate(PUTLER.items())
    ]
    with pytest.raises(ValueError, match="'New' lies entirely under segments"):
        SegmentMap(segments=segments, allow_overlaps=True)


def test_five_segment_map_is_a_partition() -> None:
    five = SegmentMap.five_segment()
    assert five.overlaps == ()
    assert five.gaps == ()
    assert five.cell_names()[::-1].tolist() == [
        ["Promising"] * 3 + ["Champions"] * 2,
        ["Promising"] * 3 + ["Champions"] * 2,
        ["Need Attention"] * 3 + ["Champions"] * 2,
        ["Lost"] * 2 + ["At Risk"] * 3,
        ["Lost"] * 2 + ["At Risk"] * 3,
    ]


def test_five_segment_map_coarsens_the_eleven() -> None:
    # every 11-segment name falls in exactly one 5-segment group
    groups: dict[str, set[str]] = {}
    for fine, coarse in zip(
        SegmentMap.eleven_segment().cell_names().ravel(),
        SegmentMap.five_segment().cell_names().ravel(),
        strict=True,
    ):
        groups.setdefault(str(fine), set()).add(str(coarse))
    assert all(len(coarse) == 1 for coarse in groups.values())
    assert groups["Loyal"] == {"Champions"}
    assert groups["Lost"] == {"Lost"}


def test_assign_reads_the_grid() -> None:
    eleven = SegmentMap.eleven_segment()
    labels = eleven.assign([5, 1, 3, 2], [5, 5, 3, 2])
    assert isinstance(labels, SegmentLabels)
    assert labels.as_strings().tolist() == [
        "Champions",
        "Can't Lose Them",
        "Need Attention",
        "Hibernating",
    ]
    # float scores that are whole numbers are accepted
    assert eleven.assign([5.0], [5.0]).as_strings().tolist() == ["Champions"]


def _box(name: str, r: tuple[int, int], fm: tuple[int, int], priority: int) -> Segment:
    return Segment(name=name, r_score=r, fm_score=fm, priority=priority)


def test_gaps_need_an_explicit_label() -> None:
    boxes = [_box("High", (2, 3), (1, 3), 1), _box("Low", (1, 1), (2, 3), 2)]
    with pytest.raises(
        ValueError,
        match=r"1 of 9 cells are not covered \(first: r_score=1, "
        r"fm_score=1\)",
    ):
        SegmentMap(segments=boxes, bins=3)
    named = SegmentMap(segments=boxes, bins=3, unmatched_label="Unclassified")
    assert named.gaps == ((1, 1),)
    assert named.names == ("High", "Low", "Unclassified")
    assert named.assign([1, 2], [1, 1]).as_strings().tolist() == [
        "Unclassified",
        "High",
    ]


def test_overlaps_must_be_declared() -> None:
    boxes = [_box("Top", (2, 2), (1, 2), 1), _box("All", (1, 2), (1, 2), 2)]
    with pytest.raises(
        ValueError, match="1 pairs overlap \\(first: 'Top' and 'All' share 2 cells"
    ):
        SegmentMap(segments=boxes, bins=2)
    declared = SegmentMap(segments=boxes, bins=2, allow_overlaps=True)
    assert declared.overlaps[0].cells == ((2, 1), (2, 2))
    assert declared.assign([2, 1], [1, 1]).as_strings().tolist() == ["Top", "All"]


def test_priorities_and_names_must_differ() -> None:
    with pytest.raises(
        ValueError, match="distinct priorities; 1 is used by 2 segments"
    ):
        SegmentMap(
            segments=[_box("A", (1, 1), (1, 2), 1), _box("B", (2, 2), (1, 2), 1)],
            bins=2,
        )
    with pytest.raises(ValueError, match="distinct names; 'A'"):
        SegmentMap(
            segments=[_box("A", (1, 1), (1, 2), 1), _box("A", (2, 2), (1, 2), 2)],
            bins=2,
        )


def test_boxes_must_fit_the_grid() -> None:
    with pytest.raises(
        ValueError, match=r"`r_score` of segment 'A' must lie within 1\.\.2"
    ):
        SegmentMap(segments=[_box("A", (1, 3), (1, 2), 1)], bins=2)
    with pytest.raises(ValueError, match="1 <= low <= high"):
        _box("A", (2, 1), (1, 2), 1)
    with pytest.raises(ValueError, match="1 <= low <= high"):
        _box("A", (0, 1), (1, 2), 1)
    with pytest.raises(TypeError, match="`priority` must be an integer"):
        _box("A", (1, 1), (1, 2), 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`name` must be a non-empty string"):
        _box("", (1, 1), (1, 2), 1)


def test_empty_map_and_bad_unmatched_label() -> None:
    with pytest.raises(ValueError, match="`segments` must not be empty"):
        SegmentMap(segments=[])
    with pytest.raises(ValueError, match="`unmatched_label` must differ"):
        SegmentMap(segments=[_box("A", (1, 2), (1, 2), 1)], bins=2, unmatched_label="A")


def test_assign_refuses_scores_off_the_grid() -> None:
    eleven = SegmentMap.eleven_segment()
    with pytest.raises(
        ValueError,
        match=r"`r_score` must be a score from 1 to 5; 1 of 3 violate this "
        r"\(first at index 1: r_score=6\)",
    ):
        eleven.assign([1, 6, 2], [1, 1, 1])
    with pytest.raises(ValueError, match="must have the same length"):
        eleven.assign([1, 2], [1])
    with pytest.raises(ValueError, match="must be whole numbers"):
        eleven.assign([1.5], [1])


def test_maps_are_plain_data() -> None:
    eleven = SegmentMap.eleven_segment()
    assert pickle.loads(pickle.dumps(eleven)) == eleven
    assert attrs.asdict(eleven)["bins"] == 5
    with pytest.raises(ValueError, match="read-only"):
        eleven.grid[0, 0] = 1
    assert np.array_equal(eleven.grid, SegmentMap.eleven_segment().grid)
