"""Customer lifetime value: discounted expected purchases times expected spend.

Arrays in give an array out; a :class:`CustomerSummary` in gives keyed
:class:`CustomerValues` that state the horizon, time unit, rate per period
and compounding. With ``invalid="nan"`` customers the spend model cannot
value get NaN and are listed, and the rest are valued.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeAlias, overload

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    check_all,
    check_scalar,
    naming_customers,
)
from custvalue.clv._data import CustomerSummary
from custvalue.clv._fit import Fit
from custvalue.clv._keyed import CustomerValues, keyed_values, unpack_summary
from custvalue.clv._protocols import Compounding, SpendModel, TransactionModel
from custvalue.clv._units import Duration, as_periods, same_unit
from custvalue.clv._value import check_model, discounted_expected_purchases

__all__ = ["Invalid", "customer_lifetime_value"]

Invalid: TypeAlias = Literal["raise", "nan"]
"""What to do with customers that cannot be valued: refuse all, or NaN."""


@overload
def customer_lifetime_value(
    transaction_model: TransactionModel | Fit[Any],
    spend_model: SpendModel | Fit[Any],
    summary: CustomerSummary,
    /,
    *,
    horizon: float | Duration,
    discount_rate: float,
    margin: float = 1.0,
    compounding: Compounding = "end_of_period",
    invalid: Invalid = "raise",
) -> CustomerValues: ...
@overload
def customer_lifetime_value(
    transaction_model: TransactionModel | Fit[Any],
    spend_model: SpendModel | Fit[Any],
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    monetary_value: npt.ArrayLike,
    *,
    horizon: float,
    discount_rate: float,
    margin: float = 1.0,
    compounding: Compounding = "end_of_period",
    invalid: Invalid = "raise",
) -> FloatArray: ...
def customer_lifetime_value(
    transaction_model: TransactionModel | Fit[Any],
    spend_model: SpendModel | Fit[Any],
    *customers: Any,
    horizon: float | Duration,
    discount_rate: float,
    margin: float = 1.0,
    compounding: Compounding = "end_of_period",
    invalid: Invalid = "raise",
    **columns: Any,
) -> FloatArray | CustomerValues:
    r"""Compute each customer's expected discounted margin over ``horizon`` periods.

    Combines a transaction model (how many purchases to expect, and when)
    with a spend model (how much each purchase is worth) into the present
    value of each customer's future margin. Time is in the data's own
    period throughout: the horizon, and the discount rate per period.

    Given the four customer arrays it returns an array in their order.
    Given a :class:`CustomerSummary` in their place it returns a
    :class:`CustomerValues` keyed by the summary's customer ids that states
    the horizon, time unit, rate per period and compounding used; the
    horizon may then be a duration (``"52W"``), converted with the
    summary's (or the fit's) time unit.

    Parameters
    ----------
    transaction_model : TransactionModel or Fit
        A fitted or hand-built transaction model (e.g. ``fit.model`` of
        :func:`fit_bgnbd`, or the fit itself, which also brings the time
        unit it was fitted in).
    spend_model : SpendModel or Fit
        A spend model (e.g. a Gamma-Gamma model or its fit).
    *customers : CustomerSummary, or frequency, recency, T, monetary_value
        Either one summary with ``monetary_value``, or four array-likes of
        shape (n_customers,): the customers' summaries and the mean value
        of each customer's repeat purchases (0 where frequency is 0), as
        the spend model expects. They may also be passed by name.
    horizon : float or duration
        Number of periods ahead (> 0), or ``math.inf`` for the discounted
        expected residual value. With a summary also a duration such as
        ``"52W"``, ``"365D"``, a ``numpy.timedelta64`` or a
        ``datetime.timedelta``.
    discount_rate : float
        Effective discount rate per period of the data, in [0, 1]. Convert
        an annual rate with :func:`discount_rate_per_period`.
    margin : float, default=1.0
        Share of spend that is profit, in (0, 1] typically; must be > 0.
    compounding : {'end_of_period', 'continuous'}, default='end_of_period'
        See :func:`discounted_expected_purchases`.
    invalid : {'raise', 'nan'}, default='raise'
        What to do when some customers cannot be valued (the spend model
        refuses their data, e.g. a repeat customer with mean spend 0 under
        Gamma-Gamma, or their expected spend is infinite): ``'raise'``
        refuses the call, naming the first such customer; ``'nan'`` gives
        them NaN and values the rest. A keyed result lists them in
        ``invalid_index`` and ``invalid_customers``.
    **columns : array-like
        The customer arrays by name (``frequency=...``).

    Returns
    -------
    ndarray of shape (n_customers,) or CustomerValues
        An array for arrays, keyed values for a summary.

    Raises
    ------
    ValueError
        For invalid data or options (see
        :func:`discounted_expected_purchases`), ``margin <= 0``, a rate
        above 1 per period, a duration without a known time unit, or a fit
        and a summary in different time units.
    TypeError
        If a model lacks the method CLV needs, or both a summary and arrays
        are given.

    See Also
    --------
    discount_rate_per_period : An annual rate as a rate per period.

    Notes
    -----
    Spend per purchase is assumed independent of the purchase process (the
    Gamma-Gamma assumption), so

    .. math::

        \mathrm{CLV}_i = m \, E[Z_i \mid x_i, \bar z_i]\,
        \mathrm{DET}_i(H, d)

    with :math:`m` the margin and :math:`\mathrm{DET}` the discounted
    expected purchases of :func:`discounted_expected_purchases`. With
    ``discount_rate=0`` it is margin × expected spend × expected purchases
    in the horizon.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). RFM and CLV:
       Using iso-value curves for customer base analysis. Journal of
       Marketing Research, 42(4), 415-430.

    Examples
    --------
    A customer with 2 repeat purchases averaging $35, under the CDNOW
    estimates of the papers, over the next 52 weeks at 10% a year (weekly
    rate 1.1**(1/52) - 1) with a 30% margin. Expected spend per purchase is
    (15.44 + 2 × 35) × 6.25 / (2 × 6.25 + 3.74 − 1) = 35.04, the discounted
    expected purchases are 1.4904, so CLV = 0.3 × 35.04 × 1.4904:

    >>> from custvalue.clv import BGNBD, GammaGamma, customer_lifetime_value
    >>> purchases = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> spend = GammaGamma(p=6.25, q=3.74, gamma=15.44)
    >>> weekly = 1.1 ** (1 / 52) - 1
    >>> customer_lifetime_value(
    ...     purchases, spend, [2], [30.43], [38.86], [35.0],
    ...     horizon=52, discount_rate=weekly, margin=0.3,
    ... )
    array([15.67])

    The same from a summary with ids and a time unit; a customer whose
    repeat purchases were worth $0 cannot be valued by Gamma-Gamma:

    >>> import numpy as np
    >>> from custvalue.clv import CustomerSummary, discount_rate_per_period
    >>> summary = CustomerSummary(
    ...     frequency=[2, 1], recency=[30.43, 5.0], T=[38.86, 38.86],
    ...     monetary_value=[35.0, 0.0], customer_id=["C17", "C18"],
    ...     time_unit=np.timedelta64(7, "D"),
    ... )
    >>> clv = customer_lifetime_value(
    ...     purchases, spend, summary, horizon="52W",
    ...     discount_rate=discount_rate_per_period(0.10, summary.time_unit),
    ...     margin=0.3, invalid="nan",
    ... )
    >>> clv.value, clv.invalid_customers
    (array([15.67,   nan]), array(['C18'], dtype='<U3'))
    >>> clv.horizon, clv.time_unit, clv.compounding
    (52.0, np.timedelta64(7,'D'), 'end_of_period')
    """
    if invalid not in ("raise", "nan"):
        msg = f"`invalid` must be 'raise' or 'nan'; got {invalid!r}."
        raise ValueError(msg)
    purchase_model, fit_unit = _model_and_unit(transaction_model)
    value_model, _ = _model_and_unit(spend_model)
    check_model(
        purchase_model,
        TransactionModel,
        "transaction_model",
        "conditional_expected_purchases",
    )
    check_model(value_model, SpendModel, "spend_model", "conditional_expected_spend")
    names = ("frequency", "recency", "T", "monetary_value")
    summary, _, arrays = unpack_summary(customers, columns, 0, names)
    if summary is None:
        arrays = _named_arrays(customers, columns, names)
    unit = same_unit(fit_unit, summary.time_unit if summary is not None else None)
    h = as_periods(horizon, unit)
    ids = summary.customer_id if summary is not None else None
    with naming_customers(ids):
        value, bad = _lifetime_value(
            purchase_model,
            value_model,
            arrays,
            horizon=h,
            discount_rate=discount_rate,
            margin=margin,
            compounding=compounding,
            invalid=invalid,
        )
    if summary is None:
        return value
    options = {
        "horizon": h,
        "discount_rate": discount_rate,
        "compounding": compounding,
        "margin": margin,
    }
    return keyed_values(
        summary,
        value,
        quantity="customer_lifetime_value",
        invalid_index=np.flatnonzero(bad),
        options=options,
    )


def _model_and_unit(model: object) -> tuple[Any, np.timedelta64 | None]:
    """Return a fit's model and time unit, or a model itself and no unit."""
    if isinstance(model, Fit):
        return model.model, model.time_unit
    return model, None


