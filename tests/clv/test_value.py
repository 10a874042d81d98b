"""Discounted expected purchases and customer lifetime value."""

from __future__ import annotations

import itertools
import math
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from model_cases import TRANSACTION_MODELS, ModelCase, customers
from numpy.testing import assert_allclose
from scipy import integrate

from custvalue.clv import (
    BGNBD,
    ParetoNBD,
    TransactionModel,
    customer_lifetime_value,
    discounted_expected_purchases,
)

CASES = pytest.mark.parametrize("case", TRANSACTION_MODELS, ids=lambda c: c.name)
MODEL = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
CUSTOMERS = ([2, 0, 20], [30.43, 0.0, 38.0], [38.86, 38.86, 38.86])


@attrs.frozen
class ConstantSpend:
    """A spend model stub: every customer spends `value` per purchase."""

    value: float

    def conditional_expected_spend(self, frequency: Any, monetary_value: Any) -> Any:
        return np.full(np.shape(frequency), self.value)


@CASES
@given(data=st.data(), horizon=st.integers(1, 104), margin=st.floats(0.05, 1.0))
def test_zero_discount_is_margin_times_spend_times_expected_purchases(
    case: ModelCase, data: st.DataObject, horizon: int, margin: float
) -> None:
    model = data.draw(case.models)
    x, tx, T = data.draw(customers())
    expected = model.conditional_expected_purchases(horizon, x, tx, T)
    for compounding in ("end_of_period", "continuous"):
        clv = customer_lifetime_value(
            model,
            ConstantSpend(40.0),
            x,
            tx,
            T,
            np.zeros(len(x)),
            horizon=horizon,
            discount_rate=0.0,
            margin=margin,
            compounding=compounding,
        )
        assert_allclose(clv, margin * 40.0 * expected, rtol=1e-12, atol=1e-300)


@CASES
@given(data=st.data(), rate=st.floats(0.0005, 0.2))
def test_discounting_orders(case: ModelCase, data: st.DataObject, rate: float) -> None:
    model = data.draw(case.models)
    x, tx, T = data.draw(customers(max_size=4))

    def det(**kwargs: Any) -> np.ndarray:
        return discounted_expected_purchases(model, x, tx, T, **kwargs)

    end = det(horizon=26, discount_rate=rate)
    cont = det(horizon=26, discount_rate=rate, compounding="continuous")
    undiscounted = det(horizon=26, discount_rate=0.0)
    # v^ceil(t) <= v^t <= 1: end-of-period discounting is the heaviest
    assert np.all(end <= cont * (1 + 1e-10) + 1e-300)
    assert np.all(cont <= undiscounted * (1 + 1e-10) + 1e-300)
    # more periods never lower the value; a higher rate never raises it
    assert np.all(det(horizon=52, discount_rate=rate) >= end * (1 - 1e-12))
    assert np.all(det(horizon=26, discount_rate=2 * rate) <= end * (1 + 1e-12))


def _adaptive(
    model: BGNBD, x: int, tx: float, T: float, horizon: float, d: float
) -> float:
    delta = math.log1p(d)

    def expected(t: float) -> float:
        return float(model.conditional_expected_purchases(t, x, tx, T))

    integral = integrate.quad(
        lambda t: math.exp(-delta * t) * expected(t),
        0,
        horizon,
        limit=500,
        epsrel=1e-13,
    )[0]
    end = 0.0 if math.isinf(horizon) else math.exp(-delta * horizon) * expected(horizon)
    return float(end + delta * integral)


@pytest.mark.parametrize("horizon", [13.0, 52.5, math.inf])
def test_continuous_discounting_matches_adaptive_integration(horizon: float) -> None:
    d = 0.002
    ours = discounted_expected_purchases(
        MODEL, *CUSTOMERS, horizon=horizon, discount_rate=d, compounding="continuous"
    )
    for i, (x, tx, T) in enumerate(zip(*CUSTOMERS, strict=True)):
        assert ours[i] == pytest.approx(
            _adaptive(MODEL, x, tx, T, horizon, d), rel=1e-7
        )


def test_end_of_period_matches_explicit_sum() -> None:
    d = 0.002
    k = np.arange(1, 40_001, dtype=float)
    for i, (x, tx, T) in enumerate(zip(*CUSTOMERS, strict=True)):
        e = MODEL.conditional_expected_purchases(k, x, tx, T)
        increments = np.diff(np.concatenate([[0.0], e]))
        explicit = float((increments / (1 + d) ** k).sum())
        finite = float((increments[:52] / (1 + d) ** k[:52]).sum())
        inf = discounted_expected_purchases(
            MODEL, *CUSTOMERS, horizon=math.inf, discount_rate=d
        )
        h52 = discounted_expected_purchases(
            MODEL, *CUSTOMERS, horizon=52, discount_rate=d
        )
        assert inf[i] == pytest.approx(explicit, rel=1e-10)
        assert h52[i] == pytest.approx(finite, rel=1e-12)


