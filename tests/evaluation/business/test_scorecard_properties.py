"""Scorecard properties: exact dict round trip, roll-up invariants."""

from __future__ import annotations

import json
import math
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.evaluation import (
    KPI,
    BalancedScorecard,
    BinaryScoring,
    GoalRedFlagScoring,
    LinearScoring,
    Perspective,
    ProgressScoring,
    ScoringMethod,
    StatusThresholds,
    ThresholdTargetStretchScoring,
)

PERSPECTIVES = [
    "financial",
    "customer",
    "internal_process",
    "learning_and_growth",
    "partners",
]
numbers = st.floats(-1e9, 1e9, allow_nan=False)
texts = st.text(max_size=12)


@st.composite
def kpis(draw: st.DrawFn, name: str, perspective: str) -> KPI:
    """A valid KPI of any polarity and scoring method."""
    polarity = draw(
        st.sampled_from(["higher_is_better", "lower_is_better", "target_band"])
    )
    if polarity == "target_band":  # parameters are distances >= 0
        points = sorted(
            draw(st.lists(st.floats(0, 1e6), min_size=3, max_size=3, unique=True))
        )
        low, high = sorted(draw(st.lists(numbers, min_size=2, max_size=2)))
        band: tuple[float, float] | None = (low, high)
    else:
        points = sorted(draw(st.lists(numbers, min_size=3, max_size=3, unique=True)))
        band = None
    # Worst to best: increasing for higher-is-better, decreasing otherwise.
    a, b, c = points if polarity == "higher_is_better" else points[::-1]
    kind = draw(st.sampled_from(["linear", "progress", "tts", "grf", "binary"]))
    scoring: ScoringMethod
    if kind == "linear":
        scoring = LinearScoring(minimum=points[0], maximum=points[2])
    elif kind == "progress":
        scoring = ProgressScoring(baseline=a, target=c)
    elif kind == "tts":
        scoring = ThresholdTargetStretchScoring(
            threshold=a,
            target=b,
            stretch=c,
            threshold_score=draw(st.floats(0, 1)),
            cap=draw(st.floats(1, 5)),
        )
    elif kind == "grf":
        scoring = GoalRedFlagScoring(goal=c, red_flag=a)
    else:
        scoring = BinaryScoring(target=b)
    red, green = (a, b) if draw(st.booleans()) else (b, b)
    return KPI(
        name=name,
        perspective=perspective,
        polarity=polarity,  # type: ignore[arg-type]
        scoring=scoring,
        status_thresholds=StatusThresholds(green=green, red=red),
        unit=draw(texts),
        weight=draw(st.floats(0.0, 100.0)),
        band=band,
        min_change=draw(st.floats(0.0, 1e3)),
        max_age=draw(st.none() | st.floats(0.0, 1e3)),
        description=draw(texts),
    )


