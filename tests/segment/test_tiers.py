"""Value tiers, ABC classes and the customer pyramid."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.segment import (
    TiedBinsWarning,
    abc_classes,
    customer_pyramid,
    value_tiers,
)

FloatArray = npt.NDArray[np.float64]

# --- value tiers ---------------------------------------------------------------


def test_value_tiers_by_hand() -> None:
    # values sorted: -5 (pos 0), 0, 0 (pos 1-2), 8 (3), 9 (4), 20 (5); n = 6,
    # 3 tiers, tier = 1 + floor(3 (lo + hi) / 12):
    #   -5: lo+hi = 1 -> 1;  0,0: 1+3 = 4 -> 1 + floor(12/12) = 2
    #   8: 7 -> 1 + floor(21/12) = 2;  9: 9 -> 1 + floor(27/12) = 3;  20: 11 -> 3
    tiers = value_tiers([9.0, 0.0, -5.0, 20.0, 0.0, 8.0], n_tiers=3)
    assert tiers.tier.tolist() == [3, 2, 1, 3, 2, 2]
    assert tiers.labels.names == ("tier 1", "tier 2", "tier 3")
    assert tiers.occupancy.tolist() == [1, 3, 2]
    assert tiers.cut_points.tolist() == [-5.0, 8.0]


def test_value_tiers_with_given_cut_points_and_names() -> None:
    tiers = value_tiers(
        [5.0, 50.0, 500.0, 10.0],
        n_tiers=3,
        names=("low", "mid", "high"),
        cut_points=[10, 100],
    )
    assert tiers.labels.as_strings().tolist() == ["low", "mid", "high", "low"]
    assert tiers.method == "cut_points"


def test_value_tiers_warn_when_ties_empty_a_tier() -> None:
    # 0 x 4 then 5: block of zeros lo=0, hi=4 -> 1 + floor(4*4/10) = 2;
    # 5 at position 4 -> 1 + floor(4*9/10) = 4. Tiers 1 and 3 are empty.
    with pytest.warns(
        TiedBinsWarning, match=r"2 of 4 quantile tiers empty \(tiers 1, 3\)"
    ):
        tiers = value_tiers([0.0, 0.0, 0.0, 0.0, 5.0], n_tiers=4)
    assert tiers.occupancy.tolist() == [0, 4, 0, 1]


def test_value_tiers_bad_input() -> None:
    with pytest.raises(ValueError, match="`n_tiers` must be an integer from 2"):
        value_tiers([1.0, 2.0], n_tiers=1)
    with pytest.raises(ValueError, match="`names` must be 2 non-empty strings"):
        value_tiers([1.0, 2.0], n_tiers=2, names=("a",))
    with pytest.raises(ValueError, match="`values` must be finite"):
        value_tiers([1.0, np.inf])
    with pytest.raises(ValueError, match="must not be empty"):
        value_tiers([])


# --- ABC classes ----------------------------------------------------------------


def test_abc_keeps_ties_together_and_includes_the_crossing_customer() -> None:
    # values 40, 30, 10, 10, 5, 5 (total 100). Share held by strictly more
    # valuable customers: 40 -> 0; 30 -> 0.40; 10 -> 0.70; 5 -> 0.90.
    # A: share < 0.80 -> 40, 30, 10, 10 (holding 90%); B: < 0.95 -> 5, 5.
    abc = abc_classes([10.0, 5.0, 40.0, 30.0, 10.0, 5.0])
    assert abc.labels.as_strings().tolist() == ["A", "B", "A", "A", "A", "B"]
    assert np.allclose(abc.value_share, [0.9, 0.1, 0.0])
    assert np.allclose(abc.customer_share, [4 / 6, 2 / 6, 0.0])
    assert abc.thresholds == (0.8, 0.95)


def test_abc_top_customer_is_always_a() -> None:
    # one customer with 90% of the value: strictly more valuable share 0 < 0.8
    abc = abc_classes([90.0, 5.0, 3.0, 2.0])
    assert abc.labels.as_strings().tolist() == ["A", "B", "C", "C"]


def test_abc_custom_thresholds_and_names() -> None:
    # shares above: 50 -> 0 (< 0.5: A), 25 -> 0.5 (< 0.7: B), 15 -> 0.75
    # (< 0.8: C), 10 -> 0.9 (D); with thresholds (0.5, 0.6, 0.7) C is empty.
    values = [50.0, 25.0, 15.0, 10.0]
    abc = abc_classes(values, thresholds=(0.5, 0.7, 0.8), names=("A", "B", "C", "D"))
    assert abc.labels.as_strings().tolist() == ["A", "B", "C", "D"]
    tight = abc_classes(values, thresholds=(0.5, 0.6, 0.7), names=("A", "B", "C", "D"))
    assert tight.labels.sizes.tolist() == [1, 1, 0, 2]


def test_abc_bad_input() -> None:
    with pytest.raises(ValueError, match=r"`values` must be >= 0.*customer_pyramid"):
        abc_classes([5.0, -1.0])
    with pytest.raises(ValueError, match="positive total"):
        abc_classes([0.0, 0.0])
    with pytest.raises(ValueError, match="strictly increasing shares"):
        abc_classes([1.0, 2.0], thresholds=(0.95, 0.8))
    with pytest.raises(ValueError, match="strictly between 0"):
        abc_classes([1.0, 2.0], thresholds=(0.8, 1.0))
    with pytest.raises(ValueError, match="`names` must be 3 non-empty strings"):
        abc_classes([1.0, 2.0], names=("A", "B"))
    with pytest.raises(ValueError, match="must be finite"):
        abc_classes([1.0, np.nan])


money = st.lists(st.integers(0, 50), min_size=1, max_size=40).filter(
    lambda v: sum(v) > 0
)
shares = st.lists(st.floats(0.01, 0.99), min_size=1, max_size=3, unique=True).map(
    sorted
)


@given(values=money, thresholds=shares)
def test_abc_shares_are_monotone(values: list[int], thresholds: list[float]) -> None:
    x = np.array(values, dtype=np.float64)
    names = tuple("ABCD"[: len(thresholds) + 1])
    abc = abc_classes(x, thresholds=thresholds, names=names)
    codes = abc.labels.codes
    # a more valuable customer is never in a later class
    order = np.argsort(-x, kind="stable")
    assert np.all(np.diff(codes[order]) >= 0)
    # the first c classes hold at least the c-th threshold of the value ...
    cumulative = np.cumsum(abc.value_share)
    assert np.all(cumulative[:-1] >= np.array(thresholds) - 1e-12)
    # ... and are the smallest such set: without their least valuable block
    # they hold less than it
    for c, tau in enumerate(thresholds):
        inside = x[codes <= c]
        if inside.size:
            lowest = inside.min()
            assert x[x > lowest].sum() / x.sum() < tau + 1e-12
    assert np.isclose(abc.value_share.sum(), 1.0)
    assert np.isclose(abc.customer_share.sum(), 1.0)


@given(values=money)
def test_abc_raising_thresholds_never_demotes(values: list[int]) -> None:
    x = np.array(values, dtype=np.float64)
    low = abc_classes(x, thresholds=(0.6, 0.9)).labels.codes
    high = abc_classes(x, thresholds=(0.8, 0.95)).labels.codes
    assert np.all(high <= low)


# --- customer pyramid -------------------------------------------------------------


def test_pyramid_by_hand() -> None:
    # positive profit: 500, 80, 60, 35, 25, 12, 10 (m = 7); share of them
    # strictly more profitable: 500 -> 0, 80 -> 1/7, 60 -> 2/7, 35 -> 3/7.
    # top_shares (0.125, 0.25): Platinum < 0.125, Gold < 0.375, else Iron;
    # the break-even customer (0) is Iron.
    profit = [500.0, -20.0, 80.0, 10.0, 0.0, 35.0, -5.0, 12.0, 60.0, 25.0]
    pyramid = customer_pyramid(profit, top_shares=(0.125, 0.25))
    assert pyramid.labels.as_strings().tolist() == [
        "Platinum",
        "Lead",
        "Gold",
        "Iron",
        "Iron",
        "Iron",
        "Lead",
        "Iron",
        "Gold",
        "Iron",
    ]
    # 500 | 80 + 60 | 35 + 25 + 12 + 10 + 0 | -20 - 5
    assert pyramid.total_profit.tolist() == [500.0, 140.0, 82.0, -25.0]


def test_pyramid_puts_break_even_customers_in_iron() -> None:
    # five customers at 10, 95 at 0: only the five are ranked; they are tied,
    # so all five share Platinum (a(10) = 0 < 0.1), more than 10% of them.
    pyramid = customer_pyramid([10.0] * 5 + [0.0] * 95)
    assert pyramid.labels.sizes.tolist() == [5, 0, 95, 0]
    assert pyramid.labels.as_strings()[5:].tolist() == ["Iron"] * 95
    assert pyramid.total_profit.tolist() == [50.0, 0.0, 0.0, 0.0]
    # nobody makes money: all break-even customers are Iron, -0.0 included
    assert customer_pyramid([0.0, 0.0, 0.0]).labels.sizes.tolist() == [0, 0, 3, 0]
    assert customer_pyramid([-0.0, 5.0, -1.0]).labels.as_strings().tolist() == [
        "Iron",
        "Platinum",
        "Lead",
    ]


def test_pyramid_ranks_only_positive_profit() -> None:
    # positive: 5, 4, 3, 2, 1 (m = 5), a = 0, 1/5, 2/5, 3/5, 4/5; with the
    # default shares (0.1, 0.2): Platinum a < 0.1, Gold a < 0.3, so 5 is
    # Platinum, 4 Gold and 3, 2, 1 Iron, as are the 95 customers at 0. (Ranking
    # the zeros too gives a(v) <= 0.05 for everyone: all 100 in Platinum.)
    profit = [5.0, 4.0, 3.0, 2.0, 1.0] + [0.0] * 95
    pyramid = customer_pyramid(profit)
    assert pyramid.labels.as_strings()[:5].tolist() == [
        "Platinum",
        "Gold",
        "Iron",
        "Iron",
        "Iron",
    ]
    assert pyramid.labels.sizes.tolist() == [1, 1, 98, 0]


def test_pyramid_tie_block_shares_a_tier() -> None:
    # positive: 9, 7, 7, 7, 1 (m = 5); a(9) = 0, a(7) = 1/5, a(1) = 4/5.
    # top_shares (0.1, 0.25): 9 Platinum; the three 7s Gold (0.1 <= 0.2 <
    # 0.35), 60% of the ranked customers in a tier asked to hold 25%; 1 Iron.
    pyramid = customer_pyramid([7.0, 1.0, 7.0, 9.0, 7.0], top_shares=(0.1, 0.25))
    assert pyramid.labels.as_strings().tolist() == [
        "Gold",
        "Iron",
        "Gold",
        "Platinum",
        "Gold",
    ]


def test_pyramid_when_nobody_is_profitable() -> None:
    pyramid = customer_pyramid([-1.0, -2.0])
    assert pyramid.labels.sizes.tolist() == [0, 0, 0, 2]


def test_pyramid_bad_input() -> None:
    with pytest.raises(ValueError, match="`top_shares` must be two positive shares"):
        customer_pyramid([1.0], top_shares=(0.6, 0.5))
    with pytest.raises(ValueError, match="`top_shares` must be two positive shares"):
        customer_pyramid([1.0], top_shares=(0.1,))
    with pytest.raises(ValueError, match="`profit` must be finite"):
        customer_pyramid([1.0, np.nan])


# zeros drawn often: break-even customers are where the tiers meet
profits = st.lists(st.one_of(st.just(0), st.integers(-20, 50)), min_size=1, max_size=40)


@given(profit=profits, top=st.tuples(st.floats(0.01, 0.5), st.floats(0.01, 0.49)))
def test_pyramid_puts_every_negative_profit_customer_in_lead(
    profit: list[int], top: tuple[float, float]
) -> None:
    x = np.array(profit, dtype=np.float64)
    pyramid = customer_pyramid(x, top_shares=top)
    lead = pyramid.labels.mask("Lead")
    assert np.array_equal(lead, x < 0)
    # break-even customers are all Iron; Platinum and Gold hold only profit > 0
    assert np.all(pyramid.labels.as_strings()[x == 0] == "Iron")
    platinum_or_gold = pyramid.labels.codes <= 1
    assert np.all(x[platinum_or_gold] > 0)
    # among the others a more profitable customer is never in a lower tier
    kept = ~lead
    codes = pyramid.labels.codes[kept]
    order = np.argsort(-x[kept], kind="stable")
    assert np.all(np.diff(codes[order]) >= 0)
    # the most profitable customer is Platinum when anyone makes money
    assert (pyramid.labels.sizes[0] >= 1) == bool((x > 0).any())
