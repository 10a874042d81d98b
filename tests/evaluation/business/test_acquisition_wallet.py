"""Acquisition cost, customer ROI, share of wallet, penetration, market share."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from custvalue.evaluation import (
    MarketShareDecomposition,
    customer_acquisition_cost,
    customer_roi,
    market_share,
    penetration,
    share_of_wallet,
)

# --- acquisition cost and ROI ------------------------------------------------


def test_acquisition_cost_by_hand() -> None:
    # $12,000 for 80 customers: 12000 / 80 = 150.
    assert customer_acquisition_cost(12_000, 80) == 150.0
    assert customer_acquisition_cost(0, 3) == 0.0


def test_zero_new_customers_is_undefined() -> None:
    with pytest.raises(ValueError, match="undefined"):
        customer_acquisition_cost(5_000, 0)
    with pytest.raises(ValueError, match="whole number"):
        customer_acquisition_cost(5_000, 2.5)
    with pytest.raises(ValueError, match=">= 0"):
        customer_acquisition_cost(-1, 2)


def test_roi_by_hand() -> None:
    # (profit - cost) / cost: (150 - 100)/100 = 0.5; break-even 0; all lost -1;
    # a loss of 50 on top of the cost: (-50 - 100)/100 = -1.5.
    assert customer_roi(150, 100) == 0.5
    assert customer_roi(100, 100) == 0.0
    assert customer_roi(0, 100) == -1.0
    assert customer_roi(-50, 100) == -1.5


def test_roi_zero_or_negative_cost() -> None:
    with pytest.raises(ValueError, match="undefined"):
        customer_roi(10, 0)
    with pytest.raises(ValueError, match="negative cost"):
        customer_roi(10, -5)
    with pytest.raises(ValueError, match="finite"):
        customer_roi(math.inf, 5)


# --- share of wallet ---------------------------------------------------------


def test_share_of_wallet_by_hand() -> None:
    # Individual: 30/60 = 0.5, 10/40 = 0.25; aggregate (30 + 10)/(60 + 40) = 0.4;
    # mean of individual shares (0.5 + 0.25)/2 = 0.375.
    result = share_of_wallet([30, 10], [60, 40])
    assert_array_equal(result.individual, [0.5, 0.25])
    assert result.aggregate == 0.4
    assert result.mean_individual == 0.375
    assert result.n_customers == 2
    assert_array_equal(result.to_dict()["individual"], [0.5, 0.25])
    assert not result.individual.flags.writeable
    assert pickle.loads(pickle.dumps(result)) == result


def test_share_of_requirements_example_of_farris() -> None:
    # Farris et al. (2010), section 2.5: brand purchases of 1,000,000 bottles
    # against 2,000,000 category purchases by the brand's buyers: 50%.
    assert share_of_wallet([1_000_000], [2_000_000]).aggregate == 0.5


def test_share_of_wallet_bad_input() -> None:
    with pytest.raises(ValueError, match=r"`category_spend` must be > 0.*1 of 2"):
        share_of_wallet([0, 1], [0, 2])
    with pytest.raises(ValueError, match=r"`spend` must be <= `category_spend`"):
        share_of_wallet([3], [2])
    with pytest.raises(ValueError, match="same length"):
        share_of_wallet([1, 2], [3])
    with pytest.raises(ValueError, match=">= 0"):
        share_of_wallet([-1], [3])


@given(
    st.lists(
        st.tuples(st.floats(0, 1e6), st.floats(1e-3, 1e6)), min_size=1, max_size=30
    )
)
def test_aggregate_is_the_spend_weighted_mean(pairs: list[tuple[float, float]]) -> None:
    total = np.array([t for _, t in pairs])
    ours = np.array([min(s, t) for s, t in pairs])
    result = share_of_wallet(ours, total)
    assert np.all((result.individual >= 0) & (result.individual <= 1))
    assert result.aggregate == pytest.approx(
        float(np.sum(total * result.individual) / np.sum(total)), rel=1e-9
    )


# --- penetration and market share -------------------------------------------


def test_penetration_by_hand() -> None:
    # 250 of 1,000 households: 0.25.
    assert penetration(250, 1_000) == 0.25
    with pytest.raises(ValueError, match="undefined"):
        penetration(0, 0)
    with pytest.raises(ValueError, match="must be <= `population`"):
        penetration(5, 4)


def test_market_share_decomposition_by_hand() -> None:
    # Farris et al. (2010) sections 2.5-2.6 worked pieces, combined:
    # 1,000 category buyers buy 4 units each (4,000); 200 of them buy the
    # brand and, being heavy users, 6 category units each (1,200), of which
    # 600 are the brand. Market share 600/4000 = 0.15; penetration share
    # 200/1000 = 0.2; share of requirements 600/1200 = 0.5; heavy usage
    # index 6/4 = 1.5 (the Shower Fun example); 0.2 * 0.5 * 1.5 = 0.15.
    parts = market_share(
        brand_sales=600,
        category_sales=4_000,
        brand_buyers=200,
        category_buyers=1_000,
        category_sales_to_brand_buyers=1_200,
    )
    assert parts == MarketShareDecomposition(
        market_share=0.15,
        penetration_share=0.2,
        share_of_requirements=0.5,
        heavy_usage_index=1.5,
    )
    assert parts.to_dict()["heavy_usage_index"] == 1.5


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"brand_buyers": 0}, "decomposition is undefined"),
        (
            {
                "category_sales": 0,
                "category_sales_to_brand_buyers": 0,
                "brand_sales": 0,
            },
            "share of no sales",
        ),
        ({"brand_buyers": 2_000}, "must be <= `category_buyers`"),
        ({"brand_sales": 1_300}, "must hold"),
        ({"category_sales_to_brand_buyers": 5_000}, "must hold"),
    ],
)
def test_market_share_bad_input(changes: dict[str, float], match: str) -> None:
    arguments: dict[str, float] = {
        "brand_sales": 600,
        "category_sales": 4_000,
        "brand_buyers": 200,
        "category_buyers": 1_000,
        "category_sales_to_brand_buyers": 1_200,
    }
    with pytest.raises(ValueError, match=match):
        market_share(**(arguments | changes))


@given(
    n_c=st.integers(1, 10**6),
    buyer_share=st.floats(1e-6, 1.0),
    c=st.floats(1.0, 1e9),
    brand_buyer_part=st.floats(1e-6, 1.0),
    requirement=st.floats(0.0, 1.0),
)
def test_decomposition_multiplies_back_to_the_share(
    n_c: int, buyer_share: float, c: float, brand_buyer_part: float, requirement: float
) -> None:
    n_b = max(1, round(buyer_share * n_c))
    c_b = brand_buyer_part * c
    b = requirement * c_b
    parts = market_share(
        brand_sales=b,
        category_sales=c,
        brand_buyers=n_b,
        category_buyers=n_c,
        category_sales_to_brand_buyers=c_b,
    )
    product = (
        parts.penetration_share * parts.share_of_requirements * parts.heavy_usage_index
    )
    assert_allclose(product, parts.market_share, rtol=1e-12, atol=1e-300)
    assert 0.0 <= parts.market_share <= 1.0
