"""Every public result class keeps the one result protocol.

The classes are discovered from the subpackages' ``__all__``; each needs a
factory below, so a new public class cannot slip through untested.
"""

from __future__ import annotations

import functools
import importlib
import json
import math
import pickle
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pytest

from custvalue.clv import (
    BGBB,
    BGNBD,
    MBGNBD,
    CustomerSummary,
    DiscreteTimeSummary,
    Fit,
    GammaGamma,
    ParetoNBD,
    SpendFrequencyCorrelation,
    SubscriberLifetimes,
    Transactions,
    calibration_holdout_summary,
    compare_fits,
    customer_lifetime_value,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_mbgnbd,
    fit_pareto_nbd,
    fit_sbg_survivors,
    rfm_summary,
    spend_frequency_correlation,
)
from custvalue.datasets import load_cdnow_summary
from custvalue.evaluation import (
    KPI,
    BalancedScorecard,
    BinaryScoring,
    GoalRedFlagScoring,
    LinearScoring,
    ModelComparison,
    Perspective,
    ProgressScoring,
    StatusThresholds,
    ThresholdTargetStretchScoring,
    cohort_retention,
    decile_table,
    error_metrics,
    frequency_goodness_of_fit,
    gains_curve,
    holdout_comparison,
    lift,
    market_share,
    probability_calibration,
    share_of_wallet,
    tracking,
)
from custvalue.satisfaction import (
    ConfidenceInterval,
    ces,
    compare_nps,
    csat,
    nps,
    nps_by_group,
    nps_from_scores,
    satisfaction_index,
)
from custvalue.segment import (
    SegmentLabels,
    SegmentMap,
    abc_classes,
    customer_pyramid,
    kmeans_segments,
    lifecycle_stages,
    rfm_scores,
    segment_profile,
    value_map,
    value_matrix,
    value_tiers,
)

#: The subpackages whose public attrs classes must keep the protocol.
SUBPACKAGES = (
    "custvalue.segment",
    "custvalue.satisfaction",
    "custvalue.evaluation",
    "custvalue.datasets",
    "custvalue.clv",
)
#: Classes of SUBPACKAGES not yet on the result protocol (none now).
PENDING: frozenset[str] = frozenset()

MODEL = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)


def _public_attrs_classes() -> dict[str, type]:
    found: dict[str, type] = {}
    for name in SUBPACKAGES:
        module = importlib.import_module(name)
        for export in module.__all__:
            obj = getattr(module, export)
            if isinstance(obj, type) and attrs.has(obj) and export not in PENDING:
                found[obj.__name__] = obj
    return found


def _kpi() -> KPI:
    return KPI(
        name="churn",
        perspective="customer",
        polarity="lower_is_better",
        scoring=GoalRedFlagScoring(goal=0.02, red_flag=0.06),
        status_thresholds=StatusThresholds(green=0.03, red=0.05),
        band=None,
    )


def _scorecard() -> BalancedScorecard:
    return BalancedScorecard(kpis=[_kpi()], missing_policy="renormalize")


def _holdout() -> Any:
    return holdout_comparison(
        MODEL,
        [2, 0, 0],
        [30.43, 0.0, 0.0],
        [38.86, 38.86, 38.86],
        [1, 0, 1],
        horizon=39,
    )


def _rfm() -> Any:
    return rfm_scores([1.0, 5.0, 9.0, 3.0], [1, 2, 3, 4], [3.0, 4.0, 5.0, 6.0], bins=2)


def _labels() -> SegmentLabels:
    return SegmentLabels(codes=[0, 0, 1], names=("A", "B", "C"))


@functools.cache
def _cdnow_fits() -> dict[str, Fit[Any]]:
    cdnow = load_cdnow_summary()
    data = (cdnow.frequency, cdnow.recency, cdnow.T)
    repeat = cdnow.frequency > 0
    assert cdnow.monetary_value is not None
    return {
        "BG/NBD": fit_bgnbd(*data),
        "MBG/NBD": fit_mbgnbd(*data),
        "Pareto/NBD": fit_pareto_nbd(*data),
        "Gamma-Gamma": fit_gamma_gamma(
            cdnow.frequency[repeat], cdnow.monetary_value[repeat]
        ),
        "sBG": fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241]),
    }


