"""Lifecycle stages from a hiatus or from P(alive) thresholds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.segment import lifecycle_stages


def test_hiatus_rule_by_hand() -> None:
    # hiatus 26, at risk after 13, new within 4, weeks:
    #   (last, first, previous gap)
    #   (1, 2, 0)   -> first purchase 2 < 4 weeks ago: New
    #   (2, 40, 5)  -> Active
    #   (15, 20, 2) -> 13 <= 15 < 26: At Risk
    #   (30, 50, 1) -> 30 >= 26: Lapsed
    #   (3, 60, 30) -> gap 30 >= 26 before the last purchase: Reactivated
    #   (26, 26, 0) -> exactly the hiatus: Lapsed (the threshold is included)
    #   (13, 14, 0) -> exactly at_risk_after: At Risk (not New: risk wins)
    stages = lifecycle_stages(
        [1.0, 2.0, 15.0, 30.0, 3.0, 26.0, 13.0],
        hiatus=26.0,
        at_risk_after=13.0,
        time_since_first_purchase=[2.0, 40.0, 20.0, 50.0, 60.0, 26.0, 14.0],
        new_within=4.0,
        previous_gap=[0.0, 5.0, 2.0, 1.0, 30.0, 0.0, 0.0],
    )
    assert stages.labels.as_strings().tolist() == [
        "New",
        "Active",
        "At Risk",
        "Lapsed",
        "Reactivated",
        "Lapsed",
        "At Risk",
    ]
    assert stages.rule == "hiatus"
    assert (stages.hiatus, stages.at_risk_after, stages.new_within) == (26.0, 13.0, 4.0)
    assert stages.labels.names == ("New", "Active", "Reactivated", "At Risk", "Lapsed")


def test_hiatus_alone_gives_active_and_lapsed() -> None:
    stages = lifecycle_stages([0.0, 8.9, 9.0, 20.0], hiatus=9.0)
    assert stages.labels.as_strings().tolist() == [
        "Active",
        "Active",
        "Lapsed",
        "Lapsed",
    ]


def test_p_alive_rule_by_hand() -> None:
    # lapsed below 0.2, at risk below 0.6: 0.9 Active, 0.6 Active (not below),
    # 0.59 At Risk, 0.2 At Risk, 0.19 Lapsed
    stages = lifecycle_stages(
        [1.0, 2.0, 3.0, 4.0, 5.0],
        p_alive=[0.9, 0.6, 0.59, 0.2, 0.19],
        lapsed_below=0.2,
        at_risk_below=0.6,
    )
    assert stages.labels.as_strings().tolist() == [
        "Active",
        "Active",
        "At Risk",
        "At Risk",
        "Lapsed",
    ]
    assert stages.rule == "p_alive"
    assert stages.hiatus is None


@given(
    rows=st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=30
    ),
    hiatus=st.integers(1, 40),
)
def test_every_customer_gets_one_stage_consistent_with_the_hiatus(
    rows: list[tuple[int, int]], hiatus: int
) -> None:
    last = np.array([r[0] for r in rows], dtype=np.float64)
    gap = np.array([r[1] for r in rows], dtype=np.float64)
    stages = lifecycle_stages(last, hiatus=float(hiatus), previous_gap=gap)
    names = stages.labels.as_strings()
    assert names.shape == last.shape
    assert np.array_equal(names == "Lapsed", last >= hiatus)
    assert np.array_equal(names == "Reactivated", (last < hiatus) & (gap >= hiatus))


def test_rule_must_be_chosen_once() -> None:
    with pytest.raises(ValueError, match="must not both be given or both be missing"):
        lifecycle_stages([1.0])
    with pytest.raises(ValueError, match="must not both be given or both be missing"):
        lifecycle_stages([1.0], hiatus=3.0, p_alive=[0.5], lapsed_below=0.1)


def test_thresholds_are_checked() -> None:
    with pytest.raises(ValueError, match="`at_risk_after` must be < `hiatus`"):
        lifecycle_stages([1.0], hiatus=5.0, at_risk_after=5.0)
    with pytest.raises(ValueError, match="`hiatus` must be > 0"):
        lifecycle_stages([1.0], hiatus=0.0)
    with pytest.raises(ValueError, match="`lapsed_below` must be given"):
        lifecycle_stages([1.0], p_alive=[0.5])
    with pytest.raises(ValueError, match="`at_risk_below` must be > `lapsed_below`"):
        lifecycle_stages([1.0], p_alive=[0.5], lapsed_below=0.4, at_risk_below=0.3)
    with pytest.raises(ValueError, match="must be None with the hiatus rule"):
        lifecycle_stages([1.0], hiatus=5.0, lapsed_below=0.4)
    with pytest.raises(ValueError, match="must be None with the P\\(alive\\) rule"):
        lifecycle_stages([1.0], p_alive=[0.5], lapsed_below=0.4, previous_gap=[1.0])
    with pytest.raises(ValueError, match="must be given together"):
        lifecycle_stages([1.0], hiatus=5.0, new_within=2.0)


def test_arrays_are_checked() -> None:
    with pytest.raises(
        ValueError, match=r"`p_alive` must be <= 1; 1 of 2 .*percentages"
    ):
        lifecycle_stages([1.0, 2.0], p_alive=[0.5, 50.0], lapsed_below=0.1)
    with pytest.raises(ValueError, match="`time_since_last_purchase` must be >= 0"):
        lifecycle_stages([-1.0], hiatus=5.0)
    with pytest.raises(ValueError, match="must not be empty"):
        lifecycle_stages([], hiatus=5.0)
    with pytest.raises(ValueError, match="must have the same length"):
        lifecycle_stages([1.0, 2.0], hiatus=5.0, previous_gap=[1.0])
    with pytest.raises(
        ValueError,
        match="`time_since_last_purchase` must be <= `time_since_first_purchase`",
    ):
        lifecycle_stages(
            [3.0], hiatus=5.0, time_since_first_purchase=[2.0], new_within=1.0
        )