def test_models_satisfy_the_protocol() -> None:
    for case in TRANSACTION_MODELS:
        assert isinstance(case.reference, TransactionModel)


BAD: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"discount_rate": -0.1}, ValueError, "`discount_rate` must be >= 0"),
    ({"horizon": 0.0}, ValueError, "`horizon` must be > 0"),
    (
        {"horizon": math.inf, "discount_rate": 0.0},
        ValueError,
        "must be > 0 when `horizon` is infinite",
    ),
    ({"horizon": 10.5}, ValueError, "`horizon` must be a whole number of periods"),
    ({"compounding": "annual"}, ValueError, "`compounding` must be"),
    ({"margin": 0.0}, ValueError, "`margin` must be > 0"),
    ({"horizon": float("nan")}, ValueError, "`horizon` must be"),
]


@pytest.mark.parametrize(("change", "error", "message"), BAD)
def test_bad_options(
    change: dict[str, Any], error: type[Exception], message: str
) -> None:
    kwargs: dict[str, Any] = {"horizon": 10, "discount_rate": 0.01, "margin": 0.5}
    kwargs.update(change)
    with pytest.raises(error, match=message):
        customer_lifetime_value(
            MODEL, ConstantSpend(10.0), *CUSTOMERS, [1.0, 0.0, 2.0], **kwargs
        )


def test_models_without_the_method_are_refused() -> None:
    not_a_model: Any = object()
    with pytest.raises(TypeError, match="`transaction_model` must provide"):
        customer_lifetime_value(
            not_a_model,
            ConstantSpend(1.0),
            [1],
            [1.0],
            [2.0],
            [1.0],
            horizon=1,
            discount_rate=0.0,
        )
    with pytest.raises(TypeError, match="`spend_model` must provide"):
        customer_lifetime_value(
            MODEL,
            not_a_model,
            [1],
            [1.0],
            [2.0],
            [1.0],
            horizon=1,
            discount_rate=0.0,
        )


def test_infinite_spend_is_an_error_not_a_number() -> None:
    with pytest.raises(ValueError, match="expected spend must be finite"):
        customer_lifetime_value(
            MODEL,
            ConstantSpend(math.inf),
            [1],
            [1.0],
            [2.0],
            [1.0],
            horizon=5,
            discount_rate=0.0,
        )


@attrs.define
class CountingModel:
    """A transaction model that counts the expectations it is asked for.

    Counting horizons (not seconds) bounds the cost of a computation in a
    way that does not depend on the machine.
    """

    model: BGNBD
    calls: int = 0
    horizons: int = 0

    def conditional_expected_purchases(
        self, horizon: Any, frequency: Any, recency: Any, T: Any
    ) -> Any:
        self.calls += 1
        self.horizons += int(np.size(horizon))
        return self.model.conditional_expected_purchases(horizon, frequency, recency, T)


@pytest.mark.parametrize("compounding", ["end_of_period", "continuous"])
@pytest.mark.parametrize("rate", [0.01, 1e-4, 1e-7])
def test_long_horizon_costs_no_more_than_a_short_one(
    compounding: str, rate: float
) -> None:
    # Issue #14: end-of-period discounting walked every one of 1e7 periods
    # (156,250 calls, 1e7 horizons) and ran for minutes.
    costs = []
    for horizon in (52.0, 1e7, math.inf):
        counting = CountingModel(MODEL)
        discounted_expected_purchases(
            counting,
            *CUSTOMERS,
            horizon=horizon,
            discount_rate=rate,
            compounding=compounding,  # type: ignore[call-overload]
        )
        costs.append((counting.calls, counting.horizons))
    for calls, horizons in costs:
        assert calls <= 12
        assert horizons <= 2_500


@pytest.mark.parametrize("horizon", [1, 52, 1_000, 10**7])
def test_zero_rate_end_of_period_telescopes_to_expected_purchases(
    horizon: int,
) -> None:
    # sum_k (E(k) - E(k-1)) = E(H) exactly
    ours = discounted_expected_purchases(
        MODEL, *CUSTOMERS, horizon=horizon, discount_rate=0.0
    )
    expected = MODEL.conditional_expected_purchases(horizon, *CUSTOMERS)
    assert_allclose(ours, expected, rtol=1e-15, atol=0.0)


