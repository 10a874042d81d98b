"""nps_by_group: the vectorized segment scores agree with one call per group."""

from __future__ import annotations

from typing import Literal

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
    assert_allclose(frame["score"], result.score)
    ci = result.group_result("east").confidence_interval(0.9)
    assert frame.loc[0, "low"] == pytest.approx(ci.low)
    assert result.confidence_level == 0.9


def test_missing_answers_leave_their_rows_out() -> None:
    scores = np.array([10, np.nan, 3, 9, np.nan])
    groups = np.array(["a", "a", "b", "b", "c"])
    result = nps_by_group(scores, groups, missing="omit")
    assert_array_equal(result.group, ["a", "b"])
    assert result.n_missing == 2
    assert_allclose(result.score, [100.0, 0.0])


def test_numeric_labels_and_arrays_are_read_only() -> None:
    result = nps_by_group([10, 9, 3, 8], [2, 1, 2, 1])
    assert_array_equal(result.group, [1, 2])
    with pytest.raises(ValueError, match="read-only"):
        result.low[0] = 0.0
