"""KPI definitions: what a KPI measures, which way is good, how it is scored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import attrs

from custvalue._lib.fields import Result
from custvalue._lib.validation import check_scalar, choice_error
from custvalue.evaluation._business._checks import text
from custvalue.evaluation._business._ordering import Direction
from custvalue.evaluation._business._scoring import (
    BinaryScoring,
    GoalRedFlagScoring,
    LinearScoring,
    ProgressScoring,
    ScoringMethod,
    ThresholdTargetStretchScoring,
    scoring_from_dict,
)
from custvalue.evaluation._business._serialization import read_mapping
from custvalue.evaluation._business._status import StatusThresholds

__all__ = ["CLASSIC_PERSPECTIVES", "KPI", "Polarity", "Status", "Trend"]

Polarity: TypeAlias = Literal["higher_is_better", "lower_is_better", "target_band"]
"""Which values of a KPI are good: high ones, low ones, or those inside a band."""

Status: TypeAlias = Literal["green", "amber", "red", "grey"]
"""A KPI's colour; grey means no usable data (missing or stale)."""

Trend: TypeAlias = Literal["improving", "steady", "worsening"]
"""How a KPI moved since the previous period, judged by its polarity."""

CLASSIC_PERSPECTIVES: tuple[str, ...] = (
    "financial",
    "customer",
    "internal_process",
    "learning_and_growth",
)
"""The four perspectives of Kaplan & Norton (1992), in their usual order."""

_POLARITIES = ("higher_is_better", "lower_is_better", "target_band")
_SCORING_TYPES = (
    LinearScoring,
    ProgressScoring,
    ThresholdTargetStretchScoring,
    GoalRedFlagScoring,
    BinaryScoring,
)
_KEYS_REQUIRED = ("name", "perspective", "polarity", "scoring", "status_thresholds")
_KEYS_OPTIONAL = ("unit", "weight", "band", "min_change", "max_age", "description")


def _distance_fields(scoring: ScoringMethod) -> tuple[str, ...]:
    if isinstance(scoring, LinearScoring):
        return ("minimum", "maximum")
    return scoring._worst_to_best


