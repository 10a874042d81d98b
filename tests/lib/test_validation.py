"""The shared validation helpers and their message template."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from custvalue._lib.validation import (
    as_counts,
    as_float_array,
    as_generator,
    as_int_array,
    check_integer_option,
    check_scalar,
    readonly,
    validate_customer_histories,
    validate_discrete_histories,
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


def test_as_generator_accepts_generators_seeds_and_none() -> None:
    generator = np.random.default_rng(1)
    assert as_generator(generator) is generator
    assert as_generator(7).random() == np.random.default_rng(7).random()
    assert as_generator(np.int64(7)).random() == np.random.default_rng(7).random()
    assert isinstance(as_generator(None), np.random.Generator)


@pytest.mark.parametrize("bad", [1.5, "7", True, np.random.RandomState(0)])
def test_as_generator_rejects_other_types(bad: object) -> None:
    with pytest.raises(TypeError, match=r"`rng` must be a numpy\.random\.Generator"):
        as_generator(bad)


def test_as_generator_refuses_negative_hash_style_seeds() -> None:
    with pytest.raises(ValueError, match=r"`rng` must be a seed >= 0; got -3\..*hash"):
        as_generator(-3)


def test_integer_option_rules() -> None:
    assert check_integer_option(np.int32(3), "k", minimum=1) == 3
    assert check_integer_option(-4, "priority", minimum=None) == -4
    with pytest.raises(TypeError, match=r"`k` must be an integer >= 1; got 2\.0\."):
        check_integer_option(2.0, "k", minimum=1)
    with pytest.raises(TypeError, match="`k` must be an integer"):
        check_integer_option(True, "k", minimum=None)
    with pytest.raises(ValueError, match=r"`k` must be an integer >= 1; got 0\."):
        check_integer_option(0, "k", minimum=1)
    with pytest.raises(ValueError, match=r"from 2 to 9; got 10\. Fewer\."):
        check_integer_option(10, "k", minimum=2, maximum=9, suggestion="Fewer.")


def test_counts_keep_their_shape_and_refuse_fractions_and_huge_values() -> None:
    counts = as_counts(np.array([[1, 2], [3.0, 0]]), "counts")
    assert counts.dtype == np.int64
    assert_array_equal(counts, [[1, 2], [3, 0]])
    assert as_counts(4, "n").shape == ()
    with pytest.raises(ValueError, match="`n` must be whole numbers"):
        as_counts([[1.5]], "n")
    with pytest.raises(ValueError, match="`n` must be >= 0"):
        as_counts([-1], "n")
    with pytest.raises(ValueError, match="`n` must be finite"):
        as_counts([np.inf], "n")
    with pytest.raises(TypeError, match="`n` must contain real numbers"):
        as_counts(["a"], "n")
    huge_values: list[float] = [1e308, 1.7e308, 2.0**63]
    for huge in huge_values:
        with pytest.raises(ValueError, match="at most"):
            as_counts([huge], "n")
        with pytest.raises(ValueError, match="at most"):
            as_int_array([huge], "n")


def test_customer_histories_rules() -> None:
    x, tx, t_obs, w = validate_customer_histories([0, 2], [0.0, 3.5], [4.0, 5.0])
    assert_array_equal(t_obs, [4.0, 5.0])
    assert x.dtype == np.int64
    assert_array_equal(tx, [0.0, 3.5])
    assert w is None
    with pytest.raises(ValueError, match="`recency` must be <= `T`"):
        validate_customer_histories([1], [6.0], [5.0])
    with pytest.raises(ValueError, match="`recency` must be 0 for every customer"):
        validate_customer_histories([0], [1.0], [5.0])
    with pytest.raises(ValueError, match="`counts` must be > 0"):
        validate_customer_histories([0], [0.0], [5.0], counts=[0.0])
    with pytest.raises(ValueError, match="must have the same length"):
        validate_customer_histories([0, 1], [0.0], [5.0])


def test_discrete_histories_rules() -> None:
    x, tx, n, w = validate_discrete_histories([0, 2], [0, 3], [4, 5], counts=[1, 2])
    assert_array_equal(x, [0, 2])
    assert tx.dtype == np.int64
    assert_array_equal(n, [4, 5])
    assert w is not None
    assert_array_equal(w, [1.0, 2.0])
    with pytest.raises(ValueError, match="`frequency` must be <= `recency`"):
        validate_discrete_histories([3], [2], [5])
    with pytest.raises(ValueError, match="`recency` must be <= `T`"):
        validate_discrete_histories([1], [6], [5])
    with pytest.raises(ValueError, match="`recency` must be 0 exactly when"):
        validate_discrete_histories([0], [1], [5])
    with pytest.raises(ValueError, match="`T` must be whole numbers"):
        validate_discrete_histories([0], [0], [5.5])
