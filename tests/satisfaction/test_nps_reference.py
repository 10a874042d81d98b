"""NPS: values computed by hand from the published formulas.

Every expected value below is written as the formula it comes from (Rocks
2016 for the NPS variance and the adjusted Wald interval; Tango 1998 for the
score interval's restricted MLE; Clopper & Pearson 1934 for the
degenerate-sample bound; Woodruff 1971 and Kish 1965 for weights), evaluated
with plain Python arithmetic, never with the code under test. Tolerances:
1e-12 relative where the same closed form is evaluated in a different order;
bisection and quadrature tolerances where a root or an integral is involved.

Rocks (2016) prints no worked single-sample example with counts that we could
reproduce, and the MeasuringU notes describe the adjusted Wald recipe
("add 3 to n, 3/4 to promoters and to detractors") without a table of
counts; the adjusted-Wald checks are therefore hand computations of that
recipe.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special

from custvalue.satisfaction import nps, nps_from_scores, nps_sample_size
from custvalue.satisfaction import nps_sample_size_for_difference as per_group
from custvalue.satisfaction._dirichlet import net_quantile, net_upper_tail
from custvalue.satisfaction._net_intervals import _constrained_variance

Z95 = 1.959963984540054  # Phi^{-1}(0.975), R: qnorm(0.975)


# --- the point estimate, variance and standard error ------------------------


def test_score_shares_variance_and_standard_error() -> None:
    # 50 promoters, 30 passives, 20 detractors: p = 0.5, d = 0.2, n = 100.
    # NPS = 100 (p - d) = 30; variance = 100^2 [(p + d) - (p - d)^2]
    # = 10^4 (0.7 - 0.09) = 6100; se = sqrt(6100 / 100) = sqrt(61) = 7.8102.
    result = nps(promoters=50, passives=30, detractors=20)
    assert result.score == pytest.approx(30.0, rel=1e-14)
    assert (result.promoter_share, result.passive_share, result.detractor_share) == (
        0.5,
        0.3,
        0.2,
    )
    assert result.n_respondents == 100
    assert result.effective_sample_size == 100.0
    assert result.variance == pytest.approx(6100.0, rel=1e-12)
    assert result.standard_error == pytest.approx(math.sqrt(61.0), rel=1e-12)


def test_from_scores_counts_the_default_categories() -> None:
    # 0-6 detractors, 7-8 passives, 9-10 promoters: 0..10 once each gives
    # 7 detractors, 2 passives, 2 promoters; NPS = 100 (2 - 7) / 11.
    result = nps_from_scores(np.arange(11))
    assert (result.promoters, result.passives, result.detractors) == (2.0, 2.0, 7.0)
    assert result.score == pytest.approx(100 * (2 - 7) / 11, rel=1e-14)


def test_custom_breaks() -> None:
    # breaks (4, 7): 0-4 detractors (5), 5-7 passives (3), 8-10 promoters (3).
    result = nps_from_scores(np.arange(11), breaks=(4, 7))
    assert (result.promoters, result.passives, result.detractors) == (3.0, 3.0, 5.0)


# --- intervals -----------------------------------------------------------------


def test_wald_interval() -> None:
    # 30 +- z * sqrt(61) = [14.6922, 45.3078]
    ci = nps(promoters=50, passives=30, detractors=20).confidence_interval(
        method="wald"
    )
    assert_allclose([ci.low, ci.high], [30 - Z95 * 61**0.5, 30 + Z95 * 61**0.5])
    assert ci.confidence_level == 0.95


def test_adjusted_wald_interval_rocks_2016() -> None:
    # Rocks (2016): add 0.75 promoters, 1.5 passives, 0.75 detractors.
    # Counts 50.75, 31.5, 20.75; n = 103; centre = 30 / 103 = 0.291262;
    # v = 71.5 / 103 - (30 / 103)^2 = 0.609341; se = sqrt(v / 103) = 0.076915;
    # interval 100 (centre -+ z se) = [14.0511, 44.2013].
    n = 103.0
    centre = 30.0 / n
    se = math.sqrt((71.5 / n - centre**2) / n)
    ci = nps(promoters=50, passives=30, detractors=20).confidence_interval()
    assert_allclose(
        [ci.low, ci.high], [100 * (centre - Z95 * se), 100 * (centre + Z95 * se)]
    )
    assert_allclose([ci.low, ci.high], [14.0511, 44.2013], atol=5e-5)


def test_adjusted_wald_at_90_percent() -> None:
    # z = Phi^{-1}(0.95) = 1.6448536269514722; 200 respondents
    # (120, 50, 30) -> (120.75, 51.5, 30.75), n = 203.
    z = 1.6448536269514722
    n = 203.0
    p, d = 120.75 / n, 30.75 / n
    se = math.sqrt(((p + d) - (p - d) ** 2) / n)
    ci = nps(promoters=120, passives=50, detractors=30).confidence_interval(0.9)
    assert_allclose([ci.low, ci.high], [100 * (p - d - z * se), 100 * (p - d + z * se)])


def test_score_interval_all_promoters_closed_form() -> None:
    # With D = 0 and P = n the restricted detractor share is (1 - t) / 2 and
    # S(t) = sqrt(n (1 - t) / (1 + t)); S = z gives t = (n - z^2) / (n + z^2):
    # n = 10 -> 0.444934. The upper bound is 1 (Rocks 2016).
    ci = nps(promoters=10, passives=0, detractors=0).confidence_interval(method="score")
    assert ci.high == 100.0
    assert ci.low == pytest.approx(100 * (10 - Z95**2) / (10 + Z95**2), abs=1e-9)


def _restricted_mle_variance(
    positive: float, neutral: float, negative: float, theta: float
) -> float:
    # Maximize D ln d + P ln(d + theta) + A ln(1 - 2d - theta) numerically over
    # the feasible d, independently of the closed-form quadratic root.
    low = max(0.0, -theta)
    high = (1.0 - theta) / 2.0

    def negative_loglik(d: float) -> float:
        terms = [(negative, d), (positive, d + theta), (neutral, 1 - 2 * d - theta)]
        return -sum(c * math.log(x) for c, x in terms if c > 0)

    fit = optimize.minimize_scalar(
        negative_loglik,
        bounds=(low + 1e-15, high - 1e-15),
        method="bounded",
        options={"xatol": 1e-13},
    )
    d = float(fit.x)
    return (d + theta) + d - theta**2


@pytest.mark.parametrize(
    ("counts", "theta"),
    [
        ((50, 30, 20), 0.1),
        ((50, 30, 20), 0.45),
        ((50, 30, 20), -0.2),
        ((5, 0, 7), 0.3),
        ((3, 4, 0), -0.5),
        ((0, 2, 9), -0.9),
    ],
)
def test_restricted_mle_matches_numerical_optimum(
    counts: tuple[int, int, int], theta: float
) -> None:
    positive, neutral, negative = (float(c) for c in counts)
    n = positive + neutral + negative
    closed = _constrained_variance(
        np.array(positive), np.array(negative), np.array(n), np.array(theta)
    )
    assert float(closed) == pytest.approx(
        _restricted_mle_variance(positive, neutral, negative, theta), abs=1e-7
    )


def test_score_interval_bounds_solve_the_score_equation() -> None:
    # At each bound the score statistic (P - D - n t) / sqrt(n v(t)) is -+ z,
    # with v(t) from the numerical restricted MLE.
    positive, neutral, negative = 50.0, 30.0, 20.0
    ci = nps(promoters=50, passives=30, detractors=20).confidence_interval(
        method="score"
    )
    for bound, target in ((ci.low / 100, Z95), (ci.high / 100, -Z95)):
        v = _restricted_mle_variance(positive, neutral, negative, bound)
        statistic = (positive - negative - 100 * bound) / math.sqrt(100 * v)
        assert statistic == pytest.approx(target, abs=1e-6)


def test_wald_degenerate_sample_uses_clopper_pearson() -> None:
    # All 10 respondents promoters: the Wald se is 0. The exact upper bound on
    # the non-promoter share is q = 1 - 0.025^(1/10) = 0.308497, so the score
    # is at least 100 (1 - 2q) = 38.3006.
    q = 1 - 0.025 ** (1 / 10)
    ci = nps(promoters=10, passives=0, detractors=0).confidence_interval(method="wald")
    assert (ci.low, ci.high) == pytest.approx((100 * (1 - 2 * q), 100.0), rel=1e-12)
    # All passives: NPS within -+ 100 q. All detractors: mirror image.
    ci = nps(promoters=0, passives=10, detractors=0).confidence_interval(method="wald")
    assert (ci.low, ci.high) == pytest.approx((-100 * q, 100 * q), rel=1e-12)
    ci = nps(promoters=0, passives=0, detractors=10).confidence_interval(
        method="bootstrap", rng=0
    )
    assert (ci.low, ci.high) == pytest.approx((-100.0, 100 * (2 * q - 1)), rel=1e-12)


def test_adjusted_wald_edge_convention() -> None:
    # One promoter: adjusted counts (1.75, 1.5, 0.75), n = 4, centre 0.25,
    # v = 0.625 - 0.0625, se = sqrt(v / 4) = 0.375: [-48.5, 98.5] before the
    # convention; the bound beside the estimate 100 becomes 100.
    ci = nps(promoters=1, passives=0, detractors=0).confidence_interval()
    assert ci.low == pytest.approx(100 * (0.25 - Z95 * 0.375), rel=1e-12)
    assert ci.high == 100.0


# --- Bayesian: exact quadrature against closed forms and Monte Carlo ----------


def test_dirichlet_tail_at_zero_is_a_beta_probability() -> None:
    # P(p - d > 0) = P(u > 1/2) with u = p / (p + d) ~ Beta(a1, a3).
    assert net_upper_tail(0.0, 3.5, 2.5, 1.5) == pytest.approx(
        float(special.betaincc(3.5, 1.5, 0.5)), rel=1e-14
    )


def test_dirichlet_tail_without_passives_reduces_to_a_beta() -> None:
    # With (almost) no passives p - d = 2p - 1 and p ~ Beta(a1, a3):
    # P(2p - 1 > t) = P(p > (1 + t) / 2). A passive prior count of 1e-8 leaves
    # s = p + d within 1e-6 of 1 except with probability ~1e-7.
    t = 0.3
    assert net_upper_tail(t, 4.0, 1e-8, 2.0) == pytest.approx(
        float(special.betaincc(4.0, 2.0, (1 + t) / 2)), abs=1e-6
    )


@pytest.mark.parametrize(
    "alphas", [(10.5, 5.5, 3.5), (1.5, 0.5, 0.5), (200.5, 80.5, 120.5)]
)
def test_dirichlet_quantiles_match_monte_carlo(
    alphas: tuple[float, float, float],
) -> None:
    # 400,000 seeded posterior draws; the 2.5% and 97.5% sample quantiles
    # have standard errors below 0.002 here (sqrt(q(1-q)/N) / density), so
    # agreement to 0.006 is 3 standard errors.
    rng = np.random.default_rng(20240601)
    draws = rng.gamma(np.array(alphas), size=(400_000, 3))
    net = (draws[:, 0] - draws[:, 2]) / draws.sum(axis=1)
    expected = np.quantile(net, [0.025, 0.975])
    exact = [net_quantile(q, *alphas) for q in (0.025, 0.975)]
    assert_allclose(exact, expected, atol=6e-3)


def test_bayesian_interval_uses_the_jeffreys_posterior() -> None:
    # 50/30/20 with Jeffreys prior: Dirichlet(50.5, 30.5, 20.5).
    ci = nps(promoters=50, passives=30, detractors=20).confidence_interval(
        method="bayesian"
    )
    assert ci.low == pytest.approx(100 * net_quantile(0.025, 50.5, 30.5, 20.5))
    assert ci.high == pytest.approx(100 * net_quantile(0.975, 50.5, 30.5, 20.5))
    uniform = nps(promoters=50, passives=30, detractors=20).confidence_interval(
        method="bayesian", prior="uniform"
    )
    assert uniform.low == pytest.approx(100 * net_quantile(0.025, 51, 31, 21))


# --- bootstrap --------------------------------------------------------------


def test_bootstrap_is_reproducible_and_near_the_wald_interval() -> None:
    # For n = 1000 the percentile bootstrap and Wald intervals agree to
    # within Monte Carlo error (10,000 resamples: quantile se ~ 0.3 points).
    result = nps(promoters=500, passives=300, detractors=200)
    first = result.confidence_interval(method="bootstrap", rng=7)
    again = result.confidence_interval(method="bootstrap", rng=7)
    assert first == again
    wald = result.confidence_interval(method="wald")
    assert first.low == pytest.approx(wald.low, abs=1.0)
    assert first.high == pytest.approx(wald.high, abs=1.0)


# --- survey weights -----------------------------------------------------------


def test_weighted_score_linearized_se_and_kish() -> None:
    # answers 10, 9, 3, 8 with weights 1, 2, 1, 2: codes y = 1, 1, -1, 0.
    # W = 6; theta = (1 + 2 - 1 + 0) / 6 = 1/3 -> NPS 33.333.
    # sum w^2 (y - theta)^2 = 1 (2/3)^2 + 4 (2/3)^2 + 1 (4/3)^2 + 4 (1/3)^2
    # = 40/9; se = 100 sqrt(40/9) / 6 = 35.136.  Kish: 6^2 / 10 = 3.6.
    result = nps_from_scores([10, 9, 3, 8], weights=[1, 2, 1, 2])
    assert result.score == pytest.approx(100 / 3, rel=1e-14)
    assert result.standard_error == pytest.approx(100 * math.sqrt(40 / 9) / 6)
    assert result.effective_sample_size == pytest.approx(3.6, rel=1e-14)
    assert (result.promoters, result.passives, result.detractors) == (3.0, 2.0, 1.0)
    # Wald uses the linearized se: 33.333 -+ z 35.136, clipped at 100.
    ci = result.confidence_interval(method="wald")
    assert ci.low == pytest.approx(100 / 3 - Z95 * 100 * math.sqrt(40 / 9) / 6)
    assert ci.high == 100.0
    # The count-based methods use shares x n_eff = 1.8, 1.2, 0.6.
    assert result.effective_counts() == pytest.approx((1.8, 1.2, 0.6), rel=1e-14)


# --- sample sizes -----------------------------------------------------------


def test_worst_case_sample_size_is_1534() -> None:
    # Worst case p = d = 1/2: v = (p + d) - (p - d)^2 = 1. The adjusted Wald
    # half-width z sqrt(v / (n + 3)) <= 0.05 needs
    # n + 3 >= (1.959964 / 0.05)^2 = 1536.58, so n = ceil(1533.58) = 1534.
    # (Without the 3 pseudo-observations it would be 1537.)
    assert nps_sample_size(5) == math.ceil((Z95 / 0.05) ** 2 - 3) == 1534
    # And the margin at 1534 respondents is <= 5 points, at 1533 it is not.
    assert 100 * Z95 * math.sqrt(1 / (1534 + 3)) <= 5
    assert 100 * Z95 * math.sqrt(1 / (1533 + 3)) > 5


def test_sample_size_with_planning_shares_and_level() -> None:
    # p = 0.5, d = 0.2: v = 0.7 - 0.09 = 0.61; n = ceil(z^2 0.61 / 0.05^2 - 3)
    # = ceil(934.32) = 935.  90%, +-10: ceil((1.644854 / 0.1)^2 - 3) = 268.
    assert nps_sample_size(5, promoter_share=0.5, detractor_share=0.2) == 935
    assert nps_sample_size(10, confidence_level=0.9) == math.ceil(
        (1.6448536269514722 / 0.1) ** 2 - 3
    )


def test_sample_size_per_group_for_a_difference() -> None:
    # Worst case, 10 points, alpha 0.05, power 0.8:
    # (1.959964 + 0.841621)^2 * 2 * 1 / 0.1^2 - 3 = 1566.77 -> 1567 per group.
    z_power = 0.8416212335729143  # Phi^{-1}(0.8)
    expected = math.ceil((Z95 + z_power) ** 2 * 2 / 0.1**2 - 3)
    assert per_group(10) == expected == 1567
