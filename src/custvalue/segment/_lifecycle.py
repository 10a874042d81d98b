"""Lifecycle stages from explicit rules: a hiatus, or thresholds on P(alive)."""

from __future__ import annotations

from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import Result
from custvalue._lib.validation import (
    as_float_array,
    check_le,
    check_same_length,
    check_scalar,
)
from custvalue.segment._labels import SegmentLabels

__all__ = ["LifecycleStages", "lifecycle_stages"]

STAGES = ("New", "Active", "Reactivated", "At Risk", "Lapsed")
NEW, ACTIVE, REACTIVATED, AT_RISK, LAPSED = range(5)


@attrs.frozen(kw_only=True)
class LifecycleStages(Result):
    """Each customer's lifecycle stage and the rule that produced it.

    Returned by :func:`lifecycle_stages`.

    Parameters
    ----------
    labels : SegmentLabels
        Stages in the order New, Active, Reactivated, At Risk, Lapsed.
    rule : {'hiatus', 'p_alive'}
        Which rule decided who has lapsed.
    hiatus, at_risk_after, lapsed_below, at_risk_below, new_within : float or None
        The thresholds used (None where not used).

    Examples
    --------
    With a model's P(alive) instead of a hiatus:

    >>> from custvalue.segment import lifecycle_stages
    >>> stages = lifecycle_stages(
    ...     [1.0, 10.0, 30.0], p_alive=[0.95, 0.4, 0.05],
    ...     lapsed_below=0.1, at_risk_below=0.5,
    ... )
    >>> stages.rule, stages.labels.as_strings()
    ('p_alive', array(['Active', 'At Risk', 'Lapsed'], dtype='<U11'))
    """

    labels: SegmentLabels
    rule: Literal["hiatus", "p_alive"]
    hiatus: float | None
    at_risk_after: float | None
    lapsed_below: float | None
    at_risk_below: float | None
    new_within: float | None


def _optional_positive(value: Any, name: str) -> float | None:
    return None if value is None else check_scalar(value, name, positive=True)