def _named_arrays(
    customers: tuple[Any, ...], columns: dict[str, Any], names: tuple[str, ...]
) -> dict[str, Any]:
    """Match the customer arrays given by position and by name to ``names``."""
    unknown = sorted(set(columns) - set(names))
    if unknown or len(customers) > len(names):
        what = f"unexpected argument {unknown[0]!r}" if unknown else "too many arrays"
        msg = (
            f"customer_lifetime_value() got {what}; pass a CustomerSummary or "
            f"the arrays {', '.join(names)}."
        )
        raise TypeError(msg)
    arrays = {**dict(zip(names, customers, strict=False)), **columns}
    missing = [name for name in names if name not in arrays]
    if missing:
        msg = (
            f"customer_lifetime_value() is missing `{missing[0]}`; pass a "
            f"CustomerSummary or the arrays {', '.join(names)}."
        )
        raise TypeError(msg)
    return arrays


def _failing_rows(evaluate: Callable[[npt.NDArray[np.intp]], object], n: int) -> Any:
    """Return a mask of the rows on which ``evaluate`` raises ``ValueError``.

    Bisection: a block that passes is fine as a whole, a failing block is
    split in two, so k bad rows among n cost about 2 k log2(n) calls.
    """
    bad = np.zeros(n, dtype=bool)
    blocks = [np.arange(n)]
    while blocks:
        rows = blocks.pop()
        try:
            evaluate(rows)
        except ValueError:
            if rows.size == 1:
                bad[rows] = True
            else:
                half = rows.size // 2
                blocks += [rows[:half], rows[half:]]
    return bad


