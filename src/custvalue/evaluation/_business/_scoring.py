"""KPI scoring methods: linear, progress, threshold/target/stretch, goal, binary.

Every method turns a KPI value into a score, 0 for the worst and 1 for
meeting the target (the threshold/target/stretch method can go above 1, up
to its cap). Lower-is-better KPIs are scored by negating the value and the
method's parameters, so every method works on "more is better" numbers and
is monotone by construction; no method divides by the target, so zero and
negative targets are fine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeAlias

import attrs

from custvalue._lib.validation import check_scalar
from custvalue.evaluation._business._ordering import (
    Direction,
    clamp,
    sign_of,
)
from custvalue.evaluation._business._scoring_base import (
    Scoring,
    build_scoring,
    check_baseline,
    check_cap,
    check_goal,
    check_maximum,
    check_minimum,
    check_red_flag,
    check_stretch,
    check_target,
    check_threshold,
    check_threshold_score,
)

__all__ = [
    "BinaryScoring",
    "GoalRedFlagScoring",
    "LinearScoring",
    "ProgressScoring",
    "ScoringMethod",
    "ThresholdTargetStretchScoring",
    "scoring_from_dict",
]


@attrs.frozen(kw_only=True)
class LinearScoring(Scoring):
    r"""Linear scoring between a minimum and a maximum value.

    The score rises in a straight line from 0 at the worst end of the range
    to 1 at the best end, and stays at 0 or 1 outside it. For a
    higher-is-better KPI the worst end is ``minimum``; for a lower-is-better
    one it is ``maximum``.

    Parameters
    ----------
    minimum, maximum : float
        The ends of the range, ``minimum < maximum``.

    Raises
    ------
    ValueError
        If ``minimum >= maximum`` or a value is not finite.

    Notes
    -----
    .. math::

        \text{higher is better: } s = \operatorname{clip}\Big(\frac{v -
        \min}{\max - \min}, 0, 1\Big), \qquad
        \text{lower is better: } s = \operatorname{clip}\Big(\frac{\max -
        v}{\max - \min}, 0, 1\Big).

    Examples
    --------
    Monthly retention scored between 60% and 90%: 81% is 70% of the way.

    >>> from custvalue.evaluation import LinearScoring
    >>> rule = LinearScoring(minimum=0.6, maximum=0.9)
    >>> round(rule.score(0.81, polarity="higher_is_better"), 6)
    0.7

    Acquisition cost between $100 (best) and $200 (worst): $130 scores 0.7,
    and anything above $200 scores 0.

    >>> rule = LinearScoring(minimum=100, maximum=200)
    >>> [rule.score(v, polarity="lower_is_better") for v in (130, 250)]
    [0.7, 0.0]
    """

    method: ClassVar[str] = "linear"

    minimum: float = attrs.field(converter=check_minimum)
    maximum: float = attrs.field(converter=check_maximum)

    def __attrs_post_init__(self) -> None:
        if not self.minimum < self.maximum:
            msg = (
                "`minimum` must be < `maximum`; got minimum="
                f"{self.minimum!r}, maximum={self.maximum!r}. The polarity of "
                "the KPI, not the order of these two, says which end is best."
            )
            raise ValueError(msg)

    def score(self, value: float, *, polarity: Direction) -> float:
        """Score one value; see the class docstring for the rule.

        Parameters
        ----------
        value : float
            The KPI's value, finite.
        polarity : {'higher_is_better', 'lower_is_better'}
            Which way is better.

        Returns
        -------
        float
            The score, from 0 up to 1 (or the cap).

        Raises
        ------
        ValueError
            If the value is not finite, or the parameters are not ordered as
            ``polarity`` requires.
        """
        x = check_scalar(value, "value")
        sign = sign_of(polarity)
        span = self.maximum - self.minimum
        if sign > 0:
            return clamp((x - self.minimum) / span, 0.0, 1.0)
        return clamp((self.maximum - x) / span, 0.0, 1.0)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{'method': 'linear', 'minimum': ..., 'maximum': ...}``."""
        return {"method": self.method, "minimum": self.minimum, "maximum": self.maximum}


