"""Keyed predictions, time units carried, discount rates and partial failure."""

from __future__ import annotations

import datetime
import json
import math
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custvalue.clv import (
    BGBB,
    BGNBD,
    MBGNBD,
    CustomerSummary,
    CustomerValues,
    Fit,
    GammaGamma,
    ParetoNBD,
    customer_lifetime_value,
    discount_rate_per_period,
    discounted_expected_purchases,
    fit_bgbb,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_pareto_nbd,
)
from custvalue.datasets import load_cdnow_summary

WEEK = np.timedelta64(7, "D")
BG = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
GG = GammaGamma(p=6.25, q=3.74, gamma=15.44)
CONTINUOUS: list[Any] = [
    BG,
    MBGNBD(r=0.525, alpha=6.183, a=0.891, b=1.614),
    ParetoNBD(r=0.553, alpha=10.578, s=0.606, beta=11.669),
]


def _summary(**changes: Any) -> CustomerSummary:
    columns: dict[str, Any] = {
        "frequency": [2, 1, 0, 5],
        "recency": [30.43, 1.71, 0.0, 36.0],
        "T": [38.86, 38.86, 38.86, 38.0],
        "monetary_value": [35.0, 11.77, 0.0, 20.0],
        "customer_id": ["C17", "C03", "C44", "C02"],
        "time_unit": WEEK,
    }
    return CustomerSummary(**{**columns, **changes})


def _arrays(summary: CustomerSummary) -> tuple[Any, Any, Any]:
    return summary.frequency, summary.recency, summary.T


# ------------------------------------------------ keyed equals the array path


@pytest.mark.parametrize("model", CONTINUOUS, ids=lambda m: type(m).__name__)
def test_keyed_predictions_equal_the_array_path_exactly(model: Any) -> None:
    summary = _summary()
    arrays = _arrays(summary)
    pairs = [
        (model.probability_alive(summary), model.probability_alive(*arrays)),
        (
            model.conditional_expected_purchases(39, summary),
            model.conditional_expected_purchases(39, *arrays),
        ),
        (
            model.conditional_purchase_probability(1, 39, summary),
            model.conditional_purchase_probability(1, 39, *arrays),
        ),
    ]
    for keyed, plain in pairs:
        assert isinstance(keyed, CustomerValues)
        assert isinstance(plain, np.ndarray)
        np.testing.assert_array_equal(keyed.value, plain)
        np.testing.assert_array_equal(keyed.customer_id, summary.customer_id)
        assert keyed.time_unit == WEEK
    assert pairs[1][0].horizon == 39.0
    assert pairs[2][0].quantity == "conditional_purchase_probability(n=1)"


def test_keyed_residual_and_discounted_purchases() -> None:
    summary = _summary()
    pareto = CONTINUOUS[2]
    assert isinstance(pareto, ParetoNBD)
    dert = pareto.discounted_expected_residual_purchases(summary, discount_rate=0.01)
    np.testing.assert_array_equal(
        dert.value,
        pareto.discounted_expected_residual_purchases(
            *_arrays(summary), discount_rate=0.01
        ),
    )
    assert dert.discount_rate == 0.01
    keyed = discounted_expected_purchases(
        BG, summary, horizon="52W", discount_rate=0.002
    )
    plain = discounted_expected_purchases(
        BG, *_arrays(summary), horizon=52, discount_rate=0.002
    )
    np.testing.assert_array_equal(keyed.value, plain)
    assert (keyed.horizon, keyed.compounding) == (52.0, "end_of_period")


