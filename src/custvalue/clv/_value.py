"""Discounted expected purchases: the time side of customer lifetime value."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeAlias, overload

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    check_scalar,
)
from custvalue.clv._data import CustomerSummary
from custvalue.clv._discounting import (
    GREGORY_POINTS,
    cut_off,
    evaluate_rows,
    gregory_head,
    gregory_tail,
    panel_rule,
)
from custvalue.clv._inputs import customer_arrays
from custvalue.clv._keyed import CustomerValues, keyed
from custvalue.clv._protocols import Compounding, SpendModel, TransactionModel
from custvalue.clv._units import Duration, as_periods, check_discount_rate

__all__ = [
    "Compounding",
    "SpendModel",
    "TransactionModel",
    "check_model",
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


def check_model(model: object, protocol: type, name: str, method: str) -> None:
    if not isinstance(model, protocol):
        msg = (
            f"`{name}` must provide `{method}`; got {type(model).__name__}. "
            "Pass a model object such as the `.model` of a fit result."
        )
        raise TypeError(msg)


@overload
def discounted_expected_purchases(
    model: TransactionModel,
    summary: CustomerSummary,
    /,
    *,
    horizon: float | Duration,
    discount_rate: float,
    compounding: Compounding = "end_of_period",
) -> CustomerValues: ...
@overload
def discounted_expected_purchases(
    model: TransactionModel,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    *,
    horizon: float,
    discount_rate: float,
    compounding: Compounding = "end_of_period",
) -> FloatArray: ...
@keyed("discounted_expected_purchases")
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
    check_model(model, TransactionModel, "model", "conditional_expected_purchases")
    x, tx, t_obs, _ = customer_arrays(frequency, recency, T)
    d = check_discount_rate(discount_rate)
    h = check_scalar(
        as_periods(horizon, None), "horizon", positive=True, allow_inf=True
    )
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
