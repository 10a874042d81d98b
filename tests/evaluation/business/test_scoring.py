"""KPI scoring methods, status thresholds and single-KPI behaviour."""

from __future__ import annotations

import math
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.evaluation import (
    KPI,
    BinaryScoring,
    GoalRedFlagScoring,
    LinearScoring,
    ProgressScoring,
    ScoringMethod,
    StatusThresholds,
    ThresholdTargetStretchScoring,
)

Direction = Literal["higher_is_better", "lower_is_better"]
H: Literal["higher_is_better"] = "higher_is_better"
L: Literal["lower_is_better"] = "lower_is_better"

# --- hand-worked examples, both polarities -----------------------------------


def test_linear_by_hand() -> None:
    rule = LinearScoring(minimum=10, maximum=20)
    # higher: (12.5 - 10)/(20 - 10) = 0.25; lower: (20 - 12.5)/10 = 0.75.
    assert rule.score(12.5, polarity=H) == 0.25
    assert rule.score(12.5, polarity=L) == 0.75
    # outside the range the score stays at 0 or 1
    assert [rule.score(v, polarity=H) for v in (5, 10, 20, 25)] == [0, 0, 1, 1]
    assert [rule.score(v, polarity=L) for v in (5, 10, 20, 25)] == [1, 1, 0, 0]
    # a range of negative values: (-2.5 - -10)/(0 - -10) = 0.75
    assert LinearScoring(minimum=-10, maximum=0).score(-2.5, polarity=H) == 0.75


def test_progress_by_hand() -> None:
    # higher: baseline 100, target 120; 115 covers 15 of 20 = 0.75.
    rule = ProgressScoring(baseline=100, target=120)
    assert rule.score(115, polarity=H) == 0.75
    assert rule.score(90, polarity=H) == 0.0  # behind the baseline
    assert rule.score(130, polarity=H) == 1.0  # beyond the target
    # lower: baseline 8, target 5; 6.5 covers 1.5 of 3 = 0.5. A ratio to
    # target (5/6.5 = 0.77) would be wrong; so would 6.5/5.
    assert ProgressScoring(baseline=8, target=5).score(6.5, polarity=L) == 0.5
    # zero target: from a loss of 200 to break-even; -50 covers 150/200.
    assert ProgressScoring(baseline=-200, target=0).score(-50, polarity=H) == 0.75
    # negative target, lower is better: net debt from 0 to -10; -4 covers 0.4.
    assert ProgressScoring(baseline=0, target=-10).score(-4, polarity=L) == 0.4


def test_threshold_target_stretch_by_hand() -> None:
    rule = ThresholdTargetStretchScoring(threshold=80, target=100, stretch=120)
    # below threshold 0; at threshold 0.5; half-way to target 0.5 + 0.5 * 0.5;
    # target 1; half-way to stretch 1 + 0.5 * 0.5; stretch and beyond 1.5.
    values = (79.9, 80, 90, 100, 110, 120, 200)
    assert [rule.score(v, polarity=H) for v in values] == [
        0.0,
        0.5,
        0.75,
        1.0,
        1.25,
        1.5,
        1.5,
    ]
    # lower is better with negative values: threshold -1, target -2,
    # stretch -4; -3 is half-way from target to stretch: 1 + 0.5 * 0.5.
    lower = ThresholdTargetStretchScoring(threshold=-1, target=-2, stretch=-4)
    assert lower.score(-3, polarity=L) == 1.25
    assert lower.score(0, polarity=L) == 0.0
    assert lower.score(-1, polarity=L) == 0.5
    # custom threshold score and cap: 0 at the threshold, cap 2.
    custom = ThresholdTargetStretchScoring(
        threshold=0, target=10, stretch=20, threshold_score=0, cap=2
    )
    assert [custom.score(v, polarity=H) for v in (0, 5, 15, 25)] == [0, 0.5, 1.5, 2]


def test_goal_red_flag_by_hand() -> None:
    # higher: goal 40, red flag 0: 30 -> 30/40; lower with a zero goal:
    # goal 0 defects, red flag 10: 4 defects -> (4 - 10)/(0 - 10) = 0.6.
    assert GoalRedFlagScoring(goal=40, red_flag=0).score(30, polarity=H) == 0.75
    assert GoalRedFlagScoring(goal=0, red_flag=10).score(4, polarity=L) == 0.6
    assert GoalRedFlagScoring(goal=0, red_flag=10).score(12, polarity=L) == 0.0
    assert GoalRedFlagScoring(goal=0, red_flag=10).score(-1, polarity=L) == 1.0


