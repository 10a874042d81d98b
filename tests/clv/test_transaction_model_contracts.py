"""Contracts every transaction model of custvalue.clv satisfies (Hypothesis).

Written once over every model of ``model_cases`` (continuous time, and
discrete time with horizons of whole opportunities): probabilities lie in
[0, 1]; expectations are 0 at horizon 0 and non-decreasing in the horizon;
purchase distributions sum to 1 and have the expectations as means;
rescaling time with the scale parameter leaves predictions unchanged (where
time is measured, not counted); results do not depend on row order;
compressed and uncompressed fits agree.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from model_cases import DISCRETE_TRANSACTION_MODELS, TRANSACTION_MODELS, ModelCase
from numpy.testing import assert_allclose, assert_array_equal

ALL_MODELS = TRANSACTION_MODELS + DISCRETE_TRANSACTION_MODELS
CASES = pytest.mark.parametrize("case", ALL_MODELS, ids=lambda c: c.name)
RESCALABLE = pytest.mark.parametrize(
    "case", [c for c in ALL_MODELS if c.rescale_time], ids=lambda c: c.name
)
Customers = tuple[list[int], list[float], list[float]]


@CASES
@given(data=st.data())
def test_probabilities_lie_in_unit_interval(
    case: ModelCase, data: st.DataObject
) -> None:
    model = data.draw(case.models)
    x, tx, T = data.draw(case.customers())
    horizon = data.draw(case.horizons(0.0, 200.0))
    alive = model.probability_alive(x, tx, T)
    assert np.all((alive >= 0) & (alive <= 1))
    n = np.arange(6)[:, None]
    pmf = model.purchase_probability(n, horizon)
    cond = model.conditional_purchase_probability(n, horizon, x, tx, T)
    for p in (pmf, cond):
        assert np.all(np.isfinite(p))
        assert np.all((p >= 0) & (p <= 1 + 1e-12))


@CASES
@given(data=st.data())
def test_expectations_start_at_zero_and_never_decrease(
    case: ModelCase, data: st.DataObject
) -> None:
    model = data.draw(case.models)
    x, tx, T = data.draw(case.customers())
    horizons = np.sort(
        np.array(data.draw(st.lists(case.horizons(0.0, 300.0), min_size=2, max_size=6)))
    )
    assert model.expected_purchases(0.0) == 0.0
    assert_array_equal(model.conditional_expected_purchases(0.0, x, tx, T), 0.0)
    new = model.expected_purchases(horizons)
    assert np.all(np.isfinite(new))
    assert np.all(np.diff(new) >= -1e-10 * np.maximum(1.0, new[1:]))
    table = model.conditional_expected_purchases(horizons[:, None], x, tx, T)
    assert table.shape == (horizons.size, len(x))
    assert np.all(np.isfinite(table))
    assert np.all(np.diff(table, axis=0) >= -1e-10 * np.maximum(1.0, table[1:]))


@CASES
@given(data=st.data())
def test_purchase_distributions_sum_to_one_with_the_expected_mean(
    case: ModelCase, data: st.DataObject
) -> None:
    model = data.draw(case.models)
    x, tx, T = data.draw(case.customers(max_size=4))
    horizon = data.draw(case.horizons(0.1, 60.0))
    mean_new = float(model.expected_purchases(horizon))
    means = model.conditional_expected_purchases(horizon, x, tx, T)
    assume(mean_new < 15 and np.all(means < 15))
    # In discrete time at most one purchase per opportunity: the whole
    # support is summed. In continuous time counts can have slowly decaying
    # tails (geometric with a ratio near 1 for long horizons), so sum far and
    # require the last term to be negligible: then what the truncation leaves
    # out is below the tolerances.
    largest = case.largest_count(horizon)
    n = np.arange(0, 20_000 if largest is None else largest + 1)[:, None]
    pmf = model.purchase_probability(n[:, 0], horizon)
    cond = model.conditional_purchase_probability(n, horizon, x, tx, T)
    if largest is None:
        assume(pmf[-1] < 1e-18 and np.all(cond[-1] < 1e-18))
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)
    assert (n[:, 0] * pmf).sum() == pytest.approx(mean_new, rel=1e-8, abs=1e-10)
    assert_allclose(cond.sum(axis=0), 1.0, atol=1e-9)
    assert_allclose((n * cond).sum(axis=0), means, rtol=1e-8, atol=1e-10)


@RESCALABLE
@given(data=st.data(), c=st.floats(0.01, 100.0))
def test_rescaling_time_leaves_predictions_unchanged(
    case: ModelCase, data: st.DataObject, c: float
) -> None:
    model = data.draw(case.models)
    assert case.rescale_time is not None
    scaled = case.rescale_time(model, c)
    x, tx, T = data.draw(case.customers())
    xs, txs, Ts = np.array(x), np.array(tx) * c, np.array(T) * c
    horizon = data.draw(st.floats(0.0, 100.0))
    assert_allclose(
        scaled.conditional_expected_purchases(horizon * c, xs, txs, Ts),
        model.conditional_expected_purchases(horizon, x, tx, T),
        rtol=1e-8,
        atol=1e-12,
    )
    assert_allclose(
        scaled.probability_alive(xs, txs, Ts),
        model.probability_alive(x, tx, T),
        rtol=1e-9,
    )
    assert_allclose(
        scaled.expected_purchases(horizon * c),
        model.expected_purchases(horizon),
        rtol=1e-8,
        atol=1e-12,
    )
    # each of the x purchase-time densities is divided by c
    assert_allclose(
        scaled.log_likelihood(xs, txs, Ts),
        model.log_likelihood(x, tx, T) - xs * np.log(c),
        rtol=1e-9,
        atol=1e-9,
    )


@CASES
@given(data=st.data())
def test_predictions_follow_row_order(case: ModelCase, data: st.DataObject) -> None:
    model = data.draw(case.models)
    x, tx, T = (np.array(v) for v in data.draw(case.customers()))
    perm = np.array(data.draw(st.permutations(range(x.size))))
    for method in ("probability_alive", "log_likelihood"):
        full = getattr(model, method)(x, tx, T)
        assert_array_equal(
            getattr(model, method)(x[perm], tx[perm], T[perm]), full[perm]
        )
    full = model.conditional_expected_purchases(10.0, x, tx, T)
    assert_array_equal(
        model.conditional_expected_purchases(10.0, x[perm], tx[perm], T[perm]),
        full[perm],
    )


@CASES
@settings(max_examples=5)
@given(seed=st.integers(0, 2**16))
def test_fit_is_row_order_free_and_compression_exact(
    case: ModelCase, seed: int
) -> None:
    x, tx, T = case.fit_data(case.reference, seed)
    plain = case.fit(x, tx, T)
    perm = np.random.default_rng(seed).permutation(x.size)
    shuffled = case.fit(x[perm], tx[perm], T[perm])
    rows, counts = np.unique(np.stack([x, tx, T], axis=1), axis=0, return_counts=True)
    weighted = case.fit(rows[:, 0], rows[:, 1], rows[:, 2], counts=counts)
    assert plain.n_patterns == rows.shape[0] < x.size
    for other in (shuffled, weighted):
        assert other.n_customers == plain.n_customers
        for name in plain.parameter_names:
            assert other.parameters[name] == pytest.approx(
                plain.parameters[name], rel=1e-9
            )
        assert other.log_likelihood == pytest.approx(plain.log_likelihood, rel=1e-12)
    # the reported log-likelihood is the model's, summed over customers
    assert plain.model.log_likelihood(x, tx, T).sum() == pytest.approx(
        plain.log_likelihood, rel=1e-12
    )