def test_bgbb_is_keyed_too() -> None:
    summary = CustomerSummary(
        frequency=[3, 0, 6], recency=[4.0, 0.0, 6.0], T=[6.0, 6.0, 6.0]
    )
    model = BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    arrays = _arrays(summary)
    keyed = model.probability_alive(summary, future=1)
    np.testing.assert_array_equal(
        keyed.value, model.probability_alive(*arrays, future=1)
    )
    assert keyed.customer_id is None
    np.testing.assert_array_equal(
        model.conditional_expected_purchases(5, summary).value,
        model.conditional_expected_purchases(5, *arrays),
    )


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(4)))
def test_shuffled_summaries_give_the_same_keyed_values(order: list[int]) -> None:
    summary = _summary()
    rows = np.array(order)
    shuffled = _summary(
        frequency=summary.frequency[rows],
        recency=summary.recency[rows],
        T=summary.T[rows],
        monetary_value=np.asarray(summary.monetary_value)[rows],
        customer_id=np.asarray(summary.customer_id)[rows],
    )

    def by_id(values: CustomerValues) -> dict[str, float]:
        assert values.customer_id is not None
        return dict(
            zip(values.customer_id.tolist(), values.value.tolist(), strict=True)
        )

    for model in CONTINUOUS:
        assert by_id(model.probability_alive(shuffled)) == by_id(
            model.probability_alive(summary)
        )
    assert by_id(
        customer_lifetime_value(BG, GG, shuffled, horizon=52, discount_rate=0.002)
    ) == by_id(
        customer_lifetime_value(BG, GG, summary, horizon=52, discount_rate=0.002)
    )


def test_summary_and_arrays_together_are_refused() -> None:
    summary = _summary()
    with pytest.raises(TypeError, match="either a CustomerSummary or the arrays"):
        BG.probability_alive(summary, summary.recency, summary.T)  # type: ignore[call-overload]


def test_a_table_of_horizons_needs_the_arrays() -> None:
    with pytest.raises(ValueError, match="one value per customer"):
        BG.conditional_expected_purchases(np.array([[1.0], [2.0]]), _summary())


def test_keyed_errors_name_the_customer() -> None:
    summary = _summary(monetary_value=[35.0, 0.0, 0.0, 20.0])
    with pytest.raises(ValueError, match=r"first at customer 'C03' \(index 1\)"):
        customer_lifetime_value(BG, GG, summary, horizon=52, discount_rate=0.0)


# ---------------------------------------------------------------- to_frame


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_to_frame_is_keyed_by_customer_id(backend: Any) -> None:
    module = pytest.importorskip(backend)
    values = BG.probability_alive(_summary())
    frame = values.to_frame(backend)
    if backend == "pandas":
        assert isinstance(frame, module.DataFrame)
        assert frame.index.name == "customer_id"
        assert list(frame.columns) == ["value"]
        assert frame.loc["C44", "value"] == values.value[2]
    else:
        assert list(frame.column_names if backend == "pyarrow" else frame.columns) == [
            "customer_id",
            "value",
        ]
        assert (
            frame["customer_id"].to_pylist()
            if backend == "pyarrow"
            else list(frame["customer_id"]) == ["C17", "C03", "C44", "C02"]
        )


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_to_frame_of_a_summary_with_dates(backend: Any) -> None:
    pytest.importorskip(backend)
    from custvalue.clv import rfm_summary

    summary = rfm_summary(
        ["a", "b", "a"],
        np.array(["2024-01-01", "2024-01-03", "2024-01-20"], dtype="datetime64[D]"),
        [1.0, 2.0, 3.0],
        time_unit="day",
    )
    frame = summary.to_frame(backend)
    assert frame.shape[0] == 2


def test_to_frame_names_a_missing_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(ImportError, match="pip install polars"):
        BG.probability_alive(_summary()).to_frame("polars")


def test_to_frame_refuses_results_without_rows() -> None:
    with pytest.raises(TypeError, match="no per-row columns"):
        BG.to_frame()
    with pytest.raises(ValueError, match="`backend` must be"):
        BG.probability_alive(_summary()).to_frame("excel")  # type: ignore[arg-type]


def test_without_ids_the_frame_has_no_key() -> None:
    pd = pytest.importorskip("pandas")
    values = BG.probability_alive(_summary(customer_id=None))
    frame = values.to_frame()
    assert list(frame.columns) == ["value"]
    assert isinstance(frame.index, pd.RangeIndex)


# ------------------------------------------------------------- time units


