"""compare_fits: information criteria side by side."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from custvalue.clv import compare_fits, fit_bgnbd, fit_mbgnbd
from custvalue.datasets import load_cdnow_summary


def test_comparison_on_cdnow() -> None:
    cdnow = load_cdnow_summary()
    data = (cdnow.frequency, cdnow.recency, cdnow.T)
    bg, mbg = fit_bgnbd(*data), fit_mbgnbd(*data)
    table = compare_fits({"BG/NBD": bg, "MBG/NBD": mbg})
    assert_array_equal(table.model, ["BG/NBD", "MBG/NBD"])
    assert_allclose(table.log_likelihood, [bg.log_likelihood, mbg.log_likelihood])
    assert_array_equal(table.n_parameters, [4, 4])
    # AIC = 2k - 2 LL, BIC = k ln n - 2 LL (n = 2357 customers)
    assert_allclose(table.aic, [8 - 2 * bg.log_likelihood, 8 - 2 * mbg.log_likelihood])
    assert_allclose(table.bic, 4 * np.log(2357) - 2 * table.log_likelihood)
    assert table.delta_aic.min() == 0.0
    assert table.best_by_aic == table.best_by_bic == "MBG/NBD"
    assert set(table.to_dict()) == {
        "model",
        "log_likelihood",
        "n_parameters",
        "aic",
        "bic",
        "delta_aic",
        "delta_bic",
        "n_customers",
    }


def test_fits_of_different_data_are_refused() -> None:
    cdnow = load_cdnow_summary()
    whole = fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow.T)
    part = fit_bgnbd(cdnow.frequency[:1000], cdnow.recency[:1000], cdnow.T[:1000])
    with pytest.raises(ValueError, match="same customers"):
        compare_fits({"all": whole, "some": part})
    with pytest.raises(ValueError, match="at least one fit"):
        compare_fits({})
    not_a_fit: Any = object()
    with pytest.raises(TypeError, match="must map names to Fit results"):
        compare_fits({"x": not_a_fit})