def test_binary_by_hand() -> None:
    # Reaching the target exactly counts as met, in both directions.
    assert BinaryScoring(target=0.4).score(0.4, polarity=H) == 1.0
    assert BinaryScoring(target=0.4).score(0.39, polarity=H) == 0.0
    assert BinaryScoring(target=0).score(0, polarity=L) == 1.0
    assert BinaryScoring(target=0).score(1, polarity=L) == 0.0
    assert BinaryScoring(target=-5).score(-6, polarity=L) == 1.0


def test_parameters_out_of_order_are_rejected() -> None:
    with pytest.raises(ValueError, match="`minimum` must be < `maximum`"):
        LinearScoring(minimum=2, maximum=1)
    with pytest.raises(ValueError, match="must differ"):
        ProgressScoring(baseline=1, target=1)
    with pytest.raises(ValueError, match="must differ"):
        GoalRedFlagScoring(goal=1, red_flag=1)
    with pytest.raises(ValueError, match="`baseline` < `target`"):
        ProgressScoring(baseline=8, target=5).score(6, polarity=H)
    with pytest.raises(ValueError, match="`threshold` > `target` > `stretch`"):
        ThresholdTargetStretchScoring(threshold=1, target=2, stretch=3).score(
            2, polarity=L
        )
    with pytest.raises(ValueError, match="`threshold_score` must be between 0 and 1"):
        ThresholdTargetStretchScoring(
            threshold=1, target=2, stretch=3, threshold_score=1.2
        )
    with pytest.raises(ValueError, match="`cap` must be >= 1"):
        ThresholdTargetStretchScoring(threshold=1, target=2, stretch=3, cap=0.9)
    with pytest.raises(ValueError, match="finite"):
        BinaryScoring(target=math.nan)
    with pytest.raises(TypeError, match="real number"):
        BinaryScoring(target="high")
    with pytest.raises(ValueError, match="`polarity` must be"):
        BinaryScoring(target=1).score(1, polarity="target_band")  # type: ignore[arg-type]


# --- status thresholds -------------------------------------------------------


def test_status_boundaries_belong_to_the_better_colour() -> None:
    rag = StatusThresholds(green=0.85, red=0.75)
    statuses = [rag.status(v, polarity=H) for v in (0.85, 0.8, 0.75, 0.7499)]
    assert statuses == ["green", "amber", "amber", "red"]
    rag = StatusThresholds(green=120, red=150)
    statuses = [rag.status(v, polarity=L) for v in (120, 121, 150, 150.5)]
    assert statuses == ["green", "amber", "amber", "red"]


def test_equal_thresholds_leave_no_amber() -> None:
    rag = StatusThresholds(green=0, red=0)
    assert [rag.status(v, polarity=H) for v in (-1, 0, 1)] == ["red", "green", "green"]


def test_overlapping_bands_are_rejected() -> None:
    with pytest.raises(ValueError, match="`red` <= `green`"):
        StatusThresholds(green=0.7, red=0.8).status(0.75, polarity=H)
    with pytest.raises(ValueError, match="`red` >= `green`"):
        StatusThresholds(green=0.08, red=0.07).status(0.075, polarity=L)


# --- KPIs: band, trend, validation naming the KPI -----------------------------


def _kpi(**changes: Any) -> KPI:
    fields: dict[str, Any] = {
        "name": "retention",
        "perspective": "customer",
        "polarity": H,
        "scoring": LinearScoring(minimum=0.6, maximum=0.9),
        "status_thresholds": StatusThresholds(green=0.85, red=0.75),
    }
    return KPI(**(fields | changes))