@pytest.mark.parametrize(
    "horizon",
    ["52W", "364D", "364 days", np.timedelta64(52, "W"), datetime.timedelta(weeks=52)],
)
def test_durations_are_converted_with_the_summary_unit(horizon: Any) -> None:
    summary = _summary()
    keyed = BG.conditional_expected_purchases(horizon, summary)
    assert keyed.horizon == pytest.approx(52.0, rel=1e-15)
    np.testing.assert_allclose(
        keyed.value,
        BG.conditional_expected_purchases(52, *_arrays(summary)),
        rtol=1e-14,
    )
    daily = _summary(
        recency=summary.recency * 7, T=summary.T * 7, time_unit=np.timedelta64(1, "D")
    )
    assert BG.conditional_expected_purchases(horizon, daily).horizon == 364.0


def test_a_duration_without_a_unit_is_an_error() -> None:
    summary = _summary(time_unit=None)
    with pytest.raises(ValueError, match="period of the data is not known"):
        BG.conditional_expected_purchases("52W", summary)
    with pytest.raises(ValueError, match="period of the data is not known"):
        BG.conditional_expected_purchases("52W", *_arrays(summary))
    with pytest.raises(ValueError, match="no fixed length"):
        BG.conditional_expected_purchases("12M", _summary())
    with pytest.raises(ValueError, match="duration such as"):
        BG.conditional_expected_purchases("soon", _summary())


def test_fits_from_a_summary_record_the_time_unit() -> None:
    cdnow = load_cdnow_summary()
    fit = fit_bgnbd(cdnow)
    plain = fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow.T)
    assert fit.time_unit == cdnow.time_unit == WEEK
    assert plain.time_unit is None
    assert fit.parameters == plain.parameters
    assert Fit.from_dict(json.loads(json.dumps(fit.to_dict()))) == fit
    assert fit_pareto_nbd(cdnow).time_unit == WEEK
    spend = fit_gamma_gamma(cdnow)  # the repeat customers of the summary
    repeat = cdnow.frequency > 0
    assert cdnow.monetary_value is not None
    assert (
        spend.parameters
        == fit_gamma_gamma(
            cdnow.frequency[repeat], cdnow.monetary_value[repeat]
        ).parameters
    )
    donations = CustomerSummary(
        frequency=[3, 0, 6, 1], recency=[4.0, 0.0, 6.0, 1.0], T=[6.0] * 4
    )
    assert fit_bgbb(donations).time_unit is None
    with pytest.raises(TypeError, match="`recency` is missing"):
        fit_bgnbd(cdnow.frequency)


def test_clv_takes_the_unit_of_a_fit_and_refuses_a_mismatch() -> None:
    cdnow = load_cdnow_summary()
    fit = fit_bgnbd(cdnow)
    unknown = attrs_evolve(cdnow, time_unit=None)
    value = customer_lifetime_value(fit, GG, unknown, horizon="52W", discount_rate=0)
    assert value.horizon == 52.0
    daily = attrs_evolve(cdnow, time_unit=np.timedelta64(1, "D"))
    with pytest.raises(ValueError, match="differ"):
        customer_lifetime_value(fit, GG, daily, horizon=52, discount_rate=0)


def attrs_evolve(summary: CustomerSummary, **changes: Any) -> CustomerSummary:
    import attrs

    return attrs.evolve(summary, **changes)


# ----------------------------------------------------------- discount rates


def test_discount_rate_per_period() -> None:
    # compounding 52 weekly periods of a 364-day year gives the annual rate
    weekly = discount_rate_per_period(0.10, "week", days_per_year=364)
    assert (1 + weekly) ** 52 == pytest.approx(1.10, rel=1e-14)
    assert weekly == pytest.approx(1.1 ** (1 / 52) - 1, rel=1e-12)
    daily = discount_rate_per_period(0.10, np.timedelta64(1, "D"))
    assert (1 + daily) ** 365.25 == pytest.approx(1.10, rel=1e-13)
    assert discount_rate_per_period(0.10, datetime.timedelta(days=7)) == (
        discount_rate_per_period(0.10, "week")
    )
    assert discount_rate_per_period(0.0, "day") == 0.0
    tiny = discount_rate_per_period(1e-12, "second")
    assert tiny == pytest.approx(1e-12 / (365.25 * 86400), rel=1e-9)
    with pytest.raises(ValueError, match=">= 0"):
        discount_rate_per_period(-0.1, "week")
    with pytest.raises(ValueError, match="no fixed length"):
        discount_rate_per_period(0.1, np.timedelta64(1, "M"))


