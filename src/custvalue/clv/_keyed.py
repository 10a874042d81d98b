"""Keyed predictions: a summary in, one value per customer id out.

Every per-customer prediction of :mod:`custvalue.clv` takes either the
customer arrays (``frequency, recency, T``), and then returns a bare array
in their order as always, or one :class:`CustomerSummary` in their place,
and then returns a :class:`CustomerValues` that carries the summary's
customer ids and time unit, so that joining the values back into a table
is by key and cannot misalign. :func:`keyed` gives a method or function
that second form; it is the only place that unpacks a summary.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import FLOAT_EQ, Result, array_field, short_value
from custvalue._lib.validation import FloatArray, IntArray, naming_customers
from custvalue.clv._data import CustomerSummary
from custvalue.clv._units import as_periods

__all__ = [
    "CustomerValues",
    "customer_columns",
    "keyed",
    "keyed_values",
    "unpack_summary",
]

#: The options of a prediction that a keyed result states, when scalar.
_STATED = ("horizon", "discount_rate", "compounding", "margin")


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


@attrs.frozen(kw_only=True)
class CustomerValues(Result):
    """One value per customer, keyed by customer id, with its units stated.

    What a per-customer prediction returns when it is given a
    :class:`CustomerSummary` instead of arrays: the values in the summary's
    order, the summary's customer ids next to them, and the time unit and
    options they were computed with. ``to_frame()`` gives a table of
    ``customer_id`` and ``value`` to join into another table by key.

    Parameters
    ----------
    quantity : str
        What the values are: the name of the method or function that
        computed them (``'probability_alive'``,
        ``'customer_lifetime_value'``, ...).
    value : ndarray of float, shape (n_customers,)
        The values; NaN for customers that could not be valued (see
        ``invalid_index``).
    customer_id : ndarray of shape (n_customers,) or None, default=None
        The summary's customer ids; None when the summary has none.
    time_unit : numpy.timedelta64 or None, default=None
        The period of the data: the unit of ``horizon`` and of the rate.
    horizon : float or None, default=None
        The prediction window in periods of the data (``inf`` for the
        residual value); None where the quantity has none or it differed
        between customers.
    discount_rate : float or None, default=None
        The discount rate per period of the data, where discounted.
    compounding : {'end_of_period', 'continuous'} or None, default=None
        When cash flows were discounted, where discounted.
    margin : float or None, default=None
        The share of spend counted as value, for customer lifetime value.
    invalid_index : ndarray of int, default=empty
        Positions of the customers that could not be valued (their value is
        NaN), with ``invalid="nan"``; :attr:`invalid_customers` gives their
        ids.

    Raises
    ------
    ValueError
        If ``value`` is not one-dimensional, ``customer_id`` has another
        length, or an invalid index is out of range.

    Examples
    --------
    >>> from custvalue.clv import BGNBD, CustomerSummary
    >>> summary = CustomerSummary(
    ...     frequency=[2, 0], recency=[30.43, 0.0], T=[38.86, 38.86],
    ...     customer_id=["C17", "C18"],
    ... )
    >>> model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> alive = model.probability_alive(summary)
    >>> alive
    CustomerValues(probability_alive of 2 customers, mean 0.8633)
    >>> alive.customer_id, alive.value
    (array(['C17', 'C18'], dtype='<U3'), array([0.7266, 1.    ]))
    """

    quantity: str
    value: FloatArray = array_field(dtype=np.float64)
    customer_id: npt.NDArray[Any] | None = array_field(optional=True, default=None)
    time_unit: np.timedelta64 | None = None
    horizon: float | None = attrs.field(
        default=None, converter=_optional_float, eq=FLOAT_EQ
    )
    discount_rate: float | None = attrs.field(default=None, converter=_optional_float)
    compounding: str | None = None
    margin: float | None = attrs.field(default=None, converter=_optional_float)
    invalid_index: IntArray = array_field(
        dtype=np.int64, factory=lambda: np.zeros(0, dtype=np.int64)
    )

    _row_fields = ("customer_id", "value")

    def __attrs_post_init__(self) -> None:
        if self.value.ndim != 1:
            msg = (
                "`value` must be one-dimensional (one value per customer); got "
                f"shape {self.value.shape}."
            )
            raise ValueError(msg)
        n = self.value.size
        if self.customer_id is not None and self.customer_id.shape != (n,):
            msg = (
                f"`customer_id` must have one entry per value ({n}); got shape "
                f"{self.customer_id.shape}."
            )
            raise ValueError(msg)
        bad = self.invalid_index
        if bad.ndim != 1 or np.any((bad < 0) | (bad >= n)):
            msg = f"`invalid_index` must hold positions in [0, {n}); got {bad!r}."
            raise ValueError(msg)

    def _headline(self) -> str:
        finite = self.value[np.isfinite(self.value)]
        mean = f"mean {float(finite.mean()):.4g}" if finite.size else "no values"
        parts = [f"{self.quantity} of {self.n_customers} customers, {mean}"]
        parts += [
            f"{name}={short_value(getattr(self, name))}"
            for name in ("time_unit", *_STATED)
            if getattr(self, name) is not None
        ]
        if self.invalid_index.size:
            parts.append(f"{self.invalid_index.size} invalid")
        return ", ".join(parts)

    @property
    def n_customers(self) -> int:
        """Number of customers valued."""
        return int(self.value.size)

    @property
    def invalid_customers(self) -> npt.NDArray[Any]:
        """Ids (positions, when ids are unknown) of the customers not valued."""
        if self.customer_id is None:
            return self.invalid_index.copy()
        return self.customer_id[self.invalid_index]


def keyed_values(
    summary: CustomerSummary,
    value: npt.ArrayLike,
    *,
    quantity: str,
    invalid_index: npt.ArrayLike | None = None,
    options: Mapping[str, Any] | None = None,
) -> CustomerValues:
    """Wrap one value per customer of ``summary`` into a :class:`CustomerValues`.

    ``options`` holds the prediction's options; the scalar ones among
    horizon, discount rate, compounding and margin are stated on the result.
    """
    array = np.asarray(value, dtype=np.float64)
    n = summary.n_customers
    if array.shape != (n,):
        msg = (
            "a prediction from a CustomerSummary must give one value per customer; "
            f"got shape {array.shape} for {n} customers. Pass one horizon (and one "
            "n) at a time, or pass the arrays for a table of values."
        )
        raise ValueError(msg)
    options = options or {}
    stated = {
        name: options[name]
        for name in _STATED
        if options.get(name) is not None and np.ndim(options[name]) == 0
    }
    bad = np.asarray([] if invalid_index is None else invalid_index, dtype=np.int64)
    return CustomerValues(
        quantity=quantity,
        value=array,
        customer_id=summary.customer_id,
        time_unit=summary.time_unit,
        invalid_index=bad,
        **stated,
    )


def unpack_summary(
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    position: int,
    columns: tuple[str, ...],
) -> tuple[CustomerSummary | None, tuple[Any, ...], dict[str, Any]]:
    """Find a summary given in place of the customer arrays and take them from it.

    ``position`` is where the first customer array (``columns[0]``) goes in
    ``args``. Returns the summary (None when arrays were given) and the
    arguments with the summary replaced by its columns, passed by name.

    Raises
    ------
    TypeError
        If a summary is given together with customer arrays.
    ValueError
        If the summary lacks a column the computation needs.
    """
    summary: Any = args[position] if len(args) > position else None
    rest: tuple[Any, ...] = args[position + 1 :]
    if not isinstance(summary, CustomerSummary):
        summary = kwargs.get(columns[0])
        if not isinstance(summary, CustomerSummary):
            return None, args, kwargs
        rest = ()
    given = [c for c in columns[1:] if kwargs.get(c) is not None]
    if any(a is not None for a in rest) or given:
        msg = (
            f"pass either a CustomerSummary or the arrays {', '.join(columns)}, "
            "not both; the summary already holds them."
        )
        raise TypeError(msg)
    values = {c: getattr(summary, c) for c in columns}
    missing = [c for c, v in values.items() if v is None]
    if missing:
        msg = (
            f"the summary has no `{missing[0]}`, which this computation needs; "
            "build it from transactions with amounts, or pass the arrays."
        )
        raise ValueError(msg)
    kwargs = {k: v for k, v in kwargs.items() if k not in columns}
    return summary, args[:position], {**kwargs, **values}


def keyed(
    quantity: str, columns: tuple[str, ...] = ("frequency", "recency", "T")
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let a per-customer computation also take a summary and return keyed values.

    The decorated method or function works as before on arrays. Given a
    :class:`CustomerSummary` in place of ``columns`` (positionally where
    ``columns[0]`` goes, or by that name), it takes the columns from the
    summary, converts a duration ``horizon`` to periods with the summary's
    time unit, names customers by id in error messages, and wraps the
    result with :func:`keyed_values`.
    """

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(function)
        position = list(signature.parameters).index(columns[0])

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            summary, args, kwargs = unpack_summary(args, kwargs, position, columns)
            if summary is None:
                return function(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            options = bound.arguments
            if "horizon" in options:
                options["horizon"] = as_periods(options["horizon"], summary.time_unit)
            with naming_customers(summary.customer_id):
                value = function(*bound.args, **bound.kwargs)
            name = quantity
            for count in ("n", "k"):  # the count of a purchase probability
                if options.get(count) is not None and np.ndim(options[count]) == 0:
                    name = f"{quantity}({count}={options[count]})"
            return keyed_values(summary, value, quantity=name, options=options)

        return wrapper

    return decorate


def customer_columns(
    first: Any, *rest: Any, names: tuple[str, ...]
) -> tuple[tuple[Any, ...], np.timedelta64 | None]:
    """Return the customer arrays and time unit of a fit's data.

    ``first`` is a :class:`CustomerSummary` (then ``rest`` must be None and
    its columns ``names`` are returned with its time unit) or the first of
    the arrays (then ``rest`` holds the others and the unit is unknown).

    Raises
    ------
    TypeError
        If a summary comes with arrays, or an array is missing.
    """
    if isinstance(first, CustomerSummary):
        _, _, values = unpack_summary(
            (first,), dict(zip(names[1:], rest, strict=True)), 0, names
        )
        return tuple(values[name] for name in names), first.time_unit
    missing = [name for name, v in zip(names[1:], rest, strict=True) if v is None]
    if missing:
        msg = (
            f"`{missing[0]}` is missing; pass a CustomerSummary or the arrays "
            f"{', '.join(names)}."
        )
        raise TypeError(msg)
    return (first, *rest), None