def _fit_without_errors() -> Fit[Any]:
    """A fit whose covariance is unknown: NaN standard errors and intervals."""
    fit = _cdnow_fits()["sBG"]
    return attrs.evolve(fit, covariance=np.full((2, 2), math.nan))


_IDS = ["ann", "bob", "ann", "cat", "ann", "bob", "dan"]
_DAYS = np.array(
    [
        "2024-01-02T09:30",
        "2024-01-03T12:00",
        "2024-01-20T18:45",
        "2024-01-25T08:00",
        "2024-02-12T10:10",
        "2024-02-20T16:00",
        "2024-02-21T11:00",
    ],
    dtype="datetime64[m]",
)
_AMOUNTS = [20.0, 15.0, 35.5, 8.0, 12.25, 40.0, 5.0]


def _summaries() -> list[CustomerSummary]:
    return [
        load_cdnow_summary(),  # integer ids, monetary value, datetime end, weeks
        CustomerSummary(frequency=[2, 0], recency=[30.43, 0.0], T=[38.86, 38.86]),
        rfm_summary(_IDS, _DAYS, _AMOUNTS, time_unit="hour", merge="hour"),
        rfm_summary([3, 1, 3], [0.5, 1.0, 2.5]),  # plain numbers: no time unit
    ]


def _customer_values() -> list[Any]:
    """Keyed results: P(alive) of CDNOW, and a CLV with an unvalued customer."""
    summary = CustomerSummary(
        frequency=[2, 1, 0],
        recency=[30.43, 5.0, 0.0],
        T=[38.86, 38.86, 38.86],
        monetary_value=[35.0, 0.0, 0.0],
        customer_id=["C17", "C18", "C19"],
        time_unit=np.timedelta64(7, "D"),
    )
    clv = customer_lifetime_value(
        MODEL,
        GammaGamma(p=6.25, q=3.74, gamma=15.44),
        summary,
        horizon="52W",
        discount_rate=0.002,
        invalid="nan",  # C18's repeat purchase was worth $0: NaN
    )
    return [MODEL.probability_alive(load_cdnow_summary()), clv]


def _splits() -> list[Any]:
    return [
        calibration_holdout_summary(  # "dan" is born in the holdout period
            _IDS,
            _DAYS,
            _AMOUNTS,
            calibration_end="2024-01-31",
            observation_end="2024-02-29",
            time_unit=np.timedelta64(7, "D"),
        ),
        calibration_holdout_summary(
            [1, 2, 1], [0.0, 1.0, 3.0], calibration_end=2.0, observation_end=4.0
        ),
    ]


