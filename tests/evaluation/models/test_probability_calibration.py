"""probability_calibration: Brier, log loss, ROC AUC and reliability bins."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.evaluation import ProbabilityCalibration, probability_calibration


@st.composite
def forecasts(draw: st.DrawFn) -> tuple[list[float], list[bool]]:
    n = draw(st.integers(1, 30))
    # a coarse grid makes ties between predictions common
    p = draw(st.lists(st.integers(0, 10).map(lambda k: k / 10), min_size=n, max_size=n))
    o = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return p, o


def _pairwise_auc(p: list[float], o: list[bool]) -> float:
    """ROC AUC by its definition: P(score of event > score of non-event), ties 1/2."""
    events = [pi for pi, oi in zip(p, o, strict=True) if oi]
    others = [pi for pi, oi in zip(p, o, strict=True) if not oi]
    wins = sum(1.0 if e > q else 0.5 if e == q else 0.0 for e in events for q in others)
    return wins / (len(events) * len(others))


def test_hand_computed_scores() -> None:
    p = [0.1, 0.4, 0.8, 0.8]
    o = [0, 1, 0, 1]
    result = probability_calibration(p, o)
    # Brier: (0.01 + 0.36 + 0.64 + 0.04) / 4
    assert result.brier == pytest.approx(1.05 / 4, rel=1e-14)
    # log loss: -(ln 0.9 + ln 0.4 + ln 0.2 + ln 0.8) / 4
    expected = -(math.log(0.9) + math.log(0.4) + math.log(0.2) + math.log(0.8)) / 4
    assert result.log_loss == pytest.approx(expected, rel=1e-14)
    # pairs (event, non-event): (.4,.1) win, (.4,.8) loss, (.8,.1) win, (.8,.8) tie
    assert result.roc_auc == pytest.approx(2.5 / 4, rel=1e-15)
    # base rate 1/2: reference Brier 1/4; skill 1 - 0.2625 / 0.25
    assert result.brier_skill == pytest.approx(1 - 0.2625 / 0.25, rel=1e-13)
    assert (result.n, result.n_events) == (4, 2)
    assert result.mean_predicted == pytest.approx(0.525)
    bins = result.reliability
    np.testing.assert_allclose(bins.bin_lower, [0.1, 0.4, 0.8])
    np.testing.assert_allclose(bins.bin_upper, [0.2, 0.5, 0.9])
    np.testing.assert_array_equal(bins.n_customers, [1, 1, 2])
    np.testing.assert_allclose(bins.mean_predicted, [0.1, 0.4, 0.8])
    np.testing.assert_allclose(bins.observed_rate, [0.0, 1.0, 0.5])


def test_no_clipping_infinite_log_loss() -> None:
    # p = 0 for an event and p = 1 for a non-event are each infinitely wrong
    assert probability_calibration([0.0, 0.5], [True, False]).log_loss == math.inf
    assert probability_calibration([1.0, 0.5], [0, 1]).log_loss == math.inf
    # and right certainty costs nothing: -(ln 1 + ln 1) / 2 = 0
    assert probability_calibration([1.0, 0.0], [1, 0]).log_loss == 0.0


def test_one_class_only_has_no_auc_or_skill() -> None:
    result = probability_calibration([0.2, 0.7], [1, 1])
    assert math.isnan(result.roc_auc)
    assert math.isnan(result.brier_skill)
    assert result.brier == pytest.approx((0.64 + 0.09) / 2)


def test_probability_one_goes_to_the_last_bin() -> None:
    bins = probability_calibration([1.0, 0.95, 0.0], [1, 1, 0], n_bins=10).reliability
    np.testing.assert_array_equal(bins.n_customers, [1, 2])
    np.testing.assert_allclose(bins.bin_lower, [0.0, 0.9])
    columns = bins.to_dict()
    assert set(columns) == {
        "bin_lower",
        "bin_upper",
        "n_customers",
        "mean_predicted",
        "observed_rate",
    }


@pytest.mark.parametrize(("p", "n_bins"), [(0.57, 100), (0.58, 50)])
def test_probability_on_an_edge_goes_to_the_bin_above(p: float, n_bins: int) -> None:
    # 0.57 == 57 / 100 and 0.58 == 29 / 50 exactly as floats, but 0.57 * 100
    # = 56.99999999999999 and 0.58 * 50 = 28.999999999999996: flooring the
    # product would put each in the bin that ends at it.
    bins = probability_calibration([p, 0.2], [1, 0], n_bins=n_bins).reliability
    assert bins.bin_lower.tolist() == [0.2, p]
    assert bins.bin_upper[1] == (round(p * n_bins) + 1) / n_bins


@given(st.integers(1, 300))
def test_each_edge_starts_its_own_bin(n_bins: int) -> None:
    # One probability on every edge k / B: bin k holds exactly the one at its
    # lower edge (and the last bin also holds 1.0). One just below every
    # edge but 0: bin k holds exactly the one below its upper edge.
    edges = [k / n_bins for k in range(n_bins + 1)]
    on = probability_calibration(edges, [1] * len(edges), n_bins=n_bins)
    bins = on.reliability
    np.testing.assert_array_equal(bins.bin_lower, edges[:-1])
    np.testing.assert_array_equal(bins.bin_upper, edges[1:])
    np.testing.assert_array_equal(bins.n_customers, [1] * (n_bins - 1) + [2])
    np.testing.assert_array_equal(bins.mean_predicted[:-1], edges[:-2])
    below = [math.nextafter(e, 0.0) for e in edges[1:]]
    bins = probability_calibration(below, [1] * n_bins, n_bins=n_bins).reliability
    np.testing.assert_array_equal(bins.n_customers, [1] * n_bins)
    np.testing.assert_array_equal(bins.mean_predicted, below)


@given(forecasts())
def test_auc_matches_pairwise_definition(data: tuple[list[float], list[bool]]) -> None:
    p, o = data
    result = probability_calibration(p, o)
    if all(o) or not any(o):
        assert math.isnan(result.roc_auc)
    else:
        assert result.roc_auc == pytest.approx(_pairwise_auc(p, o), abs=1e-12)


@given(forecasts(), st.data())
def test_scores_invariant_under_joint_permutation(
    pair: tuple[list[float], list[bool]], data: st.DataObject
) -> None:
    p, o = pair
    order = data.draw(st.permutations(range(len(p))))
    first = probability_calibration(p, o)
    second = probability_calibration([p[i] for i in order], [o[i] for i in order])
    assert isinstance(second, ProbabilityCalibration)
    for name in ("brier", "log_loss", "roc_auc", "brier_skill"):
        a, b = getattr(first, name), getattr(second, name)
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12)
    np.testing.assert_array_equal(
        first.reliability.n_customers, second.reliability.n_customers
    )


@given(st.lists(st.booleans(), min_size=1, max_size=30))
def test_perfect_forecast_scores_perfectly(outcomes: list[bool]) -> None:
    result = probability_calibration([float(x) for x in outcomes], outcomes)
    assert result.brier == 0.0
    assert result.log_loss == 0.0
    assert math.isnan(result.roc_auc) or result.roc_auc == 1.0
    assert result.reliability.n_customers.sum() == len(outcomes)
    assert isinstance(result.to_dict()["brier"], float)


@pytest.mark.parametrize(
    ("p", "o", "kwargs", "error", "match"),
    [
        ([0.5, 1.2], [0, 1], {}, ValueError, r"`predicted_probability` must be in "),
        ([-0.1, 0.5], [0, 1], {}, ValueError, r"1 of 2 violate this"),
        ([0.5, math.nan], [0, 1], {}, ValueError, r"must be finite"),
        ([0.5, 0.5], [0, 2], {}, ValueError, r"`observed` must be 0 or 1"),
        ([0.5], [0, 1], {}, ValueError, r"same length"),
        ([], [], {}, ValueError, r"must not be empty"),
        ([0.5], [1], {"n_bins": 0}, ValueError, r"`n_bins` must be an integer >= 1"),
        ([0.5], ["yes"], {}, TypeError, r"`observed` must contain real numbers"),
    ],
)
def test_bad_input(
    p: list[float],
    o: list[object],
    kwargs: dict[str, int],
    error: type[Exception],
    match: str,
) -> None:
    with pytest.raises(error, match=match):
        probability_calibration(p, o, **kwargs)  # type: ignore[arg-type]
