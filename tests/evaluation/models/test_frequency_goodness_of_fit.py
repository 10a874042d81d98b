"""frequency_goodness_of_fit: expected histogram, pooling rule, chi-square."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from model_cases import TRANSACTION_MODELS, ModelCase

from custvalue.clv import BGBB, BGNBD, fit_bgbb
from custvalue.datasets import load_donations
from custvalue.evaluation import FrequencyGoodnessOfFit, frequency_goodness_of_fit
from custvalue.evaluation._accuracy._goodness_of_fit import pool_bins


@attrs.frozen
class PoissonModel:
    """A one-parameter test model: Poisson purchases with rate ``rate`` forever."""

    rate: float
    parameter_names = ("rate",)

    def purchase_probability(self, n: npt.ArrayLike, horizon: npt.ArrayLike) -> Any:
        k = np.asarray(n, dtype=float)
        mean = self.rate * np.asarray(horizon, dtype=float)
        factorial = np.vectorize(math.factorial)(k.astype(int))
        return np.exp(-mean) * mean**k / factorial


class UnnamedModel:
    """Like PoissonModel but without ``parameter_names``."""

    def purchase_probability(self, n: npt.ArrayLike, horizon: npt.ArrayLike) -> Any:
        return PoissonModel(1.0).purchase_probability(n, horizon)


def test_hand_computed_histogram_and_chi_square() -> None:
    # 100 customers observed for T = 1 and 100 for T = 2, rate 1, bins 0, 1, 2+.
    # E_0 = 100 (e^-1 + e^-2), E_1 = 100 (e^-1 + 2 e^-2), E_2+ = 200 - E_0 - E_1.
    e0 = 100 * (math.exp(-1) + math.exp(-2))
    e1 = 100 * (math.exp(-1) + 2 * math.exp(-2))
    e2 = 200 - e0 - e1
    frequency = [0] * 60 + [1] * 70 + [2] * 40 + [5] * 30
    T = [1.0, 2.0] * 100
    result = frequency_goodness_of_fit(
        PoissonModel(1.0), frequency, [0.0] * 60 + [0.5] * 140, T, max_frequency=2
    )
    np.testing.assert_array_equal(result.group, ["0", "1", "2+"])
    np.testing.assert_array_equal(result.observed, [60, 70, 70])
    np.testing.assert_allclose(result.expected, [e0, e1, e2], rtol=1e-13)
    chi = (60 - e0) ** 2 / e0 + (70 - e1) ** 2 / e1 + (70 - e2) ** 2 / e2
    assert result.chi_square == pytest.approx(chi, rel=1e-12)
    # 3 cells - 1 - 1 parameter; the chi-square(1) tail is erfc(sqrt(x / 2))
    assert result.degrees_of_freedom == 1
    assert result.p_value == pytest.approx(math.erfc(math.sqrt(chi / 2)), rel=1e-10)
    assert result.n_parameters == 1
    np.testing.assert_array_equal(result.cell, [0, 1, 2])
    assert set(result.to_dict()) == {f.name for f in attrs.fields(type(result))}


@pytest.mark.parametrize(
    ("expected", "cells"),
    [
        ([10, 3, 1, 0.5], [0, 0, 0, 0]),  # the tail (4.5) joins the first cell
        ([10, 3, 3, 1], [0, 1, 1, 1]),  # 3 + 3 closes a cell; 1 joins it
        ([2, 2, 2, 10], [0, 0, 0, 1]),  # 2 + 2 + 2 closes; the last stands alone
        ([6, 5], [0, 1]),  # exactly 5 is enough
        ([4], [0]),  # one cell, even though it expects < 5
        ([5, 0, 0, 7], [0, 1, 1, 1]),  # empty bins are pooled like any other
    ],
)
def test_pooling_rule_by_hand(expected: list[float], cells: list[int]) -> None:
    np.testing.assert_array_equal(pool_bins(np.array(expected, dtype=float)), cells)


@given(st.lists(st.floats(0, 20), min_size=1, max_size=15))
def test_pooled_cells_expect_at_least_five_unless_one(expected: list[float]) -> None:
    cells = pool_bins(np.array(expected))
    assert cells[0] == 0
    steps = np.diff(cells)
    assert np.all((steps == 0) | (steps == 1))  # cells are runs of adjacent bins
    pooled = np.bincount(cells, weights=expected)
    assert pooled.size == 1 or bool(np.all(pooled >= 5.0))


@st.composite
def small_samples(draw: st.DrawFn) -> tuple[float, list[int], list[float], int]:
    n = draw(st.integers(1, 40))
    rate = draw(st.floats(0.05, 3.0))
    frequency = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    T = draw(st.lists(st.floats(0.1, 10.0), min_size=n, max_size=n))
    k = draw(st.integers(1, 9))
    return rate, frequency, T, k


@given(small_samples())
def test_result_cells_expect_at_least_five_and_totals_agree(
    sample: tuple[float, list[int], list[float], int],
) -> None:
    rate, frequency, T, k = sample
    recency = [0.5 * t if f > 0 else 0.0 for f, t in zip(frequency, T, strict=True)]
    result = frequency_goodness_of_fit(
        PoissonModel(rate), frequency, recency, T, max_frequency=k
    )
    pooled = np.bincount(result.cell, weights=result.expected)
    assert result.n_cells == pooled.size
    assert pooled.size == 1 or bool(np.all(pooled >= 5.0))
    assert result.expected.sum() == pytest.approx(len(frequency), rel=1e-12)
    assert result.observed.sum() == len(frequency)
    assert np.all(result.expected >= 0)
    if result.degrees_of_freedom >= 1:
        assert 0.0 <= result.p_value <= 1.0
    else:
        assert math.isnan(result.p_value)


def test_counts_equal_repeated_rows() -> None:
    model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
    x, tx, T, w = (
        [0, 1, 3, 9],
        [0.0, 5.0, 20.0, 30.0],
        [39.0, 30.0, 36.0, 38.0],
        [
            5,
            2,
            3,
            1,
        ],
    )
    weighted = frequency_goodness_of_fit(model, x, tx, T, counts=w)
    expanded = frequency_goodness_of_fit(
        model, np.repeat(x, w), np.repeat(tx, w), np.repeat(T, w)
    )
    np.testing.assert_allclose(weighted.expected, expanded.expected, rtol=1e-12)
    np.testing.assert_array_equal(weighted.observed, expanded.observed)
    assert weighted.chi_square == pytest.approx(expanded.chi_square, rel=1e-12)


def test_parameter_count_explicit_or_from_model() -> None:
    data = ([0, 1, 2] * 20, [0.0, 1.0, 2.0] * 20, [3.0] * 60)
    assert frequency_goodness_of_fit(PoissonModel(0.5), *data).n_parameters == 1
    explicit = frequency_goodness_of_fit(UnnamedModel(), *data, n_parameters=0)
    assert explicit.n_parameters == 0
    with pytest.raises(TypeError, match=r"`n_parameters` must be given for a Unnamed"):
        frequency_goodness_of_fit(UnnamedModel(), *data)


def test_donations_with_counts_bgbb() -> None:
    # The donations data of FHS (2010) come as 22 patterns with counts.
    d = load_donations()
    model = fit_bgbb(d.frequency, d.recency, d.n_opportunities, counts=d.counts).model
    result = frequency_goodness_of_fit(
        model,
        d.frequency,
        d.recency,
        d.n_opportunities,
        counts=d.counts,
        max_frequency=6,
    )
    by_hand = np.bincount(d.frequency, weights=d.counts, minlength=7)
    np.testing.assert_array_equal(result.observed, by_hand)
    assert result.observed.sum() == 11_104
    assert result.expected.sum() == pytest.approx(11_104, rel=1e-12)
    assert result.n_parameters == 4
    # with everyone observed for 6 opportunities, E_x = 11104 P(X(6) = x)
    direct = 11_104 * model.purchase_probability(np.arange(7), 6)
    np.testing.assert_allclose(result.expected, direct, rtol=1e-10)


CONTRACT_CASES = [*TRANSACTION_MODELS]


@pytest.mark.parametrize("case", CONTRACT_CASES, ids=lambda c: c.name)
def test_model_fits_its_own_simulation(case: ModelCase) -> None:
    # Consistency: customers simulated from the model, with staggered T,
    # should not be rejected by the model's own histogram test. With a fixed
    # seed the test is deterministic; under the model the p-value is uniform,
    # so a value below 0.001 would point to a wrong expected histogram.
    T = np.linspace(5.0, 40.0, 20_000)
    sample = case.reference.simulate(T.size, T, rng=20240601)
    result = frequency_goodness_of_fit(
        case.reference, sample.frequency, sample.recency, sample.T, n_parameters=0
    )
    assert isinstance(result, FrequencyGoodnessOfFit)
    assert result.p_value > 1e-3


def test_bgbb_fits_its_own_simulation() -> None:
    model = BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    n = np.repeat([3, 6, 10], 5000)
    sample = model.simulate(n.size, n, rng=11)
    result = frequency_goodness_of_fit(
        model,
        sample.frequency,
        sample.recency,
        sample.n_opportunities,
        counts=sample.counts,
        n_parameters=0,
    )
    assert result.p_value > 1e-3


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"max_frequency": 0}, ValueError, r"`max_frequency` must be an integer >= 1"),
        ({"max_frequency": 2.0}, TypeError, r"`max_frequency` must be an integer"),
        ({"counts": [1, 2]}, ValueError, r"`counts` must have the same length"),
        ({"counts": [1, 0, 1]}, ValueError, r"`counts` must be > 0"),
        ({"n_parameters": -1}, ValueError, r"`n_parameters` must be an integer >= 0"),
    ],
)
def test_bad_options(
    kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        frequency_goodness_of_fit(
            PoissonModel(1.0), [0, 1, 2], [0.0, 1.0, 2.0], [3.0, 3.0, 3.0], **kwargs
        )


@pytest.mark.parametrize(
    ("x", "tx", "T", "match"),
    [
        (
            [0, 1],
            [0.0, 4.0],
            [3.0, 3.0],
            r"`recency` must be <= `T` .*first at index 1",
        ),
        ([0, 1], [1.0, 1.0], [3.0, 3.0], r"`recency` must be 0 for every customer"),
        ([0, -1], [0.0, 0.0], [3.0, 3.0], r"`frequency` must be >= 0"),
        ([0, 1], [0.0, 1.0], [3.0], r"must have the same length"),
        ([], [], [], r"`frequency` must not be empty"),
        ([0, 1], [0.0, math.nan], [3.0, 3.0], r"`recency` must be finite"),
    ],
)
def test_bad_data(x: list[int], tx: list[float], T: list[float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        frequency_goodness_of_fit(PoissonModel(1.0), x, tx, T)


def test_object_without_the_verb_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"`model` must provide `purchase_probability`"):
        frequency_goodness_of_fit(object(), [0], [0.0], [1.0])  # type: ignore[arg-type]
