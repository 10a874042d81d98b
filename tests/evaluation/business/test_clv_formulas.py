"""Retention-based CLV in its three timings, and the AOV heuristic."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.evaluation import heuristic_clv, retention_clv

TIMINGS = ("include_first_margin", "exclude_first_margin", "end_of_period")


def _explicit_sum(m: float, r: float, d: float, timing: str, n_terms: int) -> float:
    # The defining sums of Fader & Hardie (2012), term by term.
    if timing == "include_first_margin":  # eq. 1: t = 0, 1, ...
        return sum(m * r**t / (1 + d) ** t for t in range(n_terms))
    if timing == "exclude_first_margin":  # eq. 2: t = 1, 2, ...
        return sum(m * r**t / (1 + d) ** t for t in range(1, n_terms + 1))
    # eq. 3 (Ofek): margin at the end of period t, alive with r^(t-1).
    return sum(m * r ** (t - 1) / (1 + d) ** t for t in range(1, n_terms + 1))


def test_three_timings_by_hand() -> None:
    # m = 100, r = 0.8, d = 0.1, so 1 + d - r = 0.3 (Fader & Hardie 2012,
    # eqs. 1-3): m(1+d)/0.3 = 110/0.3; m r/0.3 = 80/0.3; m/0.3 = 100/0.3.
    assert retention_clv(100, 0.8, 0.1, timing="include_first_margin") == (
        pytest.approx(110 / 0.3, rel=1e-14)
    )
    assert retention_clv(100, 0.8, 0.1, timing="exclude_first_margin") == (
        pytest.approx(80 / 0.3, rel=1e-14)
    )
    assert retention_clv(100, 0.8, 0.1, timing="end_of_period") == pytest.approx(
        100 / 0.3, rel=1e-14
    )


def test_finite_horizon_by_hand() -> None:
    # Three margins, r = 0.5, d = 0: include first 1 + 0.5 + 0.25 = 1.75;
    # exclude first 0.5 + 0.25 + 0.125 = 0.875; end of period same as include
    # first with d = 0 (no discounting): 1.75.
    assert retention_clv(1, 0.5, 0, timing="include_first_margin", horizon=3) == 1.75
    assert retention_clv(1, 0.5, 0, timing="exclude_first_margin", horizon=3) == 0.875
    assert retention_clv(1, 0.5, 0, timing="end_of_period", horizon=3) == 1.75
    # r = 1, d = 0: every margin counts in full, H of them.
    assert retention_clv(2, 1.0, 0.0, timing="include_first_margin", horizon=5) == 10
    # r = 0: only the certain first margin remains (at t = 0, or at t = 1
    # discounted once), nothing after it.
    assert retention_clv(5, 0.0, 0.25, timing="include_first_margin") == 5
    assert retention_clv(5, 0.0, 0.25, timing="exclude_first_margin") == 0
    assert retention_clv(5, 0.0, 0.25, timing="end_of_period") == 4


@pytest.mark.parametrize("timing", TIMINGS)
@pytest.mark.parametrize("horizon", [1, 2, 7, 40])
def test_closed_form_equals_the_defining_sum(timing: str, horizon: int) -> None:
    value = retention_clv(37.5, 0.73, 0.012, timing=timing, horizon=horizon)  # type: ignore[arg-type]
    assert value == pytest.approx(
        _explicit_sum(37.5, 0.73, 0.012, timing, horizon), rel=1e-12
    )


@pytest.mark.parametrize("timing", TIMINGS)
def test_long_horizon_approaches_the_lifetime_value(timing: str) -> None:
    # The tail after 400 terms is below (0.9/1.05)^400 < 1e-26 of the total.
    lifetime = retention_clv(1, 0.9, 0.05, timing=timing)  # type: ignore[arg-type]
    truncated = retention_clv(1, 0.9, 0.05, timing=timing, horizon=400)  # type: ignore[arg-type]
    assert truncated == pytest.approx(lifetime, rel=1e-13)


def _discounted_margins(
    m: float, r: float, d: float, first: int, delay: int, n_terms: int
) -> float:
    """m * sum over t = first .. first + n_terms - 1 of r^t / (1+d)^(t+delay).

    The margin of period t is received if the customer survived t renewals
    (probability r^t) and is discounted over t + delay periods; summed with
    fsum so that rounding does not build up over thousands of terms.
    """
    return m * math.fsum(
        r**t * (1.0 + d) ** -(t + delay) for t in range(first, first + n_terms)
    )


# With r <= 0.99 every term is at most 0.99^t of the first, so 4000 terms
# leave a tail below 0.99^4000 / 0.01 < 1e-15 of the lifetime value.
_LIFETIME_TERMS = 4000


@given(
    m=st.floats(-1e4, 1e4),
    r=st.floats(0.0, 0.99),
    d=st.floats(0.0, 1.0),
    horizon=st.one_of(st.integers(1, 60), st.just(math.inf)),
)
def test_timings_differ_only_in_bookkeeping(
    m: float, r: float, d: float, horizon: float
) -> None:
    # Each timing against its own explicit sum of discounted margins
    # (Fader & Hardie 2012, eqs. 1-3): include first = margins at t = 0 ..
    # H-1, undiscounted at t = 0; exclude first = margins at t = 1 .. H;
    # end of period = the margin of period t (alive with r^t, t = 0 .. H-1)
    # paid one period later, discounted t + 1 times.
    n = _LIFETIME_TERMS if math.isinf(horizon) else int(horizon)
    include = _discounted_margins(m, r, d, first=0, delay=0, n_terms=n)
    exclude = _discounted_margins(m, r, d, first=1, delay=0, n_terms=n)
    end = _discounted_margins(m, r, d, first=0, delay=1, n_terms=n)
    expected = {
        "include_first_margin": include,
        "exclude_first_margin": exclude,
        "end_of_period": end,
    }
    for timing, value in expected.items():
        got = retention_clv(m, r, d, timing=timing, horizon=horizon)  # type: ignore[arg-type]
        assert got == pytest.approx(value, rel=1e-11, abs=1e-300)
    if math.isinf(horizon):
        # The bookkeeping of the Notes, on the sums themselves: "exclude
        # first" is "include first" minus m, "end of period" is "include
        # first" divided by 1 + d.
        scale = abs(include) + abs(m) + 1e-300
        assert abs(exclude - (include - m)) <= 1e-12 * scale
        assert end == pytest.approx(include / (1 + d), rel=1e-12, abs=1e-300)


@given(r=st.floats(0.0, 0.98), d=st.floats(0.0, 0.5))
def test_value_grows_with_retention_and_falls_with_discounting(
    r: float, d: float
) -> None:
    for timing in TIMINGS:
        base = retention_clv(10, r, d, timing=timing)  # type: ignore[arg-type]
        assert retention_clv(10, r + 0.01, d, timing=timing) >= base  # type: ignore[arg-type]
        assert retention_clv(10, r, d + 0.01, timing=timing) <= base  # type: ignore[arg-type]


def test_timing_is_required_and_checked() -> None:
    with pytest.raises(TypeError, match="timing"):
        retention_clv(100, 0.8, 0.1)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="`timing` must be one of"):
        retention_clv(100, 0.8, 0.1, timing="beginning")  # type: ignore[arg-type]


def test_retention_clv_bad_input() -> None:
    with pytest.raises(ValueError, match="infinite value"):
        retention_clv(1, 1.0, 0.0, timing="include_first_margin")
    with pytest.raises(ValueError, match="between 0 and 1"):
        retention_clv(1, 80, 0.1, timing="include_first_margin")
    with pytest.raises(ValueError, match=">= 0"):
        retention_clv(1, 0.8, -0.1, timing="include_first_margin")
    with pytest.raises(ValueError, match="whole number"):
        retention_clv(1, 0.8, 0.1, timing="include_first_margin", horizon=2.5)
    with pytest.raises(ValueError, match="> 0"):
        retention_clv(1, 0.8, 0.1, timing="include_first_margin", horizon=0)
    with pytest.raises(ValueError, match="finite"):
        retention_clv(math.nan, 0.8, 0.1, timing="include_first_margin")


def test_heuristic_by_hand() -> None:
    # 40 per order x 3 orders a year x 2 years = 240 revenue; x 0.25 = 60.
    assert heuristic_clv(40, 3, 2) == 240
    assert heuristic_clv(40, 3, 2, margin=0.25) == 60
    with pytest.raises(ValueError, match=">= 0"):
        heuristic_clv(40, -3, 2)
    with pytest.raises(ValueError, match="finite"):
        heuristic_clv(40, 3, math.inf)
