"""Hypothesis properties of the NPS, its intervals and its segment version."""

from __future__ import annotations

from typing import Literal

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from custvalue._lib.intervals import normal_quantile
from custvalue.satisfaction import (
    NetPromoterScore,
    compare_nps,
    csat,
    nps,
    nps_by_group,
    nps_from_scores,
)

counts = st.integers(min_value=0, max_value=400)
answers = st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=60)
levels = st.floats(min_value=0.5, max_value=0.999)
SOME_LEVELS = (0.5, 0.8, 0.9, 0.95, 0.99)
Method = Literal["wald", "adjusted_wald", "score", "bootstrap", "bayesian"]
FAST_METHODS: tuple[Method, ...] = ("wald", "adjusted_wald", "score")


@st.composite
def samples(draw: st.DrawFn) -> NetPromoterScore:
    promoters, passives, detractors = draw(counts), draw(counts), draw(counts)
    if promoters + passives + detractors == 0:
        promoters = 1
    return nps(promoters=promoters, passives=passives, detractors=detractors)


@st.composite
def weighted_samples(draw: st.DrawFn) -> NetPromoterScore:
    scores = draw(answers)
    weights = draw(
        st.lists(
            st.floats(min_value=0.1, max_value=10.0),
            min_size=len(scores),
            max_size=len(scores),
        )
    )
    return nps_from_scores(scores, weights=weights)


def _check_interval(result: NetPromoterScore, low: float, high: float) -> None:
    assert -100.0 <= low < high <= 100.0
    assert low <= result.score <= high


@given(samples())
def test_score_within_range(result: NetPromoterScore) -> None:
    assert -100.0 <= result.score <= 100.0
    assert 0.0 <= result.variance <= 10_000.0
    shares = result.promoter_share + result.passive_share + result.detractor_share
    assert shares == pytest.approx(1.0)


@given(answers, st.randoms(use_true_random=False))
def test_invariant_under_reordering(scores: list[int], random: object) -> None:
    shuffled = list(scores)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert nps_from_scores(shuffled) == nps_from_scores(scores)


@given(samples())
def test_promoter_never_lowers_and_detractor_never_raises(
    result: NetPromoterScore,
) -> None:
    base = {
        "promoters": int(result.promoters),
        "passives": int(result.passives),
        "detractors": int(result.detractors),
    }
    more_promoters = nps(**{**base, "promoters": base["promoters"] + 1})
    more_detractors = nps(**{**base, "detractors": base["detractors"] + 1})
    assert more_promoters.score >= result.score
    assert more_detractors.score <= result.score


@given(samples(), levels)
def test_fast_intervals_contain_estimate_and_stay_in_range(
    result: NetPromoterScore, level: float
) -> None:
    for method in FAST_METHODS:
        ci = result.confidence_interval(level, method=method)
        _check_interval(result, ci.low, ci.high)


@given(weighted_samples(), levels)
def test_weighted_intervals_contain_estimate(
    result: NetPromoterScore, level: float
) -> None:
    assert 0 < result.effective_sample_size <= result.n_respondents
    for method in FAST_METHODS:
        ci = result.confidence_interval(level, method=method)
        _check_interval(result, ci.low, ci.high)
    ci = result.confidence_interval(level, method="bootstrap", n_resamples=500, rng=0)
    _check_interval(result, ci.low, ci.high)


@settings(max_examples=15)
@given(weighted_samples(), st.sampled_from(SOME_LEVELS))
def test_weighted_bayesian_interval_contains_estimate(
    result: NetPromoterScore, level: float
) -> None:
    ci = result.confidence_interval(level, method="bayesian")
    _check_interval(result, ci.low, ci.high)


@settings(max_examples=25)
@given(samples(), st.sampled_from(SOME_LEVELS))
def test_bayesian_interval_contains_estimate(
    result: NetPromoterScore, level: float
) -> None:
    ci = result.confidence_interval(level, method="bayesian")
    _check_interval(result, ci.low, ci.high)


@settings(max_examples=25)
@given(samples(), st.sampled_from(SOME_LEVELS), st.integers(0, 2**32 - 1))
def test_bootstrap_interval_contains_estimate(
    result: NetPromoterScore, level: float, seed: int
) -> None:
    ci = result.confidence_interval(
        level, method="bootstrap", n_resamples=2000, rng=seed
    )
    _check_interval(result, ci.low, ci.high)


def test_bootstrap_interval_never_collapses() -> None:
    # 1 promoter and 1 detractor: resampled scores are -100 (1/4), 0 (1/2)
    # and 100 (1/4). At 50% with 500 resamples (seed 3) both quartiles are
    # 0; the interval is widened by one grid step (100 / 2 points) instead.
    result = nps(promoters=1, passives=0, detractors=1)
    ci = result.confidence_interval(0.5, method="bootstrap", n_resamples=500, rng=3)
    assert (ci.low, ci.high) == (-50.0, 50.0)
    # A single resample cannot spread at all.
    for counts in ((1, 0, 1), (1000, 1, 0), (3, 4, 5)):
        result = nps(promoters=counts[0], passives=counts[1], detractors=counts[2])
        ci = result.confidence_interval(method="bootstrap", n_resamples=1, rng=0)
        _check_interval(result, ci.low, ci.high)


