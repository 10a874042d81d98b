"""Huge but finite inputs to clv: the house ValueError or a finite answer.

Never OverflowError, a numpy RuntimeWarning (the suite runs with warnings
as errors) or a hang.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from custvalue import clv

BG = clv.BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
PARETO = clv.ParetoNBD(r=0.55, alpha=10.58, s=0.61, beta=11.67)
SPEND = clv.GammaGamma(p=6.25, q=3.74, gamma=15.44)

REFUSED: dict[str, Callable[[float], Any]] = {
    "fit T": lambda v: clv.fit_bgnbd([1, 2], [1.0, 2.0], [v, 3.0]),
    "fit counts": lambda v: clv.fit_bgnbd(
        [1, 2], [1.0, 2.0], [3.0, 3.0], counts=[v, 1]
    ),
    "P(alive) T": lambda v: BG.probability_alive([1], [1.0], [v]),
    "pmf n": lambda v: BG.purchase_probability([v], 1.0),
    "CLV horizon": lambda v: clv.customer_lifetime_value(
        BG, SPEND, [1], [1.0], [2.0], [10.0], horizon=v, discount_rate=0.01
    ),
    "spend frequency": lambda v: SPEND.conditional_expected_spend([v], [10.0]),
    "sBG survivors": lambda v: clv.fit_sbg_survivors([v, v / 10]),
    "summary amount": lambda v: clv.rfm_summary([1, 1], [0.0, 1.0], [v, v]),
}
ANSWERED: dict[str, Callable[[float], Any]] = {
    "conditional horizon": lambda v: BG.conditional_expected_purchases(
        v, [1], [1.0], [2.0]
    ),
    "expected horizon": lambda v: BG.expected_purchases([v]),
    "Pareto expected horizon": lambda v: PARETO.expected_purchases([v]),
}


@pytest.mark.parametrize("value", [1e308, 1.7e308])
@pytest.mark.parametrize("name", list(REFUSED))
def test_huge_values_get_the_house_error(name: str, value: float) -> None:
    with pytest.raises(ValueError, match="must be at most"):
        REFUSED[name](value)


@pytest.mark.parametrize("value", [1e308, 1.7e308])
@pytest.mark.parametrize("name", list(ANSWERED))
def test_huge_horizons_get_a_finite_answer(name: str, value: float) -> None:
    result = np.asarray(ANSWERED[name](value), dtype=np.float64)
    assert np.all(np.isfinite(result))
    assert np.all(result > 0)
