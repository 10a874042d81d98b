"""The shared validation helpers and their message template."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from custvalue._lib.validation import (
    as_float_array,
    as_int_array,
    check_scalar,
    readonly,
)


def test_message_counts_offenders_and_quotes_the_first() -> None:
    with pytest.raises(ValueError, match="x") as info:
        as_float_array([1.0, -2.0, 3.0, -4.0], "x", nonnegative=True)
    assert (
        str(info.value)
        == "`x` must be >= 0; 2 of 4 violate this (first at index 1: x=-2.0)."
    )


def test_conversion_copies_and_accepts_whole_floats() -> None:
    source = np.array([1.0, 2.0])
    converted = as_float_array(source, "x")
    converted[0] = 5.0
    assert source[0] == 1.0
    assert_array_equal(as_int_array([1.0, 2.0], "n"), [1, 2])
    assert as_int_array([1.0], "n").dtype == np.int64


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "message"),
    [
        ([1.5], {"integer_valued": True}, ValueError, "`v` must be whole numbers"),
        ([0.0], {"positive": True}, ValueError, "`v` must be > 0"),
        ([True, False], {}, TypeError, "`v` must contain real numbers"),
        (["a"], {}, TypeError, "`v` must contain real numbers"),
        (np.array([None, 1.0], dtype=object), {}, ValueError, "`v` must be finite"),
        (5.0, {}, ValueError, "`v` must be one-dimensional"),
        ([], {}, ValueError, "`v` must not be empty"),
    ],
)
def test_as_float_array_rejects(
    value: object, kwargs: dict[str, bool], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        as_float_array(value, "v", **kwargs)  # type: ignore[arg-type]


def test_check_scalar() -> None:
    assert check_scalar(2, "k", positive=True) == 2.0
    assert check_scalar(float("inf"), "h", allow_inf=True) == float("inf")
    with pytest.raises(TypeError, match="`k` must be a real number"):
        check_scalar(True, "k")
    with pytest.raises(ValueError, match="`k` must be > 0"):
        check_scalar(0.0, "k", positive=True)
    with pytest.raises(ValueError, match="`k` must be a finite number"):
        check_scalar(float("nan"), "k")
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        check_scalar(1.0, "k", open_unit_interval=True)


def test_readonly_leaves_the_original_writeable() -> None:
    original = np.arange(3.0)
    frozen = readonly(original)
    assert not frozen.flags.writeable
    assert original.flags.writeable
