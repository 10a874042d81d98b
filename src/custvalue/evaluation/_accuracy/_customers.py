"""Checks of the per-customer calibration and holdout arrays."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    as_int_array,
)

__all__ = ["holdout_counts", "holdout_horizon"]


def holdout_counts(holdout_frequency: npt.ArrayLike, n_customers: int) -> IntArray:
    """Check the holdout purchase counts: whole, >= 0, one per customer."""
    y = as_int_array(holdout_frequency, "holdout_frequency", nonnegative=True)
    if y.size != n_customers:
        msg = (
            f"`frequency` and `holdout_frequency` must have the same length; "
            f"`frequency` has {n_customers}, `holdout_frequency` has {y.size}. "
            "Pass one entry per customer in each."
        )
        raise ValueError(msg)
    return y


def holdout_horizon(horizon: npt.ArrayLike, n_customers: int) -> FloatArray:
    """Check the holdout length: one value > 0 for all, or one per customer."""
    h = np.asarray(horizon)
    values = as_float_array(
        h.reshape(-1) if h.ndim == 0 else h,
        "horizon",
        positive=True,
        suggestion="The horizon is the length of the holdout period in the "
        "calibration summary's period.",
    )
    if h.ndim == 0:
        return np.full(n_customers, values[0])
    if values.size != n_customers:
        msg = (
            f"`horizon` must be a scalar or have one entry per customer; got "
            f"{values.size} entries for {n_customers} customers."
        )
        raise ValueError(msg)
    return values
