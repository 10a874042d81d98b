"""Every engine's in-engine summary equals the numpy summary of the same log."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import attrs
import numpy as np
import pytest
from frame_engines import ENGINES, Columns, frames_module, shuffled
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from custvalue import clv
from custvalue.clv import CalibrationHoldoutSummary, CustomerSummary
from custvalue.datasets import load_cdnow_transactions

frames = frames_module()
engine_names = pytest.mark.parametrize("engine", list(ENGINES))


def _cdnow() -> Columns:
    log = load_cdnow_transactions()
    return {
        "id": np.asarray(log.customer_id),
        "date": np.asarray(log.timestamp),
        "dollars": np.asarray(log.amount),
    }


def _assert_same(got: CustomerSummary, want: CustomerSummary, exact: bool) -> None:
    """Equal summaries; monetary values to rounding unless ``exact``."""
    if exact or want.monetary_value is None:
        assert got == want
        return
    assert got.monetary_value is not None
    # Cents are not binary fractions, so the engine's summation order can
    # change the last bits of a sum: allow a few units in the last place.
    assert_allclose(got.monetary_value, want.monetary_value, rtol=1e-13, atol=0)
    assert attrs.evolve(got, monetary_value=None) == attrs.evolve(
        want, monetary_value=None
    )


def _assert_same_split(
    got: CalibrationHoldoutSummary, want: CalibrationHoldoutSummary, exact: bool
) -> None:
    _assert_same(got.calibration, want.calibration, exact)
    assert want.holdout_monetary_value is not None
    assert got.holdout_monetary_value is not None
    assert_allclose(
        got.holdout_monetary_value, want.holdout_monetary_value, rtol=1e-13, atol=0
    )
    assert attrs.evolve(
        got, calibration=want.calibration, holdout_monetary_value=None
    ) == attrs.evolve(want, holdout_monetary_value=None)


@engine_names
def test_cdnow_summary_equals_the_numpy_summary(engine: str) -> None:
    columns = _cdnow()
    want = clv.rfm_summary(
        columns["id"], columns["date"], columns["dollars"], time_unit="week"
    )
    got = frames.rfm_summary(
        ENGINES[engine](columns),
        customer_id="id",
        timestamp="date",
        amount="dollars",
        time_unit="week",
    )
    _assert_same(got, want, exact=False)
    assert want.n_customers == 2357
    assert (got.n_transactions, got.n_merged) == (6919, want.n_merged)


@engine_names
def test_cdnow_split_equals_the_numpy_split(engine: str) -> None:
    columns = _cdnow()
    options: dict[str, Any] = {
        "calibration_end": "1997-09-30",
        "observation_end": "1998-06-30",
        "time_unit": "week",
    }
    want = clv.calibration_holdout_summary(
        columns["id"], columns["date"], columns["dollars"], **options
    )
    got = frames.calibration_holdout_summary(
        ENGINES[engine](columns),
        customer_id="id",
        timestamp="date",
        amount="dollars",
        **options,
    )
    _assert_same_split(got, want, exact=False)


_RULES = ["exact", "second", "minute", "hour", "day", "week", "month", "year"]


@st.composite
def _logs(draw: st.DrawFn) -> Columns:
    n = draw(st.integers(1, 40))
    string_ids = draw(st.booleans())
    id_values = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    ids = (
        np.array([f"c{v}" for v in id_values])
        if string_ids
        else np.array(id_values, dtype=np.int64)
    )
    # 1950 to 2050 in seconds, on a coarse grid so buckets collide often
    start = np.datetime64("1950-01-01T00:00:00", "ms")
    steps = draw(st.lists(st.integers(0, 2 * 10**5), min_size=n, max_size=n))
    grid = draw(st.sampled_from([1, 3600, 86400 // 4]))
    times = start + np.array(steps, dtype=np.int64) * grid * np.timedelta64(1, "s")
    # quarters of a dollar: sums are exact whatever the order of addition
    quarters = draw(st.lists(st.integers(0, 400), min_size=n, max_size=n))
    return {"id": ids, "when": times, "spend": np.array(quarters) / 4.0}


@engine_names
@settings(max_examples=20)
@given(log=_logs(), rule=st.sampled_from(_RULES), seed=st.integers(0, 2**16))
def test_generated_logs_equal_the_numpy_summary_in_any_row_order(
    engine: str, log: Columns, rule: Any, seed: int
) -> None:
    want = clv.rfm_summary(
        log["id"], log["when"], log["spend"], merge=rule, time_unit="week"
    )
    for columns in (log, shuffled(log, seed)):
        got = frames.rfm_summary(
            ENGINES[engine](columns),
            customer_id="id",
            timestamp="when",
            amount="spend",
            merge=rule,
            time_unit="week",
        )
        _assert_same(got, want, exact=True)


@engine_names
@settings(max_examples=15)
@given(log=_logs(), rule=st.sampled_from(_RULES), cut=st.floats(0.0, 1.0))
def test_generated_splits_equal_the_numpy_split(
    engine: str, log: Columns, rule: Any, cut: float
) -> None:
    times = np.sort(log["when"])
    calibration_end = times[int(cut * (times.size - 1))]
    options: dict[str, Any] = {"merge": rule, "calibration_end": calibration_end}
    want = clv.calibration_holdout_summary(
        log["id"], log["when"], log["spend"], **options
    )
    got = frames.calibration_holdout_summary(
        ENGINES[engine](log),
        customer_id="id",
        timestamp="when",
        amount="spend",
        **options,
    )
    _assert_same_split(got, want, exact=True)


@engine_names
def test_dates_numbers_and_iso_strings(engine: str) -> None:
    days = np.array(["1969-12-29", "1970-01-04", "2024-02-29", "2024-03-01"], "M8[D]")
    ids = np.array([1, 1, 2, 2])
    make = ENGINES[engine]
    want = clv.rfm_summary(ids, days, merge="week")
    got = frames.rfm_summary(
        make({"id": ids, "day": days}), customer_id="id", timestamp="day", merge="week"
    )
    assert got == want
    texts = np.array([str(d) for d in days])
    from_text = frames.rfm_summary(
        make({"id": ids, "day": texts}), customer_id="id", timestamp="day", merge="week"
    )
    assert attrs.evolve(from_text, first_purchase=None) == attrs.evolve(
        want, first_purchase=None
    )
    numbers = np.array([0.5, 2.0, 3.0, 3.0])
    plain = frames.rfm_summary(
        make({"id": ids, "t": numbers}), customer_id="id", timestamp="t"
    )
    assert plain == clv.rfm_summary(ids, numbers)


@engine_names
def test_yyyymmdd_integers_are_refused_unless_declared_numbers(engine: str) -> None:
    table = ENGINES[engine](
        {"id": np.array([1, 1]), "d": np.array([19970101, 19970201])}
    )
    with pytest.raises(TypeError, match="YYYYMMDD") as info:
        frames.rfm_summary(table, customer_id="id", timestamp="d")
    assert "format='%Y%m%d'" in str(info.value)
    plain = frames.rfm_summary(
        table, customer_id="id", timestamp="d", timestamps_are_periods=True
    )
    assert plain.recency[0] == 100.0


@engine_names
def test_bad_tables_raise_naming_the_rule(engine: str) -> None:
    make = ENGINES[engine]
    days = np.array(["2024-01-01", "2024-01-02"], "M8[D]")
    table = make({"id": np.array([1, 2]), "day": days, "spend": np.array([1.0, -2.0])})
    with pytest.raises(ValueError, match=r"`amount` must be >= 0; 1 of 2 rows"):
        frames.rfm_summary(table, customer_id="id", timestamp="day", amount="spend")
    with pytest.raises(ValueError, match="must name a column"):
        frames.rfm_summary(table, customer_id="who", timestamp="day")
    with pytest.raises(
        ValueError, match="<= `observation_end` for every transaction; 1 of 2 rows"
    ):
        frames.rfm_summary(
            table, customer_id="id", timestamp="day", observation_end="2024-01-01"
        )


def test_missing_values_and_time_zones_are_refused() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"id": [1.0, None], "day": pd.to_datetime(["2024-01-01", "2024-01-02"])}
    )
    with pytest.raises(ValueError, match="`customer_id` must not be missing; 1 of 2"):
        frames.rfm_summary(frame, customer_id="id", timestamp="day")
    zoned = frame.assign(id=[1, 2], day=frame["day"].dt.tz_localize("UTC"))
    with pytest.raises(TypeError, match="naive"):
        frames.rfm_summary(zoned, customer_id="id", timestamp="day")
    with pytest.raises(TypeError, match="narwhals supports"):
        frames.rfm_summary(np.zeros(3), customer_id="id", timestamp="day")


def test_engine_date_objects_match_numpy() -> None:
    pl = pytest.importorskip("polars")
    table = pl.DataFrame(
        {"id": [1, 1], "day": [dt.date(2024, 1, 1), dt.date(2024, 1, 9)]}
    )
    got = frames.rfm_summary(table.lazy(), customer_id="id", timestamp="day")
    assert got.recency[0] == 8.0


def test_core_does_not_import_narwhals() -> None:
    code = (
        "import sys, custvalue.clv, custvalue.segment, custvalue.evaluation; "
        "print('narwhals' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_import_without_narwhals_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    monkeypatch.setitem(sys.modules, "narwhals", None)
    monkeypatch.delitem(sys.modules, "custvalue.frames")
    monkeypatch.delitem(sys.modules, "custvalue.frames._summary", raising=False)
    with pytest.raises(ImportError, match=r"custvalue\[dataframe\]"):
        importlib.import_module("custvalue.frames")
