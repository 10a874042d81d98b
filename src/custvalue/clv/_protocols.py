"""What the CLV functions need from models: the protocols, defined once.

Every transaction model of :mod:`custvalue.clv` satisfies
:class:`TransactionModel` and the Gamma-Gamma model satisfies
:class:`SpendModel`; any object with the same methods works as well.
"""

from __future__ import annotations

from typing import Literal, Protocol, TypeAlias, runtime_checkable

import numpy.typing as npt

from custvalue._lib.validation import FloatArray

__all__ = ["Compounding", "SpendModel", "TransactionModel"]

Compounding: TypeAlias = Literal["end_of_period", "continuous"]
"""When cash flows are discounted: at the end of their period, or as they occur."""


@runtime_checkable
class TransactionModel(Protocol):
    """What :func:`customer_lifetime_value` needs from a transaction model.

    Every customer-base model of :mod:`custvalue.clv` (BG/NBD and the rest of
    the family) has this method with this meaning: the expected number of
    purchases in ``(T, T + horizon]`` given each customer's history,
    broadcasting ``horizon`` against the customers.
    """

    def conditional_expected_purchases(
        self,
        horizon: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
    ) -> FloatArray:
        """Return expected purchases in ``(T, T + horizon]``."""


@runtime_checkable
class SpendModel(Protocol):
    """What :func:`customer_lifetime_value` needs from a spend model."""

    def conditional_expected_spend(
        self, frequency: npt.ArrayLike, monetary_value: npt.ArrayLike
    ) -> FloatArray:
        """Return each customer's expected value per future purchase."""