def test_target_band_is_scored_on_the_distance_outside() -> None:
    # Band [30, 45]; red flag 10 outside. 50 is 5 outside -> 0.5; 25 is 5
    # outside below -> 0.5; 38 inside -> 1; 60 is 15 outside -> 0.
    kpi = _kpi(
        polarity="target_band",
        band=(30, 45),
        scoring=GoalRedFlagScoring(goal=0, red_flag=10),
        status_thresholds=StatusThresholds(green=0, red=5),
    )
    assert [kpi.score(v) for v in (50, 25, 38, 60)] == [0.5, 0.5, 1.0, 0.0]
    assert [kpi.status(v) for v in (38, 45, 47, 50, 51)] == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
    ]
    assert kpi.trend(47, previous=50) == "improving"
    assert kpi.trend(40, previous=32) == "steady"  # both inside
    assert kpi.trend(20, previous=30) == "worsening"


def test_trend_respects_polarity_and_min_change() -> None:
    # Retention in percent, so that the changes are exact in binary.
    higher = _kpi(
        min_change=1,
        scoring=LinearScoring(minimum=60, maximum=90),
        status_thresholds=StatusThresholds(green=85, red=75),
    )
    assert higher.trend(80, previous=78) == "improving"  # +2 > 1
    assert higher.trend(80, previous=79.5) == "steady"  # +0.5
    assert higher.trend(80, previous=81) == "steady"  # |-1| = min_change
    assert higher.trend(78, previous=80) == "worsening"  # -2
    lower = _kpi(
        polarity=L,
        scoring=LinearScoring(minimum=0.02, maximum=0.08),
        status_thresholds=StatusThresholds(green=0.03, red=0.06),
    )
    assert lower.trend(0.04, previous=0.05) == "improving"
    assert lower.trend(0.05, previous=0.04) == "worsening"
    assert lower.trend(0.05, previous=0.05) == "steady"


@pytest.mark.parametrize(
    ("scoring", "worst"),
    [
        (ProgressScoring(baseline=0, target=-5), 0.0),
        (ProgressScoring(baseline=0, target=-5), 1.0),
        (GoalRedFlagScoring(goal=-5, red_flag=0), 0.0),
        (LinearScoring(minimum=-5, maximum=0), 0.0),
        (
            ThresholdTargetStretchScoring(
                threshold=0, target=-5, stretch=-9, threshold_score=0
            ),
            0.0,
        ),
    ],
)
def test_lower_is_better_scores_zero_as_plus_zero(
    scoring: ScoringMethod, worst: float
) -> None:
    # At the worst end of the scale (0 - 0) / (-5 - 0) is -0.0 in IEEE
    # arithmetic; the score must be +0.0, which prints as 0.0 and keeps its
    # sign through 1 / score and copysign.
    kpi = _kpi(
        polarity=L,
        scoring=scoring,
        status_thresholds=StatusThresholds(green=-4, red=-1),
    )
    score = kpi.score(worst)
    assert score == 0.0
    assert math.copysign(1.0, score) == 1.0
    assert math.copysign(1.0, scoring.score(worst, polarity=L)) == 1.0


