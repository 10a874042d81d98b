"""compare_models: each column equals its own function, on the CDNOW split."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest

from custvalue.clv import (
    CalibrationHoldoutSummary,
    Fit,
    calibration_holdout_summary,
    fit_bgnbd,
    fit_mbgnbd,
    fit_sbg,
)
from custvalue.datasets import load_cdnow_transactions
from custvalue.evaluation import (
    ModelComparison,
    compare_models,
    error_metrics,
    frequency_goodness_of_fit,
    holdout_comparison,
    normalized_gini,
)


@pytest.fixture(scope="module")
def split() -> CalibrationHoldoutSummary:
    log = load_cdnow_transactions()
    return calibration_holdout_summary(
        log.customer_id,
        log.timestamp,
        log.amount,
        calibration_end="1997-09-30",
        merge="day",
        time_unit="week",
    )


@pytest.fixture(scope="module")
def fits(split: CalibrationHoldoutSummary) -> dict[str, Fit[Any]]:
    cal = split.calibration
    data = (cal.frequency, cal.recency, cal.T)
    return {"BG/NBD": fit_bgnbd(*data), "MBG/NBD": fit_mbgnbd(*data)}


def test_columns_equal_the_single_functions(
    split: CalibrationHoldoutSummary, fits: dict[str, Fit[Any]]
) -> None:
    cal = split.calibration
    data = (cal.frequency, cal.recency, cal.T)
    table = compare_models(
        fits, *data, split.holdout_frequency, horizon=split.holdout_duration
    )
    assert isinstance(table, ModelComparison)
    np.testing.assert_array_equal(table.model, ["BG/NBD", "MBG/NBD"])
    for row, fit in enumerate(fits.values()):
        assert table.log_likelihood[row] == fit.log_likelihood
        assert table.aic[row] == fit.aic
        assert table.bic[row] == fit.bic
        assert table.n_parameters[row] == 4
        histogram = frequency_goodness_of_fit(fit.model, *data)
        assert table.chi_square[row] == histogram.chi_square
        assert table.degrees_of_freedom[row] == histogram.degrees_of_freedom
        assert table.p_value[row] == histogram.p_value
        holdout = holdout_comparison(
            fit.model, *data, split.holdout_frequency, horizon=39.0
        )
        errors = error_metrics(split.holdout_frequency, holdout.predicted)
        assert table.mae[row] == pytest.approx(errors.mae, rel=1e-15)
        assert table.rmse[row] == pytest.approx(errors.rmse, rel=1e-15)
        assert table.bias[row] == pytest.approx(errors.bias, rel=1e-15)
        gini = normalized_gini(split.holdout_frequency, holdout.predicted)
        assert table.gini[row] == pytest.approx(gini, rel=1e-15)
    columns = table.to_dict()
    assert set(columns) == {f.name for f in attrs.fields(ModelComparison)}
    assert all(len(v) == 2 for v in columns.values())


def test_refuses_fits_of_other_data(
    split: CalibrationHoldoutSummary, fits: dict[str, Fit[Any]]
) -> None:
    cal = split.calibration
    half = slice(0, 1000)
    with pytest.raises(ValueError, match=r"'BG/NBD' was fitted to 2357 customers"):
        compare_models(
            fits,
            cal.frequency[half],
            cal.recency[half],
            cal.T[half],
            split.holdout_frequency[half],
            horizon=39.0,
        )


def test_bad_fits(split: CalibrationHoldoutSummary) -> None:
    cal = split.calibration
    data = (cal.frequency, cal.recency, cal.T, split.holdout_frequency)
    with pytest.raises(ValueError, match=r"`fits` must hold at least one fit"):
        compare_models({}, *data, horizon=39.0)
    with pytest.raises(TypeError, match=r"'x' is BGNBD"):
        compare_models({"x": fit_bgnbd(*data[:3]).model}, *data, horizon=39.0)  # type: ignore[dict-item]
    contractual = fit_sbg([1, 2, 3, 3], churned=[True, True, False, False])
    with pytest.raises(TypeError, match=r"the model of 'sBG' is ShiftedBetaGeometric"):
        compare_models({"sBG": contractual}, *data, horizon=39.0)
    with pytest.raises(ValueError, match=r"`max_frequency` must be an integer >= 1"):
        compare_models({}, *data, horizon=39.0, max_frequency=0)