@attrs.frozen(kw_only=True)
class ProgressScoring(Scoring):
    r"""Progress from a baseline towards a target.

    The share of the distance from where the KPI started (``baseline``) to
    where it should get (``target``) that has been covered: 0 at or behind
    the baseline, 1 at or beyond the target. It works the same for
    lower-is-better KPIs (baseline above target) and for zero or negative
    targets, because it never divides by the target itself.

    Parameters
    ----------
    baseline : float
        The starting value (e.g. last year's).
    target : float
        The value to reach; above the baseline for a higher-is-better KPI,
        below it for a lower-is-better one.

    Raises
    ------
    ValueError
        If the baseline equals the target, a value is not finite, or (when
        scoring) they are not ordered as the polarity requires.

    Notes
    -----
    .. math::

        s = \operatorname{clip}\Big(\frac{v - b}{t - b}, 0, 1\Big)

    This is the same formula for both polarities: the signs of numerator
    and denominator flip together.

    Examples
    --------
    Churn was 8% (baseline) and should fall to 5%; at 6.5% half the way is
    covered. A ratio to target (5/6.5 = 0.77) would misstate it.

    >>> from custvalue.evaluation import ProgressScoring
    >>> rule = ProgressScoring(baseline=0.08, target=0.05)
    >>> round(rule.score(0.065, polarity="lower_is_better"), 6)
    0.5

    Net profit should go from a loss of 200 to break-even (target 0): a
    loss of 50 is 75% of the way.

    >>> ProgressScoring(baseline=-200, target=0).score(-50, polarity="higher_is_better")
    0.75
    """

    method: ClassVar[str] = "progress"
    _worst_to_best: ClassVar[tuple[str, ...]] = ("baseline", "target")

    baseline: float = attrs.field(converter=check_baseline)
    target: float = attrs.field(converter=check_target)

    def __attrs_post_init__(self) -> None:
        if self.baseline == self.target:
            msg = (
                f"`baseline` must differ from `target`; both are {self.target!r}. "
                "There is no distance to make progress along; use BinaryScoring."
            )
            raise ValueError(msg)

    def score(self, value: float, *, polarity: Direction) -> float:
        """Score one value; see the class docstring for the rule.

        Parameters
        ----------
        value : float
            The KPI's value, finite.
        polarity : {'higher_is_better', 'lower_is_better'}
            Which way is better.

        Returns
        -------
        float
            The score, from 0 up to 1 (or the cap).

        Raises
        ------
        ValueError
            If the value is not finite, or the parameters are not ordered as
            ``polarity`` requires.
        """
        x = check_scalar(value, "value")
        self._check_direction(polarity)
        return clamp((x - self.baseline) / (self.target - self.baseline), 0.0, 1.0)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{'method': 'progress', 'baseline': ..., 'target': ...}``."""
        return {"method": self.method, "baseline": self.baseline, "target": self.target}


@attrs.frozen(kw_only=True)
class ThresholdTargetStretchScoring(Scoring):
    r"""Piecewise-linear scoring through threshold, target and stretch, with a cap.

    The scheme of incentive plans: nothing below the ``threshold``; at the
    threshold the score jumps to ``threshold_score``; it rises linearly to 1
    at the ``target`` and on to ``cap`` at the ``stretch`` value, and stays
    at ``cap`` beyond it.

    Parameters
    ----------
    threshold, target, stretch : float
        Values in order of increasing performance: increasing for a
        higher-is-better KPI, decreasing for a lower-is-better one.
    threshold_score : float, default=0.5
        Score at the threshold, in [0, 1].
    cap : float, default=1.5
        Score at and beyond the stretch value, >= 1.

    Raises
    ------
    ValueError
        If ``threshold_score`` is outside [0, 1], ``cap < 1``, a value is not
        finite, or (when scoring) the three values are not strictly ordered
        as the polarity requires.

    Notes
    -----
    On oriented values (negated for lower-is-better KPIs) :math:`x`, with
    threshold :math:`a`, target :math:`b`, stretch :math:`c`, threshold
    score :math:`s_a` and cap :math:`s_c`:

    .. math::

        s = \begin{cases}
        0 & x < a \\
        s_a + (1 - s_a)\frac{x - a}{b - a} & a \le x < b \\
        1 + (s_c - 1)\frac{x - b}{c - b} & b \le x < c \\
        s_c & x \ge c.
        \end{cases}

    Examples
    --------
    Customer ROI: threshold 10%, target 20%, stretch 30%, cap 1.5. An ROI of
    25% is half-way from target to stretch:

    >>> from custvalue.evaluation import ThresholdTargetStretchScoring
    >>> rule = ThresholdTargetStretchScoring(threshold=0.1, target=0.2, stretch=0.3)
    >>> round(rule.score(0.25, polarity="higher_is_better"), 6)
    1.25
    >>> [rule.score(v, polarity="higher_is_better") for v in (0.09, 0.5)]
    [0.0, 1.5]

    Days to resolve a complaint, lower is better: threshold 10, target 5,
    stretch 2. Eight days is 40% of the way from threshold to target:

    >>> rule = ThresholdTargetStretchScoring(threshold=10, target=5, stretch=2)
    >>> round(rule.score(8, polarity="lower_is_better"), 6)
    0.7
    """

    method: ClassVar[str] = "threshold_target_stretch"
    _worst_to_best: ClassVar[tuple[str, ...]] = ("threshold", "target", "stretch")

    threshold: float = attrs.field(converter=check_threshold)
    target: float = attrs.field(converter=check_target)
    stretch: float = attrs.field(converter=check_stretch)
    threshold_score: float = attrs.field(default=0.5, converter=check_threshold_score)
    cap: float = attrs.field(default=1.5, converter=check_cap)

    def __attrs_post_init__(self) -> None:
        if not 0.0 <= self.threshold_score <= 1.0:
            msg = (
                "`threshold_score` must be between 0 and 1; got "
                f"{self.threshold_score!r}. Meeting the target scores 1."
            )
            raise ValueError(msg)
        if not self.cap >= 1.0:
            msg = (
                f"`cap` must be >= 1; got {self.cap!r}. Meeting the target scores "
                "1, and the stretch value scores the cap."
            )
            raise ValueError(msg)

    def score(self, value: float, *, polarity: Direction) -> float:
        """Score one value; see the class docstring for the rule.

        Parameters
        ----------
        value : float
            The KPI's value, finite.
        polarity : {'higher_is_better', 'lower_is_better'}
            Which way is better.

        Returns
        -------
        float
            The score, from 0 up to 1 (or the cap).

        Raises
        ------
        ValueError
            If the value is not finite, or the parameters are not ordered as
            ``polarity`` requires.
        """
        v = check_scalar(value, "value")
        sign = self._check_direction(polarity)
        x = sign * v
        a, b, c = sign * self.threshold, sign * self.target, sign * self.stretch
        if x < a:
            return 0.0
        if x < b:
            return self.threshold_score + (1.0 - self.threshold_score) * (x - a) / (
                b - a
            )
        if x < c:
            return 1.0 + (self.cap - 1.0) * (x - b) / (c - b)
        return self.cap

    def to_dict(self) -> dict[str, Any]:
        """Return the method name and the five parameters."""
        return {
            "method": self.method,
            "threshold": self.threshold,
            "target": self.target,
            "stretch": self.stretch,
            "threshold_score": self.threshold_score,
            "cap": self.cap,
        }


@attrs.frozen(kw_only=True)
class GoalRedFlagScoring(Scoring):
    r"""Scoring between a red flag (score 0) and a goal (score 1).

    The score is 1 at or beyond the ``goal``, 0 at or beyond the
    ``red_flag`` (the value at which the KPI needs attention), and linear in
    between. Unlike :class:`LinearScoring`, the two values are named by
    meaning, and their order must match the polarity.

    Parameters
    ----------
    goal : float
        The value that earns full marks.
    red_flag : float
        The value that earns nothing; below the goal for a higher-is-better
        KPI, above it for a lower-is-better one.

    Raises
    ------
    ValueError
        If goal and red flag coincide, a value is not finite, or (when
        scoring) their order does not match the polarity.

    Notes
    -----
    .. math::

        s = \operatorname{clip}\Big(\frac{v - f}{g - f}, 0, 1\Big)

    with goal :math:`g` and red flag :math:`f`, for both polarities.

    Examples
    --------
    NPS with goal 40 and red flag 0: an NPS of 30 scores 0.75, a negative
    NPS scores 0.

    >>> from custvalue.evaluation import GoalRedFlagScoring
    >>> rule = GoalRedFlagScoring(goal=40, red_flag=0)
    >>> [rule.score(v, polarity="higher_is_better") for v in (30, -5)]
    [0.75, 0.0]

    Monthly churn with goal 2% and red flag 6%: 3% churn scores 0.75.

    >>> rule = GoalRedFlagScoring(goal=0.02, red_flag=0.06)
    >>> round(rule.score(0.03, polarity="lower_is_better"), 6)
    0.75
    """

    method: ClassVar[str] = "goal_red_flag"
    _worst_to_best: ClassVar[tuple[str, ...]] = ("red_flag", "goal")

    goal: float = attrs.field(converter=check_goal)
    red_flag: float = attrs.field(converter=check_red_flag)

    def __attrs_post_init__(self) -> None:
        if self.goal == self.red_flag:
            msg = (
                f"`goal` must differ from `red_flag`; both are {self.goal!r}. "
                "Use BinaryScoring for a pass/fail KPI."
            )
            raise ValueError(msg)

    def score(self, value: float, *, polarity: Direction) -> float:
        """Score one value; see the class docstring for the rule.

        Parameters
        ----------
        value : float
            The KPI's value, finite.
        polarity : {'higher_is_better', 'lower_is_better'}
            Which way is better.

        Returns
        -------
        float
            The score, from 0 up to 1 (or the cap).

        Raises
        ------
        ValueError
            If the value is not finite, or the parameters are not ordered as
            ``polarity`` requires.
        """
        x = check_scalar(value, "value")
        self._check_direction(polarity)
        return clamp((x - self.red_flag) / (self.goal - self.red_flag), 0.0, 1.0)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{'method': 'goal_red_flag', 'goal': ..., 'red_flag': ...}``."""
        return {"method": self.method, "goal": self.goal, "red_flag": self.red_flag}