def lifecycle_stages(
    time_since_last_purchase: npt.ArrayLike,
    *,
    hiatus: float | None = None,
    at_risk_after: float | None = None,
    p_alive: npt.ArrayLike | None = None,
    lapsed_below: float | None = None,
    at_risk_below: float | None = None,
    time_since_first_purchase: npt.ArrayLike | None = None,
    new_within: float | None = None,
    previous_gap: npt.ArrayLike | None = None,
) -> LifecycleStages:
    """Assign lifecycle stages (new, active, reactivated, at risk, lapsed).

    Lifecycle stages say where each customer stands in the relationship, so
    that onboarding, retention and win-back can target the right people. The
    rules are explicit and every threshold is a parameter, in the time unit
    of the inputs. Who has lapsed is decided either by a hiatus on the time
    since the last purchase (the managers' heuristic that Wübben &
    Wangenheim 2008 found to do as well as the stochastic models) or by
    thresholds on a model's P(alive) — pass exactly one of ``hiatus`` and
    ``p_alive``.

    Parameters
    ----------
    time_since_last_purchase : array-like of shape (n_customers,)
        Time since each customer's last purchase, >= 0.
    hiatus : float, optional
        Hiatus rule: a customer with ``time_since_last_purchase >= hiatus``
        has lapsed.
    at_risk_after : float, optional
        Hiatus rule: customers with ``at_risk_after <= time_since_last_purchase
        < hiatus`` are at risk. Must be below ``hiatus``.
    p_alive : array-like of shape (n_customers,), optional
        P(alive) rule: each customer's probability of being alive, from a
        fitted model (e.g. :meth:`custvalue.clv.BGNBD.probability_alive`).
    lapsed_below : float, optional
        P(alive) rule (required with it): customers with ``p_alive <
        lapsed_below`` have lapsed.
    at_risk_below : float, optional
        P(alive) rule: customers with ``lapsed_below <= p_alive <
        at_risk_below`` are at risk.
    time_since_first_purchase : array-like of shape (n_customers,), optional
        Time since each customer's first purchase (``T`` of a customer
        summary); needed with ``new_within``.
    new_within : float, optional
        Customers whose first purchase is less than ``new_within`` ago are new
        (unless at risk or lapsed).
    previous_gap : array-like of shape (n_customers,), optional
        Hiatus rule: the time between each customer's last purchase and the
        one before it (0 for one-time buyers). A customer whose previous gap
        was at least ``hiatus`` had lapsed and came back: reactivated (unless
        now at risk or lapsed again).

    Returns
    -------
    LifecycleStages

    Raises
    ------
    ValueError
        If both or neither of ``hiatus`` and ``p_alive`` are given, a
        threshold is missing, out of range or out of order, or an array is
        empty, not finite, negative, of the wrong length, or (for P(alive))
        outside [0, 1]; if ``time_since_last_purchase`` exceeds
        ``time_since_first_purchase``.

    See Also
    --------
    rfm_scores : Relative scores rather than absolute stages.

    Notes
    -----
    The stages are checked in this order, the first that applies wins:

    1. Lapsed: :math:`t_{last} \\ge h` (hiatus rule) or :math:`P(\\text{alive}) <
       p_{lapsed}` (P(alive) rule).
    2. At risk: :math:`t_{last} \\ge h_{risk}` or :math:`P(\\text{alive}) <
       p_{risk}`.
    3. Reactivated: previous gap :math:`\\ge h`.
    4. New: :math:`t_{first} < n_{new}`.
    5. Active: everyone else.

    References
    ----------
    .. [1] Wübben, M., & Wangenheim, F. v. (2008). Instant customer base
       analysis: Managerial heuristics often "get it right". *Journal of
       Marketing*, 72(3), 82–93.

    Examples
    --------
    Weeks since the last and first purchase of six customers, a 26-week
    hiatus, at risk after 13 weeks, new in their first 4 weeks:

    >>> from custvalue.segment import lifecycle_stages
    >>> stages = lifecycle_stages(
    ...     [1.0, 2.0, 15.0, 30.0, 3.0, 26.0],
    ...     hiatus=26.0,
    ...     at_risk_after=13.0,
    ...     time_since_first_purchase=[2.0, 40.0, 20.0, 50.0, 60.0, 26.0],
    ...     new_within=4.0,
    ...     previous_gap=[0.0, 5.0, 2.0, 1.0, 30.0, 0.0],
    ... )
    >>> stages.labels.as_strings()
    array(['New', 'Active', 'At Risk', 'Lapsed', 'Reactivated', 'Lapsed'],
          dtype='<U11')
    """
    if (hiatus is None) == (p_alive is None):
        msg = (
            "`hiatus` and `p_alive` must not both be given or both be missing; "
            "pass `hiatus` to decide lapse by time since the last purchase, or "
            "`p_alive` with `lapsed_below` to decide it by a model."
        )
        raise ValueError(msg)
    t_last = as_float_array(
        time_since_last_purchase, "time_since_last_purchase", nonnegative=True
    )
    arrays: dict[str, npt.NDArray[Any]] = {"time_since_last_purchase": t_last}
    codes = np.full(t_last.size, ACTIVE, dtype=np.int16)
    h: float | None = None
    risk_after = _optional_positive(at_risk_after, "at_risk_after")
    new = _optional_positive(new_within, "new_within")
    lapsed_p = at_risk_p = None
    if (new is None) != (time_since_first_purchase is None):
        msg = (
            "`new_within` and `time_since_first_purchase` must be given "
            "together; the new stage needs both."
        )
        raise ValueError(msg)
    if p_alive is None:
        h = check_scalar(hiatus, "hiatus", positive=True)
        if lapsed_below is not None or at_risk_below is not None:
            msg = (
                "`lapsed_below` and `at_risk_below` must be None with the hiatus "
                "rule; they are thresholds on `p_alive`."
            )
            raise ValueError(msg)
        if risk_after is not None and not risk_after < h:
            msg = f"`at_risk_after` must be < `hiatus` ({h!r}); got {at_risk_after!r}."
            raise ValueError(msg)
        lapsed = t_last >= h
        at_risk = np.zeros_like(lapsed) if risk_after is None else t_last >= risk_after
    else:
        if risk_after is not None or previous_gap is not None:
            msg = (
                "`at_risk_after` and `previous_gap` must be None with the P(alive) "
                "rule; use `at_risk_below`, and the hiatus rule for reactivation."
            )
            raise ValueError(msg)
        if lapsed_below is None:
            msg = "`lapsed_below` must be given with `p_alive`; got None."
            raise ValueError(msg)
        lapsed_p = check_scalar(lapsed_below, "lapsed_below", open_unit_interval=True)
        if at_risk_below is not None:
            at_risk_p = check_scalar(at_risk_below, "at_risk_below", positive=True)
            if not lapsed_p < at_risk_p <= 1:
                msg = (
                    f"`at_risk_below` must be > `lapsed_below` ({lapsed_p!r}) and "
                    f"<= 1; got {at_risk_below!r}."
                )
                raise ValueError(msg)
        alive = as_float_array(p_alive, "p_alive", nonnegative=True)
        arrays["p_alive"] = alive
        if not bool(np.all(alive <= 1)):
            bad = alive > 1
            first = int(np.flatnonzero(bad)[0])
            msg = (
                f"`p_alive` must be <= 1; {int(bad.sum())} of {bad.size} violate "
                f"this (first at index {first}: p_alive={alive[first].item()!r}). "
                "Pass probabilities, not percentages."
            )
            raise ValueError(msg)
        lapsed = alive < lapsed_p
        at_risk = np.zeros_like(lapsed) if at_risk_p is None else alive < at_risk_p
    if previous_gap is not None and h is not None:
        gap = as_float_array(previous_gap, "previous_gap", nonnegative=True)
        arrays["previous_gap"] = gap
        check_same_length(**arrays)
        codes[gap >= h] = REACTIVATED
    if new is not None and time_since_first_purchase is not None:
        t_first = as_float_array(
            time_since_first_purchase, "time_since_first_purchase", nonnegative=True
        )
        arrays["time_since_first_purchase"] = t_first
        check_same_length(**arrays)
        check_le(
            t_last,
            "time_since_last_purchase",
            t_first,
            "time_since_first_purchase",
            suggestion="The last purchase cannot be before the first.",
        )
        codes[(t_first < new) & (codes == ACTIVE)] = NEW
    check_same_length(**arrays)
    codes[at_risk] = AT_RISK
    codes[lapsed] = LAPSED
    return LifecycleStages(
        labels=SegmentLabels(codes=codes, names=STAGES),
        rule="hiatus" if h is not None else "p_alive",
        hiatus=h,
        at_risk_after=risk_after,
        lapsed_below=lapsed_p,
        at_risk_below=at_risk_p,
        new_within=new,
    )
