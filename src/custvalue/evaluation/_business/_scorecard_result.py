"""Frozen results of scoring a balanced scorecard."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from custvalue._lib.fields import Result
from custvalue.evaluation._business._kpi import Status, Trend

__all__ = ["KPIResult", "MissingPolicy", "PerspectiveResult", "ScorecardResult"]

MissingPolicy: TypeAlias = Literal["renormalize", "propagate"]
"""What a roll-up does when a child has no score."""


@attrs.frozen(kw_only=True)
class KPIResult(Result):
    """One KPI's value, score, status and trend in a scored scorecard.

    Parameters
    ----------
    name, perspective, unit : str
        From the KPI's definition.
    value : float or None
        The value passed; None when missing.
    previous : float or None
        The previous period's value, if given.
    change : float or None
        ``value - previous`` when both are known.
    score : float or None
        The score; None when the value is missing or stale.
    status : {'green', 'amber', 'red', 'grey'}
        Grey when the value is missing or stale.
    trend : {'improving', 'steady', 'worsening'} or None
        None without a fresh value and a previous one.
    stale : bool
        Whether the value was older than the KPI's ``max_age``.
    weight : float
        The KPI's weight normalized among the KPIs of its perspective.

    Examples
    --------
    >>> from custvalue.evaluation import (
    ...     KPI, BalancedScorecard, GoalRedFlagScoring, StatusThresholds)
    >>> card = BalancedScorecard(
    ...     kpis=[KPI(name="NPS", perspective="customer", polarity="higher_is_better",
    ...               scoring=GoalRedFlagScoring(goal=40, red_flag=0),
    ...               status_thresholds=StatusThresholds(green=30, red=10))],
    ...     missing_policy="propagate",
    ...     score_status=StatusThresholds(green=0.8, red=0.5),
    ... )
    >>> result = card.score({"NPS": 30}, previous={"NPS": 20})
    >>> k = result.kpi("NPS")
    >>> k.value, k.score, k.status, k.trend, k.change
    (30.0, 0.75, 'green', 'improving', 10.0)
    """

    name: str
    perspective: str
    unit: str
    value: float | None
    previous: float | None
    change: float | None
    score: float | None
    status: Status
    trend: Trend | None
    stale: bool
    weight: float


@attrs.frozen(kw_only=True)
class PerspectiveResult(Result):
    """One perspective's rolled-up score in a scored scorecard.

    Parameters
    ----------
    name : str
        The perspective.
    score : float or None
        Weighted mean of its KPIs' scores; None for "no data" (see the
        scorecard's missing policy).
    status : {'green', 'amber', 'red', 'grey'} or None
        From the scorecard's ``score_status`` thresholds; grey without a
        score; None when the scorecard has no ``score_status``.
    weight : float
        The perspective's weight normalized among the perspectives.
    n_kpis : int
        KPIs in the perspective.
    n_scored : int
        Of those, KPIs with a score (fresh, not missing).

    Examples
    --------
    >>> from custvalue.evaluation import (
    ...     KPI, BalancedScorecard, GoalRedFlagScoring, StatusThresholds)
    >>> card = BalancedScorecard(
    ...     kpis=[KPI(name="NPS", perspective="customer", polarity="higher_is_better",
    ...               scoring=GoalRedFlagScoring(goal=40, red_flag=0),
    ...               status_thresholds=StatusThresholds(green=30, red=10))],
    ...     missing_policy="propagate",
    ...     score_status=StatusThresholds(green=0.8, red=0.5),
    ... )
    >>> result = card.score({"NPS": 30}, previous={"NPS": 20})
    >>> p = result.perspective("customer")
    >>> p.score, p.status, p.weight, p.n_scored
    (0.75, 'amber', 1.0, 1)
    """

    name: str
    score: float | None
    status: Status | None
    weight: float
    n_kpis: int
    n_scored: int


def _kpi_results(value: Any) -> tuple[KPIResult, ...]:
    return tuple(value)


def _perspective_results(value: Any) -> tuple[PerspectiveResult, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ScorecardResult(Result):
    """Every KPI's and perspective's outcome, and the overall score.

    Returned by :meth:`BalancedScorecard.score`.

    Parameters
    ----------
    kpis : tuple of KPIResult
        In the scorecard's order.
    perspectives : tuple of PerspectiveResult
        In the scorecard's order.
    score : float or None
        Weighted mean of the perspective scores; None for "no data".
    status : {'green', 'amber', 'red', 'grey'} or None
        From ``score_status``, as for perspectives.
    missing_policy : {'renormalize', 'propagate'}
        The policy the roll-up used.

    Examples
    --------
    >>> from custvalue.evaluation import (
    ...     KPI, BalancedScorecard, GoalRedFlagScoring, StatusThresholds)
    >>> card = BalancedScorecard(
    ...     kpis=[KPI(name="NPS", perspective="customer", polarity="higher_is_better",
    ...               scoring=GoalRedFlagScoring(goal=40, red_flag=0),
    ...               status_thresholds=StatusThresholds(green=30, red=10))],
    ...     missing_policy="propagate",
    ...     score_status=StatusThresholds(green=0.8, red=0.5),
    ... )
    >>> result = card.score({"NPS": 30}, previous={"NPS": 20})
    >>> result.score, result.status
    (0.75, 'amber')
    >>> sorted(result.to_dict())
    ['kpis', 'missing_policy', 'perspectives', 'score', 'status']
    """

    kpis: tuple[KPIResult, ...] = attrs.field(converter=_kpi_results)
    perspectives: tuple[PerspectiveResult, ...] = attrs.field(
        converter=_perspective_results
    )
    score: float | None
    status: Status | None
    missing_policy: MissingPolicy

    def kpi(self, name: str) -> KPIResult:
        """Return the result of the KPI called ``name``.

        Raises
        ------
        KeyError
            If there is no such KPI.
        """
        for result in self.kpis:
            if result.name == name:
                return result
        msg = f"no KPI named {name!r}; the KPIs are {[k.name for k in self.kpis]}."
        raise KeyError(msg)

    def perspective(self, name: str) -> PerspectiveResult:
        """Return the result of the perspective called ``name``.

        Raises
        ------
        KeyError
            If there is no such perspective.
        """
        for result in self.perspectives:
            if result.name == name:
                return result
        msg = (
            f"no perspective named {name!r}; the perspectives are "
            f"{[p.name for p in self.perspectives]}."
        )
        raise KeyError(msg)
