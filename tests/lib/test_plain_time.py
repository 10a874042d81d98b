"""Times and durations survive plain data (JSON) where a field declares them."""

from __future__ import annotations

import json
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue._lib.fields import Result, array_field, from_plain, to_plain
from custvalue._lib.plain_time import (
    TimeArray,
    TimePoint,
    timedelta_from_text,
    timedelta_to_text,
)

UNITS = ["W", "D", "h", "m", "s", "ms", "us", "ns", "Y", "M"]


@given(st.integers(-(2**40), 2**40), st.sampled_from(UNITS))
def test_duration_text_round_trips(count: int, unit: Any) -> None:
    value = np.timedelta64(count, unit)
    back = timedelta_from_text(timedelta_to_text(value))
    assert back == value
    assert np.datetime_data(back.dtype)[0] == unit


def test_duration_text_examples() -> None:
    assert timedelta_to_text(np.timedelta64(7, "D")) == "7 days"
    assert timedelta_to_text(np.timedelta64(90, "m")) == "90 minutes"
    fortnights: Any = np.array(2, dtype="m8[7D]")[()]  # a unit with a multiplier
    assert timedelta_to_text(fortnights) == "14 days"
    assert np.isnat(timedelta_from_text(timedelta_to_text(np.timedelta64("NaT"))))
    assert timedelta_from_text(timedelta_to_text(np.timedelta64(3))) == 3
    assert timedelta_from_text("7") == np.timedelta64(7)  # no unit: generic


@pytest.mark.parametrize("text", ["seven days", "7 fortnights", "7.5 days", ""])
def test_duration_text_rejects_other_text(text: str) -> None:
    with pytest.raises(ValueError, match="a duration must be written as"):
        timedelta_from_text(text)


@attrs.frozen(kw_only=True)
class _Timed(Result):
    start: TimePoint
    end: TimePoint | None = None
    step: np.timedelta64 | None = None
    times: TimeArray = array_field()
    gaps: npt.NDArray[np.timedelta64] | None = array_field(optional=True, default=None)
    labels: npt.NDArray[Any] | None = array_field(optional=True, default=None)


CASES = [
    _Timed(
        start=np.datetime64("2024-01-31"),
        end=np.datetime64("2024-02-29T12:30"),
        step=np.timedelta64(1, "W"),
        times=np.array(["2024-01-01", "2024-01-08"], dtype="datetime64[D]"),
        gaps=np.array([[1, 2], [3, 4]], dtype="m8[h]"),
        labels=np.array(["2024-01-01", "x"]),  # strings that stay strings
    ),
    _Timed(start=2.5, end=4, times=np.array([0.0, 1.5])),
    _Timed(
        start=0.0,
        times=np.array([], dtype="datetime64[D]"),
        gaps=np.array([], dtype="m8[s]"),
    ),
]


@pytest.mark.parametrize("value", CASES)
def test_times_round_trip_through_json(value: _Timed) -> None:
    data = json.loads(json.dumps(value.to_dict()))
    back = _Timed.from_dict(data)
    assert back == value
    for name in ("start", "end", "step"):
        assert type(getattr(back, name)) is type(getattr(value, name)) or isinstance(
            getattr(value, name), int | float
        )
    assert back.times.dtype.kind == value.times.dtype.kind or value.times.size == 0
    if value.labels is not None:
        assert back.labels is not None
        assert back.labels.dtype.kind == "U"


def test_numpy_scalars_become_python_numbers() -> None:
    assert type(to_plain(np.float64(1.5))) is float
    assert type(to_plain(np.int32(2))) is int
    assert to_plain(np.datetime64("2024-01-01")) == "2024-01-01"
    assert to_plain(np.timedelta64(7, "D")) == "7 days"
    assert from_plain("7 days", np.timedelta64 | None) == np.timedelta64(7, "D")