@attrs.frozen(kw_only=True)
class BinaryScoring(Scoring):
    r"""Met or not met: score 1 when the target is reached, else 0.

    Parameters
    ----------
    target : float
        The value to reach: at least this for a higher-is-better KPI, at
        most this for a lower-is-better one. Reaching it exactly counts as
        met.

    Raises
    ------
    ValueError
        If ``target`` is not finite.

    Notes
    -----
    .. math::

        s = \mathbb{1}[v \ge t] \text{ (higher is better)}, \qquad
        s = \mathbb{1}[v \le t] \text{ (lower is better)}.

    Examples
    --------
    A repeat purchase rate of at least 40%, and at most 0 open data-quality
    incidents (a zero target):

    >>> from custvalue.evaluation import BinaryScoring
    >>> BinaryScoring(target=0.4).score(0.4014, polarity="higher_is_better")
    1.0
    >>> BinaryScoring(target=0).score(2, polarity="lower_is_better")
    0.0
    """

    method: ClassVar[str] = "binary"
    _worst_to_best: ClassVar[tuple[str, ...]] = ("target",)

    target: float = attrs.field(converter=check_target)

    def score(self, value: float, *, polarity: Direction) -> float:
        """Score one value; see the class docstring for the rule.

        Parameters
        ----------
        value : float
            The KPI's value, finite.
        polarity : {'higher_is_better', 'lower_is_better'}
            Which way is better.

        Returns
        -------
        float
            The score, from 0 up to 1 (or the cap).

        Raises
        ------
        ValueError
            If the value is not finite, or the parameters are not ordered as
            ``polarity`` requires.
        """
        x = check_scalar(value, "value")
        sign = sign_of(polarity)
        return 1.0 if sign * x >= sign * self.target else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return ``{'method': 'binary', 'target': ...}``."""
        return {"method": self.method, "target": self.target}


ScoringMethod: TypeAlias = (
    LinearScoring
    | ProgressScoring
    | ThresholdTargetStretchScoring
    | GoalRedFlagScoring
    | BinaryScoring
)
"""Any of the five KPI scoring methods."""

_METHODS: dict[str, type[Any]] = {
    cls.method: cls
    for cls in (
        LinearScoring,
        ProgressScoring,
        ThresholdTargetStretchScoring,
        GoalRedFlagScoring,
        BinaryScoring,
    )
}


def scoring_from_dict(data: object, where: str) -> ScoringMethod:
    """Build a scoring method from its ``to_dict()`` form.

    Raises
    ------
    TypeError, ValueError
        If ``data`` is not such a dict; the message starts with ``where``.
    """
    if not isinstance(data, Mapping) or data.get("method") not in _METHODS:
        method = data.get("method") if isinstance(data, Mapping) else None
        msg = (
            f"{where}: `scoring` must be a dict whose 'method' is one of "
            f"{list(_METHODS)}; got method {method!r}."
        )
        raise ValueError(msg)
    scoring: ScoringMethod = build_scoring(_METHODS[data["method"]], data, where)
    return scoring
