"""What the accuracy functions need from a transaction model, as small protocols.

The functions of model evaluation are written against these protocols, not
against model classes, so that every transaction model of
:mod:`custvalue.clv` -- BG/NBD, MBG/NBD, Pareto/NBD, BG/BB -- and any model
of the user's own with the same verbs works unchanged. The arguments are
positional-only in the protocols, so a model may name them as it likes
(BG/BB calls the count ``k`` where BG/NBD calls it ``n``).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy.typing as npt

from custvalue._lib.validation import FloatArray, check_integer_option

__all__ = [
    "ConditionalPurchaseModel",
    "ExpectedPurchaseModel",
    "PurchaseDistributionModel",
    "check_model",
    "model_parameter_count",
]


@runtime_checkable
class PurchaseDistributionModel(Protocol):
    """A model that gives the distribution of a new customer's repeat purchases.

    Needed by :func:`frequency_goodness_of_fit`. ``purchase_probability(n,
    horizon)`` is :math:`P(X(t) = n)`, the probability that a customer makes
    ``n`` repeat purchases in the first ``t = horizon`` periods after the
    first purchase, broadcasting ``n`` against ``horizon``.
    """

    def purchase_probability(
        self, n: npt.ArrayLike, horizon: npt.ArrayLike, /
    ) -> FloatArray:
        """Return P(X(horizon) = n)."""


@runtime_checkable
class ConditionalPurchaseModel(Protocol):
    """A model that predicts each customer's purchases after the calibration period.

    Needed by :func:`holdout_comparison` and :func:`compare_models`.
    ``conditional_expected_purchases(horizon, frequency, recency, T)`` is the
    expected number of purchases in ``(T, T + horizon]`` given the history,
    broadcasting ``horizon`` against the customers.
    """

    def conditional_expected_purchases(
        self,
        horizon: npt.ArrayLike,
        frequency: npt.ArrayLike,
        recency: npt.ArrayLike,
        T: npt.ArrayLike,
        /,
    ) -> FloatArray:
        """Return expected purchases in ``(T, T + horizon]``."""


@runtime_checkable
class ExpectedPurchaseModel(Protocol):
    """A model that predicts a new customer's purchases, E[X(t)].

    Needed by :func:`tracking`. ``expected_purchases(horizon)`` is the
    expected number of repeat purchases in the first ``horizon`` periods
    after the first purchase, for any array of horizons.
    """

    def expected_purchases(self, horizon: npt.ArrayLike, /) -> FloatArray:
        """Return E[X(horizon)]."""


def check_model(model: object, protocol: type, method: str) -> None:
    """Raise ``TypeError`` unless ``model`` has the method ``protocol`` asks for."""
    if not isinstance(model, protocol):
        msg = (
            f"`model` must provide `{method}`; got {type(model).__name__}. "
            "Pass a model object such as the `.model` of a fit result."
        )
        raise TypeError(msg)


def model_parameter_count(model: Any, n_parameters: int | None) -> int:
    """Return the number of fitted parameters: given, or from ``parameter_names``.

    Raises
    ------
    TypeError
        If ``n_parameters`` is not given and the model does not name its
        parameters, or ``n_parameters`` is not an integer.
    ValueError
        If ``n_parameters`` is negative.
    """
    if n_parameters is not None:
        return check_integer_option(n_parameters, "n_parameters", minimum=0)
    names = getattr(model, "parameter_names", None)
    if not isinstance(names, tuple | list):
        msg = (
            f"`n_parameters` must be given for a {type(model).__name__}, which "
            "does not list its `parameter_names`; got None. Pass the number of "
            "parameters that were fitted."
        )
        raise TypeError(msg)
    return len(names)