@given(weighted_samples())
def test_results_rebuild_from_their_fields(result: NetPromoterScore) -> None:
    # Every result the constructors build passes the consistency checks.
    assert NetPromoterScore(**attrs.asdict(result)) == result


@st.composite
def small_samples(draw: st.DrawFn) -> NetPromoterScore:
    # Small, often one-sided samples: where the adjusted centre is pulled
    # furthest from the observed score.
    small = st.integers(min_value=0, max_value=12)
    promoters, passives, detractors = draw(small), draw(small), draw(small)
    if promoters + passives + detractors == 0:
        detractors = 1
    return nps(promoters=promoters, passives=passives, detractors=detractors)


@given(
    st.one_of(samples(), small_samples(), weighted_samples()),
    st.one_of(samples(), small_samples(), weighted_samples()),
    levels,
    st.sampled_from(["adjusted_wald", "wald"]),
)
def test_comparison_interval_contains_the_difference(
    first: NetPromoterScore,
    second: NetPromoterScore,
    level: float,
    method: Literal["adjusted_wald", "wald"],
) -> None:
    if method == "wald" and first.standard_error == second.standard_error == 0:
        # Both samples one-sided: plain Wald has no spread (documented).
        with pytest.raises(ValueError, match="each sample has all its respondents"):
            compare_nps(first, second, method=method)
        return
    result = compare_nps(first, second, method=method)
    assert result.difference == second.score - first.score
    ci = result.confidence_interval(level)
    assert -200.0 <= ci.low < ci.high <= 200.0
    assert ci.low <= result.difference <= ci.high
    if method == "wald":
        assert result.centre == result.difference


@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.integers(0, 10)), min_size=1, max_size=40
    ),
    levels,
    st.sampled_from(["adjusted_wald", "wald"]),
)
def test_paired_interval_contains_the_change(
    pairs: list[tuple[int, int]],
    level: float,
    method: Literal["adjusted_wald", "wald"],
) -> None:
    first = [a for a, _ in pairs]
    second = [b for _, b in pairs]
    # Each respondent's change of code (promoter +1, passive 0, detractor -1).
    changes = [(b >= 9) - (b <= 6) - (a >= 9) + (a <= 6) for a, b in pairs]
    if method == "wald" and len(set(changes)) == 1:
        # Plain Wald has no spread when every respondent's change is the same.
        with pytest.raises(ValueError, match="every respondent's change is the same"):
            compare_nps(first, second, paired=True, method=method)
        return
    result = compare_nps(first, second, paired=True, method=method)
    ci = result.confidence_interval(level)
    assert -200.0 <= ci.low < ci.high <= 200.0
    assert ci.low <= result.difference <= ci.high
    # Paired, the adjusted centre has the sign of the change, so extending
    # the interval never moves it across 0: test and interval still agree.
    if abs(abs(result.statistic) - normal_quantile(level)) > 1e-9:
        assert (ci.low > 0 or ci.high < 0) == (result.p_value < 1 - level)


@given(answers)
def test_unit_weights_equal_the_unweighted_result(scores: list[int]) -> None:
    plain = nps_from_scores(scores)
    weighted = nps_from_scores(scores, weights=np.ones(len(scores)))
    assert weighted == plain
    methods: tuple[Method, ...] = (*FAST_METHODS, "bootstrap")
    for method in methods:
        assert weighted.confidence_interval(
            method=method, rng=5, n_resamples=1000
        ) == plain.confidence_interval(method=method, rng=5, n_resamples=1000)


@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.sampled_from(["a", "b", "c"])),
        min_size=1,
        max_size=80,
    ),
    st.sampled_from(FAST_METHODS),
)
def test_by_group_equals_one_call_per_group(
    rows: list[tuple[int, str]], method: Method
) -> None:
    scores = [s for s, _ in rows]
    labels = [g for _, g in rows]
    result = nps_by_group(scores, labels, method=method)
    assert list(result.group) == sorted(set(labels))
    for i, label in enumerate(result.group):
        alone = nps_from_scores([s for s, g in rows if g == label])
        ci = alone.confidence_interval(method=method)
        assert result.score[i] == pytest.approx(alone.score, abs=1e-12)
        assert result.standard_error[i] == pytest.approx(alone.standard_error)
        assert_allclose([result.low[i], result.high[i]], [ci.low, ci.high])
        assert result.n_respondents[i] == alone.n_respondents


@given(st.lists(st.integers(1, 7), min_size=1, max_size=50), levels)
def test_csat_share_and_interval(scores: list[int], level: float) -> None:
    result = csat(scores, scale=7)
    for method in ("wilson", "agresti_coull"):
        ci = result.confidence_interval(level, method=method)
        assert 0.0 <= ci.low < ci.high <= 1.0
        assert ci.low <= result.share <= ci.high
