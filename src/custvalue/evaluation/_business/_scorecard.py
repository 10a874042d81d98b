"""The balanced scorecard: perspectives, validation, roll-up and dict form."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import attrs

from custvalue._lib.fields import Result
from custvalue._lib.validation import check_scalar, choice_error
from custvalue.evaluation._business._checks import text
from custvalue.evaluation._business._kpi import CLASSIC_PERSPECTIVES, KPI, Status
from custvalue.evaluation._business._perspective import Perspective, as_perspectives
from custvalue.evaluation._business._rollup import roll_up
from custvalue.evaluation._business._scorecard_result import (
    KPIResult,
    MissingPolicy,
    PerspectiveResult,
    ScorecardResult,
)
from custvalue.evaluation._business._serialization import read_mapping
from custvalue.evaluation._business._status import StatusThresholds

__all__ = ["BalancedScorecard"]

_POLICIES = ("renormalize", "propagate")


def _kpis(value: Iterable[object]) -> tuple[KPI, ...]:
    given: object = value
    if isinstance(given, str | Mapping) or not isinstance(given, Iterable):
        msg = f"`kpis` must be a sequence of KPI objects; got {given!r}."
        raise TypeError(msg)
    kpis = []
    for kpi in value:
        if not isinstance(kpi, KPI):
            msg = f"`kpis` must hold KPI objects; got {type(kpi).__name__}."
            raise TypeError(msg)
        kpis.append(kpi)
    return tuple(kpis)


@attrs.frozen(kw_only=True)
class BalancedScorecard(Result):
    r"""A balanced scorecard: KPIs grouped into weighted perspectives.

    The scorecard of Kaplan & Norton (1992) looks at a business from four
    perspectives -- financial, customer, internal process, learning and
    growth -- each measured by a few KPIs. This object holds the KPI
    definitions and how they roll up; :meth:`score` turns one period's KPI
    values into scores, colours, trends and per-perspective and overall
    scores. Everything is checked when the scorecard is built.

    Parameters
    ----------
    kpis : sequence of KPI
        At least one; names must be unique.
    missing_policy : {'renormalize', 'propagate'}
        What a roll-up does when a KPI (or a whole perspective) has no
        score, because its value is missing or stale. ``'renormalize'``:
        leave it out and renormalize the weights of the siblings that have
        scores. ``'propagate'``: the parent has no score either ("no
        data"), up to the overall score. There is no default: choose.
    perspectives : sequence of Perspective or str, optional
        The perspectives, in display order, with their weights. Default:
        those the KPIs use, the classic four first in their usual order,
        each with weight 1.
    score_status : StatusThresholds, optional
        Green and red thresholds on the score scale (higher is better),
        used to colour perspectives and the overall score.
    name : str, default=''
        A title.

    Raises
    ------
    TypeError
        If an element has the wrong type.
    ValueError
        Naming the KPI or perspective, if two KPIs share a name, a KPI's
        perspective is not among ``perspectives``, a perspective has no
        KPIs or KPI weights summing to 0, the perspective weights sum to 0,
        or ``score_status`` has red above green.

    See Also
    --------
    KPI : One KPI's definition.

    Notes
    -----
    Weights are normalized among siblings: KPI :math:`i` of perspective
    :math:`p` counts with :math:`w_i / \sum_{j \in p} w_j` and perspective
    :math:`p` with :math:`W_p / \sum_q W_q`. A perspective's score is the
    weighted mean of its KPIs' scores and the overall score the weighted
    mean of the perspectives' scores,

    .. math::

        S_p = \frac{\sum_{i \in p} w_i s_i}{\sum_{i \in p} w_i}, \qquad
        S = \frac{\sum_p W_p S_p}{\sum_p W_p},

    with the sums over the children that have a score under
    ``'renormalize'`` ("no data" when none of them has positive weight), and
    "no data" under ``'propagate'`` as soon as a child with positive weight
    has none. A child of weight 0 never affects its parent. Scaling all
    weights of a group by the same positive factor changes nothing.

    References
    ----------
    .. [1] Kaplan, R. S., & Norton, D. P. (1992). The balanced scorecard:
       Measures that drive performance. Harvard Business Review, 70(1),
       71-79.
    .. [2] Kaplan, R. S., & Norton, D. P. (1996). The Balanced Scorecard:
       Translating Strategy into Action. Harvard Business School Press.

    Examples
    --------
    A financial KPI with threshold/target/stretch scoring and two customer
    KPIs, one of which has no data this period:

    >>> from custvalue.evaluation import (
    ...     KPI, BalancedScorecard, GoalRedFlagScoring, LinearScoring,
    ...     StatusThresholds, ThresholdTargetStretchScoring,
    ... )
    >>> card = BalancedScorecard(
    ...     kpis=[
    ...         KPI(name="customer ROI", perspective="financial",
    ...             polarity="higher_is_better",
    ...             scoring=ThresholdTargetStretchScoring(
    ...                 threshold=0.1, target=0.2, stretch=0.3),
    ...             status_thresholds=StatusThresholds(green=0.2, red=0.1)),
    ...         KPI(name="retention", perspective="customer",
    ...             polarity="higher_is_better",
    ...             scoring=LinearScoring(minimum=0.6, maximum=0.9),
    ...             status_thresholds=StatusThresholds(green=0.85, red=0.75)),
    ...         KPI(name="NPS", perspective="customer", polarity="higher_is_better",
    ...             scoring=GoalRedFlagScoring(goal=40, red_flag=0),
    ...             status_thresholds=StatusThresholds(green=30, red=10)),
    ...     ],
    ...     missing_policy="renormalize",
    ... )
    >>> result = card.score({"customer ROI": 0.25, "retention": 0.81, "NPS": None})
    >>> for k in result.kpis:
    ...     print(k.name, None if k.score is None else round(k.score, 3), k.status)
    customer ROI 1.25 green
    retention 0.7 amber
    NPS None grey
    >>> [(p.name, round(p.score, 3)) for p in result.perspectives]
    [('financial', 1.25), ('customer', 0.7)]
    >>> round(result.score, 3)
    0.975

    The customer perspective is scored on retention alone. Under
    ``'propagate'`` the missing NPS leaves it, and the overall score,
    without a score:

    >>> strict = BalancedScorecard.from_dict(
    ...     card.to_dict() | {"missing_policy": "propagate"}
    ... )
    >>> values = {"customer ROI": 0.25, "retention": 0.81, "NPS": None}
    >>> strict.score(values).perspective("customer").score is None
    True
    >>> strict.score(values).score is None
    True
    """

    classic_perspectives: ClassVar[tuple[str, ...]] = CLASSIC_PERSPECTIVES

    kpis: tuple[KPI, ...] = attrs.field(converter=_kpis)
    missing_policy: MissingPolicy
    perspectives: tuple[Perspective, ...] = attrs.field(
        default=None, converter=as_perspectives
    )
    score_status: StatusThresholds | None = None
    name: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.kpis:
            msg = "`kpis` must hold at least one KPI; got none."
            raise ValueError(msg)
        if self.missing_policy not in _POLICIES:
            msg = (
                f"`missing_policy` must be one of {list(_POLICIES)}; got "
                f"{self.missing_policy!r}."
            )
            raise choice_error(self.missing_policy)(msg)
        text(self.name, "scorecard `name`", nonempty=False)
        names = [k.name for k in self.kpis]
        for position, kpi_name in enumerate(names):
            if kpi_name in names[:position]:
                msg = (
                    f"KPI {kpi_name!r} appears {names.count(kpi_name)} times; KPI "
                    "names must be unique within a scorecard."
                )
                raise ValueError(msg)
        given: object = self.perspectives  # None until resolved here
        if given is None:
            used = [k.perspective for k in self.kpis]
            ordered = [p for p in CLASSIC_PERSPECTIVES if p in used]
            ordered += [p for p in dict.fromkeys(used) if p not in CLASSIC_PERSPECTIVES]
            object.__setattr__(
                self, "perspectives", tuple(Perspective(name=p) for p in ordered)
            )
        self._check_perspectives()
        score_status: object = self.score_status
        if score_status is not None:
            if not isinstance(score_status, StatusThresholds):
                msg = (
                    "`score_status` must be a StatusThresholds or None; got "
                    f"{type(score_status).__name__}."
                )
                raise TypeError(msg)
            score_status._check_direction(
                "higher_is_better", "scorecard: ", "score_status."
            )

    def _check_perspectives(self) -> None:
        names = [p.name for p in self.perspectives]
        for position, name in enumerate(names):
            if name in names[:position]:
                msg = f"perspective {name!r} is listed {names.count(name)} times."
                raise ValueError(msg)
        for kpi in self.kpis:
            if kpi.perspective not in names:
                msg = (
                    f"KPI {kpi.name!r} is assigned to perspective "
                    f"{kpi.perspective!r}, which is not one of the scorecard's "
                    f"perspectives {names}. Add the perspective or fix the KPI."
                )
                raise ValueError(msg)
        for perspective in self.perspectives:
            members = [k for k in self.kpis if k.perspective == perspective.name]
            if not members:
                msg = (
                    f"perspective {perspective.name!r} has no KPIs; every "
                    "perspective needs at least one, or leave it out."
                )
                raise ValueError(msg)
            if math.fsum(k.weight for k in members) <= 0.0:
                msg = (
                    f"perspective {perspective.name!r}: KPI weights must have a "
                    f"positive sum; KPIs {[k.name for k in members]} all weigh 0."
                )
                raise ValueError(msg)
        if math.fsum(p.weight for p in self.perspectives) <= 0.0:
            msg = (
                f"perspective weights must have a positive sum; all of {names} weigh 0."
            )
            raise ValueError(msg)

    def kpi(self, name: str) -> KPI:
        """Return the definition of the KPI called ``name``.

        Raises
        ------
        TypeError
            If ``name`` is not a str.
        KeyError
            If there is no such KPI.
        """
        given: object = name
        if not isinstance(given, str):
            msg = f"`name` must be a str naming a KPI; got {given!r}."
            raise TypeError(msg)
        for kpi in self.kpis:
            if kpi.name == name:
                return kpi
        msg = f"no KPI named {name!r}; the KPIs are {[k.name for k in self.kpis]}."
        raise KeyError(msg)

    def _read_values(
        self, values: object, label: str, *, complete: bool
    ) -> dict[str, float | None]:
        if values is None and not complete:
            return {}
        if not isinstance(values, Mapping):
            msg = (
                f"`{label}` must be a mapping from KPI name to value; got "
                f"{type(values).__name__}."
            )
            raise TypeError(msg)
        names = [k.name for k in self.kpis]
        unknown = [key for key in values if key not in names]
        if unknown:
            msg = (
                f"`{label}` has {len(unknown)} name(s) that are not KPIs of the "
                f"scorecard (first: {unknown[0]!r}); the KPIs are {names}."
            )
            raise ValueError(msg)
        absent = [name for name in names if name not in values]
        if complete and absent:
            msg = (
                f"`{label}` must have an entry for every KPI; {len(absent)} of "
                f"{len(names)} are absent (first: {absent[0]!r}). Pass None for "
                "a KPI without data to report it as missing (grey)."
            )
            raise ValueError(msg)
        read: dict[str, float | None] = {}
        for key, value in values.items():
            if value is None:
                read[key] = None
                continue
            try:
                read[key] = check_scalar(value, f"{label}[{key!r}]")
            except ValueError as exc:
                msg = f"{exc} Use None for a missing value."
                raise ValueError(msg) from None
        return read

    def score(
        self,
        values: Mapping[str, float | None],
        *,
        previous: Mapping[str, float | None] | None = None,
        ages: Mapping[str, float] | None = None,
    ) -> ScorecardResult:
        """Score one period: every KPI's score, status and trend, and the roll-up.

        Parameters
        ----------
        values : mapping of str to float or None
            This period's value of every KPI, by name; ``None`` for a KPI
            without data. Every KPI must be present, so a misspelt or
            forgotten name is an error, not a silent "no data".
        previous : mapping of str to float or None, optional
            The previous period's values, for trends; KPIs may be left out.
        ages : mapping of str to float, optional
            How old each value is, in the unit of the KPIs' ``max_age``
            (e.g. days). Required for every KPI that has a ``max_age`` and a
            value; a value older than ``max_age`` is stale.

        Returns
        -------
        ScorecardResult
            Per KPI: value, previous value, change, score, status, trend,
            staleness, normalized weight; per perspective: score, status,
            normalized weight and counts; the overall score and status.

        Raises
        ------
        TypeError
            If a mapping or value has the wrong type.
        ValueError
            If a name is unknown, a KPI is absent from ``values``, a value
            is NaN or infinite (use None), or an age is missing or negative.

        Notes
        -----
        A missing or stale value is grey, has no score and no trend; a
        stale value is still reported in ``value``. Trends need a fresh
        value and a previous one.

        Examples
        --------
        See the class docstring; with a previous period:

        >>> from custvalue.evaluation import (
        ...     KPI, BalancedScorecard, BinaryScoring, StatusThresholds)
        >>> card = BalancedScorecard(
        ...     kpis=[KPI(name="repeat rate", perspective="customer",
        ...               polarity="higher_is_better", min_change=0.01,
        ...               scoring=BinaryScoring(target=0.4),
        ...               status_thresholds=StatusThresholds(green=0.4, red=0.3))],
        ...     missing_policy="propagate",
        ... )
        >>> result = card.score({"repeat rate": 0.42}, previous={"repeat rate": 0.38})
        >>> k = result.kpi("repeat rate")
        >>> k.score, k.status, k.trend, round(k.change, 2)
        (1.0, 'green', 'improving', 0.04)
        """
        current = self._read_values(values, "values", complete=True)
        before = self._read_values(previous, "previous", complete=False)
        age_of = self._read_values(ages, "ages", complete=False)
        kpi_results = []
        for kpi in self.kpis:
            value = current[kpi.name]
            stale = False
            if value is not None and kpi.max_age is not None:
                age = age_of.get(kpi.name)
                if age is None:
                    msg = (
                        f"`ages` must give the age of KPI {kpi.name!r}, which has "
                        f"max_age={kpi.max_age!r} and a value."
                    )
                    raise ValueError(msg)
                if age < 0:
                    msg = f"`ages[{kpi.name!r}]` must be >= 0; got {age!r}."
                    raise ValueError(msg)
                stale = age > kpi.max_age
            prior = before.get(kpi.name)
            fresh = value is not None and not stale
            members = [k for k in self.kpis if k.perspective == kpi.perspective]
            kpi_results.append(
                KPIResult(
                    name=kpi.name,
                    perspective=kpi.perspective,
                    unit=kpi.unit,
                    value=value,
                    previous=prior,
                    change=None if value is None or prior is None else value - prior,
                    score=kpi.score(value) if fresh and value is not None else None,
                    status=kpi.status(value if fresh else None),
                    trend=kpi.trend(value, prior)
                    if fresh and value is not None and prior is not None
                    else None,
                    stale=stale,
                    weight=kpi.weight / math.fsum(k.weight for k in members),
                )
            )
        perspective_results = []
        total_weight = math.fsum(p.weight for p in self.perspectives)
        for perspective in self.perspectives:
            group = [
                (r, k)
                for r, k in zip(kpi_results, self.kpis, strict=True)
                if k.perspective == perspective.name
            ]
            score = roll_up(
                [r.score for r, _ in group],
                [k.weight for _, k in group],
                self.missing_policy,
            )
            perspective_results.append(
                PerspectiveResult(
                    name=perspective.name,
                    score=score,
                    status=self._score_status(score),
                    weight=perspective.weight / total_weight,
                    n_kpis=len(group),
                    n_scored=sum(r.score is not None for r, _ in group),
                )
            )
        overall = roll_up(
            [p.score for p in perspective_results],
            [p.weight for p in self.perspectives],
            self.missing_policy,
        )
        return ScorecardResult(
            kpis=kpi_results,
            perspectives=perspective_results,
            score=overall,
            status=self._score_status(overall),
            missing_policy=self.missing_policy,
        )

    def _score_status(self, score: float | None) -> Status | None:
        if self.score_status is None:
            return None
        if score is None:
            return "grey"
        return self.score_status.status(score, polarity="higher_is_better")

    def to_dict(self) -> dict[str, Any]:
        """Return the scorecard as plain, JSON-serializable data.

        ``BalancedScorecard.from_dict(card.to_dict()) == card`` holds for
        every scorecard, and so does a trip through ``json.dumps`` and
        ``json.loads`` in between (floats keep their exact value in JSON).
        Every field is written out, including defaults.
        """
        return {
            "name": self.name,
            "missing_policy": self.missing_policy,
            "perspectives": [p.to_dict() for p in self.perspectives],
            "score_status": None
            if self.score_status is None
            else self.score_status.to_dict(),
            "kpis": [k.to_dict() for k in self.kpis],
        }

    @classmethod
    def from_dict(cls, data: object) -> BalancedScorecard:
        """Build a scorecard from plain data such as :meth:`to_dict` returns.

        Optional keys (``name``, ``perspectives``, ``score_status`` and the
        optional KPI keys) may be left out; unknown keys are an error. The
        scorecard is validated as if built directly.

        Parameters
        ----------
        data : mapping
            ``{'missing_policy': ..., 'kpis': [...], ...}``.

        Returns
        -------
        BalancedScorecard

        Raises
        ------
        TypeError, ValueError
            Naming the KPI or key at fault.

        Examples
        --------
        >>> from custvalue.evaluation import BalancedScorecard
        >>> card = BalancedScorecard.from_dict({
        ...     "missing_policy": "renormalize",
        ...     "kpis": [{
        ...         "name": "churn", "perspective": "customer",
        ...         "polarity": "lower_is_better",
        ...         "scoring": {
        ...             "method": "goal_red_flag", "goal": 0.02, "red_flag": 0.06,
        ...         },
        ...         "status_thresholds": {"green": 0.03, "red": 0.05},
        ...     }],
        ... })
        >>> BalancedScorecard.from_dict(card.to_dict()) == card
        True
        >>> card.to_dict()["perspectives"]
        [{'name': 'customer', 'weight': 1.0}]
        """
        parts = read_mapping(
            data,
            "scorecard",
            required=("missing_policy", "kpis"),
            optional=("name", "perspectives", "score_status"),
        )
        kpis = parts["kpis"]
        if isinstance(kpis, str | bytes) or not isinstance(kpis, Sequence):
            msg = (
                "scorecard `kpis` must be a list of KPI dicts; got "
                f"{type(kpis).__name__}."
            )
            raise TypeError(msg)
        parts["kpis"] = [KPI.from_dict(k) for k in kpis]
        perspectives = parts.get("perspectives")
        if perspectives is not None:
            if isinstance(perspectives, str | bytes) or not isinstance(
                perspectives, Sequence
            ):
                msg = (
                    "scorecard `perspectives` must be a list of perspective dicts; "
                    f"got {type(perspectives).__name__}."
                )
                raise TypeError(msg)
            parts["perspectives"] = [
                Perspective(
                    **read_mapping(
                        p, f"perspective {i}", required=("name",), optional=("weight",)
                    )
                )
                for i, p in enumerate(perspectives)
            ]
        status = parts.get("score_status")
        if status is not None:
            parts["score_status"] = StatusThresholds.from_dict(
                status, "scorecard `score_status`"
            )
        return cls(**parts)
