"""Balanced scorecard: roll-up by hand, missing and stale data, validation."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

from custvalue.evaluation import (
    CLASSIC_PERSPECTIVES,
    KPI,
    BalancedScorecard,
    BinaryScoring,
    GoalRedFlagScoring,
    LinearScoring,
    Perspective,
    ProgressScoring,
    StatusThresholds,
    ThresholdTargetStretchScoring,
)


def _kpi(name: str, perspective: str, **changes: Any) -> KPI:
    fields: dict[str, Any] = {
        "name": name,
        "perspective": perspective,
        "polarity": "higher_is_better",
        "scoring": LinearScoring(minimum=0, maximum=100),
        "status_thresholds": StatusThresholds(green=80, red=50),
    }
    return KPI(**(fields | changes))


def _card(policy: str = "renormalize", **changes: Any) -> BalancedScorecard:
    fields: dict[str, Any] = {
        "kpis": [
            _kpi("revenue growth", "financial", weight=3),
            _kpi("margin", "financial", weight=1),
            _kpi("retention", "customer", weight=1),
            _kpi("NPS", "customer", weight=1),
            _kpi("training hours", "learning_and_growth", weight=0.5),
        ],
        "missing_policy": policy,
        "perspectives": [
            Perspective(name="financial", weight=2),
            Perspective(name="customer", weight=1),
            Perspective(name="learning_and_growth", weight=1),
        ],
        "score_status": StatusThresholds(green=0.8, red=0.5),
    }
    return BalancedScorecard(**(fields | changes))


VALUES: dict[str, float | None] = {
    "revenue growth": 60,
    "margin": 100,
    "retention": 90,
    "NPS": 30,
    "training hours": 50,
}

# --- roll-up by hand ---------------------------------------------------------


def test_roll_up_by_hand() -> None:
    # Scores are value/100. Financial: (3 * 0.6 + 1 * 1.0)/4 = 0.7.
    # Customer: (0.9 + 0.3)/2 = 0.6. Learning: 0.5 (weight 0.5 of 0.5).
    # Overall: (2 * 0.7 + 1 * 0.6 + 1 * 0.5)/4 = 0.625.
    result = _card().score(VALUES)
    assert [k.score for k in result.kpis] == [0.6, 1.0, 0.9, 0.3, 0.5]
    assert [k.weight for k in result.kpis] == [0.75, 0.25, 0.5, 0.5, 1.0]
    assert [p.score for p in result.perspectives] == pytest.approx([0.7, 0.6, 0.5])
    assert [p.weight for p in result.perspectives] == [0.5, 0.25, 0.25]
    assert result.score == pytest.approx(0.625, rel=1e-15)
    # Status from explicit value thresholds (green >= 80, red < 50) and, for
    # perspectives and overall, score thresholds (green >= 0.8, red < 0.5).
    assert [k.status for k in result.kpis] == [
        "amber",
        "green",
        "green",
        "red",
        "amber",
    ]
    assert [p.status for p in result.perspectives] == ["amber", "amber", "amber"]
    assert result.status == "amber"


def test_missing_kpi_renormalized() -> None:
    # NPS missing: customer = retention alone = 0.9; overall
    # (2 * 0.7 + 0.9 + 0.5)/4 = 0.7.
    result = _card("renormalize").score(VALUES | {"NPS": None})
    nps = result.kpi("NPS")
    assert (nps.value, nps.score, nps.status, nps.trend) == (None, None, "grey", None)
    customer = result.perspective("customer")
    assert customer.score == 0.9
    assert (customer.n_kpis, customer.n_scored) == (2, 1)
    assert result.score == pytest.approx(0.7, rel=1e-15)


def test_whole_perspective_missing_renormalized() -> None:
    # No customer data: overall over financial and learning only,
    # (2 * 0.7 + 1 * 0.5)/3.
    result = _card("renormalize").score(VALUES | {"NPS": None, "retention": None})
    assert result.perspective("customer").score is None
    assert result.perspective("customer").status == "grey"
    assert result.score == pytest.approx((2 * 0.7 + 0.5) / 3, rel=1e-15)


def test_missing_kpi_propagated() -> None:
    result = _card("propagate").score(VALUES | {"NPS": None})
    assert result.perspective("customer").score is None
    assert result.perspective("financial").score == pytest.approx(0.7)
    assert result.score is None
    assert result.status == "grey"


def test_zero_weight_kpi_never_affects_its_parent() -> None:
    kpis = [*_card().kpis, _kpi("complaints", "customer", weight=0)]
    for policy in ("renormalize", "propagate"):
        card = _card(policy, kpis=kpis)
        with_value = card.score(VALUES | {"complaints": 10})
        without = card.score(VALUES | {"complaints": None})
        assert with_value.score == without.score == _card().score(VALUES).score
        assert with_value.kpi("complaints").score == 0.1  # still scored


def test_only_zero_weight_data_means_no_score() -> None:
    # Customer perspective: retention and NPS missing, only the zero-weight
    # KPI has a value: nothing with weight to average, so "no data".
    kpis = [*_card().kpis, _kpi("complaints", "customer", weight=0)]
    card = _card("renormalize", kpis=kpis)
    values = VALUES | {"retention": None, "NPS": None, "complaints": 10}
    result = card.score(values)
    assert result.perspective("customer").score is None
    assert result.perspective("customer").n_scored == 1
    assert result.score == pytest.approx((2 * 0.7 + 0.5) / 3, rel=1e-15)


def test_all_missing_means_no_score() -> None:
    result = _card().score(dict.fromkeys(VALUES))
    assert result.score is None
    assert all(p.score is None for p in result.perspectives)


def test_stale_values_are_grey_and_unscored() -> None:
    card = _card(
        kpis=[*_card().kpis[:3], _kpi("NPS", "customer", max_age=90), _card().kpis[4]]
    )
    # NPS measured 120 days ago, allowed 90: stale. Its value is reported.
    result = card.score(VALUES, ages={"NPS": 120})
    nps = result.kpi("NPS")
    assert (nps.value, nps.score, nps.status, nps.stale) == (30, None, "grey", True)
    assert result.perspective("customer").score == 0.9
    fresh = card.score(VALUES, ages={"NPS": 90}).kpi("NPS")  # exactly max_age
    assert (fresh.stale, fresh.score, fresh.status) == (False, 0.3, "red")
    with pytest.raises(ValueError, match="must give the age of KPI 'NPS'"):
        card.score(VALUES)
    with pytest.raises(ValueError, match=">= 0"):
        card.score(VALUES, ages={"NPS": -1})
    # A missing value needs no age.
    assert card.score(VALUES | {"NPS": None}).kpi("NPS").status == "grey"


def test_trends_against_the_previous_period() -> None:
    card = _card(
        kpis=[
            _kpi("revenue growth", "financial", min_change=5),
            _kpi(
                "churn",
                "customer",
                polarity="lower_is_better",
                status_thresholds=StatusThresholds(green=20, red=50),
            ),
        ],
        perspectives=None,
    )
    result = card.score(
        {"revenue growth": 60, "churn": 30}, previous={"revenue growth": 57}
    )
    growth = result.kpi("revenue growth")
    assert (growth.previous, growth.change, growth.trend) == (57, 3, "steady")
    assert result.kpi("churn").trend is None  # no previous value
    result = card.score(
        {"revenue growth": 50, "churn": 30},
        previous={"revenue growth": 57, "churn": 35},
    )
    assert result.kpi("revenue growth").trend == "worsening"
    assert result.kpi("churn").trend == "improving"  # lower churn is better
    assert result.kpi("churn").change == -5


def test_result_is_plain_frozen_data() -> None:
    result = _card().score(VALUES, previous={"NPS": 20})
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["kpis"][3]["trend"] == "improving"
    assert pickle.loads(pickle.dumps(result)) == result
    with pytest.raises(AttributeError):
        result.score = 1.0  # type: ignore[misc]
    with pytest.raises(KeyError, match="no KPI named 'nps'"):
        result.kpi("nps")
    with pytest.raises(KeyError, match="no perspective named"):
        result.perspective("internal_process")


def test_without_score_status_perspectives_have_no_colour() -> None:
    result = _card(score_status=None).score(VALUES)
    assert result.status is None
    assert all(p.status is None for p in result.perspectives)


def test_default_perspectives_classic_order_then_custom() -> None:
    card = BalancedScorecard(
        kpis=[
            _kpi("a", "partners"),
            _kpi("b", "learning_and_growth"),
            _kpi("c", "financial"),
            _kpi("d", "community"),
            _kpi("e", "partners"),
        ],
        missing_policy="propagate",
    )
    assert [p.name for p in card.perspectives] == [
        "financial",
        "learning_and_growth",
        "partners",
        "community",
    ]
    assert all(p.weight == 1.0 for p in card.perspectives)
    assert BalancedScorecard.classic_perspectives == CLASSIC_PERSPECTIVES


def test_every_scoring_method_in_one_scorecard() -> None:
    # Hand values: linear (45 - 0)/100 = 0.45; progress (6.5 - 8)/(5 - 8) = 0.5;
    # threshold/target/stretch at the target = 1; goal/red flag (30 - 0)/40 =
    # 0.75; binary met = 1. Customer = mean of 0.5, 0.75, 1 = 0.75;
    # financial = (0.45 + 1)/2 = 0.725; overall (0.725 + 0.75)/2 = 0.7375.
    card = BalancedScorecard(
        kpis=[
            _kpi("share", "financial"),
            _kpi(
                "churn",
                "customer",
                polarity="lower_is_better",
                scoring=ProgressScoring(baseline=8, target=5),
                status_thresholds=StatusThresholds(green=5.5, red=7),
            ),
            _kpi(
                "ROI",
                "financial",
                scoring=ThresholdTargetStretchScoring(
                    threshold=10, target=20, stretch=30
                ),
                status_thresholds=StatusThresholds(green=20, red=10),
            ),
            _kpi(
                "NPS",
                "customer",
                scoring=GoalRedFlagScoring(goal=40, red_flag=0),
                status_thresholds=StatusThresholds(green=30, red=10),
            ),
            _kpi(
                "repeat",
                "customer",
                scoring=BinaryScoring(target=40),
                status_thresholds=StatusThresholds(green=40, red=30),
            ),
        ],
        missing_policy="propagate",
    )
    result = card.score({"share": 45, "churn": 6.5, "ROI": 20, "NPS": 30, "repeat": 41})
    assert [k.score for k in result.kpis] == [0.45, 0.5, 1.0, 0.75, 1.0]
    assert [k.status for k in result.kpis] == [
        "red",
        "amber",
        "green",
        "green",
        "green",
    ]
    assert result.perspective("financial").score == pytest.approx(0.725, rel=1e-15)
    assert result.perspective("customer").score == pytest.approx(0.75, rel=1e-15)
    assert result.score == pytest.approx(0.7375, rel=1e-15)


# --- values passed to score() ------------------------------------------------


def test_values_must_cover_every_kpi_by_name() -> None:
    card = _card()
    with pytest.raises(ValueError, match=r"1 of 5 are absent \(first: 'NPS'\)"):
        card.score({k: v for k, v in VALUES.items() if k != "NPS"})
    with pytest.raises(ValueError, match=r"not KPIs of the scorecard.*'nps'"):
        card.score(VALUES | {"nps": 3})
    with pytest.raises(ValueError, match="Use None for a missing value"):
        card.score(VALUES | {"NPS": float("nan")})
    with pytest.raises(TypeError, match="real number"):
        card.score(VALUES | {"NPS": "30"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a mapping"):
        card.score([30, 40])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`previous` has 1 name"):
        card.score(VALUES, previous={"churn": 3})


# --- validation when the scorecard is built ---------------------------------


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"kpis": []}, ValueError, "at least one KPI"),
        ({"kpis": ["NPS"]}, TypeError, "must hold KPI objects"),
        (
            {"kpis": [_kpi("NPS", "customer"), _kpi("NPS", "financial")]},
            ValueError,
            "KPI 'NPS' appears 2 times",
        ),
        (
            {"kpis": [_kpi("NPS", "custmer")], "perspectives": ["customer"]},
            ValueError,
            "KPI 'NPS' is assigned to perspective 'custmer'",
        ),
        (
            {
                "kpis": [_kpi("NPS", "customer")],
                "perspectives": ["customer", "financial"],
            },
            ValueError,
            "perspective 'financial' has no KPIs",
        ),
        (
            {
                "kpis": [
                    _kpi("NPS", "customer", weight=0),
                    _kpi("CSAT", "customer", weight=0),
                ],
                "perspectives": None,
            },
            ValueError,
            r"perspective 'customer': KPI weights must have a positive sum; "
            r"KPIs \['NPS', 'CSAT'\]",
        ),
        (
            {
                "kpis": [_kpi("NPS", "customer")],
                "perspectives": [Perspective(name="customer", weight=0)],
            },
            ValueError,
            "perspective weights must have a positive sum",
        ),
        (
            {
                "perspectives": [
                    "financial",
                    "customer",
                    "financial",
                    "learning_and_growth",
                ]
            },
            ValueError,
            "perspective 'financial' is listed 2 times",
        ),
        (
            {"score_status": StatusThresholds(green=0.5, red=0.8)},
            ValueError,
            r"`score_status.red` <= `score_status.green`",
        ),
        ({"score_status": (0.8, 0.5)}, TypeError, "`score_status` must be"),
        ({"name": 5}, TypeError, "`name` must be a str"),
        ({"perspectives": "customer"}, TypeError, "got the str"),
    ],
)
def test_invalid_scorecards(
    changes: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        _card(**changes)


def test_missing_policy_is_explicit() -> None:
    with pytest.raises(TypeError, match="missing_policy"):
        BalancedScorecard(kpis=[_kpi("NPS", "customer")])  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="`missing_policy` must be one of"):
        _card("skip")


def test_perspective_validation() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        Perspective(name=" ")
    with pytest.raises(
        ValueError, match="perspective 'customer': `weight` must be >= 0"
    ):
        Perspective(name="customer", weight=-1)


# --- dict form ---------------------------------------------------------------


def test_dict_round_trip_and_json() -> None:
    card = _card(name="Q3 review")
    data = card.to_dict()
    assert BalancedScorecard.from_dict(data) == card
    assert BalancedScorecard.from_dict(json.loads(json.dumps(data))) == card
    assert BalancedScorecard.from_dict(data).to_dict() == data


def test_from_dict_fills_defaults() -> None:
    card = BalancedScorecard.from_dict(
        {
            "missing_policy": "renormalize",
            "kpis": [
                {
                    "name": "NPS",
                    "perspective": "customer",
                    "polarity": "higher_is_better",
                    "scoring": {
                        "method": "threshold_target_stretch",
                        "threshold": 0,
                        "target": 30,
                        "stretch": 50,
                    },
                    "status_thresholds": {"green": 30, "red": 0},
                }
            ],
        }
    )
    kpi = card.kpi("NPS")
    assert kpi.weight == 1.0
    assert kpi.unit == ""
    assert kpi.max_age is None
    assert kpi.scoring == ThresholdTargetStretchScoring(
        threshold=0, target=30, stretch=50, threshold_score=0.5, cap=1.5
    )
    assert card.score_status is None
    assert card.name == ""
    with pytest.raises(KeyError, match="no KPI named 'CSAT'"):
        card.kpi("CSAT")


@pytest.mark.parametrize(
    ("edit", "error", "match"),
    [
        (
            lambda d: d | {"colour": "blue"},
            ValueError,
            "scorecard has unknown key 'colour'",
        ),
        (
            lambda d: {k: v for k, v in d.items() if k != "kpis"},
            ValueError,
            "must have the key 'kpis'",
        ),
        (lambda d: d | {"kpis": "NPS"}, TypeError, "list of KPI dicts"),
        (
            lambda d: d | {"perspectives": {"customer": 1}},
            TypeError,
            "list of perspective dicts",
        ),
        (
            lambda d: d | {"perspectives": [{"name": "customer", "wieght": 2}]},
            ValueError,
            "perspective 0 has unknown key 'wieght'",
        ),
        (
            lambda d: d | {"score_status": {"green": 0.8}},
            ValueError,
            "score_status` must have the key 'red'",
        ),
        (
            lambda d: d | {"kpis": [d["kpis"][0] | {"weigth": 2}]},
            ValueError,
            "KPI 'NPS' has unknown key 'weigth'",
        ),
        (
            lambda d: (
                d
                | {"kpis": [{k: v for k, v in d["kpis"][0].items() if k != "polarity"}]}
            ),
            ValueError,
            "KPI 'NPS' must have the key 'polarity'",
        ),
        (
            lambda d: d | {"kpis": [d["kpis"][0] | {"scoring": {"method": "sigmoid"}}]},
            ValueError,
            "KPI 'NPS': `scoring` must be a dict whose 'method'",
        ),
        (
            lambda d: (
                d
                | {
                    "kpis": [
                        d["kpis"][0] | {"scoring": {"method": "binary", "goal": 3}}
                    ]
                }
            ),
            ValueError,
            "KPI 'NPS': `scoring` has unknown key 'goal'",
        ),
        (
            lambda d: (
                d
                | {
                    "kpis": [
                        d["kpis"][0]
                        | {"scoring": {"method": "linear", "minimum": 9, "maximum": 1}}
                    ]
                }
            ),
            ValueError,
            "KPI 'NPS': `minimum` must be < `maximum`",
        ),
        (
            lambda d: (
                d
                | {
                    "kpis": [
                        d["kpis"][0]
                        | {"status_thresholds": {"green": "high", "red": 1}}
                    ]
                }
            ),
            TypeError,
            "KPI 'NPS': `status_thresholds`: `green` must be a real number",
        ),
        (lambda d: d | {"kpis": [3]}, TypeError, "KPI must be a dict"),
        (lambda d: [d], TypeError, "scorecard must be a dict"),
    ],
)
def test_from_dict_rejects_what_it_does_not_understand(
    edit: Any, error: type[Exception], match: str
) -> None:
    data = BalancedScorecard(
        kpis=[_kpi("NPS", "customer", scoring=BinaryScoring(target=30))],
        missing_policy="propagate",
    ).to_dict()
    with pytest.raises(error, match=match):
        BalancedScorecard.from_dict(edit(data))


# --- None or a wrong type: TypeError naming the argument ----------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: _card(kpis=None), r"`kpis` must be a sequence of KPI"),
        (lambda: _card(kpis=5), r"`kpis` must be a sequence of KPI"),
        (lambda: _card(kpis="revenue"), r"`kpis` must be a sequence of KPI"),
        (lambda: _card(perspectives=5), r"`perspectives` must be a sequence"),
        (lambda: _card(policy=None), r"`missing_policy` must be one of"),  # type: ignore[arg-type]
        (lambda: _card().score(None), r"`values` must be a mapping"),  # type: ignore[arg-type]
        (lambda: _card().score(VALUES, previous=3), r"`previous` must be a mapping"),  # type: ignore[arg-type]
        (lambda: _card().kpi(None), r"`name` must be a str naming a KPI"),  # type: ignore[arg-type]
        (lambda: _kpi("x", "customer", polarity=None), r"`polarity` must be one of"),
        (lambda: _kpi("x", "customer", scoring=None), r"`scoring` must be one of"),
        (lambda: _kpi("x", "customer").score(None), r"`value` must be a real number"),  # type: ignore[arg-type]
        (
            lambda: LinearScoring(minimum=0, maximum=1).score(1, polarity=None),  # type: ignore[arg-type]
            r"`polarity` must be 'higher_is_better'",
        ),
    ],
)
def test_none_or_wrong_type_is_a_type_error_naming_the_argument(
    build: Any, message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        build()