def test_kpi_status_grey_without_a_value() -> None:
    assert _kpi().status(None) == "grey"


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"name": ""}, ValueError, "KPI `name` must be a non-empty str"),
        ({"name": 3}, TypeError, "KPI `name` must be a str"),
        ({"perspective": ""}, ValueError, "KPI 'retention': `perspective`"),
        ({"polarity": "up"}, ValueError, "KPI 'retention': `polarity` must be one of"),
        ({"weight": -1}, ValueError, "KPI 'retention': `weight` must be >= 0"),
        (
            {"weight": math.inf},
            ValueError,
            "KPI 'retention': `weight` must be a finite",
        ),
        ({"min_change": -0.1}, ValueError, "KPI 'retention': `min_change`"),
        ({"max_age": -1}, ValueError, "KPI 'retention': `max_age`"),
        ({"unit": 5}, TypeError, "KPI 'retention': `unit` must be a str"),
        ({"band": (1, 2)}, ValueError, "KPI 'retention': `band` is only for"),
        ({"scoring": "linear"}, TypeError, "KPI 'retention': `scoring` must be one of"),
        (
            {"status_thresholds": (0.85, 0.75)},
            TypeError,
            "KPI 'retention': `status_thresholds` must be",
        ),
        (
            {"scoring": ProgressScoring(baseline=0.9, target=0.8)},
            ValueError,
            r"KPI 'retention': `scoring.baseline` < `scoring.target`",
        ),
        (
            {"status_thresholds": StatusThresholds(green=0.7, red=0.8)},
            ValueError,
            r"KPI 'retention': `status_thresholds.red` <= `status_thresholds.green`",
        ),
        (
            {"polarity": "target_band"},
            ValueError,
            r"KPI 'retention': `band` must be given",
        ),
        (
            {"polarity": "target_band", "band": (5, 1)},
            ValueError,
            r"KPI 'retention': `band` must have low <= high",
        ),
        (
            {
                "polarity": "target_band",
                "band": (1, 5),
                "scoring": BinaryScoring(target=-1),
                "status_thresholds": StatusThresholds(green=0, red=1),
            },
            ValueError,
            r"KPI 'retention': `scoring.target` must be >= 0 for a target-band",
        ),
    ],
)
def test_kpi_validation_names_the_kpi(
    changes: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        _kpi(**changes)


def test_kpi_dict_round_trip() -> None:
    kpi = _kpi(
        polarity="target_band",
        band=(1, 2),
        scoring=ThresholdTargetStretchScoring(threshold=3, target=2, stretch=1),
        status_thresholds=StatusThresholds(green=1, red=2),
        unit="days",
        weight=2,
        max_age=30,
        description="Days to ship.",
    )
    data = kpi.to_dict()
    assert data["band"] == [1.0, 2.0]
    assert data["scoring"]["method"] == "threshold_target_stretch"
    assert KPI.from_dict(data) == kpi


# --- properties: monotone in the value, scores in range ----------------------

finite = st.floats(-1e6, 1e6, allow_nan=False)


@st.composite
def methods(draw: st.DrawFn) -> tuple[ScoringMethod, Direction]:
    """A scoring method and a polarity it is ordered for."""
    polarity: Direction = draw(st.sampled_from([H, L]))
    points = sorted(draw(st.lists(finite, min_size=3, max_size=3, unique=True)))
    worst_to_best = points if polarity == H else points[::-1]
    a, b, c = worst_to_best
    kind = draw(st.sampled_from(["linear", "progress", "tts", "grf", "binary"]))
    method: ScoringMethod
    if kind == "linear":
        method = LinearScoring(minimum=points[0], maximum=points[2])
    elif kind == "progress":
        method = ProgressScoring(baseline=a, target=c)
    elif kind == "tts":
        method = ThresholdTargetStretchScoring(
            threshold=a,
            target=b,
            stretch=c,
            threshold_score=draw(st.floats(0, 1)),
            cap=draw(st.floats(1, 3)),
        )
    elif kind == "grf":
        method = GoalRedFlagScoring(goal=c, red_flag=a)
    else:
        method = BinaryScoring(target=b)
    return method, polarity


@given(rule=methods(), values=st.lists(finite, min_size=2, max_size=2))
def test_scores_are_monotone_by_polarity(
    rule: tuple[ScoringMethod, Direction], values: list[float]
) -> None:
    method, polarity = rule
    low, high = sorted(values)
    s_low = method.score(low, polarity=polarity)
    s_high = method.score(high, polarity=polarity)
    if polarity == H:
        assert s_low <= s_high
    else:
        assert s_low >= s_high
    cap = getattr(method, "cap", 1.0)
    assert 0.0 <= s_low <= cap
    assert 0.0 <= s_high <= cap
    assert math.copysign(1.0, s_low) == math.copysign(1.0, s_high) == 1.0


@given(
    band=st.lists(finite, min_size=2, max_size=2),
    red_flag=st.floats(1e-3, 1e3),
    values=st.lists(finite, min_size=2, max_size=2),
)
def test_band_scores_fall_with_distance_from_the_band(
    band: list[float], red_flag: float, values: list[float]
) -> None:
    low, high = sorted(band)
    kpi = _kpi(
        polarity="target_band",
        band=(low, high),
        scoring=GoalRedFlagScoring(goal=0, red_flag=red_flag),
        status_thresholds=StatusThresholds(green=0, red=red_flag),
    )
    a, b = sorted(values)
    if b <= low:  # both below the band: the higher one is closer
        assert kpi.score(a) <= kpi.score(b)
    if a >= high:  # both above: the lower one is closer
        assert kpi.score(a) >= kpi.score(b)
    if low <= a <= high:
        assert kpi.score(a) == 1.0
        assert kpi.status(a) == "green"
