"""The transaction models under contract, with Hypothesis strategies for them.

Adding a model of the family to ``TRANSACTION_MODELS`` runs every contract
test of ``test_transaction_model_contracts.py`` on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import attrs
from hypothesis import strategies as st

from custvalue.clv import (
    BGNBD,
    MBGNBD,
    ParetoNBD,
    fit_bgnbd,
    fit_mbgnbd,
    fit_pareto_nbd,
)


@dataclass(frozen=True)
class ModelCase:
    """A transaction model family as the contract tests see it."""

    name: str
    models: st.SearchStrategy[Any]
    rescale_time: Callable[[Any, float], Any]
    fit: Callable[..., Any]
    reference: Any  # a typical model, for simulation-based contracts


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


@st.composite
def customers(
    draw: st.DrawFn, max_size: int = 12
) -> tuple[list[int], list[float], list[float]]:
    """Valid (frequency, recency, T) for a few customers."""
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
