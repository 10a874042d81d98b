"""Argument checks shared by the model classes."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    check_all,
    validate_customer_histories,
)
from custvalue.clv._units import as_periods

__all__ = [
    "as_horizon",
    "customer_arrays",
    "float_if_real",
    "positive_parameter",
    "with_inactive",
]


def float_if_real(value: Any) -> Any:
    """Convert real numbers to float and leave anything else for the validator.

    Used as the attrs converter of model parameters, so that a string such as
    ``"2"`` is rejected by :func:`positive_parameter` instead of coerced.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return value
    return float(value)


def positive_parameter(name: str) -> Any:
    """Build an attrs validator requiring a finite real number > 0."""

    def check(instance: object, attribute: object, value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            msg = f"`{name}` must be a real number > 0; got {value!r}."
            raise TypeError(msg)
        if not (np.isfinite(value) and value > 0):
            msg = f"`{name}` must be a finite number > 0; got {value!r}."
            raise ValueError(msg)

    return check


def customer_arrays(
    frequency: npt.ArrayLike, recency: npt.ArrayLike, T: npt.ArrayLike
) -> tuple[IntArray, FloatArray, FloatArray, bool]:
    """Check customer arrays; also say whether all three were scalars.

    A scalar stands for the same value for every customer (for example one
    ``T`` for a cohort that started together); arrays must have one entry per
    customer.
    """
    values = [np.asarray(v) for v in (frequency, recency, T)]
    scalar = all(v.ndim == 0 for v in values)
    n = max((v.shape[0] for v in values if v.ndim == 1), default=1)
    x, tx, t_obs, _ = validate_customer_histories(
        *(np.broadcast_to(v, (n,)) if v.ndim == 0 else v for v in values)
    )
    return x, tx, t_obs, scalar


def as_horizon(horizon: npt.ArrayLike, name: str = "horizon") -> FloatArray:
    """Check prediction horizons: finite and >= 0, any shape.

    A duration (``"52W"``) is refused here with a clear message: without a
    summary the period of the data is not known.
    """
    h = np.asarray(as_periods(horizon, None, name), dtype=np.float64)
    flat = h.reshape(-1)
    check_all(
        np.isfinite(flat) & (flat >= 0),
        f"`{name}` must be finite and >= 0",
        {name: flat},
        "Horizons are lengths of time in the data's own period.",
    )
    return h


def shape_result(value: npt.ArrayLike, scalar: bool) -> FloatArray:
    """Drop the customer axis again when the customer inputs were scalars."""
    out = np.asarray(value, dtype=np.float64)
    if scalar and out.ndim >= 1 and out.shape[-1] == 1:
        out = out[..., 0]
    return out


def with_inactive(
    alive: npt.ArrayLike, pmf: npt.ArrayLike, counts: npt.ArrayLike
) -> FloatArray:
    r"""Mix a purchase distribution of the active with a point mass at 0.

    :math:`P(Y=n) = \pi P(X=n) + (1-\pi)\delta_{n=0}`: a customer active
    with probability :math:`\pi` buys as ``pmf`` says, an inactive one never.
    """
    a = np.asarray(alive, dtype=np.float64)
    p = np.asarray(pmf, dtype=np.float64)
    return np.asarray(a * p + np.where(np.asarray(counts) == 0, 1.0 - a, 0.0))
