"""Customer satisfaction (CSAT): top-box share and mean on a declared scale."""

from __future__ import annotations

import math
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.intervals import ConfidenceInterval
from custvalue._lib.validation import (
    IntArray,
    as_counts,
    check_integer_option,
    readonly,
)
from custvalue.satisfaction._proportions import (
    ProportionMethod,
    proportion_bounds,
    t_mean_bounds,
)
from custvalue.satisfaction._validation import MissingPolicy, check_scale_answers

__all__ = ["CustomerSatisfactionScore", "csat", "point_counts"]

CSATScale = Literal[5, 7, 10]
_SCALES = (5, 7, 10)


def point_counts(value: npt.ArrayLike) -> IntArray:
    """Check answer counts per scale point: whole numbers >= 0, at least one answer."""
    counts = np.asarray(value)
    if counts.ndim != 1 or counts.dtype == np.bool_ or counts.dtype.kind not in "iuf":
        msg = (
            "`counts` must be a one-dimensional array of numbers of answers; got "
            f"{counts!r}."
        )
        raise ValueError(msg)
    checked = as_counts(
        counts,
        "counts",
        suggestion="Each entry is how many respondents gave that answer.",
    )
    if checked.sum() < 1:
        msg = "`counts` must contain at least one answer; got all 0."
        raise ValueError(msg)
    return readonly(checked)


def mean_and_deviation(counts: IntArray, points: IntArray) -> tuple[float, float]:
    """Mean and sample standard deviation (divisor n - 1; NaN for one answer)."""
    n = int(counts.sum())
    mean = float(counts @ points) / n
    if n < 2:
        return mean, math.nan
    squares = float(counts @ (points - mean) ** 2)
    return mean, math.sqrt(squares / (n - 1))


def _check_scale(value: Any) -> int:
    if isinstance(value, bool) or value not in _SCALES:
        msg = (
            f"`scale` must be 5, 7 or 10 (answers 1 to scale); got {value!r}. "
            "Declare the scale the question used."
        )
        raise ValueError(msg)
    return int(value)


def _check_top_box_type(value: Any) -> int:
    return check_integer_option(value, "top_box", minimum=None)


@attrs.frozen(kw_only=True)
class CustomerSatisfactionScore(Result):
    """CSAT: the share of satisfied answers (top-k box) and the mean answer.

    Returned by :func:`csat`. ``share`` is a proportion between 0 and 1 of
    answers in the top ``top_box`` points of the 1..``scale`` scale;
    :attr:`definition` says so in words. The mean is on the answer scale.

    Parameters
    ----------
    scale : {5, 7, 10}
        Answers run from 1 to ``scale``.
    top_box : int
        How many top points count as satisfied, ``1 <= top_box < scale``.
    counts : ndarray of int, shape (scale,)
        How many respondents gave each answer 1, 2, ..., ``scale``.
    n_missing : int, default=0
        Missing answers left out.

    Raises
    ------
    ValueError
        If the scale, the box or the counts are invalid.

    Examples
    --------
    Counts copied from a survey tool's summary (answers 1 to 5):

    >>> from custvalue.satisfaction import CustomerSatisfactionScore
    >>> counts = [4, 6, 20, 45, 25]
    >>> result = CustomerSatisfactionScore(scale=5, top_box=2, counts=counts)
    >>> result.n_respondents, result.share
    (100, 0.7)
    """

    scale: int = attrs.field(converter=_check_scale)
    top_box: int = attrs.field(converter=_check_top_box_type)
    counts: IntArray = attrs.field(converter=point_counts, eq=ARRAY_EQ)
    n_missing: int = 0

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.top_box < self.scale:
            msg = (
                f"`top_box` must be an integer from 1 to {self.scale - 1}; got "
                f"{self.top_box!r}. It is how many top points count as satisfied."
            )
            raise ValueError(msg)
        if self.counts.size != self.scale:
            msg = (
                f"`counts` must have one entry per answer 1..{self.scale}; got "
                f"{self.counts.size} entries."
            )
            raise ValueError(msg)

    def _headline(self) -> str:
        """Show the satisfied share, its default 95% interval and the respondents."""
        ci = self.confidence_interval()
        return (
            f"share={self.share:.3f}, 95% CI [{ci.low:.3f}, {ci.high:.3f}], "
            f"n={self.n_respondents}, top {self.top_box} of {self.scale}"
        )

    @property
    def n_respondents(self) -> int:
        """Number of answers counted."""
        return int(self.counts.sum())

    @property
    def satisfied(self) -> int:
        """Number of answers in the top box."""
        return int(self.counts[-self.top_box :].sum())

    @property
    def share(self) -> float:
        """Share of answers in the top box, between 0 and 1."""
        return self.satisfied / self.n_respondents

    @property
    def definition(self) -> str:
        """The CSAT definition used, in words."""
        low = self.scale - self.top_box + 1
        box = f"{low} to {self.scale}" if self.top_box > 1 else f"{self.scale}"
        return (
            f"top-{self.top_box}-box: share of answers {box} on the "
            f"1 to {self.scale} scale"
        )

    @property
    def mean(self) -> float:
        """Mean answer, on the 1..scale scale."""
        return mean_and_deviation(self.counts, np.arange(1, self.scale + 1))[0]

    @property
    def standard_deviation(self) -> float:
        """Sample standard deviation of the answers (divisor n - 1; NaN for n = 1)."""
        return mean_and_deviation(self.counts, np.arange(1, self.scale + 1))[1]

    def confidence_interval(
        self,
        confidence_level: float = 0.95,
        *,
        method: ProportionMethod = "wilson",
    ) -> ConfidenceInterval:
        """Confidence interval for the top-box share, within [0, 1].

        Parameters
        ----------
        confidence_level : float, default=0.95
            Nominal two-sided coverage, strictly between 0 and 1.
        method : {'wilson', 'agresti_coull'}, default='wilson'
            The Wilson score interval, or the Agresti–Coull interval
            (Wald on :math:`x + z^2/2` successes out of :math:`n + z^2`),
            clipped to [0, 1]. Both keep close to nominal coverage where
            the Wald interval does not (Brown, Cai & DasGupta 2001).

        Returns
        -------
        ConfidenceInterval

        Raises
        ------
        ValueError
            For a level outside (0, 1) or an unknown method.

        References
        ----------
        .. [1] Wilson, E. B. (1927). Probable inference, the law of
           succession, and statistical inference. *Journal of the American
           Statistical Association*, 22(158), 209–212.
        .. [2] Agresti, A., & Coull, B. A. (1998). Approximate is better than
           "exact" for interval estimation of binomial proportions. *The
           American Statistician*, 52(2), 119–126.
        .. [3] Brown, L. D., Cai, T. T., & DasGupta, A. (2001). Interval
           estimation for a binomial proportion. *Statistical Science*,
           16(2), 101–133.

        Examples
        --------
        >>> from custvalue.satisfaction import csat
        >>> result = csat([5, 4, 4, 3, 5, 2, 4, 5, 1, 4], scale=5)
        >>> ci = result.confidence_interval()
        >>> round(ci.low, 4), round(ci.high, 4)
        (0.3968, 0.8922)
        """
        low, high = proportion_bounds(
            self.satisfied, self.n_respondents, confidence_level, method
        )
        return ConfidenceInterval(
            low=low, high=high, confidence_level=float(confidence_level)
        )

    def mean_confidence_interval(
        self, confidence_level: float = 0.95
    ) -> ConfidenceInterval:
        """Student t interval for the mean answer, clipped to [1, scale].

        Parameters
        ----------
        confidence_level : float, default=0.95
            Nominal two-sided coverage, strictly between 0 and 1.

        Returns
        -------
        ConfidenceInterval
            :math:`\\bar x \\pm t_{n-1,\\,1-\\alpha/2}\\, s/\\sqrt n`; zero width
            when every answer is the same.

        Raises
        ------
        ValueError
            With fewer than two answers, or a level outside (0, 1).

        Examples
        --------
        >>> from custvalue.satisfaction import csat
        >>> result = csat([5, 4, 4, 3, 5, 2, 4, 5, 1, 4], scale=5)
        >>> ci = result.mean_confidence_interval()
        >>> round(ci.low, 3), round(ci.high, 3)
        (2.743, 4.657)
        """
        low, high = t_mean_bounds(
            self.mean,
            self.standard_deviation,
            self.n_respondents,
            confidence_level,
            name="scores",
        )
        return ConfidenceInterval(
            low=max(low, 1.0),
            high=min(high, float(self.scale)),
            confidence_level=float(confidence_level),
        )