@st.composite
def scorecards(draw: st.DrawFn) -> BalancedScorecard:
    """A valid scorecard: unique names, every perspective with weight."""
    names = draw(
        st.lists(
            st.text(min_size=1, max_size=8).filter(str.strip),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    used = [draw(st.sampled_from(PERSPECTIVES)) for _ in names]
    members = [draw(kpis(n, p)) for n, p in zip(names, used, strict=True)]
    # Make sure every perspective's weights have a positive sum.
    first: dict[str, int] = {}
    for i, kpi in enumerate(members):
        first.setdefault(kpi.perspective, i)
    members = [
        attrs.evolve(k, weight=k.weight + 1.0) if first[k.perspective] == i else k
        for i, k in enumerate(members)
    ]
    perspectives = None
    if draw(st.booleans()):
        order = draw(st.permutations(list(dict.fromkeys(used))))
        perspectives = [
            Perspective(name=p, weight=draw(st.floats(0.5, 10))) for p in order
        ]
    status = None
    if draw(st.booleans()):
        red, green = sorted(draw(st.lists(st.floats(0, 2), min_size=2, max_size=2)))
        status = StatusThresholds(green=green, red=red)
    return BalancedScorecard(
        kpis=members,
        missing_policy=draw(st.sampled_from(["renormalize", "propagate"])),
        perspectives=perspectives,
        score_status=status,
        name=draw(texts),
    )


@given(scorecards())
def test_dict_round_trip_is_exact(card: BalancedScorecard) -> None:
    data = card.to_dict()
    assert BalancedScorecard.from_dict(data) == card
    assert BalancedScorecard.from_dict(data).to_dict() == data
    # JSON keeps floats exactly (shortest repr round-trips).
    through_json = json.loads(json.dumps(data))
    assert through_json == data
    assert BalancedScorecard.from_dict(through_json) == card


def _same_scores(card: BalancedScorecard, score: float) -> dict[str, float | None]:
    return dict.fromkeys((k.name for k in card.kpis), score)


@given(
    weights=st.lists(st.floats(0.0, 10.0), min_size=1, max_size=8),
    groups=st.lists(st.sampled_from(PERSPECTIVES), min_size=8, max_size=8),
    perspective_weights=st.lists(st.floats(0.1, 10.0), min_size=5, max_size=5),
    score=st.floats(0.0, 1.0),
    missing=st.lists(st.booleans(), min_size=8, max_size=8),
    policy=st.sampled_from(["renormalize", "propagate"]),
)
def test_identical_scores_roll_up_to_that_score(
    weights: list[float],
    groups: list[str],
    perspective_weights: list[float],
    score: float,
    missing: list[bool],
    policy: str,
) -> None:
    # Linear scoring on [0, 1], higher is better: value v scores exactly v.
    members = [
        KPI(
            name=f"k{i}",
            perspective=groups[i],
            polarity="higher_is_better",
            scoring=LinearScoring(minimum=0, maximum=1),
            status_thresholds=StatusThresholds(green=0.8, red=0.5),
            weight=w + (1.0 if i == 0 else 0.0),
        )
        for i, w in enumerate(weights)
    ]
    used = list(dict.fromkeys(k.perspective for k in members))
    for p in used:  # a positive weight in every perspective
        if sum(k.weight for k in members if k.perspective == p) == 0:
            j = next(i for i, k in enumerate(members) if k.perspective == p)
            members[j] = attrs.evolve(members[j], weight=1.0)
    card = BalancedScorecard(
        kpis=members,
        missing_policy=policy,  # type: ignore[arg-type]
        perspectives=[
            Perspective(name=p, weight=perspective_weights[PERSPECTIVES.index(p)])
            for p in used
        ],
    )
    values: dict[str, float | None] = {
        k.name: None if gone else score
        for k, gone in zip(members, missing, strict=False)
    }
    result = card.score(values)
    for perspective in result.perspectives:
        assert perspective.score is None or perspective.score == score
    assert result.score is None or result.score == score
    if not any(missing[: len(members)]):
        assert result.score == score


@given(
    card=scorecards(),
    factor=st.floats(1e-3, 1e3),
    data=st.data(),
)
def test_scaling_all_weights_changes_nothing(
    card: BalancedScorecard, factor: float, data: st.DataObject
) -> None:
    values: dict[str, float | None] = {
        k.name: data.draw(st.none() | numbers, label=k.name) for k in card.kpis
    }
    ages = {k.name: 0.0 for k in card.kpis}
    scaled = attrs.evolve(
        card,
        kpis=[attrs.evolve(k, weight=k.weight * factor) for k in card.kpis],
        perspectives=[
            attrs.evolve(p, weight=p.weight * factor) for p in card.perspectives
        ],
    )
    before = card.score(values, ages=ages)
    after = scaled.score(values, ages=ages)
    for a, b in zip(before.kpis, after.kpis, strict=True):
        assert a.score == b.score
        assert a.status == b.status
        assert a.weight == pytest.approx(b.weight, rel=1e-12)
    for p, q in zip(before.perspectives, after.perspectives, strict=True):
        assert (p.score is None) == (q.score is None)
        if p.score is not None and q.score is not None:
            assert p.score == pytest.approx(q.score, rel=1e-9, abs=1e-12)
    assert (before.score is None) == (after.score is None)
    if before.score is not None and after.score is not None:
        assert before.score == pytest.approx(after.score, rel=1e-9, abs=1e-12)


@given(card=scorecards(), data=st.data())
def test_scores_lie_between_zero_and_the_largest_cap(
    card: BalancedScorecard, data: st.DataObject
) -> None:
    values: dict[str, Any] = {
        k.name: data.draw(numbers, label=k.name) for k in card.kpis
    }
    result = card.score(values, ages={k.name: 0.0 for k in card.kpis})
    cap = max(getattr(k.scoring, "cap", 1.0) for k in card.kpis)
    scores = [k.score for k in result.kpis] + [p.score for p in result.perspectives]
    for s in [*scores, result.score]:
        assert s is not None
        assert 0.0 <= s <= cap * (1 + 1e-12)
    assert all(k.status in {"green", "amber", "red"} for k in result.kpis)
    assert math.isclose(sum(p.weight for p in result.perspectives), 1.0, rel_tol=1e-12)