@pytest.mark.parametrize(
    ("horizon", "rate"),
    [
        (1_000, 1e-4),
        (1_088, 1e-4),
        (1_089, 1e-4),
        (1_100, 1e-4),
        (5_000, 1e-3),
        (30_000, 1e-4),
        (30_000, 1e-6),
    ],
)
def test_end_of_period_long_horizons_match_explicit_sum(
    horizon: int, rate: float
) -> None:
    # beyond 1,024 periods the rest is summed by parts with Gregory's formula
    k = np.arange(1, horizon + 1, dtype=float)
    x, tx, T = (np.asarray(a, dtype=float) for a in CUSTOMERS)
    e = MODEL.conditional_expected_purchases(k[:, None], x, tx, T)
    increments = np.diff(np.vstack([np.zeros(3), e]), axis=0)
    explicit = (1.0 + rate) ** -k @ increments
    ours = discounted_expected_purchases(
        MODEL, *CUSTOMERS, horizon=horizon, discount_rate=rate
    )
    assert_allclose(ours, explicit, rtol=1e-12)


def test_end_of_period_long_horizon_reaches_the_infinite_value() -> None:
    # the H = infinity value of the BG/NBD docstring customer at 1% per week
    # (explicit sum of 40,000 periods, test_end_of_period_matches_explicit_sum)
    values = [
        float(
            discounted_expected_purchases(
                MODEL, [2], [30.43], [38.86], horizon=h, discount_rate=0.01
            )[0]
        )
        for h in (1_000, 5_000, 10**5, 10**7, math.inf)
    ]
    assert values == sorted(values)
    assert values[-1] == pytest.approx(2.25822924, rel=1e-8)
    assert values[2] == pytest.approx(values[-1], rel=1e-14)
    assert values[3] == pytest.approx(values[-1], rel=1e-14)


def _adaptive_long(x: int, tx: float, T: float, horizon: float, d: float) -> float:
    # scipy's adaptive quadrature on pieces short enough for it to resolve
    # e^{-delta t} E(t): [0, 100], then doubling pieces up to H (or 80/delta)
    delta = math.log1p(d)
    edges = [0.0, 100.0]
    while edges[-1] < min(horizon, 80.0 / delta):
        edges.append(min(horizon, 2.0 * edges[-1]))
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        total += integrate.quad(
            lambda t: (
                math.exp(-delta * t)
                * float(MODEL.conditional_expected_purchases(t, x, tx, T))
            ),
            lo,
            hi,
            limit=200,
            epsrel=1e-13,
        )[0]
    end = (
        0.0
        if math.isinf(horizon)
        else math.exp(-delta * horizon)
        * float(MODEL.conditional_expected_purchases(horizon, x, tx, T))
    )
    return end + delta * total


@pytest.mark.parametrize("horizon", [1e3, 1e5, 1e7, math.inf])
def test_continuous_long_horizons_match_adaptive_integration(horizon: float) -> None:
    # Issue #14: 64 Gauss-Legendre nodes on [0, 1e7] all fell where e^{-delta t}
    # had vanished and gave 1.5e-12 instead of 2.2695 (and 2.27779, 0.4% high,
    # for H = 1e5)
    ours = discounted_expected_purchases(
        MODEL,
        [2],
        [30.43],
        [38.86],
        horizon=horizon,
        discount_rate=0.01,
        compounding="continuous",
    )
    reference = _adaptive_long(2, 30.43, 38.86, horizon, 0.01)
    assert float(ours[0]) == pytest.approx(reference, rel=1e-8)


def test_continuous_value_is_continuous_in_horizon_and_converges() -> None:
    horizons = [1e2, 1e3, 1e4, 1e5, 1e6, 1e7, math.inf]
    values = np.array(
        [
            discounted_expected_purchases(
                MODEL,
                *CUSTOMERS,
                horizon=h,
                discount_rate=0.01,
                compounding="continuous",
            )
            for h in horizons
        ]
    )
    assert np.all(np.diff(values, axis=0) >= -1e-14 * values[-1])
    assert_allclose(values[-2], values[-1], rtol=1e-14)
    # a small step in H moves the value by little: d/dH <= e^{-delta H} E'(H)
    near = discounted_expected_purchases(
        MODEL,
        *CUSTOMERS,
        horizon=1e3 + 1e-6,
        discount_rate=0.01,
        compounding="continuous",
    )
    assert_allclose(near, values[1], rtol=1e-9)


def test_continuous_numerical_route_matches_pareto_closed_form() -> None:
    # Pareto/NBD's closed-form DERT (infinite horizon) against the numerical
    # route at a finite horizon past the cut-off (the investigation: 2.73458)
    model = ParetoNBD(r=0.553, alpha=10.578, s=0.606, beta=11.669)
    closed = discounted_expected_purchases(
        model,
        *CUSTOMERS,
        horizon=math.inf,
        discount_rate=0.01,
        compounding="continuous",
    )
    numerical = discounted_expected_purchases(
        model, *CUSTOMERS, horizon=1e7, discount_rate=0.01, compounding="continuous"
    )
    assert_allclose(numerical, closed, rtol=1e-10)
    assert float(closed[0]) == pytest.approx(2.73458, abs=5e-6)
