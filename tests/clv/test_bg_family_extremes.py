"""BG/NBD, MBG/NBD and BG/BB over the whole parameter space (issue #14).

Three parts: regressions for the defects the robustness search found, each
with the input that exposed it; 50-digit mpmath references at extreme
parameters for every closed form touched by the fixes; and Hypothesis
contracts over log-uniform parameters in [1e-3, 1e3] (frequencies to 5000,
T in [1e-3, 1e4]) for every public method. Warnings are errors (pytest
configuration), so a test also fails on any RuntimeWarning.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from custvalue._lib.special import beta_quadrature, log_beta_ratio, log_gamma_ratio
from custvalue.clv import BGBB, BGNBD, MBGNBD
from custvalue.clv._bgnbd._predictions import (
    _expected_count_near_one,
    expected_count,
)

#: Tolerance on sums of probabilities over part of the support.
SUM_TOLERANCE = 1e-13
#: Relative tolerance against 50-digit mpmath values.
MP_RTOL = 1e-8

BetaGeometric = type[BGNBD] | type[MBGNBD]

# ---------------------------------------------------------------- regressions


@pytest.mark.parametrize("cls", [BGNBD, MBGNBD])
def test_expected_purchases_large_a_is_finite(cls: BetaGeometric) -> None:
    # Was NaN with overflow warnings: the Euler-transformed 2F1 has
    # c - a - b = r + 1 - a = -998.
    model = cls(r=1.0, alpha=1.0, a=1000.0, b=1.0)
    value = model.expected_purchases([10.0])
    assert np.all(np.isfinite(value))
    cond = model.conditional_expected_purchases(10.0, 3, 2.0, 5.0)
    assert np.isfinite(cond)
    assert cond >= 0


@pytest.mark.parametrize("cls", [BGNBD, MBGNBD])
def test_simulate_with_drop_out_probability_zero(cls: BetaGeometric) -> None:
    # a = 0.001: Beta(a, b) draws are 0.0 in floating point about half the
    # time, and numpy's geometric(0) raised. Such customers never drop out.
    data = cls(r=1.0, alpha=1.0, a=0.001, b=1.0).simulate(20, 1.0, rng=0)
    assert data.frequency.shape == (20,)
    assert np.all(data.frequency >= 0)
    assert np.all((data.recency >= 0) & (data.recency <= data.T))


@pytest.mark.parametrize("cls", [BGNBD, MBGNBD])
@pytest.mark.parametrize(("a", "b"), [(1e3, 1e6), (1e-3, 1e6), (1e6, 1e-3)])
def test_pmf_sums_do_not_exceed_one(cls: BetaGeometric, a: float, b: float) -> None:
    # ln B(a, b+n) - ln B(a, b) as a difference of betaln values lost
    # eps |ln B| (3e-9 at b = 1e6), and the pmf summed to 1 + 1e-9.
    model = cls(r=2.0, alpha=1.0, a=a, b=b)
    n = np.arange(3001)
    total = model.purchase_probability(n, 10.0).sum()
    assert total <= 1.0 + SUM_TOLERANCE
    cond = model.conditional_purchase_probability(n[:, None], 10.0, [40], [9.0], [10.0])
    assert cond.sum() <= 1.0 + SUM_TOLERANCE


@pytest.mark.parametrize(
    ("t", "r", "alpha", "a", "b", "expected"),
    [
        # mpmath 1.4, mp.dps = 40: with u = t/alpha,
        # mp.quad(lambda p: p**(a-1)*(1-p)**(b-1)*(1-(1+p*u)**(-r))/p,
        #         [0, 0.1/(r*u), 1/(r*u), 10/(r*u), 0.5, 1]) / mp.beta(a, b)
        (10.0, 100.0, 1.0, 1.0, 1.0, 7.4799626106336659448),
        (1e4, 100.0, 1.0, 1.0, 1.0, 14.387717889615802997),
        (1e3, 100.0, 1.0, 1.0 + 5e-5, 0.3, 4.5020992466764438324),
        (50.0, 0.5, 2.0, 1.0, 3.0, 3.7757265836644865849),
    ],
)
def test_expected_purchases_near_a_equal_one(
    t: float, r: float, alpha: float, a: float, b: float, expected: float
) -> None:
    # Was negative and decreasing from t = 1e3 at a = 1, r = 100: the series
    # used for |a - 1| < 1e-4 alternated and cancelled. Now an integral over
    # the drop-out probability with positive terms.
    value = BGNBD(r=r, alpha=alpha, a=a, b=b).expected_purchases([t])[0]
    assert value == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("a", [1.051, 0.949, 1.2, 3.0])
@pytest.mark.parametrize("b", [0.3, 3.0, 40.0])
def test_near_one_integral_agrees_with_the_closed_form(a: float, b: float) -> None:
    # Outside |a - 1| < 0.05 the closed form is accurate to about 4e-12 (its
    # 1/(a - 1) factor costs eps / |a - 1|); the integral used inside the
    # band must give the same numbers there.
    t = np.array([0.1, 5.0, 50.0, 5e3])
    r, alpha = np.full(4, 0.7), np.full(4, 2.0)
    closed = expected_count(t, 0.7, 2.0, a, b)
    integral = _expected_count_near_one(t, r, alpha, a, np.full(4, b))
    np.testing.assert_allclose(integral, closed, rtol=1e-10)


def test_expected_purchases_increase_through_a_equal_one() -> None:
    values = BGNBD(r=100.0, alpha=1.0, a=1.0, b=1.0).expected_purchases(
        [10.0, 100.0, 1e3, 1e4]
    )
    assert np.all(np.diff(values) > 0)
    # and a frequent customer's conditional expectation is finite (overflowed
    # in the Gauss-Jacobi weights of scipy for b + x = 5000)
    # (an alive customer with x = 5000: the future of the updated process)
    t = np.array([1e-3, 1.0])
    alive_future = expected_count(t, 1.0, 1.0, 1.0, 1.0, x=5000.0, T=1.0)
    assert np.all(np.isfinite(alive_future))
    assert np.all(np.diff(alive_future) > 0)


def test_bgbb_empty_history_log_likelihood_is_zero() -> None:
    # Was +1.07e-14: ln B values of the parameters cancelled.
    model = BGBB(alpha=480.22, beta=0.124826, gamma=33.9883, delta=0.00246828)
    assert model.log_likelihood([0], [0], [0])[0] == 0.0


def test_bgbb_conditional_pmf_sum_with_huge_gamma() -> None:
    # Was 1 + 5e-10 (betaln differences at gamma = 1e6).
    model = BGBB(alpha=795.615, beta=947.266, gamma=1e6, delta=540.129)
    k = np.arange(1001)[:, None]
    pmf = model.conditional_purchase_probability(k, 1000, [0], [0], [0])
    assert pmf.sum() <= 1.0 + SUM_TOLERANCE


def test_no_underflow_warning_escapes() -> None:
    # Terms far below the maximum underflow inside log-sum-exps; the results
    # are right, and no FloatingPointError escapes even under errstate(raise).
    with np.errstate(all="raise"):
        ll = BGBB(alpha=1.0, beta=1.0, gamma=1.0, delta=1.0).log_likelihood(
            [250], [400], [2000]
        )
        pmf = BGBB(alpha=1.0, beta=1.0, gamma=1.0, delta=1.0).purchase_probability(
            np.arange(6), 2000
        )
    assert np.isfinite(ll[0])
    assert ll[0] < 0
    assert np.all((pmf >= 0) & (pmf <= 1))


# ------------------------------------------------------- mpmath references
# Values from mpmath 1.3 at mp.dps = 50, with M = mp.mpf.


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # EX(t,r,al,a,b) = (a+b-1)/(a-1)*(1 - (al/(al+t))**r
        #                  * mp.hyp2f1(r, b, a+b-1, t/(al+t)))   (FHL05 eq. 7)
        ((10.0, 1.0, 1.0, 1000.0, 1.0), 0.90991803197186488769),
        ((10.0, 1.0, 1.0, 1e6, 1.0), 0.90909173553786626638),
        ((1e4, 3.61115, 0.0363567, 109.468, 1.14018), 1.0105116716450934832),
        ((50.0, 0.5, 2.0, 25.0, 3.0), 0.89116621513627862267),
    ],
)
def test_expected_purchases_mpmath(
    args: tuple[float, float, float, float, float], expected: float
) -> None:
    t, r, alpha, a, b = args
    value = BGNBD(r=r, alpha=alpha, a=a, b=b).expected_purchases([t])[0]
    assert_allclose(value, expected, rtol=MP_RTOL)


def test_conditional_expected_purchases_mpmath() -> None:
    # The alive customer's mean, EX(10, r+x, al+T, a, b+x) = EX(10, 4, 6, 1000, 4)
    # with the expression above: 0.98394992885687007251. P(alive) =
    # 1 / (1 + a/(b+x-1) ((al+T)/(al+tx))^(r+x)) = 1 / (1 + (1000/3) 2^4).
    value = BGNBD(r=1.0, alpha=1.0, a=1000.0, b=1.0).conditional_expected_purchases(
        10.0, 3, 2.0, 5.0
    )
    alive = 1.0 / (1.0 + 1000.0 / 3.0 * 16.0)
    assert_allclose(value, alive * 0.98394992885687007251, rtol=MP_RTOL)


@pytest.mark.parametrize(
    ("abn", "expected"),
    [
        # mp.log(mp.beta(a, b+n) / mp.beta(a, b))
        ((1000.0, 1e6, 1000.0), -0.99900166417064351085),
        ((1e-3, 1e6, 1.0), -9.9999999950000002115e-10),
        ((2488.0, 992241.0, 1000.0), -2.5030586582151502975),
        ((0.5, 1e6, 5000.0), -0.0024937713774100840697),
    ],
)
def test_log_beta_ratio_mpmath(
    abn: tuple[float, float, float], expected: float
) -> None:
    assert_allclose(log_beta_ratio(*abn), expected, rtol=1e-13)


def test_log_gamma_ratio_and_quadrature_basics() -> None:
    # ln Gamma(x+1) - ln Gamma(x) = ln x, exactly to rounding at large x
    assert_allclose(log_gamma_ratio(1e6, 1.0), np.log(1e6), rtol=1e-15)
    assert log_gamma_ratio(3.5, 0.0) == 0.0
    assert log_beta_ratio(1e6, 1e-3, 0.0) == 0.0
    # E[p^k] = B(a+k, b)/B(a, b) for every k < 2 n_nodes
    for a, b in [(2.0, 3.0), (1e3, 1e6), (1e6, 1.0), (0.5, 0.7)]:
        nodes, weights = beta_quadrature(a, b, 16)
        assert weights.sum() == pytest.approx(1.0, rel=1e-15)
        for k in range(1, 8):
            exact = np.exp(log_beta_ratio(b, a, float(k)))
            assert_allclose(weights @ nodes**k, exact, rtol=1e-13)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # z = t/(al+t); nb = mp.gamma(r+n)/(mp.gamma(r) n!) (al/(al+t))**r z**n;
        # P = B(a,b+n)/B(a,b) nb + [n>0] B(a+1,b+n-1)/B(a,b)
        #     * mp.betainc(n, r, 0, z, regularized=True)           (FHL05 eq. 8)
        ((3, 10.0, 1.0, 1.0, 1000.0, 1e6), 0.068845914691069534939),
        ((0, 10.0, 1.0, 1.0, 1000.0, 1e6), 0.090909090909090909091),
        ((5, 1e4, 3.61115, 0.0363567, 0.001, 1e5), 9.9995995169216382839e-9),
    ],
)
def test_purchase_probability_mpmath(
    args: tuple[int, float, float, float, float, float], expected: float
) -> None:
    n, t, r, alpha, a, b = args
    value = BGNBD(r=r, alpha=alpha, a=a, b=b).purchase_probability(n, t)
    assert_allclose(value, expected, rtol=MP_RTOL)


@pytest.mark.parametrize(
    ("params", "history", "expected"),
    [
        # mp.log(L), L = B(al+x, be+n-x)/B(al,be) B(ga, de+n)/B(ga,de)
        #   + sum_{i<n-tx} B(al+x, be+tx-x+i)/B(al,be) B(ga+1, de+tx+i)/B(ga,de)
        #   (FHS10 eq. 5)
        ((480.22, 0.124826, 33.9883, 0.00246828), (3, 5, 8), -35.197761460849551272),
        ((2.0, 3.0, 2.0, 5.0), (250, 400, 500), -280.82783528372189069),
        ((795.615, 947.266, 1e6, 540.129), (2, 2, 3), -16.614560334148196948),
    ],
)
def test_bgbb_log_likelihood_mpmath(
    params: tuple[float, float, float, float],
    history: tuple[int, int, int],
    expected: float,
) -> None:
    alpha, beta, gamma, delta = params
    x, tx, n = history
    value = BGBB(alpha=alpha, beta=beta, gamma=gamma, delta=delta).log_likelihood(
        [x], [tx], [n]
    )
    assert_allclose(value[0], expected, rtol=MP_RTOL)


@pytest.mark.parametrize(
    ("k", "expected"),
    [
        # mp.binomial(h,k) B(al+k, be+h-k)/B(al,be) B(ga, de+h)/B(ga,de)
        #   + sum_{i=k}^{h-1} mp.binomial(i,k) B(al+k, be+i-k)/B(al,be)
        #     B(ga+1, de+i)/B(ga,de)                          (FHS10 eq. 8)
        (3, 1.5089205514694719908e-11),
        (0, 0.99975349495257404389),
    ],
)
def test_bgbb_purchase_probability_mpmath(k: int, expected: float) -> None:
    model = BGBB(alpha=795.615, beta=947.266, gamma=1e6, delta=540.129)
    assert_allclose(model.purchase_probability(k, 10), expected, rtol=MP_RTOL)


# ---------------------------------------------------------- contracts

positive = st.floats(-3.0, 3.0).map(lambda e: float(f"{10.0**e:.6g}"))
horizons = np.array([0.0, 1e-3, 0.5, 10.0, 100.0, 1e3, 1e4])


@st.composite
def continuous_history(draw: st.DrawFn) -> tuple[int, float, float]:
    T = draw(st.floats(-3.0, 4.0).map(lambda e: float(f"{10.0**e:.6g}")))
    x = draw(st.sampled_from([0, 1, 3, 50, 5000]))
    share = draw(st.sampled_from([0.0, 1e-3, 0.5, 1.0]))
    tx = 0.0 if x == 0 else max(T * share, 1e-9 * T)
    return x, min(tx, T), T


def _check_expectation(values: np.ndarray, axis: int = 0) -> None:
    assert np.all(np.isfinite(values))
    assert np.all(values >= 0)
    steps = np.diff(values, axis=axis)
    assert np.all(steps >= -1e-12 * max(float(np.abs(values).max()), 1e-300))


@pytest.mark.parametrize("cls", [BGNBD, MBGNBD])
@given(
    r=positive,
    alpha=positive,
    a=positive,
    b=positive,
    history=continuous_history(),
    t=st.sampled_from([1e-3, 0.5, 10.0, 1e3]),
)
def test_beta_geometric_contracts(
    cls: BetaGeometric,
    r: float,
    alpha: float,
    a: float,
    b: float,
    history: tuple[int, float, float],
    t: float,
) -> None:
    model = cls(r=r, alpha=alpha, a=a, b=b)
    x, tx, T = history
    assert np.all(np.isfinite(model.log_likelihood([x], [tx], [T])))
    alive = model.probability_alive([x], [tx], [T])
    assert np.all((alive >= 0) & (alive <= 1))
    _check_expectation(model.expected_purchases(horizons))
    _check_expectation(
        model.conditional_expected_purchases(horizons[:, None], [x], [tx], [T])
    )
    n = np.arange(101)
    pmf = model.purchase_probability(n, t)
    cond = model.conditional_purchase_probability(n[:, None], t, [x], [tx], [T])
    for p in (pmf, cond):
        assert np.all(np.isfinite(p))
        assert np.all((p >= 0) & (p <= 1))
        assert p.sum() <= 1.0 + SUM_TOLERANCE
    data = model.simulate(50, T, rng=0)
    assert np.all(np.isfinite(data.recency))
    assert np.all(data.frequency >= 0)


@st.composite
def discrete_history(draw: st.DrawFn) -> tuple[int, int, int]:
    n = draw(st.sampled_from([0, 1, 5, 60, 400]))
    x = draw(st.integers(0, n))
    tx = 0 if x == 0 else draw(st.integers(x, n))
    return x, tx, n


@given(
    alpha=positive,
    beta=positive,
    gamma=positive,
    delta=positive,
    history=discrete_history(),
    horizon=st.sampled_from([1, 5, 60]),
    rate=st.floats(-2.0, 0.0).map(lambda e: 10.0**e),
)
def test_bgbb_contracts(
    alpha: float,
    beta: float,
    gamma: float,
    delta: float,
    history: tuple[int, int, int],
    horizon: int,
    rate: float,
) -> None:
    model = BGBB(alpha=alpha, beta=beta, gamma=gamma, delta=delta)
    x, tx, n = history
    ll = model.log_likelihood([x], [tx], [n])
    assert np.all(np.isfinite(ll))
    assert np.all(ll <= 0)
    if n == 0:
        assert ll[0] == 0.0
    for future in (0, 5):
        alive = model.probability_alive([x], [tx], [n], future=future)
        assert np.all((alive >= 0) & (alive <= 1))
    h = np.array([0, 1, 5, 100, 1000])
    _check_expectation(model.expected_purchases(h))
    _check_expectation(model.conditional_expected_purchases(h[:, None], [x], [tx], [n]))
    k = np.arange(horizon + 1)
    pmf = model.purchase_probability(k, horizon)
    cond = model.conditional_purchase_probability(k[:, None], horizon, [x], [tx], [n])
    for p in (pmf, cond):
        assert np.all(np.isfinite(p))
        assert np.all((p >= 0) & (p <= 1))
        assert p.sum() <= 1.0 + SUM_TOLERANCE
    dert = model.discounted_expected_residual_purchases(
        [x], [tx], [n], discount_rate=rate
    )
    assert np.all(np.isfinite(dert))
    assert np.all(dert >= 0)
    data = model.simulate(50, 20, rng=0)
    assert int(data.counts.sum()) == 50
