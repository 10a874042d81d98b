"""A fit's plain data names its model, so it loads back without pickle."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from custvalue.clv import (
    BGNBD,
    MBGNBD,
    CustomerSummary,
    Fit,
    fit_bgnbd,
    fit_sbg_survivors,
)
from custvalue.datasets import load_cdnow_summary


def test_fit_to_dict_names_the_model_class() -> None:
    cdnow = load_cdnow_summary()
    fit = fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow.T)
    data = json.loads(json.dumps(fit.to_dict()))
    assert data["model"] == {
        "class": "BGNBD",
        "parameters": {
            name: getattr(fit.model, name) for name in ["r", "alpha", "a", "b"]
        },
    }
    assert data["parameter_names"] == ["r", "alpha", "a", "b"]
    assert np.shape(data["covariance"]) == (4, 4)
    assert data["convergence"]["converged"] is True
    loaded: Fit[BGNBD] = Fit.from_dict(data)
    assert loaded == fit
    assert type(loaded.model) is BGNBD
    # the loaded fit predicts the same numbers (FHL 2005 eq. 10 for customer 1)
    args = (39.0, cdnow.frequency[:5], cdnow.recency[:5], cdnow.T[:5])
    assert_allclose(
        loaded.model.conditional_expected_purchases(*args),
        fit.model.conditional_expected_purchases(*args),
        rtol=0,
    )
    assert loaded.summary() == fit.summary()


def test_fit_from_dict_rejects_an_unknown_model_class() -> None:
    data = fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241]).to_dict()
    data["model"]["class"] = "NotAModel"
    with pytest.raises(ValueError, match=r"one of \['BGBB', .*got 'NotAModel'"):
        Fit.from_dict(data)


@pytest.mark.parametrize("model", [{"r": 1.0}, "BGNBD", None])
def test_fit_from_dict_rejects_a_model_without_its_class(model: object) -> None:
    data = fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241]).to_dict()
    data["model"] = model
    with pytest.raises(ValueError, match=r"`data\['model'\]` must be a dict"):
        Fit.from_dict(data)


def test_fit_from_dict_checks_data_like_every_result() -> None:
    with pytest.raises(TypeError, match="`data` must be a dict"):
        Fit.from_dict([1, 2])
    data = fit_sbg_survivors([1000, 631, 468, 382, 326, 289, 262, 241]).to_dict()
    with pytest.raises(ValueError, match="unknown key 'loglikelihood'"):
        Fit.from_dict(data | {"loglikelihood": 1.0})


def test_model_round_trips_and_rejects_bad_parameters() -> None:
    model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
    assert model.to_dict() == {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert BGNBD.from_dict(model.to_dict()) == model
    assert BGNBD.from_dict({"r": 1, "alpha": 4, "a": 1, "b": 2}).r == 1.0
    with pytest.raises(ValueError, match="`b` must be a finite number > 0"):
        BGNBD.from_dict(model.to_dict() | {"b": -1.0})


def test_customer_summary_to_dict_is_plain_columns_and_settings() -> None:
    data = load_cdnow_summary().to_dict()
    assert sorted(data) == sorted(
        [
            "frequency",
            "recency",
            "T",
            "monetary_value",
            "customer_id",
            "first_purchase",
            "observation_end",
            "time_unit",
            "merge",
            "n_transactions",
            "n_merged",
            "n_exact_duplicates",
        ]
    )
    assert data["customer_id"][:2] == [1, 2]
    assert data["n_transactions"] is None  # a published table, not a log
    assert data["first_purchase"] is None
    assert (data["observation_end"], data["time_unit"]) == ("1997-09-30", "7 days")
    loaded = CustomerSummary.from_dict(json.loads(json.dumps(data)))
    assert loaded.time_unit == np.timedelta64(7, "D")
    assert loaded.observation_end == np.datetime64("1997-09-30")


def test_a_model_dict_given_to_fit_from_dict_names_the_model() -> None:
    # A new user passed a model's dict to Fit.from_dict and got "unknown
    # key 'r' ... Check the spelling".
    data = MBGNBD(r=1.0, alpha=2.0, a=1.0, b=2.0).to_dict()
    with pytest.raises(ValueError, match=r"BGNBD or MBGNBD model, not a fit"):
        Fit.from_dict(data)
