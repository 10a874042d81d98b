"""CSAT, CES and the satisfaction index: values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from custvalue.satisfaction import ces, csat, nps, satisfaction_index

Z95 = 1.959963984540054

CSAT_ANSWERS = [5, 4, 4, 3, 5, 2, 4, 5, 1, 4]  # counts 1..5: 1, 1, 1, 4, 3


def test_csat_share_mean_and_definition() -> None:
    # top-2-box on 1-5: answers 4 or 5 = 7 of 10; mean = 37 / 10 = 3.7.
    result = csat(CSAT_ANSWERS, scale=5)
    assert_array_equal(result.counts, [1, 1, 1, 4, 3])
    assert result.satisfied == 7
    assert result.share == 0.7
    assert result.mean == pytest.approx(3.7, rel=1e-14)
    assert result.definition == "top-2-box: share of answers 4 to 5 on the 1 to 5 scale"
    top = csat(CSAT_ANSWERS, scale=5, top_box=1)
    assert top.share == 0.3
    assert top.definition == "top-1-box: share of answers 5 on the 1 to 5 scale"


def test_wilson_interval_by_hand_and_against_scipy() -> None:
    # Wilson (1927): centre (x + z^2/2) / (n + z^2),
    # half-width z / (n + z^2) sqrt(x (n - x) / n + z^2 / 4); x = 7, n = 10.
    x, n = 7, 10
    centre = (x + Z95**2 / 2) / (n + Z95**2)
    half = Z95 / (n + Z95**2) * math.sqrt(x * (n - x) / n + Z95**2 / 4)
    ci = csat(CSAT_ANSWERS, scale=5).confidence_interval()
    assert_allclose([ci.low, ci.high], [centre - half, centre + half], rtol=1e-12)
    # scipy.stats.binomtest(7, 10).proportion_ci(method="wilson") implements the
    # same interval (without continuity correction).
    reference = stats.binomtest(x, n).proportion_ci(method="wilson")
    assert_allclose([ci.low, ci.high], [reference.low, reference.high], rtol=1e-10)


def test_agresti_coull_interval_by_hand() -> None:
    # Agresti & Coull (1998): n~ = n + z^2, p~ = (x + z^2/2) / n~,
    # p~ -+ z sqrt(p~ (1 - p~) / n~).
    n_tilde = 10 + Z95**2
    p_tilde = (7 + Z95**2 / 2) / n_tilde
    half = Z95 * math.sqrt(p_tilde * (1 - p_tilde) / n_tilde)
    ci = csat(CSAT_ANSWERS, scale=5).confidence_interval(method="agresti_coull")
    assert_allclose([ci.low, ci.high], [p_tilde - half, p_tilde + half], rtol=1e-12)


def test_csat_mean_t_interval_by_hand() -> None:
    # s^2 = sum (x - 3.7)^2 / 9 = (7.29 + 2.89 + 0.49 + 4 * 0.09 + 3 * 1.69) / 9
    # = 16.1 / 9; t_{9, 0.975} = 2.2621571628; 3.7 -+ t s / sqrt(10).
    s = math.sqrt(16.1 / 9)
    t = 2.2621571627409915  # R: qt(0.975, 9)
    ci = csat(CSAT_ANSWERS, scale=5).mean_confidence_interval()
    assert_allclose(
        [ci.low, ci.high], [3.7 - t * s / math.sqrt(10), 3.7 + t * s / math.sqrt(10)]
    )


def test_csat_ten_point_scale() -> None:
    result = csat([10, 9, 8, 1, 10], scale=10)
    assert result.share == pytest.approx(3 / 5)
    assert (
        result.definition == "top-2-box: share of answers 9 to 10 on the 1 to 10 scale"
    )


def test_wilson_interval_stays_inside_and_has_width_at_the_edges() -> None:
    all_satisfied = csat([5, 5, 5], scale=5).confidence_interval()
    assert all_satisfied.high == pytest.approx(1.0)
    assert 0 < all_satisfied.low < 1
    none_satisfied = csat([1, 2, 3], scale=5).confidence_interval(
        method="agresti_coull"
    )
    assert none_satisfied.low == 0.0
    assert none_satisfied.high > 0


CES_ANSWERS = [7, 6, 6, 5, 4, 2, 7, 6, 3, 5]  # counts 1..7: 0,1,1,1,2,3,2


def test_ces_summaries_by_hand() -> None:
    # mean 51 / 10 = 5.1; agree (5-7) = 7 / 10; net = 100 (5 - 2) / 10 = 30.
    result = ces(CES_ANSWERS)
    assert_array_equal(result.counts, [0, 1, 1, 1, 2, 3, 2])
    assert result.mean == pytest.approx(5.1, rel=1e-14)
    assert result.agree_share == 0.7
    assert result.net_score == pytest.approx(30.0)


def test_ces_net_interval_is_the_nps_interval_of_its_three_groups() -> None:
    # 6-7 play promoters (5), 4-5 passives (3), 1-3 detractors (2).
    as_nps = nps(promoters=5, passives=3, detractors=2)
    for method in ("adjusted_wald", "wald", "score", "bayesian"):
        net = ces(CES_ANSWERS).net_confidence_interval(method=method)
        same = as_nps.confidence_interval(method=method)
        assert (net.low, net.high) == pytest.approx((same.low, same.high), rel=1e-12)


def test_ces_mean_and_agreement_intervals() -> None:
    # s^2 = sum (x - 5.1)^2 / 9 = (2 * 3.61 + 3 * 0.81 + 2 * 0.01 + 1.21
    # + 9.61 + 4.41) / 9 = 24.9 / 9; t_{9, 0.975} = 2.262157.
    s = math.sqrt(24.9 / 9)
    t = 2.2621571627409915
    ci = ces(CES_ANSWERS).mean_confidence_interval()
    assert_allclose([ci.low, ci.high], [5.1 - t * s / 10**0.5, 5.1 + t * s / 10**0.5])
    agree = ces(CES_ANSWERS).agree_confidence_interval()
    reference = stats.binomtest(7, 10).proportion_ci(method="wilson")
    assert_allclose([agree.low, agree.high], [reference.low, reference.high])


ITEMS = [[8, 9, 7], [10, 10, 9], [6, 7, 5], [9, 8, 8]]


def test_index_by_hand() -> None:
    # Respondent values 100 * mean((x - 1) / 9):
    # (7 + 8 + 6)/27 = 77.78, (9 + 9 + 8)/27 = 96.30, (5 + 6 + 4)/27 = 55.56,
    # (8 + 7 + 7)/27 = 81.48; index = mean = 100 * 84 / 108 = 77.78.
    result = satisfaction_index(ITEMS)
    respondent = 100 * np.array([21, 26, 15, 22]) / 27
    assert result.index == pytest.approx(respondent.mean(), rel=1e-14)
    assert result.index == pytest.approx(100 * 84 / 108, rel=1e-14)
    assert result.standard_deviation == pytest.approx(np.std(respondent, ddof=1))
    assert_allclose(result.item_means, [8.25, 8.5, 7.25])
    assert_allclose(result.item_weights, [1 / 3, 1 / 3, 1 / 3])


def test_index_with_item_weights() -> None:
    # Weights 2, 1, 1 -> 1/2, 1/4, 1/4: 100 * (0.5 * 7.25 + 0.25 * 7.5 +
    # 0.25 * 6.25) / 9 = 100 * 7.0625 / 9 = 78.47.
    result = satisfaction_index(ITEMS, item_weights=[2, 1, 1])
    assert result.index == pytest.approx(100 * 7.0625 / 9, rel=1e-12)
    assert_allclose(result.item_weights, [0.5, 0.25, 0.25])


def test_index_interval_and_range() -> None:
    result = satisfaction_index(ITEMS)
    t = 3.182446305284263  # R: qt(0.975, 3)
    ci = result.confidence_interval()
    assert ci.low == pytest.approx(result.index - t * result.standard_error)
    assert ci.high == 100.0  # the t interval would exceed 100; clipped
    assert satisfaction_index([[1, 1], [1, 1]]).index == 0.0
    assert satisfaction_index([[10, 10]]).index == 100.0


def test_index_missing_policy() -> None:
    items = np.array([[8, 9], [None, 10], [6, float("nan")], [9, 8]], dtype=object)
    result = satisfaction_index(items, missing="omit")
    assert result.n_respondents == 2
    assert result.n_missing == 2
    with pytest.raises(ValueError, match=r"first at row 1, item 0: nan"):
        satisfaction_index(items)
