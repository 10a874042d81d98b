"""Helpers shared by the models' simulators."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import FloatArray, as_float_array

__all__ = ["as_generator", "observation_lengths"]


def as_generator(rng: object) -> np.random.Generator:
    """Return a Generator for a Generator, a seed or None (never global state)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    msg = f"`rng` must be a numpy.random.Generator, an int seed or None; got {rng!r}."
    raise TypeError(msg)


def observation_lengths(n_customers: int, T: npt.ArrayLike) -> FloatArray:
    """Return ``T`` as one finite, non-negative length per customer."""
    if isinstance(n_customers, bool) or not isinstance(n_customers, int | np.integer):
        msg = f"`n_customers` must be an int >= 1; got {n_customers!r}."
        raise TypeError(msg)
    if n_customers < 1:
        msg = f"`n_customers` must be >= 1; got {n_customers!r}."
        raise ValueError(msg)
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