# Each factory returns instances, those that can hold NaN holding one.
FACTORIES: dict[str, Callable[[], list[Any]]] = {
    # segment
    "ABCClasses": lambda: [abc_classes([70.0, 20.0, 10.0])],
    "CustomerPyramid": lambda: [customer_pyramid([50.0, 30.0, 10.0, 5.0, -1.0])],
    "KMeansSegments": lambda: [
        kmeans_segments(
            {"frequency": [9, 8, 0, 1], "monetary_value": [90.0, 80.0, 5.0, 8.0]},
            value="monetary_value",
            n_clusters=2,
            rng=1,
        )
    ],
    "LifecycleStages": lambda: [
        lifecycle_stages(
            [1.0, 10.0, 30.0],
            p_alive=[0.95, 0.4, 0.05],
            lapsed_below=0.1,
            at_risk_below=0.5,
        )
    ],
    "RFMScores": lambda: [_rfm()],
    "ScoreBins": lambda: [_rfm().r_bins],
    "Segment": lambda: [SegmentMap.eleven_segment().segments[0]],
    "SegmentLabels": lambda: [_labels()],
    "SegmentMap": lambda: [SegmentMap.eleven_segment(), SegmentMap.five_segment()],
    "SegmentOverlap": lambda: [SegmentMap.eleven_segment().overlaps[0]],
    "SegmentProfile": lambda: [
        segment_profile(_labels(), monetary_value=[10.0, 30.0, 5.0]),  # NaN mean
    ],
    "ValueMap": lambda: [value_map([6.0, 8.0, 10.0], [8.0, 10.0, 12.0], slope=None)],
    "ValueMatrix": lambda: [value_matrix([1, 3, 5], [10.0, 30.0, 20.0])],
    "ValueTiers": lambda: [value_tiers([5.0, 1.0, 3.0, 7.0], n_tiers=2)],
    # satisfaction
    "ConfidenceInterval": lambda: [
        nps(promoters=5, passives=3, detractors=2).confidence_interval()
    ],
    "ConvergenceReport": lambda: [
        fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241]).convergence
    ],
    "CustomerEffortScore": lambda: [ces([7, 6, 6, 5, 4, 2, 7, 6, 3, 5])],
    "CustomerSatisfactionScore": lambda: [csat([5, 4, 4, 3, 5, 2], scale=5)],
    "NPSByGroup": lambda: [
        nps_by_group([10, 9, 3, 8], ["a", "a", "b", "b"]),
        nps_by_group(  # group "c" answered nothing: NaN score and bounds
            [10, np.nan, 3, 9, np.nan], ["a", "a", "b", "b", "c"], missing="omit"
        ),
    ],
    "NPSComparison": lambda: [
        compare_nps(
            nps(promoters=60, passives=25, detractors=15),
            nps(promoters=70, passives=20, detractors=10),
        )
    ],
    "NetPromoterScore": lambda: [
        nps_from_scores([10, 9, 8, 3, 10]),
    ],
    "SatisfactionIndex": lambda: [satisfaction_index([[10, 10], [1, 1]])],
    # evaluation: models
    "DecileTable": lambda: [
        decile_table([0, 0, 1, 3], [0.1, 0.2, 0.2, 2.0], n_groups=2)
    ],
    "ErrorMetrics": lambda: [
        error_metrics([1, 2], [1, 3]),
        error_metrics([0, 0], [0, 0]),
    ],
    "FrequencyGoodnessOfFit": lambda: [
        frequency_goodness_of_fit(
            MODEL, [0, 1, 2, 0], [0.0, 10.0, 20.0, 0.0], [30.0] * 4, max_frequency=1
        )
    ],
    "GainsCurve": lambda: [gains_curve([0, 0, 10, 30], [1, 3, 3, 4])],
    "HoldoutComparison": lambda: [_holdout()],
    "HoldoutTable": lambda: [_holdout().by_frequency(max_frequency=2)],
    "LiftResult": lambda: [lift([9, 5, 2, 0], [0.9, 0.5, 0.5, 0.1], fraction=0.5)],
    "ModelComparison": lambda: [
        ModelComparison(
            model=["BG/NBD"],
            log_likelihood=[-9582.4],
            n_parameters=[4],
            aic=[19172.8],
            bic=[19195.9],
            chi_square=[4.82],
            degrees_of_freedom=[3],
            p_value=[math.nan],
            mae=[0.5],
            rmse=[0.9],
            bias=[0.01],
            gini=[0.6],
        )
    ],
    "ProbabilityCalibration": lambda: [
        probability_calibration([0.1, 0.4, 0.8, 0.8], [0, 1, 0, 1]),
        probability_calibration([0.5, 0.5], [1, 1]),  # one class: NaN AUC
    ],
    "ReliabilityTable": lambda: [
        probability_calibration([0.1, 0.4, 0.8, 0.8], [0, 1, 0, 1]).reliability
    ],
    "TrackingTable": lambda: [
        tracking(MODEL, ["a", "b", "a"], [0.0, 1.0, 1.5], period_ends=[1, 2, 3])
    ],
    # evaluation: business
    "BalancedScorecard": lambda: [_scorecard()],
    "BinaryScoring": lambda: [BinaryScoring(target=1.0)],
    "CohortRetention": lambda: [
        cohort_retention(  # the unobservable cell is NaN
            ["a", "b", "a", "c"], [0.5, 0.7, 1.2, 1.5], period=1.0, observation_end=3.0
        ),
        cohort_retention(
            ["a", "b", "a"],
            np.array(["2024-01-03", "2024-02-10", "2024-03-01"], dtype="datetime64[D]"),
            period="month",
            observation_end=np.datetime64("2024-04-30"),
        ),
    ],
    "GoalRedFlagScoring": lambda: [GoalRedFlagScoring(goal=0.02, red_flag=0.06)],
    "KPI": lambda: [_kpi()],
    "KPIResult": lambda: list(_scorecard().score({"churn": 0.04}).kpis),
    "LinearScoring": lambda: [LinearScoring(minimum=0.6, maximum=0.9)],
    "MarketShareDecomposition": lambda: [
        market_share(
            brand_sales=6_000,
            category_sales=50_000,
            brand_buyers=2_000,
            category_buyers=10_000,
            category_sales_to_brand_buyers=15_000,
        )
    ],
    "Perspective": lambda: [Perspective(name="customer", weight=2)],
    "PerspectiveResult": lambda: list(_scorecard().score({"churn": None}).perspectives),
    "ProgressScoring": lambda: [ProgressScoring(baseline=0.1, target=0.2)],
    "ScorecardResult": lambda: [
        _scorecard().score({"churn": 0.04}),
        _scorecard().score({"churn": None}),
    ],
    "ShareOfWallet": lambda: [share_of_wallet([20.0, 50.0], [100.0, 50.0])],
    "StatusThresholds": lambda: [StatusThresholds(green=0.03, red=0.05)],
    "ThresholdTargetStretchScoring": lambda: [
        ThresholdTargetStretchScoring(threshold=0.1, target=0.2, stretch=0.3)
    ],
    # clv: models
    "BGNBD": lambda: [MODEL, _cdnow_fits()["BG/NBD"].model],
    "MBGNBD": lambda: [
        MBGNBD(r=0.525, alpha=6.183, a=0.891, b=1.614),
        _cdnow_fits()["MBG/NBD"].model,
    ],
    "ParetoNBD": lambda: [
        ParetoNBD(r=0.553, alpha=10.578, s=0.606, beta=11.669),
        _cdnow_fits()["Pareto/NBD"].model,
    ],
    "BGBB": lambda: [BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)],
    "ShiftedBetaGeometric": lambda: [_cdnow_fits()["sBG"].model],
    "GammaGamma": lambda: [
        GammaGamma(p=6.25, q=3.74, gamma=15.44),
        _cdnow_fits()["Gamma-Gamma"].model,
    ],
    "SubscriberLifetimes": lambda: [
        SubscriberLifetimes(lifetime=[1, 3, 5], churned=[True, False, True])
    ],
    # clv: fits
    "Fit": lambda: [*_cdnow_fits().values(), _fit_without_errors()],
    "FitSummary": lambda: [
        _cdnow_fits()["BG/NBD"].summary(confidence_level=0.9),
        _fit_without_errors().summary(),  # NaN standard errors, infinite bounds
    ],
    "FitComparison": lambda: [
        compare_fits({k: _cdnow_fits()[k] for k in ("BG/NBD", "MBG/NBD")})
    ],
    "SpendFrequencyCorrelation": lambda: [
        spend_frequency_correlation(
            load_cdnow_summary().frequency,
            np.asarray(load_cdnow_summary().monetary_value),
            method="spearman",
        ),
        SpendFrequencyCorrelation(  # one repeat customer: no correlation
            correlation=math.nan, p_value=math.nan, n_customers=1, method="pearson"
        ),
    ],
    # clv: data
    "CustomerSummary": _summaries,
    "CustomerValues": lambda: _customer_values(),
    "CalibrationHoldoutSummary": _splits,
    "DiscreteTimeSummary": lambda: [
        DiscreteTimeSummary(
            frequency=[0, 1, 2],
            recency=[0, 3, 4],
            n_opportunities=[5, 5, 5],
            counts=[4, 2, 1],
        )
    ],
    "Transactions": lambda: [
        Transactions(
            customer_id=["a", "b"],
            timestamp=np.array(["1997-01-01", "1997-02-03"], dtype="datetime64[D]"),
            amount=[10.0, math.nan],
            quantity=[1, 2],
        )
    ],
}

