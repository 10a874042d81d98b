"""nps_by_group: the vectorized segment scores agree with one call per group."""

from __future__ import annotations

from typing import Literal

import attrs
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from custvalue.satisfaction import nps_by_group, nps_from_scores

RNG = np.random.default_rng(42)
SCORES = RNG.integers(0, 11, 600)
REGIONS = RNG.choice(np.array(["north", "south", "east", "west"]), 600)
WEIGHTS = RNG.uniform(0.5, 3.0, 600)


def test_rows_are_sorted_labels_with_their_counts() -> None:
    result = nps_by_group(SCORES, REGIONS)
    assert_array_equal(result.group, ["east", "north", "south", "west"])
    assert result.n_groups == 4
    assert result.n_respondents.sum() == 600
    for i, label in enumerate(result.group):
        mask = label == REGIONS
        categories = np.where(SCORES[mask] >= 9, 2, np.where(SCORES[mask] >= 7, 1, 0))
        assert result.promoters[i] == np.sum(categories == 2)
        assert result.passives[i] == np.sum(categories == 1)
        assert result.detractors[i] == np.sum(categories == 0)


def test_weighted_groups_match_weighted_single_calls() -> None:
    result = nps_by_group(SCORES, REGIONS, weights=WEIGHTS, method="score")
    for i, label in enumerate(result.group):
        alone = nps_from_scores(
            SCORES[label == REGIONS], weights=WEIGHTS[label == REGIONS]
        )
        assert result.score[i] == pytest.approx(alone.score, rel=1e-12)
        assert result.standard_error[i] == pytest.approx(
            alone.standard_error, rel=1e-12
        )
        assert result.effective_sample_size[i] == pytest.approx(
            alone.effective_sample_size, rel=1e-12
        )
        ci = alone.confidence_interval(method="score")
        assert_allclose([result.low[i], result.high[i]], [ci.low, ci.high], rtol=1e-10)


@pytest.mark.parametrize("method", ["bootstrap", "bayesian"])
def test_group_by_group_methods(method: Literal["bootstrap", "bayesian"]) -> None:
    small = slice(0, 80)
    result = nps_by_group(
        SCORES[small],
        REGIONS[small],
        method=method,
        rng=3,
        n_resamples=2000,
    )
    assert result.method == method
    assert np.all(result.low < result.score)
    assert np.all(result.score < result.high)
    if method == "bayesian":
        for i, label in enumerate(result.group):
            ci = result.group_result(label).confidence_interval(method="bayesian")
            assert_allclose([result.low[i], result.high[i]], [ci.low, ci.high])


def test_group_result_and_to_dict() -> None:
    result = nps_by_group(SCORES, REGIONS, confidence_level=0.9)
    assert result.group_result("west") == nps_from_scores(SCORES[REGIONS == "west"])
    frame = pd.DataFrame(result.to_dict())
    assert list(frame["group"]) == ["east", "north", "south", "west"]
    assert_allclose(frame["promoters"], result.promoters)
    ci = result.group_result("east").confidence_interval(0.9)
    assert frame.loc[0, "low"] == pytest.approx(ci.low)
    assert result.confidence_level == 0.9


def test_missing_answers_leave_their_rows_out_but_keep_every_group() -> None:
    # Group "c" answered nothing: it keeps its row, with n = 0 and NaN
    # score and bounds, instead of vanishing from the table.
    scores = np.array([10, np.nan, 3, 9, np.nan])
    groups = np.array(["a", "a", "b", "b", "c"])
    result = nps_by_group(scores, groups, missing="omit")
    assert_array_equal(result.group, ["a", "b", "c"])
    assert_array_equal(result.n_respondents, [1, 2, 0])
    assert_array_equal(result.n_missing_by_group, [1, 0, 1])
    assert result.n_missing == 2
    assert_allclose(result.score, [100.0, 0.0, np.nan])
    assert_allclose(result.effective_sample_size, [1.0, 2.0, 0.0])
    assert_array_equal(result.promoters[2], 0.0)
    for column in (result.standard_error, result.low, result.high):
        assert np.isnan(column[2])
        assert np.all(np.isfinite(column[:2]))
    assert_array_equal(result.to_dict()["n_missing_by_group"], [1, 0, 1])
    # The answered groups are exactly those of their own calls.
    assert result.group_result("a") == nps_from_scores([10, np.nan], missing="omit")
    with pytest.raises(ValueError, match=r"^`label` must name a group with at least"):
        result.group_result("c")


@pytest.mark.parametrize(
    "method", ["wald", "adjusted_wald", "score", "bootstrap", "bayesian"]
)
def test_group_without_answers_under_every_method(
    method: Literal["wald", "adjusted_wald", "score", "bootstrap", "bayesian"],
) -> None:
    scores = np.where(REGIONS == "south", np.nan, SCORES.astype(float))
    result = nps_by_group(
        scores, REGIONS, weights=WEIGHTS, missing="omit", method=method, rng=1
    )
    assert_array_equal(result.group, ["east", "north", "south", "west"])
    south = 2
    assert result.n_respondents[south] == 0
    assert result.n_missing_by_group[south] == np.sum(REGIONS == "south")
    assert np.isnan(result.score[south])
    assert np.isnan(result.low[south])
    assert np.isnan(result.high[south])
    others = np.arange(4) != south
    assert np.all(result.low[others] < result.score[others])
    assert np.all(result.score[others] < result.high[others])
    # The other groups are unaffected by the empty one.
    kept = REGIONS != "south"
    alone = nps_by_group(
        SCORES[kept], REGIONS[kept], weights=WEIGHTS[kept], method=method, rng=1
    )
    assert_allclose(result.score[others], alone.score)
    assert_allclose(result.low[others], alone.low)
    assert_allclose(result.high[others], alone.high)


def test_missing_counts_must_add_up() -> None:
    result = nps_by_group([10, np.nan, 3], ["a", "a", "b"], missing="omit")
    with pytest.raises(ValueError, match="`n_missing` must equal the sum"):
        attrs.evolve(result, n_missing=5)


def test_numeric_labels_and_arrays_are_read_only() -> None:
    result = nps_by_group([10, 9, 3, 8], [2, 1, 2, 1])
    assert_array_equal(result.group, [1, 2])
    with pytest.raises(ValueError, match="read-only"):
        result.low[0] = 0.0
