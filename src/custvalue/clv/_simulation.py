"""Helpers shared by the models' simulators."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    as_float_array,
    check_integer_option,
)

__all__ = ["observation_lengths"]


def observation_lengths(n_customers: int, T: npt.ArrayLike) -> FloatArray:
    """Return ``T`` as one finite, non-negative length per customer."""
    n_customers = check_integer_option(n_customers, "n_customers", minimum=1)
    if np.ndim(T) == 0:
        return as_float_array(
            np.full(int(n_customers), T, dtype=np.float64), "T", nonnegative=True
        )
    lengths = as_float_array(T, "T", nonnegative=True)
    if lengths.size != n_customers:
        msg = (
            f"`T` must be a scalar or have one entry per customer; got {lengths.size} "
            f"entries for n_customers={n_customers}."
        )
        raise ValueError(msg)
    return lengths