CLASSES = _public_attrs_classes()
CASES = [
    pytest.param(instance, id=f"{name}-{i}")
    for name in sorted(CLASSES)
    if name in FACTORIES
    for i, instance in enumerate(FACTORIES[name]())
]


def test_every_public_result_class_has_a_factory() -> None:
    missing = sorted(set(CLASSES) - set(FACTORIES))
    assert not missing, f"add factories to FACTORIES for {missing}"
    assert not sorted(set(FACTORIES) - set(CLASSES)), "stale factories"


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factories_build_their_class(name: str) -> None:
    assert all(type(x) is CLASSES[name] for x in FACTORIES[name]())


@pytest.mark.parametrize("result", CASES)
def test_equal_to_itself_and_to_its_pickle(result: Any) -> None:
    assert result == result
    assert pickle.loads(pickle.dumps(result)) == result


@pytest.mark.parametrize("result", CASES)
def test_repr_is_one_short_line(result: Any) -> None:
    text = repr(result)
    assert "\n" not in text
    assert len(text) <= 200
    assert text.startswith(type(result).__name__ + "(")


@pytest.mark.parametrize("result", CASES)
def test_repr_html_is_a_table(result: Any) -> None:
    text = result._repr_html_()
    assert text.startswith("<")
    assert "<table" in text


