"""compare_nps: independent and paired differences, computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import special

from custvalue.satisfaction import compare_nps, nps, nps_from_scores
from custvalue.satisfaction._nps_compare import paired_moments

Z95 = 1.959963984540054


def _two_sided_p(z: float) -> float:
    return float(2 * special.ndtr(-abs(z)))


def test_independent_wald_by_hand() -> None:
    # First (120, 50, 30): p = .6, d = .15, v1 = .75 - .45^2 = .5475, n1 = 200.
    # Second (150, 30, 20): p = .75, d = .1, v2 = .85 - .65^2 = .4275, n2 = 200.
    # Difference 65 - 45 = 20; se = 100 sqrt(.5475/200 + .4275/200) = 6.9821.
    before = nps(promoters=120, passives=50, detractors=30)
    after = nps(promoters=150, passives=30, detractors=20)
    result = compare_nps(before, after, method="wald")
    se = 100 * math.sqrt(0.5475 / 200 + 0.4275 / 200)
    assert result.difference == pytest.approx(20.0, rel=1e-14)
    assert result.standard_error == pytest.approx(se, rel=1e-12)
    assert result.statistic == pytest.approx(20 / se, rel=1e-12)
    assert result.p_value == pytest.approx(_two_sided_p(20 / se), rel=1e-10)
    ci = result.confidence_interval()
    assert_allclose([ci.low, ci.high], [20 - Z95 * se, 20 + Z95 * se])
    # The sign follows the order: second minus first.
    assert compare_nps(after, before, method="wald").difference == -20.0


def test_independent_adjusted_wald_by_hand() -> None:
    # Each sample gets (0.75, 1.5, 0.75): n + 3 = 203 each.
    # First: p = 120.75/203, d = 30.75/203; second: p = 150.75/203, d = 20.75/203.
    def adjusted(p_count: float, d_count: float) -> tuple[float, float]:
        p, d = p_count / 203, d_count / 203
        return p - d, ((p + d) - (p - d) ** 2) / 203

    c1, v1 = adjusted(120.75, 30.75)
    c2, v2 = adjusted(150.75, 20.75)
    result = compare_nps(
        nps(promoters=120, passives=50, detractors=30),
        nps(promoters=150, passives=30, detractors=20),
    )
    centre, se = 100 * (c2 - c1), 100 * math.sqrt(v1 + v2)
    assert result.difference == pytest.approx(20.0)
    assert result.centre == pytest.approx(centre, rel=1e-12)
    assert result.standard_error == pytest.approx(se, rel=1e-12)
    assert result.p_value == pytest.approx(_two_sided_p(centre / se), rel=1e-10)
    assert result.method == "adjusted_wald"
    assert not result.paired


def test_interval_and_test_agree() -> None:
    # The interval excludes 0 exactly when p < 1 - level.
    result = compare_nps(
        nps(promoters=60, passives=25, detractors=15),
        nps(promoters=70, passives=20, detractors=10),
    )
    for level in (0.5, 0.8, 0.9, 0.95, 0.99):
        ci = result.confidence_interval(level)
        excludes_zero = ci.low > 0 or ci.high < 0
        assert excludes_zero == (result.p_value < 1 - level)


def test_interval_contains_the_observed_difference() -> None:
    # All 5 promoters, then all 5 detractors: difference -200. Adjusted
    # samples have n + 3 = 8: first p = 5.75/8, d = 0.75/8, centre 0.625,
    # v/n = (0.8125 - 0.625^2)/8 = 0.052734375; the second is its mirror.
    # Centre -1.25, se = sqrt(2 * 0.052734375) = 0.3247595; 95% bounds
    # 100 (-1.25 -+ 1.959964 * 0.3247595) = [-188.65, -61.35], which misses
    # -200: the lower bound is moved to it.
    result = compare_nps(
        nps(promoters=5, passives=0, detractors=0),
        nps(promoters=0, passives=0, detractors=5),
    )
    se = math.sqrt(2 * (0.8125 - 0.625**2) / 8)
    assert result.difference == -200.0
    assert result.centre == pytest.approx(-125.0)
    assert result.standard_error == pytest.approx(100 * se)
    ci = result.confidence_interval()
    assert ci.low == -200.0
    assert ci.high == pytest.approx(100 * (-1.25 + Z95 * se))
    # Mirrored order, and a level where the centre's interval is narrower.
    ci = compare_nps(
        nps(promoters=0, passives=0, detractors=5),
        nps(promoters=5, passives=0, detractors=0),
    ).confidence_interval(0.5)
    assert ci.high == 200.0
    assert ci.low == pytest.approx(100 * (1.25 - 0.6744897501960817 * se))


def test_paired_interval_contains_the_observed_change() -> None:
    # Five promoters who all become detractors: change -200 each. Adjusted:
    # table 5 in (promoter -> detractor) plus the pseudo-table (mean change
    # 0, mean square 1, total 3); n = 8, mean -10/8 = -1.25, mean square
    # (20 + 3)/8 = 2.875, variance 2.875 - 1.5625 = 1.3125, se sqrt(1.3125/8).
    result = compare_nps([10] * 5, [0] * 5, paired=True)
    se = math.sqrt(1.3125 / 8)
    assert result.difference == -200.0
    assert result.centre == pytest.approx(-125.0)
    assert result.standard_error == pytest.approx(100 * se)
    # At 95% the centre's interval reaches -204 and is clipped to -200; at
    # 80% (z = 1.281552) it is [-176.9, -73.1], which misses -200.
    z80 = 1.2815515655446004
    assert 100 * (-1.25 - z80 * se) > -200
    ci = result.confidence_interval(0.8)
    assert ci.low == -200.0
    assert ci.high == pytest.approx(100 * (-1.25 + z80 * se))
    assert result.confidence_interval().low == -200.0


def test_extension_across_zero_is_the_documented_exception() -> None:
    # Sizes 2 and 100: adjusted scores 100 * 2/5 = 40 and 80 * 100/103 =
    # 77.67 give a centre of +37.67 while the observed difference is -20.
    # At 50% the centre's interval excludes 0 (p = 0.26 < 0.5), and its
    # extension to -20 takes in 0: the one case where test and interval
    # disagree, as NPSComparison.confidence_interval documents.
    result = compare_nps(
        nps(promoters=2, passives=0, detractors=0),
        nps(promoters=90, passives=0, detractors=10),
    )
    assert result.difference == pytest.approx(-20.0)
    assert result.centre == pytest.approx(100 * (0.8 * 100 / 103 - 2 / 5))
    assert result.p_value < 0.5
    ci = result.confidence_interval(0.5)
    assert ci.low == pytest.approx(-20.0)
    assert ci.low < 0 < ci.high


def test_paired_by_hand() -> None:
    # Six respondents; codes first = 1, 1, 0, -1, -1, 0 and
    # second = 1, 1, 1, 0, -1, 1; changes 0, 0, 1, 1, 0, 1.
    # Mean change 3/6 = 0.5 -> 50 points; mean square 3/6; var = .5 - .25 = .25;
    # Wald se = 100 sqrt(.25 / 6) = 20.412.
    first = [10, 9, 7, 6, 3, 8]
    second = [10, 10, 9, 8, 3, 9]
    result = compare_nps(first, second, paired=True, method="wald")
    assert result.difference == pytest.approx(50.0)
    assert result.first_score == pytest.approx(0.0)
    assert result.second_score == pytest.approx(50.0)
    assert result.standard_error == pytest.approx(100 * math.sqrt(0.25 / 6))
    assert_array_equal(
        result.transitions, [[1.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 2.0]]
    )
    assert result.paired


def test_paired_adjusted_adds_independence_pseudo_counts() -> None:
    # Pseudo-table 3 q q^T, q = (1/4, 1/2, 1/4): cells
    # [[3/16, 3/8, 3/16], [3/8, 3/4, 3/8], [3/16, 3/8, 3/16]] (total 3).
    # Its change (second - first code) has mean 0 and mean square
    # (2 * 3/8 * 1 + 2 * 3/8 * 1 + 2 * 3/16 * 4) / 3 = (0.75 + 0.75 + 1.5)/3 = 1.
    # With the table of test_paired_by_hand (sum of change 3, of change^2 3):
    # n = 9, mean = 3/9, mean square = (3 + 3)/9; var = 6/9 - 1/9 = 5/9.
    result = compare_nps([10, 9, 7, 6, 3, 8], [10, 10, 9, 8, 3, 9], paired=True)
    assert result.centre == pytest.approx(100 / 3)
    assert result.standard_error == pytest.approx(100 * math.sqrt((5 / 9) / 9))
    assert result.difference == pytest.approx(50.0)


def test_paired_agrees_with_marginal_scores() -> None:
    rng = np.random.default_rng(3)
    first = rng.integers(0, 11, 500)
    second = np.clip(first + rng.integers(-2, 3, 500), 0, 10)
    result = compare_nps(first, second, paired=True)
    assert result.first_score == pytest.approx(nps_from_scores(first).score)
    assert result.second_score == pytest.approx(nps_from_scores(second).score)
    assert result.transitions is not None
    assert result.transitions.sum() == 500


def test_panel_is_more_precise_than_independent_analysis() -> None:
    # Positively correlated waves: the paired standard error is smaller than
    # the one that wrongly treats the waves as independent samples.
    rng = np.random.default_rng(11)
    first = rng.integers(0, 11, 400)
    second = np.where(rng.random(400) < 0.8, first, rng.integers(0, 11, 400))
    paired = compare_nps(first, second, paired=True, method="wald")
    independent = compare_nps(
        nps_from_scores(first), nps_from_scores(second), method="wald"
    )
    assert paired.difference == pytest.approx(independent.difference)
    assert paired.standard_error < 0.7 * independent.standard_error


def test_paired_missing_policy() -> None:
    result = compare_nps(
        [10, float("nan"), 7, 3],
        np.array([9, 10, None, 5], dtype=object),
        paired=True,
        missing="omit",
    )
    assert result.n_omitted == 2
    assert result.transitions is not None
    assert result.transitions.sum() == 2
    with pytest.raises(ValueError, match="`first` must not contain missing answers"):
        compare_nps([10, float("nan")], [9, 10], paired=True)


def test_paired_moments_vectorize_over_tables() -> None:
    tables = np.array(
        [
            [[1.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 2.0]],
            [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 2.0]],
        ]
    )
    mean, se = paired_moments(tables, adjusted=False)
    assert_allclose(mean, [0.5, 0.0])
    assert_allclose(se, [math.sqrt(0.25 / 6), 0.0])


def test_comparison_errors() -> None:
    a = nps(promoters=5, passives=0, detractors=0)
    with pytest.raises(TypeError, match="NetPromoterScore results"):
        compare_nps([10, 9], [9, 8])
    with pytest.raises(TypeError, match="paired=True"):
        compare_nps(a, a, paired=True)
    with pytest.raises(TypeError, match="`paired` must be True or False"):
        compare_nps(a, a, paired="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`method` must be one of"):
        compare_nps(a, a, method="score")  # type: ignore[arg-type]
    with pytest.raises(
        ValueError,
        match="standard error > 0; got 0 because each sample has all its "
        "respondents in one category",
    ):
        compare_nps(a, a, method="wald")
    with pytest.raises(ValueError, match="must have the same length"):
        compare_nps([10, 9], [9], paired=True)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        compare_nps(a, a).confidence_interval(1.0)


@pytest.mark.parametrize(
    ("first", "second", "change"),
    [
        ([7, 7, 7], [9, 9, 9], r"\+100 points each"),  # all move passive -> promoter
        ([10, 3], [10, 2], r"\+0 points each"),  # nobody changes category
        ([9, 10], [0, 6], r"-200 points each"),  # all move promoter -> detractor
    ],
)
def test_paired_wald_error_names_the_common_change(
    first: list[int], second: list[int], change: str
) -> None:
    with pytest.raises(
        ValueError, match=f"every respondent's change is the same \\({change}\\)"
    ):
        compare_nps(first, second, paired=True, method="wald")