def _lifetime_value(
    transaction_model: TransactionModel,
    spend_model: SpendModel,
    arrays: dict[str, Any],
    *,
    horizon: Any,
    discount_rate: float,
    margin: float,
    compounding: Compounding,
    invalid: Invalid,
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """CLV of the customer arrays, and where customers could not be valued."""
    m = check_scalar(margin, "margin", positive=True)
    frequency = np.atleast_1d(arrays["frequency"])
    monetary_value = np.atleast_1d(arrays["monetary_value"])
    purchases = discounted_expected_purchases(
        transaction_model,
        arrays["frequency"],
        arrays["recency"],
        arrays["T"],
        horizon=horizon,
        discount_rate=discount_rate,
        compounding=compounding,
    )

    def spend_of(rows: npt.NDArray[np.intp] | slice) -> FloatArray:
        return np.asarray(
            spend_model.conditional_expected_spend(
                frequency[rows], monetary_value[rows]
            ),
            dtype=np.float64,
        )

    bad = np.zeros(purchases.shape, dtype=bool)
    if invalid == "nan" and frequency.shape == monetary_value.shape == bad.shape:
        bad = _failing_rows(spend_of, bad.size)
        spend = np.full(bad.shape, np.nan)
        spend[~bad] = spend_of(np.flatnonzero(~bad))
    else:
        spend = spend_of(slice(None))
    finite = np.isfinite(spend) | (purchases == 0) | bad
    if invalid == "nan":
        bad |= ~finite
    else:
        check_all(
            finite,
            "the expected spend must be finite for every customer with expected "
            "purchases",
            {"frequency": frequency, "monetary_value": monetary_value},
            "A spend model with infinite mean spend (Gamma-Gamma where "
            "p * frequency + q <= 1) gives no finite value. Pass invalid='nan' "
            "to value the other customers.",
        )
    value = np.where(bad, np.nan, m * spend * purchases)
    return np.asarray(value, dtype=np.float64), bad