@pytest.mark.parametrize("result", CASES)
def test_to_dict_round_trips_through_json(result: Any) -> None:
    data = result.to_dict()
    # NaN and infinity stay floats: json writes NaN/Infinity (allow_nan=True)
    text = json.dumps(data, allow_nan=True)
    assert type(result).from_dict(json.loads(text)) == result
    assert type(result).from_dict(data) == result


def test_nan_holding_results_are_equal_to_equal_copies() -> None:
    # These compared unequal to themselves before arrays compared NaN-safely.
    by_group = FACTORIES["NPSByGroup"]()[1]
    assert np.isnan(by_group.low).any()
    assert by_group == FACTORIES["NPSByGroup"]()[1]
    scores = rfm_scores(
        [1.0, 5.0, 9.0, 3.0], [1, 2, 3, 4], [3.0, 4.0, 5.0, 6.0], bins=2
    )
    bins = attrs.evolve(scores.r_bins, cut_points=np.array([math.nan]))
    with_nan = attrs.evolve(scores, r_bins=bins)
    assert with_nan == attrs.evolve(scores, r_bins=bins)
    assert with_nan != scores


def test_to_dict_is_plain_columns() -> None:
    data = FACTORIES["NPSByGroup"]()[0].to_dict()
    assert data["group"] == ["a", "b"]
    assert type(data["n_respondents"][0]) is int
    assert len({len(v) for v in data.values() if isinstance(v, list)}) == 1


def test_from_dict_rejects_unknown_keys() -> None:
    data = ConfidenceInterval(low=1.0, high=2.0, confidence_level=0.9).to_dict()
    with pytest.raises(ValueError, match=r"unknown key 'hgih'"):
        ConfidenceInterval.from_dict(data | {"hgih": 3.0})
    with pytest.raises(TypeError, match=r"`data` must be a dict"):
        ConfidenceInterval.from_dict([1.0, 2.0])


def test_headline_repr_examples() -> None:
    assert repr(ConfidenceInterval(low=1.0, high=2.5, confidence_level=0.9)) == (
        "ConfidenceInterval(low=1.0, high=2.5, confidence_level=0.9)"
    )
    table = FACTORIES["DecileTable"]()[0]
    assert repr(table).startswith("DecileTable(2 rows: decile, n_customers")


def test_html_leads_with_the_headline_and_plain_names() -> None:
    # A new user's notebook showed NPS counts but not the score, and model
    # names as np.str_('BG/NBD').
    result = nps(promoters=90, passives=30, detractors=20)
    page = result._repr_html_()
    assert "score=50.0" in page
    assert "95% CI" in page
    names = tuple(np.array(["BG/NBD", "Pareto/NBD", "MBG/NBD", "BG/BB"]))
    from custvalue._lib.fields import _cell, _short

    assert _short(names[0]) == "'BG/NBD'"
    assert _cell(names) == "BG/NBD, Pareto/NBD, MBG/NBD, BG/BB"