@attrs.frozen(kw_only=True)
class KPI(Result):
    r"""Definition of one key performance indicator of a balanced scorecard.

    A KPI says what is measured (``name``, ``unit``), where it belongs
    (``perspective``), which values are good (``polarity``), how a value
    becomes a score (``scoring``) and a colour (``status_thresholds``), how
    much it counts among the KPIs of its perspective (``weight``), how big
    a change is worth calling a trend (``min_change``) and how old a value
    may be before it is stale (``max_age``). It holds no data; values are
    passed to :meth:`BalancedScorecard.score`.

    Parameters
    ----------
    name : str
        Unique name within the scorecard.
    perspective : str
        One of ``'financial'``, ``'customer'``, ``'internal_process'``,
        ``'learning_and_growth'`` (Kaplan & Norton), or a custom name.
    polarity : {'higher_is_better', 'lower_is_better', 'target_band'}
        Which values are good. A target-band KPI is good inside ``band``;
        it is scored and coloured by its distance outside the band, as a
        lower-is-better quantity, so its scoring and status parameters are
        distances (>= 0).
    scoring : ScoringMethod
        How a value becomes a score: a :class:`LinearScoring`,
        :class:`ProgressScoring`, :class:`ThresholdTargetStretchScoring`,
        :class:`GoalRedFlagScoring` or :class:`BinaryScoring`.
    status_thresholds : StatusThresholds
        Values at which the colour turns green and red.
    unit : str, default=''
        Unit of the values, for display (``'%'``, ``'USD'``, ``'days'``).
    weight : float, default=1.0
        Weight among the KPIs of the same perspective, >= 0; weights are
        normalized to sum to 1 within the perspective.
    band : tuple of (float, float), optional
        ``(low, high)``, ``low <= high``; required for a target-band KPI
        and not allowed otherwise.
    min_change : float, default=0.0
        Smallest change from the previous value (in the KPI's unit; for a
        band, of the distance outside it) that counts as improving or
        worsening; smaller changes are steady.
    max_age : float, optional
        Oldest acceptable age of a value, in whatever unit the ages passed
        to :meth:`BalancedScorecard.score` use; older values are stale
        (grey). ``None``: values never go stale.
    description : str, default=''
        Free text: definition, source, owner.

    Raises
    ------
    TypeError
        If a field has the wrong type.
    ValueError
        Naming the KPI, if a number is not finite, the weight is negative,
        the band is missing, misplaced or reversed, or the scoring or status
        parameters are not ordered as the polarity requires.

    See Also
    --------
    BalancedScorecard : Groups KPIs into perspectives and rolls them up.

    Notes
    -----
    For a target band :math:`[\ell, h]` the distance outside the band is
    :math:`\delta(v) = \max(\ell - v, v - h, 0)`; the KPI's score and status
    are those of :math:`\delta(v)` under its scoring and status rules with
    lower-is-better polarity, so any scoring method works with a band.

    References
    ----------
    .. [1] Kaplan, R. S., & Norton, D. P. (1992). The balanced scorecard:
       Measures that drive performance. Harvard Business Review, 70(1),
       71-79.

    Examples
    --------
    Monthly churn should fall from 8% to 5%; it is green at or below 5.5%
    and red above 7%:

    >>> from custvalue.evaluation import KPI, ProgressScoring, StatusThresholds
    >>> churn = KPI(
    ...     name="monthly churn", perspective="customer", polarity="lower_is_better",
    ...     scoring=ProgressScoring(baseline=0.08, target=0.05),
    ...     status_thresholds=StatusThresholds(green=0.055, red=0.07), unit="share",
    ... )
    >>> round(churn.score(0.065), 6), churn.status(0.065)
    (0.5, 'amber')
    >>> churn.trend(0.065, previous=0.07)
    'improving'

    Days of inventory should stay between 30 and 45; 50 days is 5 days
    outside the band, half-way to the red flag of 10 days outside:

    >>> from custvalue.evaluation import GoalRedFlagScoring
    >>> inventory = KPI(
    ...     name="days of inventory", perspective="internal_process",
    ...     polarity="target_band", band=(30, 45),
    ...     scoring=GoalRedFlagScoring(goal=0, red_flag=10),
    ...     status_thresholds=StatusThresholds(green=0, red=5), unit="days",
    ... )
    >>> inventory.score(50), inventory.status(50), inventory.score(40)
    (0.5, 'amber', 1.0)
    """

    name: str
    perspective: str
    polarity: Polarity
    scoring: ScoringMethod
    status_thresholds: StatusThresholds
    unit: str = ""
    weight: float = 1.0
    band: tuple[float, float] | None = None
    min_change: float = 0.0
    max_age: float | None = None
    description: str = ""

    def __attrs_post_init__(self) -> None:
        text(self.name, "KPI `name`", nonempty=True)
        where = f"KPI {self.name!r}: "
        text(self.perspective, f"{where}`perspective`", nonempty=True)
        text(self.unit, f"{where}`unit`", nonempty=False)
        text(self.description, f"{where}`description`", nonempty=False)
        if self.polarity not in _POLARITIES:
            msg = (
                f"{where}`polarity` must be one of {list(_POLARITIES)}; got "
                f"{self.polarity!r}."
            )
            raise choice_error(self.polarity)(msg)
        scoring: object = self.scoring
        if not isinstance(scoring, _SCORING_TYPES):
            msg = (
                f"{where}`scoring` must be one of "
                f"{[t.__name__ for t in _SCORING_TYPES]}; got "
                f"{type(scoring).__name__}."
            )
            raise TypeError(msg)
        thresholds: object = self.status_thresholds
        if not isinstance(thresholds, StatusThresholds):
            msg = (
                f"{where}`status_thresholds` must be a StatusThresholds; got "
                f"{type(thresholds).__name__}."
            )
            raise TypeError(msg)
        try:
            weight = check_scalar(self.weight, "weight", nonnegative=True)
            min_change = check_scalar(self.min_change, "min_change", nonnegative=True)
            max_age = (
                None
                if self.max_age is None
                else check_scalar(self.max_age, "max_age", nonnegative=True)
            )
        except (TypeError, ValueError) as exc:
            msg = f"{where}{exc}"
            raise type(exc)(msg) from None
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "min_change", min_change)
        object.__setattr__(self, "max_age", max_age)
        object.__setattr__(self, "band", self._checked_band(where))
        direction = self._direction
        self.scoring._check_direction(direction, where, "scoring.")
        self.status_thresholds._check_direction(direction, where, "status_thresholds.")
        if self.polarity == "target_band":
            self._check_distances(where)

    def _checked_band(self, where: str) -> tuple[float, float] | None:
        if self.polarity != "target_band":
            if self.band is not None:
                msg = (
                    f"{where}`band` is only for polarity 'target_band'; got "
                    f"band={self.band!r} with polarity {self.polarity!r}."
                )
                raise ValueError(msg)
            return None
        if self.band is None:
            msg = (
                f"{where}`band` must be given as (low, high) for polarity "
                "'target_band'; got None."
            )
            raise ValueError(msg)
        try:
            low, high = self.band
        except (TypeError, ValueError):
            msg = f"{where}`band` must be a pair (low, high); got {self.band!r}."
            raise TypeError(msg) from None
        try:
            low_value = check_scalar(low, "band[0]")
            high_value = check_scalar(high, "band[1]")
        except (TypeError, ValueError) as exc:
            msg = f"{where}{exc}"
            raise type(exc)(msg) from None
        if not low_value <= high_value:
            msg = f"{where}`band` must have low <= high; got {self.band!r}."
            raise ValueError(msg)
        return (low_value, high_value)

    def _check_distances(self, where: str) -> None:
        checks = [
            (f"scoring.{n}", getattr(self.scoring, n))
            for n in _distance_fields(self.scoring)
        ]
        checks += [
            ("status_thresholds.green", self.status_thresholds.green),
            ("status_thresholds.red", self.status_thresholds.red),
        ]
        for label, value in checks:
            if value < 0:
                msg = (
                    f"{where}`{label}` must be >= 0 for a target-band KPI; got "
                    f"{value!r}. Band KPIs are scored on their distance outside "
                    "the band, which is never negative (0 means inside)."
                )
                raise ValueError(msg)

    @property
    def _direction(self) -> Direction:
        return (
            "higher_is_better"
            if self.polarity == "higher_is_better"
            else ("lower_is_better")
        )

    def _measure(self, value: Any, name: str = "value") -> float:
        """Return what is scored: the value, or its distance outside the band."""
        v = check_scalar(value, name)
        if self.band is None:
            return v
        low, high = self.band
        return max(low - v, v - high, 0.0)

    def score(self, value: float) -> float:
        """Score one value of the KPI with its scoring method.

        Parameters
        ----------
        value : float
            The KPI's value, finite.

        Returns
        -------
        float
            0 (worst) to 1 (target met), or up to the cap of a
            threshold/target/stretch rule.
        """
        return self.scoring.score(self._measure(value), polarity=self._direction)

    def status(self, value: float | None) -> Status:
        """Colour one value: ``'green'``, ``'amber'``, ``'red'``; ``'grey'`` for None.

        Parameters
        ----------
        value : float or None
            The KPI's value; ``None`` means no data.
        """
        if value is None:
            return "grey"
        return self.status_thresholds.status(
            self._measure(value), polarity=self._direction
        )

    def trend(self, value: float, previous: float) -> Trend:
        """Judge the change from ``previous`` to ``value`` by the KPI's polarity.

        A change no bigger than ``min_change`` is ``'steady'``; otherwise it
        is ``'improving'`` if it went the good way, else ``'worsening'``.
        For a target band the change of the distance outside the band
        counts, so two values inside the band are steady.

        Parameters
        ----------
        value, previous : float
            This period's and the previous period's values.
        """
        now = self._measure(value)
        before = self._measure(previous, "previous")
        gain = now - before if self._direction == "higher_is_better" else before - now
        if abs(gain) <= self.min_change:
            return "steady"
        return "improving" if gain > 0 else "worsening"

    def to_dict(self) -> dict[str, Any]:
        """Return the definition as a plain dict that :meth:`from_dict` reads back.

        Every field is present; ``band`` is a list or None. The dict
        contains only str, float, list, dict and None, so it serializes to
        JSON.
        """
        return {
            "name": self.name,
            "perspective": self.perspective,
            "polarity": self.polarity,
            "scoring": self.scoring.to_dict(),
            "status_thresholds": self.status_thresholds.to_dict(),
            "unit": self.unit,
            "weight": self.weight,
            "band": None if self.band is None else list(self.band),
            "min_change": self.min_change,
            "max_age": self.max_age,
            "description": self.description,
        }

    @classmethod
    def from_dict(cls, data: object) -> KPI:
        """Build a KPI from a dict such as :meth:`to_dict` returns.

        Optional keys may be left out; unknown keys are an error, so a
        misspelt key is not silently ignored.

        Raises
        ------
        TypeError, ValueError
            Naming the KPI and the key, if the dict does not describe a
            valid KPI.
        """
        name = data.get("name") if isinstance(data, Mapping) else None
        where = f"KPI {name!r}" if isinstance(name, str) else "KPI"
        parts = read_mapping(
            data, where, required=_KEYS_REQUIRED, optional=_KEYS_OPTIONAL
        )
        parts["scoring"] = scoring_from_dict(parts["scoring"], where)
        parts["status_thresholds"] = StatusThresholds.from_dict(
            parts["status_thresholds"], f"{where}: `status_thresholds`"
        )
        band = parts.get("band")
        if isinstance(band, list):
            parts["band"] = tuple(band)
        return cls(**parts)