def csat(
    scores: npt.ArrayLike,
    *,
    scale: CSATScale,
    top_box: int = 2,
    missing: MissingPolicy = "raise",
) -> CustomerSatisfactionScore:
    """Compute customer satisfaction (CSAT) on a declared 1..scale answer scale.

    CSAT is usually reported as the share of satisfied customers: those
    who chose one of the top ``top_box`` answers ("top-2-box": 4 or 5 on
    1–5). The mean answer is kept too. The scale must be declared, so that
    a 1–10 survey is never read as 1–5.

    Parameters
    ----------
    scores : array-like of shape (n_respondents,)
        Whole-number answers from 1 to ``scale``; NaN or None marks a
        missing one.
    scale : {5, 7, 10}
        The answer scale, 1 to ``scale``.
    top_box : int, default=2
        How many top answers count as satisfied.
    missing : {'raise', 'omit'}, default='raise'
        Raise on a missing answer, or leave it out and count it.

    Returns
    -------
    CustomerSatisfactionScore
        ``share``, ``mean``, ``definition``, and the interval methods.

    Raises
    ------
    TypeError
        If the answers are not numbers.
    ValueError
        If an answer is off the scale or not whole, an answer is missing
        with ``missing='raise'``, or ``scale`` or ``top_box`` is invalid.

    See Also
    --------
    ces : Customer effort on 1–7.

    Notes
    -----
    The share :math:`x/n` is a binomial proportion, so its intervals are
    the Wilson (default) and Agresti–Coull intervals; the mean's is a
    Student t interval. The share's interval is the one to report: the
    answer scale is ordinal, and its mean assumes equal steps.

    References
    ----------
    .. [1] Brown, L. D., Cai, T. T., & DasGupta, A. (2001). Interval
       estimation for a binomial proportion. *Statistical Science*,
       16(2), 101–133.

    Examples
    --------
    >>> from custvalue.satisfaction import csat
    >>> result = csat([5, 4, 4, 3, 5, 2, 4, 5, 1, 4], scale=5)
    >>> result.definition
    'top-2-box: share of answers 4 to 5 on the 1 to 5 scale'
    >>> result.share, result.mean
    (0.7, 3.7)
    """
    checked_scale = _check_scale(scale)
    answers, _, present = check_scale_answers(
        scores, "scores", low=1, high=checked_scale, missing=missing
    )
    counts = np.bincount(answers - 1, minlength=checked_scale)
    return CustomerSatisfactionScore(
        scale=checked_scale,
        top_box=top_box,
        counts=counts,
        n_missing=int((~present).sum()),
    )