@pytest.mark.parametrize("rate", [10.0, 1.5])
def test_a_rate_above_one_per_period_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="discount_rate_per_period"):
        customer_lifetime_value(BG, GG, _summary(), horizon=52, discount_rate=rate)


def test_clv_result_states_its_units_and_round_trips() -> None:
    weekly = discount_rate_per_period(0.10, WEEK)
    clv = customer_lifetime_value(
        BG,
        GG,
        _summary(),
        horizon=math.inf,
        discount_rate=weekly,
        margin=0.3,
        compounding="continuous",
    )
    assert clv.quantity == "customer_lifetime_value"
    assert (clv.horizon, clv.time_unit) == (math.inf, WEEK)
    assert (clv.discount_rate, clv.compounding, clv.margin) == (
        weekly,
        "continuous",
        0.3,
    )
    assert CustomerValues.from_dict(json.loads(json.dumps(clv.to_dict()))) == clv


# ---------------------------------------------------------- partial failure


def test_invalid_nan_values_the_rest_and_lists_the_others() -> None:
    summary = _summary(monetary_value=[35.0, 0.0, 0.0, 20.0])
    clv = customer_lifetime_value(
        BG, GG, summary, horizon=52, discount_rate=0.002, invalid="nan"
    )
    assert clv.invalid_customers.tolist() == ["C03"]
    assert clv.invalid_index.tolist() == [1]
    assert math.isnan(clv.value[1])
    keep = [0, 2, 3]
    expected = customer_lifetime_value(
        BG,
        GG,
        summary.frequency[keep],
        summary.recency[keep],
        summary.T[keep],
        np.asarray(summary.monetary_value)[keep],
        horizon=52,
        discount_rate=0.002,
    )
    # a subset sums in other blocks: equal to rounding
    np.testing.assert_allclose(clv.value[keep], expected, rtol=1e-14)
    assert summary.monetary_value is not None
    plain = customer_lifetime_value(
        BG, GG, *_arrays(summary), summary.monetary_value, horizon=52,
        discount_rate=0.002, invalid="nan",
    )  # fmt: skip
    np.testing.assert_array_equal(plain, clv.value)
    assert "1 invalid" in repr(clv)


def test_invalid_nan_covers_an_infinite_expected_spend() -> None:
    heavy = GammaGamma(p=2.0, q=0.5, gamma=10.0)  # infinite mean for x = 0
    clv = customer_lifetime_value(
        BG, heavy, _summary(), horizon=52, discount_rate=0.0, invalid="nan"
    )
    assert clv.invalid_customers.tolist() == ["C44"]
    with pytest.raises(ValueError, match="customer 'C44'"):
        customer_lifetime_value(BG, heavy, _summary(), horizon=52, discount_rate=0.0)
    with pytest.raises(ValueError, match="`invalid` must be"):
        customer_lifetime_value(
            BG,
            GG,
            _summary(),
            horizon=52,
            discount_rate=0.0,
            invalid="skip",  # type: ignore[call-overload]
        )


def test_many_invalid_customers_are_all_found() -> None:
    rng = np.random.default_rng(3)
    n = 500
    frequency = rng.integers(0, 5, n)
    monetary = np.where(frequency > 0, rng.uniform(1.0, 50.0, n), 0.0)
    zero = (frequency > 0) & (rng.random(n) < 0.05)
    monetary[zero] = 0.0
    recency = np.where(frequency > 0, 10.0, 0.0)
    summary = CustomerSummary(
        frequency=frequency,
        recency=recency,
        T=np.full(n, 20.0),
        monetary_value=monetary,
    )
    clv = customer_lifetime_value(
        BG, GG, summary, horizon=10, discount_rate=0.0, invalid="nan"
    )
    np.testing.assert_array_equal(clv.invalid_index, np.flatnonzero(zero))
    np.testing.assert_array_equal(clv.invalid_customers, np.flatnonzero(zero))
    assert np.isfinite(clv.value[~zero]).all()
