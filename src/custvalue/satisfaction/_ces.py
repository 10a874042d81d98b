"""Customer effort score (CES) on 1–7: mean, share agreeing, and net index."""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.intervals import ConfidenceInterval
from custvalue._lib.validation import IntArray
from custvalue.satisfaction._csat import mean_and_deviation, point_counts
from custvalue.satisfaction._net_intervals import NetMethod
from custvalue.satisfaction._net_methods import Prior, net_interval
from custvalue.satisfaction._proportions import (
    ProportionMethod,
    proportion_bounds,
    t_mean_bounds,
)
from custvalue.satisfaction._validation import MissingPolicy, check_scale_answers

__all__ = ["CustomerEffortScore", "ces"]

_POINTS = np.arange(1, 8)


def _seven_counts(value: npt.ArrayLike) -> IntArray:
    counts = point_counts(value)
    if counts.size != 7:
        msg = (
            f"`counts` must have one entry per answer 1..7; got {counts.size} entries."
        )
        raise ValueError(msg)
    return counts


@attrs.frozen(kw_only=True)
class CustomerEffortScore(Result):
    """Customer effort on the 1–7 agreement scale: mean, agreement and net index.

    Returned by :func:`ces`. Answers are agreement with "the company made
    it easy for me to handle my issue", 1 (strongly disagree) to 7
    (strongly agree), so higher is better. Three summaries: the mean answer
    (1..7), the share agreeing (answers 5–7, a proportion between 0 and 1),
    and the net index: the percentage answering 6–7 minus the percentage
    answering 1–3, in points between -100 and 100.

    Parameters
    ----------
    counts : ndarray of int, shape (7,)
        How many respondents gave each answer 1, ..., 7.
    n_missing : int, default=0
        Missing answers left out.

    Examples
    --------
    >>> from custvalue.satisfaction import CustomerEffortScore
    >>> result = CustomerEffortScore(counts=[2, 3, 5, 10, 20, 35, 25])
    >>> result.n_respondents, result.agree_share, result.net_score
    (100, 0.8, 50.0)
    """

    counts: IntArray = attrs.field(converter=_seven_counts, eq=ARRAY_EQ)
    n_missing: int = 0

    def _headline(self) -> str:
        """Show the mean, the agreeing share, the net score and the respondents."""
        return (
            f"mean={self.mean:.2f}, agree_share={self.agree_share:.3f}, "
            f"net_score={self.net_score:.1f}, n={self.n_respondents}"
        )

    @property
    def n_respondents(self) -> int:
        """Number of answers counted."""
        return int(self.counts.sum())

    @property
    def mean(self) -> float:
        """Mean answer, 1..7."""
        return mean_and_deviation(self.counts, _POINTS)[0]

    @property
    def standard_deviation(self) -> float:
        """Sample standard deviation of the answers (divisor n - 1; NaN for n = 1)."""
        return mean_and_deviation(self.counts, _POINTS)[1]

    @property
    def agree_share(self) -> float:
        """Share of answers 5–7, between 0 and 1."""
        return int(self.counts[4:].sum()) / self.n_respondents

    def _net_counts(self) -> tuple[float, float, float]:
        return (
            float(self.counts[5:].sum()),
            float(self.counts[3:5].sum()),
            float(self.counts[:3].sum()),
        )

    @property
    def net_score(self) -> float:
        """Percentage answering 6–7 minus percentage answering 1–3, -100..100."""
        high, _, low = self._net_counts()
        return 100.0 * ((high - low) / self.n_respondents)

    def mean_confidence_interval(
        self, confidence_level: float = 0.95
    ) -> ConfidenceInterval:
        """Student t interval for the mean answer, clipped to [1, 7].

        Parameters
        ----------
        confidence_level : float, default=0.95
            Nominal two-sided coverage, strictly between 0 and 1.

        Returns
        -------
        ConfidenceInterval

        Raises
        ------
        ValueError
            With fewer than two answers, or a level outside (0, 1).

        Examples
        --------
        >>> from custvalue.satisfaction import ces
        >>> result = ces([7, 6, 6, 5, 4, 2, 7, 6, 3, 5])
        >>> ci = result.mean_confidence_interval()
        >>> round(ci.low, 3), round(ci.high, 3)
        (3.91, 6.29)
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
            high=min(high, 7.0),
            confidence_level=float(confidence_level),
        )

    def agree_confidence_interval(
        self,
        confidence_level: float = 0.95,
        *,
        method: ProportionMethod = "wilson",
    ) -> ConfidenceInterval:
        """Wilson or Agresti–Coull interval for the share agreeing (5–7).

        Parameters
        ----------
        confidence_level : float, default=0.95
            Nominal two-sided coverage, strictly between 0 and 1.
        method : {'wilson', 'agresti_coull'}, default='wilson'
            See :meth:`CustomerSatisfactionScore.confidence_interval`.

        Returns
        -------
        ConfidenceInterval
            Within [0, 1].

        Examples
        --------
        >>> from custvalue.satisfaction import ces
        >>> ci = ces([7, 6, 6, 5, 4, 2, 7, 6, 3, 5]).agree_confidence_interval()
        >>> round(ci.low, 4), round(ci.high, 4)
        (0.3968, 0.8922)
        """
        agree = int(self.counts[4:].sum())
        low, high = proportion_bounds(
            agree, self.n_respondents, confidence_level, method
        )
        return ConfidenceInterval(
            low=low, high=high, confidence_level=float(confidence_level)
        )

    def net_confidence_interval(
        self,
        confidence_level: float = 0.95,
        *,
        method: NetMethod = "adjusted_wald",
        n_resamples: int = 10_000,
        rng: np.random.Generator | int | None = None,
        prior: Prior = "jeffreys",
    ) -> ConfidenceInterval:
        """Interval for the net index, in points within [-100, 100].

        The net index has the structure of the NPS (one share minus
        another of a three-way split: 6–7, 4–5, 1–3), so every NPS method
        applies; see :meth:`NetPromoterScore.confidence_interval` for the
        methods, options and edge conventions. Rocks's (2016) evaluation of
        the adjusted Wald interval was on NPS data, not CES.

        Returns
        -------
        ConfidenceInterval

        Examples
        --------
        >>> from custvalue.satisfaction import ces
        >>> ci = ces([7, 6, 6, 5, 4, 2, 7, 6, 3, 5]).net_confidence_interval()
        >>> round(ci.low, 2), round(ci.high, 2)
        (-19.05, 65.2)
        """
        low, high = net_interval(
            *self._net_counts(),
            confidence_level=confidence_level,
            method=method,
            n_resamples=n_resamples,
            rng=rng,
            prior=prior,
        )
        score = self.net_score
        return ConfidenceInterval(
            low=min(100.0 * low, score),
            high=max(100.0 * high, score),
            confidence_level=float(confidence_level),
        )


def ces(
    scores: npt.ArrayLike,
    *,
    missing: MissingPolicy = "raise",
) -> CustomerEffortScore:
    """Compute the customer effort score from 1–7 agreement answers.

    The CES question asks how far the customer agrees that the company
    made it easy to handle their issue, from 1 (strongly disagree) to 7
    (strongly agree). The result gives the mean answer, the share agreeing
    (5–7) and a net index (6–7 minus 1–3), each with an interval.

    Parameters
    ----------
    scores : array-like of shape (n_respondents,)
        Whole-number answers from 1 to 7; NaN or None marks a missing one.
    missing : {'raise', 'omit'}, default='raise'
        Raise on a missing answer, or leave it out and count it.

    Returns
    -------
    CustomerEffortScore

    Raises
    ------
    TypeError
        If the answers are not numbers.
    ValueError
        If an answer is not a whole number from 1 to 7, or is missing with
        ``missing='raise'``.

    See Also
    --------
    csat : Satisfaction on a 1–5, 1–7 or 1–10 scale.

    Notes
    -----
    With :math:`n_k` answers :math:`k`, the net index is
    :math:`100\\,(n_6 + n_7 - n_1 - n_2 - n_3)/n` and the share agreeing is
    :math:`(n_5 + n_6 + n_7)/n`.

    References
    ----------
    .. [1] Dixon, M., Freeman, K., & Toman, N. (2010). Stop trying to
       delight your customers. *Harvard Business Review*, 88(7/8), 116–122.

    Examples
    --------
    >>> from custvalue.satisfaction import ces
    >>> result = ces([7, 6, 6, 5, 4, 2, 7, 6, 3, 5])
    >>> result.mean, result.agree_share, result.net_score
    (5.1, 0.7, 30.0)
    """
    answers, _, present = check_scale_answers(
        scores, "scores", low=1, high=7, missing=missing
    )
    return CustomerEffortScore(
        counts=np.bincount(answers - 1, minlength=7), n_missing=int((~present).sum())
    )
