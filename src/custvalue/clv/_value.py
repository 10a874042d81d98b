"""Customer lifetime value: discounted expected purchases times expected spend."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.validation import FloatArray, check_all, check_scalar
from custvalue.clv._inputs import customer_arrays
from custvalue.clv._protocols import Compounding, SpendModel, TransactionModel

__all__ = [
    "Compounding",
    "SpendModel",
    "TransactionModel",
    "customer_lifetime_value",
    "discounted_expected_purchases",
]

Expected: TypeAlias = Callable[[npt.ArrayLike], FloatArray]
"""Conditional expected purchases as a function of the horizon (internal)."""

ResidualValue: TypeAlias = Callable[..., FloatArray]
"""A model's closed-form discounted expected residual purchases (internal)."""

#: Gauss-Legendre nodes for a finite continuous-time discounting integral
#: (exact to rounding for the smooth E(t) of these models in the tests).
_NODES = 64
#: Gauss-Laguerre nodes for an infinite horizon: E(t) either grows slowly
#: without bound (BG/NBD with a <= 1) or levels off slowly, and 128 nodes keep
#: the relative error near 1e-8 where 64 give 1e-6.
_LAGUERRE_NODES = 128
#: Most periods summed for an infinite horizon with end-of-period discounting.
_MAX_PERIODS = 200_000


def _check_model(model: object, protocol: type, name: str, method: str) -> None:
    if not isinstance(model, protocol):
        msg = (
            f"`{name}` must provide `{method}`; got {type(model).__name__}. "
            "Pass a model object such as the `.model` of a fit result."
        )
        raise TypeError(msg)


