"""Checks of the per-customer calibration and holdout arrays."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    as_int_array,
    check_all,
    check_le,
    check_same_length,
)

__all__ = ["calibration_histories", "holdout_counts", "holdout_horizon"]


def calibration_histories(
    frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Check (frequency, recency, T) of the calibration period, one row per customer.

    Rules (those of the models' own inputs): ``frequency`` whole and >= 0;
    ``recency`` and ``T`` finite and >= 0; ``recency <= T``; ``recency == 0``
    where ``frequency == 0``; one entry per customer in each.
    """
    x = as_int_array(frequency, "frequency", nonnegative=True)
    tx = as_float_array(recency, "recency", nonnegative=True)
    t_obs = as_float_array(T, "T", nonnegative=True)
    check_same_length(frequency=x, recency=tx, T=t_obs)
    check_le(
        tx,
        "recency",
        t_obs,
        "T",
        suggestion="Check both are measured in the same period from the "
        "first purchase.",
    )
    check_all(
        (x > 0) | (tx == 0),
        "`recency` must be 0 for every customer with `frequency` 0",
        {"frequency": x, "recency": tx},
        "Recency is the time from the first to the last purchase.",
    )
    return x, tx, t_obs


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
