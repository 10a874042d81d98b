"""Turn user input into checked numpy arrays, with one error-message template.

Every public function converts its array arguments here, once, at the
boundary. Messages follow the house template::

    `recency` must be <= `T` for every customer; 3 of 2357 violate this
    (first at index 17: recency=40.0, T=38.9). Check both use the same period.

that is, the argument's name, the rule, how many entries break it, the first
offending index and value, and one suggestion.

The machinery lives in three modules, gathered here so that callers import
from one place: :mod:`custvalue._lib.arrays` (array conversion and the
message template), :mod:`custvalue._lib.histories` (the customer-history
rules) and :mod:`custvalue._lib.options` (scalar and integer options, string
choices, random generators).
"""

from __future__ import annotations

from custvalue._lib.arrays import (
    MAX_MAGNITUDE,
    MAX_WHOLE,
    FloatArray,
    IntArray,
    as_counts,
    as_float_array,
    as_int_array,
    as_row_counts,
    as_vector,
    check_all,
    check_le,
    check_same_length,
    naming_customers,
    readonly,
    violation_message,
)
from custvalue._lib.histories import (
    validate_customer_histories,
    validate_discrete_histories,
)
from custvalue._lib.options import (
    as_generator,
    check_integer_option,
    check_scalar,
    choice_error,
)

__all__ = [
    "MAX_MAGNITUDE",
    "MAX_WHOLE",
    "FloatArray",
    "IntArray",
    "as_counts",
    "as_float_array",
    "as_generator",
    "as_int_array",
    "as_row_counts",
    "as_vector",
    "check_all",
    "check_integer_option",
    "check_le",
    "check_same_length",
    "check_scalar",
    "choice_error",
    "naming_customers",
    "readonly",
    "validate_customer_histories",
    "validate_discrete_histories",
    "violation_message",
]