def discounted_expected_purchases(
    model: TransactionModel,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    *,
    horizon: float,
    discount_rate: float,
    compounding: Compounding = "end_of_period",
) -> FloatArray:
    r"""Discounted expected number of purchases of each customer after ``T``.

    The purchases a customer is expected to make in the next ``horizon``
    periods, each weighted by the discount factor of its time, so that a
    purchase a year from now counts for less than one today. With an
    infinite horizon this is the discounted expected residual transactions
    (DERT) of Fader, Hardie & Lee (2005).

    Parameters
    ----------
    model : TransactionModel
        Any transaction model of :mod:`custvalue.clv`.
    frequency, recency, T : array-like of shape (n_customers,)
        The customers' summaries, in the data's period.
    horizon : float
        Number of periods ahead, > 0, or ``math.inf``. With
        ``compounding='end_of_period'`` a finite horizon must be whole.
    discount_rate : float
        Effective discount rate per period of the data (0.01 per week means
        a cash flow one week later is worth 1/1.01), >= 0. It must be > 0 for
        an infinite horizon.
    compounding : {'end_of_period', 'continuous'}, default='end_of_period'
        ``'end_of_period'``: purchases in period :math:`k` (the interval
        :math:`(T+k-1, T+k]`) are discounted by :math:`(1+d)^{-k}`.
        ``'continuous'``: a purchase at time :math:`T+t` is discounted by
        :math:`(1+d)^{-t} = e^{-\delta t}` with :math:`\delta = \ln(1+d)`.

    Returns
    -------
    ndarray of shape (n_customers,)

    Raises
    ------
    ValueError
        For a negative rate, a non-positive or (end of period) fractional
        horizon, or an infinite horizon without discounting.

    Notes
    -----
    With :math:`E(t)` the model's conditional expected purchases in
    :math:`(T, T+t]`:

    .. math::

        \text{end of period:}\quad \sum_{k=1}^{H} \frac{E(k) - E(k-1)}{(1+d)^k},
        \qquad
        \text{continuous:}\quad \int_0^H e^{-\delta t}\,dE(t)
        = e^{-\delta H}E(H) + \delta\int_0^H e^{-\delta t} E(t)\,dt.

    The continuous integral is computed by 64-node Gauss-Legendre
    quadrature on :math:`[0, H]`, and by 128-node Gauss-Laguerre quadrature
    in :math:`\delta t` for :math:`H = \infty` (relative error about
    :math:`10^{-8}` against adaptive integration in the tests). For an
    infinite horizon at the end of each period, periods
    are summed until the rest is negligible: the expected purchases of
    every model here grow concavely in :math:`t`, so the increments
    :math:`E(k)-E(k-1)` do not increase and the remaining sum after period
    :math:`K` is at most :math:`(E(K)-E(K-1))(1+d)^{-K}/d`.

    Where a model has the infinite-horizon value in closed form for the
    requested compounding (its ``discounted_expected_residual_purchases``
    with ``residual_compounding`` equal to ``compounding``: Pareto/NBD for
    continuous, BG/BB for end-of-period discounting), that is used instead;
    the tests check it against the numerical route.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). RFM and CLV:
       Using iso-value curves for customer base analysis. Journal of
       Marketing Research, 42(4), 415-430.

    Examples
    --------
    >>> from custvalue.clv import BGNBD, discounted_expected_purchases
    >>> model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> discounted_expected_purchases(
    ...     model, [2], [30.43], [38.86], horizon=52, discount_rate=0.0
    ... )
    array([1.5587])
    >>> discounted_expected_purchases(
    ...     model, [2], [30.43], [38.86], horizon=52, discount_rate=0.002
    ... )
    array([1.4845])
    """
    _check_model(model, TransactionModel, "model", "conditional_expected_purchases")
    x, tx, t_obs, _ = customer_arrays(frequency, recency, T)
    d = check_scalar(discount_rate, "discount_rate", nonnegative=True)
    h = check_scalar(horizon, "horizon", positive=True, allow_inf=True)
    if compounding not in ("end_of_period", "continuous"):
        msg = (
            "`compounding` must be 'end_of_period' or 'continuous'; "
            f"got {compounding!r}."
        )
        raise ValueError(msg)
    if math.isinf(h) and d == 0.0:
        msg = (
            "`discount_rate` must be > 0 when `horizon` is infinite; got 0.0. "
            "Undiscounted purchases over an unlimited future need not be finite; "
            "pass a finite horizon or a positive rate."
        )
        raise ValueError(msg)

    closed_form = _closed_form_residual(model, h, compounding)
    if closed_form is not None:
        return closed_form(x, tx, t_obs, discount_rate=d)

    def expected(t: npt.ArrayLike) -> FloatArray:
        return model.conditional_expected_purchases(t, x, tx, t_obs)

    if compounding == "continuous":
        return _continuous(expected, h, math.log1p(d), x.size)
    if not math.isinf(h) and h != math.floor(h):
        msg = (
            "`horizon` must be a whole number of periods with "
            f"compounding='end_of_period'; got {horizon!r}. Use "
            "compounding='continuous' for fractional horizons."
        )
        raise ValueError(msg)
    return _end_of_period(expected, h, d, x.size)


def _closed_form_residual(
    model: TransactionModel, horizon: float, compounding: Compounding
) -> ResidualValue | None:
    """Return the model's own DERT when it answers exactly this question.

    A model with a closed-form ``discounted_expected_residual_purchases``
    says how it discounts in ``residual_compounding``; the closed form is
    used for an infinite horizon with that compounding.
    """
    if not math.isinf(horizon):
        return None
    if getattr(model, "residual_compounding", None) != compounding:
        return None
    method: ResidualValue | None = getattr(
        model, "discounted_expected_residual_purchases", None
    )
    return method


def _continuous(evaluate: Expected, horizon: float, delta: float, n: int) -> FloatArray:
    if math.isinf(horizon):
        nodes, weights = special.roots_laguerre(_LAGUERRE_NODES)
        total = np.zeros(n)
        for u, w in zip(nodes, weights, strict=True):
            total += w * evaluate(np.float64(u / delta))
        return total  # delta * int e^{-delta t} E(t) dt, with t = u / delta
    end_value = evaluate(np.float64(horizon))
    if delta == 0.0:
        return np.asarray(end_value, dtype=np.float64)
    nodes, weights = special.roots_legendre(_NODES)
    t = 0.5 * horizon * (nodes + 1.0)
    integral = np.zeros(n)
    for tk, wk in zip(t, weights, strict=True):
        integral += wk * np.exp(-delta * tk) * evaluate(np.float64(tk))
    integral *= 0.5 * horizon
    return np.asarray(math.exp(-delta * horizon) * end_value + delta * integral)


