"""The transaction models under contract, with Hypothesis strategies for them.

Adding a continuous-time model to ``TRANSACTION_MODELS`` (or a discrete-time
one to ``DISCRETE_TRANSACTION_MODELS``) runs every contract test of
``test_transaction_model_contracts.py`` on it: each case brings its own
strategies for customers and horizons (whole opportunities in discrete
time) and says whether time can be rescaled.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import attrs
import numpy as np
from hypothesis import strategies as st

from custvalue.clv import (
    BGBB,
    BGNBD,
    MBGNBD,
    ParetoNBD,
    fit_bgbb,
    fit_bgnbd,
    fit_mbgnbd,
    fit_pareto_nbd,
)

Customers = tuple[list[int], list[float], list[float]]
FitData = tuple[np.ndarray, np.ndarray, np.ndarray]


@st.composite
def customers(draw: st.DrawFn, max_size: int = 12) -> Customers:
    """Valid continuous-time (frequency, recency, T) for a few customers."""
    n = draw(st.integers(1, max_size))
    x, tx, T = [], [], []
    for _ in range(n):
        t_obs = draw(st.floats(0.5, 100.0))
        f = draw(st.integers(0, 40))
        share = draw(st.floats(0.0, 1.0)) if f > 0 else 0.0
        x.append(f)
        tx.append(share * t_obs)
        T.append(t_obs)
    return x, tx, T


@st.composite
def discrete_customers(draw: st.DrawFn, max_size: int = 12) -> Customers:
    """Valid (frequency, recency, n opportunities) for a few customers."""
    size = draw(st.integers(1, max_size))
    x, tx, n = [], [], []
    for _ in range(size):
        periods = draw(st.integers(0, 120))
        last = draw(st.integers(0, periods))
        count = draw(st.integers(1, last)) if last > 0 else 0
        x.append(count)
        tx.append(float(last))
        n.append(float(periods))
    return x, tx, n


def continuous_horizons(low: float, high: float) -> st.SearchStrategy[float]:
    """Horizons of any length in [low, high]."""
    return st.floats(low, high)


def whole_horizons(low: float, high: float) -> st.SearchStrategy[float]:
    """Horizons of whole opportunities in [low, high]."""
    return st.integers(math.ceil(low), math.floor(high)).map(float)


def _continuous_fit_data(model: Any, seed: int) -> FitData:
    rng = np.random.default_rng(seed)
    # whole-day times so that many customers share a pattern
    T = rng.integers(20, 60, 3000).astype(float)
    sim = model.simulate(T.size, T, rng=rng)
    x = sim.frequency
    return x, np.where(x > 0, np.floor(sim.recency), 0.0), sim.T


def _discrete_fit_data(model: Any, seed: int) -> FitData:
    rng = np.random.default_rng(seed)
    sim = model.simulate(3000, rng.integers(1, 12, 3000), rng=rng)
    columns = (sim.frequency, sim.recency, sim.n_opportunities)
    x, tx, n = (np.repeat(c, sim.counts) for c in columns)
    return x, tx.astype(float), n.astype(float)


@dataclass(frozen=True)
class ModelCase:
    """A transaction model family as the contract tests see it."""

    name: str
    models: st.SearchStrategy[Any]
    rescale_time: Callable[[Any, float], Any] | None
    fit: Callable[..., Any]
    reference: Any  # a typical model, for simulation-based contracts
    customers: Callable[..., st.SearchStrategy[Customers]] = field(default=customers)
    horizons: Callable[[float, float], st.SearchStrategy[float]] = field(
        default=continuous_horizons
    )
    fit_data: Callable[[Any, int], FitData] = field(default=_continuous_fit_data)
    #: The most purchases possible within a horizon (None: unbounded).
    largest_count: Callable[[float], int | None] = field(default=lambda _: None)


def _beta_geometric_models(
    model_class: type[BGNBD] | type[MBGNBD],
) -> st.SearchStrategy[Any]:
    return st.builds(
        model_class,
        r=st.floats(0.1, 3.0),
        alpha=st.floats(0.5, 30.0),
        a=st.floats(0.1, 4.0),
        b=st.floats(0.1, 6.0),
    )


TRANSACTION_MODELS = [
    ModelCase(
        name="BGNBD",
        models=_beta_geometric_models(BGNBD),
        rescale_time=lambda m, c: attrs.evolve(m, alpha=m.alpha * c),
        fit=fit_bgnbd,
        reference=BGNBD(r=0.8, alpha=6.0, a=0.9, b=2.5),
    ),
    ModelCase(
        name="MBGNBD",
        models=_beta_geometric_models(MBGNBD),
        rescale_time=lambda m, c: attrs.evolve(m, alpha=m.alpha * c),
        fit=fit_mbgnbd,
        reference=MBGNBD(r=0.8, alpha=6.0, a=0.9, b=2.5),
    ),
    ModelCase(
        name="ParetoNBD",
        models=st.builds(
            ParetoNBD,
            r=st.floats(0.1, 3.0),
            alpha=st.floats(0.5, 30.0),
            s=st.floats(0.1, 3.0),
            beta=st.floats(0.5, 60.0),
        ),
        rescale_time=lambda m, c: attrs.evolve(m, alpha=m.alpha * c, beta=m.beta * c),
        fit=fit_pareto_nbd,
        reference=ParetoNBD(r=0.8, alpha=6.0, s=0.7, beta=12.0),
    ),
]

DISCRETE_TRANSACTION_MODELS = [
    ModelCase(
        name="BGBB",
        models=st.builds(
            BGBB,
            alpha=st.floats(0.05, 10.0),
            beta=st.floats(0.05, 10.0),
            gamma=st.floats(0.05, 10.0),
            delta=st.floats(0.05, 20.0),
        ),
        rescale_time=None,  # opportunities are counted, not measured
        fit=fit_bgbb,
        reference=BGBB(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783),
        customers=discrete_customers,
        horizons=whole_horizons,
        fit_data=_discrete_fit_data,
        largest_count=int,  # one purchase per opportunity at most
    ),
]
