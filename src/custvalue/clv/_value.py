"""Customer lifetime value: discounted expected purchases times expected spend."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import FloatArray, check_all, check_scalar
from custvalue.clv._discounting import (
    GREGORY_POINTS,
    cut_off,
    evaluate_rows,
    gregory_head,
    gregory_tail,
    panel_rule,
)
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

#: Periods summed one by one with end-of-period discounting before the rest
#: is summed by Abel summation and Gregory's formula (enough for the
#: finite differences of Gregory's corrections to be accurate: the
#: expectations vary on the scale of t there).
_EXPLICIT_PERIODS = 1024
#: Periods evaluated in one call of the model while summing one by one.
_BLOCK = 512
#: Relative size of the neglected rest at which period-by-period summing stops.
_TAIL_TOLERANCE = 1e-17


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

    The cost does not grow with the horizon. The continuous integral is
    computed by 16-node Gauss-Legendre panels whose widths double from
    near 0 (down to half the shortest ``T``) up to :math:`4/\delta` and
    then stay there; it stops at the time past which the rest is below
    :math:`10^{-18}` of the total, a bound that follows from the
    concavity of :math:`E` (:math:`E(t)/t` does not increase). At the end
    of each period with :math:`d = 0` the sum telescopes to :math:`E(H)`.
    With :math:`d > 0` up to 1,024 periods are summed one by one, stopping
    early once the rest is negligible: :math:`E` is concave, so the
    increments :math:`E(k)-E(k-1)` do not increase and the rest after
    period :math:`K` is at most :math:`(E(K)-E(K-1))(1+d)^{-K}/d`. The
    periods after that are summed by parts (Abel),

    .. math::

        \sum_{k=K+1}^{H} v^k \Delta E_k = v^H E(H) - v^{K+1} E(K)
            + (1-v)\sum_{k=K+1}^{H-1} v^k E(k), \qquad v = (1+d)^{-1},

    and the last sum is the same panel quadrature plus Gregory's end
    corrections (the Euler-Maclaurin formula with differences). The tests
    check both routes against explicit sums and adaptive integration; an
    infinite horizon is the limit of long finite ones.

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
        # the models' expectations are analytic for t > -T, so panels near
        # t = 0 need not be finer than half the shortest T
        finest = 0.5 * float(np.min(t_obs)) if t_obs.size else None
        return _continuous(expected, h, math.log1p(d), x.size, finest)
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


def _continuous(
    evaluate: Expected, horizon: float, delta: float, n: int, finest: float | None
) -> FloatArray:
    if delta == 0.0:
        return np.asarray(evaluate(np.float64(horizon)), dtype=np.float64)
    # int_0^H e^{-delta t} dE(t)
    #   = e^{-delta H} E(H) + delta int_0^H e^{-delta t} E(t) dt  (by parts).
    # The integral is cut at c where the rest is below 1e-18 of the total
    # (cut_off, with r = min(H, 1/delta)); beyond it the end term
    # e^{-delta H} E(H) <= e^{-delta H} E(r) H / r is negligible too.
    reference = min(horizon, 1.0 / delta)
    stop = min(horizon, cut_off(reference, delta))
    nodes, weights = panel_rule(0.0, stop, delta, finest=finest)
    values = evaluate_rows(evaluate, nodes, n)
    total = delta * ((weights * np.exp(-delta * nodes)) @ values)
    if horizon <= stop:
        total = total + math.exp(-delta * horizon) * evaluate(np.float64(horizon))
    return np.asarray(total, dtype=np.float64)


def _end_of_period(evaluate: Expected, horizon: float, d: float, n: int) -> FloatArray:
    if d == 0.0:
        # sum_{k=1}^{H} (E(k) - E(k-1)) telescopes to E(H) - E(0) = E(H)
        return np.asarray(evaluate(np.float64(horizon)), dtype=np.float64)
    v = 1.0 / (1.0 + d)
    delta = math.log1p(d)
    explicit = horizon if horizon <= _EXPLICIT_PERIODS + _BLOCK else _EXPLICIT_PERIODS
    total = np.zeros(n)
    previous = np.zeros(n)
    done = 0
    while done < explicit:
        ks = np.arange(done + 1, min(done + _BLOCK, explicit) + 1, dtype=np.float64)
        values = evaluate_rows(evaluate, ks, n)
        increments = np.diff(np.vstack([previous, values]), axis=0)
        total += (v**ks) @ increments
        previous = values[-1]
        done = int(ks[-1])
        # E is concave, so the increments do not grow and the rest of the
        # sum is at most (E(K) - E(K-1)) v^K / d
        tail_bound = increments[-1] * v**done / d
        if np.all(tail_bound <= _TAIL_TOLERANCE * total):
            return total
    if done >= horizon:
        return total
    return total + _abel_remainder(evaluate, done, horizon, v, delta, previous, n)


def _abel_remainder(
    evaluate: Expected,
    done: int,
    horizon: float,
    v: float,
    delta: float,
    last: FloatArray,
    n: int,
) -> FloatArray:
    """Compute sum_{k=K+1}^{H} v^k (E(k) - E(k-1)) at a cost independent of H.

    Summation by parts (Abel): with A = K + 1 and B = H - 1 the sum is
    v^H E(H) - v^A E(K) + (1 - v) sum_{k=A}^{B} v^k E(k), and the last sum
    of the smooth f(t) = e^{-delta t} E(t) is its integral over [A, B]
    (panel quadrature) plus Gregory's end corrections. Past the cut-off c
    of :func:`cut_off` (with r = K) everything left is below 1e-18 of the
    total, so for H - 1 > c the upper end terms are dropped and the value
    no longer depends on H.
    """
    first = float(done + 1)
    cut = cut_off(float(done), delta)
    last_index = horizon - 1.0
    stop = min(last_index, cut)
    nodes, weights = panel_rule(first, stop, delta)
    integral = (weights * np.exp(-delta * nodes)) @ evaluate_rows(evaluate, nodes, n)
    head_k = first + np.arange(GREGORY_POINTS, dtype=np.float64)
    head = gregory_head(
        np.exp(-delta * head_k)[:, None] * evaluate_rows(evaluate, head_k, n)
    )
    sum_f = integral + head
    result = -(v**first) * last
    if last_index <= cut:
        tail_k = last_index - np.arange(GREGORY_POINTS - 1, -1, -1, dtype=np.float64)
        tail_values = evaluate_rows(evaluate, np.append(tail_k, horizon), n)
        sum_f = sum_f + gregory_tail(
            np.exp(-delta * tail_k)[:, None] * tail_values[:-1]
        )
        result = result + math.exp(-delta * horizon) * tail_values[-1]
    # 1 - v = d/(1+d) = -expm1(-delta)
    return np.asarray(result - math.expm1(-delta) * sum_f, dtype=np.float64)


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
        "A spend model with infinite mean spend (Gamma-Gamma where "
        "p * frequency + q <= 1) gives no finite value.",
    )
    return np.asarray(m * spend * purchases, dtype=np.float64)