def _end_of_period(evaluate: Expected, horizon: float, d: float, n: int) -> FloatArray:
    v = 1.0 / (1.0 + d)
    block = 64
    total = np.zeros(n)
    previous = np.zeros(n)
    k0 = 0
    while True:
        last = horizon if not math.isinf(horizon) else k0 + block
        ks = np.arange(k0 + 1, min(k0 + block, last) + 1, dtype=np.float64)
        values = evaluate(ks[:, None])
        increments = np.diff(np.vstack([previous, values]), axis=0)
        total += (v ** ks[:, None] * increments).sum(axis=0)
        previous = values[-1]
        k0 = int(ks[-1])
        if not math.isinf(horizon):
            if k0 >= horizon:
                return total
            continue
        tail_bound = increments[-1] * v**k0 / d
        if (
            np.all(tail_bound <= 1e-12 * np.maximum(total, 1e-300))
            or k0 >= _MAX_PERIODS
        ):
            return total


def customer_lifetime_value(
    transaction_model: TransactionModel,
    spend_model: SpendModel,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    monetary_value: npt.ArrayLike,
    *,
    horizon: float,
    discount_rate: float,
    margin: float = 1.0,
    compounding: Compounding = "end_of_period",
) -> FloatArray:
    r"""Compute each customer's expected discounted margin over ``horizon`` periods.

    Combines a transaction model (how many purchases to expect, and when)
    with a spend model (how much each purchase is worth) into the present
    value of each customer's future margin. Time is in the data's own
    period throughout: the horizon, and the discount rate per period.

    Parameters
    ----------
    transaction_model : TransactionModel
        A fitted or hand-built transaction model (e.g. ``fit.model`` of
        :func:`fit_bgnbd`).
    spend_model : SpendModel
        A spend model (e.g. a Gamma-Gamma model).
    frequency, recency, T : array-like of shape (n_customers,)
        The customers' summaries.
    monetary_value : array-like of shape (n_customers,)
        Mean value of each customer's repeat purchases (0 where frequency is
        0), as the spend model expects.
    horizon : float
        Number of periods ahead (> 0), or ``math.inf`` for the discounted
        expected residual value.
    discount_rate : float
        Effective discount rate per period of the data, >= 0.
    margin : float, default=1.0
        Share of spend that is profit, in (0, 1] typically; must be > 0.
    compounding : {'end_of_period', 'continuous'}, default='end_of_period'
        See :func:`discounted_expected_purchases`.

    Returns
    -------
    ndarray of shape (n_customers,)

    Raises
    ------
    ValueError
        For invalid data or options (see
        :func:`discounted_expected_purchases`), or ``margin <= 0``.
    TypeError
        If a model lacks the method CLV needs.

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
    """
    _check_model(
        transaction_model,
        TransactionModel,
        "transaction_model",
        "conditional_expected_purchases",
    )
    _check_model(spend_model, SpendModel, "spend_model", "conditional_expected_spend")
    m = check_scalar(margin, "margin", positive=True)
    purchases = discounted_expected_purchases(
        transaction_model,
        frequency,
        recency,
        T,
        horizon=horizon,
        discount_rate=discount_rate,
        compounding=compounding,
    )
    spend = np.asarray(
        spend_model.conditional_expected_spend(
            np.atleast_1d(frequency), np.atleast_1d(monetary_value)
        ),
        dtype=np.float64,
    )
    check_all(
        np.isfinite(spend) | (purchases == 0),
        "the expected spend must be finite for every customer with expected purchases",
        {
            "frequency": np.atleast_1d(frequency),
            "monetary_value": np.atleast_1d(monetary_value),
        },
        "A spend model with infinite mean spend (Gamma-Gamma with q <= 1) gives "
        "no finite value.",
    )
    return np.asarray(m * spend * purchases, dtype=np.float64)
