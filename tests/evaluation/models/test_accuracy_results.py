"""Result objects of model evaluation: frozen, read-only, consistent, picklable."""

from __future__ import annotations

import pickle
from typing import Any

import attrs
import numpy as np
import pytest

from custvalue.clv import BGNBD
from custvalue.evaluation import (
    HoldoutTable,
    decile_table,
    error_metrics,
    frequency_goodness_of_fit,
    gains_curve,
    holdout_comparison,
    lift,
    probability_calibration,
    tracking,
)

MODEL = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
X, TX, T, Y = (
    [0, 1, 3, 0],
    [0.0, 4.0, 20.0, 0.0],
    [30.0, 30.0, 25.0, 10.0],
    [0, 1, 4, 0],
)


def _results() -> list[Any]:
    holdout = holdout_comparison(MODEL, X, TX, T, Y, horizon=39)
    return [
        holdout,
        holdout.by_frequency(2),
        holdout.by_recency(2),
        holdout.error_metrics(),
        frequency_goodness_of_fit(MODEL, X, TX, T, max_frequency=2),
        tracking(MODEL, [1, 2, 1], [0.0, 1.0, 3.0], period_ends=[2, 4]),
        error_metrics(Y, holdout.predicted),
        decile_table(Y, holdout.predicted, n_groups=2),
        gains_curve(Y, holdout.predicted),
        lift(Y, holdout.predicted, fraction=0.5),
        probability_calibration([0.2, 0.9, 0.6, 0.1], [0, 1, 1, 0]),
    ]


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_frozen_readonly_and_picklable(result: Any) -> None:
    field = attrs.fields(type(result))[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(result, field.name, None)
    for value in attrs.asdict(result, recurse=False).values():
        if isinstance(value, np.ndarray):
            assert not value.flags.writeable
    assert pickle.loads(pickle.dumps(result)) == result
    columns = {k: v for k, v in result.to_dict().items() if isinstance(v, list)}
    assert len({len(v) for v in columns.values()}) <= 1  # a table: one length


def test_tables_refuse_columns_of_different_lengths() -> None:
    with pytest.raises(ValueError, match=r"must have the same length"):
        HoldoutTable(
            group=["0", "1+"],
            lower=[0, 1],
            upper=[0, np.inf],
            n_customers=[3],
            mean_predicted=[0.1, 0.2],
            mean_actual=[0.0, 1.0],
            total_predicted=[0.3, 0.4],
            total_actual=[0.0, 2.0],
        )
