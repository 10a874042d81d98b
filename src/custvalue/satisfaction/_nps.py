"""The Net Promoter Score from counts or 0–10 answers, with its uncertainty."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import MAX_WHOLE, FloatArray
from custvalue.satisfaction._nps_result import POINTS, NetPromoterScore
from custvalue.satisfaction._validation import (
    MissingPolicy,
    check_breaks,
    check_count,
    check_scale_answers,
    nps_categories,
)

__all__ = ["NetPromoterScore", "nps", "nps_from_scores"]


def from_totals(
    weight_totals: FloatArray,
    squared_weight_totals: FloatArray,
    n_respondents: int,
    n_missing: int,
) -> NetPromoterScore:
    """Build the result from per-category sums of weights and squared weights.

    Categories are in the order (detractor, passive, promoter). Unweighted
    data have both sums equal to the counts, so one formula serves both.
    The linearized variance of the weighted mean :math:`\\hat\\theta = \\sum
    w_i y_i / \\sum w_i` is :math:`\\sum w_i^2 (y_i - \\hat\\theta)^2 /
    (\\sum w_i)^2` (Woodruff 1971), grouped here by category.
    """
    detractors, passives, promoters = (float(v) for v in weight_totals)
    total = detractors + passives + promoters
    theta = (promoters - detractors) / total
    codes = np.array([-1.0, 0.0, 1.0])
    linearized = float(np.sum(squared_weight_totals * (codes - theta) ** 2)) / total**2
    effective = min(
        total**2 / float(np.sum(squared_weight_totals)), float(n_respondents)
    )
    return NetPromoterScore(
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        n_respondents=n_respondents,
        effective_sample_size=effective,
        standard_error=POINTS * math.sqrt(linearized),
        n_missing=n_missing,
    )


def nps(*, promoters: int, passives: int, detractors: int) -> NetPromoterScore:
    """Net Promoter Score from the numbers of promoters, passives and detractors.

    Use this when the answers are already tallied, for example from a
    survey tool's summary. The counts are named, so they cannot be given in
    the wrong order.

    Parameters
    ----------
    promoters, passives, detractors : int
        Number of respondents in each category (by default answers 9–10,
        7–8 and 0–6 to the 0–10 likelihood-to-recommend question).

    Returns
    -------
    NetPromoterScore
        ``score`` on -100..100, the shares, the standard error and
        :meth:`~NetPromoterScore.confidence_interval`.

    Raises
    ------
    TypeError
        If a count is not a number.
    ValueError
        If a count is negative, not a whole number, or all three are 0.

    See Also
    --------
    nps_from_scores : From the 0–10 answers themselves.

    Notes
    -----
    With :math:`n` respondents and shares :math:`p` (promoters) and
    :math:`d` (detractors),

    .. math::

        \\mathrm{NPS} = 100\\,(p - d), \\qquad
        \\mathrm{se} = 100\\sqrt{\\frac{(p + d) - (p - d)^2}{n}}

    (Rocks 2016, eq. 2): each respondent scores +1, 0 or -1, and NPS is 100
    times their mean. It is not a binomial proportion: its variance
    involves both shares.

    References
    ----------
    .. [1] Reichheld, F. F. (2003). The one number you need to grow.
       *Harvard Business Review*, 81(12), 46–54.
    .. [2] Rocks, B. (2016). Interval estimation for the "net promoter
       score". *The American Statistician*, 70(4), 365–372.

    Examples
    --------
    A survey of 200 customers: 120 promoters, 50 passives, 30 detractors.

    >>> from custvalue.satisfaction import nps
    >>> result = nps(promoters=120, passives=50, detractors=30)
    >>> result.score
    45.0
    >>> result.promoter_share, result.detractor_share
    (0.6, 0.15)
    >>> round(result.standard_error, 3)
    5.232
    """
    counts = {
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
    }
    checked = {name: check_count(value, name) for name, value in counts.items()}
    for name, value in checked.items():
        if value != math.floor(value) or value > MAX_WHOLE:
            msg = (
                f"`{name}` must be a whole number of respondents up to 2**53; got "
                f"{counts[name]!r}. For weighted totals use nps_from_scores "
                "with weights."
            )
            raise ValueError(msg)
    totals = np.array(
        [checked["detractors"], checked["passives"], checked["promoters"]]
    )
    n = int(totals.sum())
    if n == 0:
        msg = (
            "`promoters`, `passives` and `detractors` must not all be 0; got no "
            "respondents. An NPS needs at least one answer."
        )
        raise ValueError(msg)
    return from_totals(totals, totals, n, 0)


def nps_from_scores(
    scores: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    breaks: tuple[int, int] = (6, 8),
    missing: MissingPolicy = "raise",
) -> NetPromoterScore:
    """Net Promoter Score from 0–10 likelihood-to-recommend answers.

    Each answer is put in its category (detractor, passive, promoter) and
    the categories are counted, or, with survey weights, their weights are
    summed. Answers must be whole numbers from 0 to 10; missing answers are
    an error unless you choose to omit them.

    Parameters
    ----------
    scores : array-like of shape (n_respondents,)
        The answers, whole numbers 0–10; NaN or None marks a missing one.
    weights : array-like of shape (n_respondents,), optional
        Survey weights, all > 0. The score is then the weighted one, its
        standard error is linearized, and Kish's effective sample size is
        reported.
    breaks : tuple of (int, int), default=(6, 8)
        The highest detractor answer and the highest passive answer:
        ``(6, 8)`` makes 0–6 detractors, 7–8 passives, 9–10 promoters.
    missing : {'raise', 'omit'}, default='raise'
        What to do with missing answers: raise a ``ValueError``, or leave
        them (and their weights) out and count them in ``n_missing``.

    Returns
    -------
    NetPromoterScore
        ``score`` on -100..100 and the rest; see :func:`nps`.

    Raises
    ------
    TypeError
        If the answers are not numbers or ``breaks`` is not a pair of ints.
    ValueError
        If an answer is not a whole number 0–10 (the message names the first
        offender), an answer is missing with ``missing='raise'``, no answer
        is left, a weight is not > 0 or the lengths differ.

    See Also
    --------
    nps : From the three counts.
    nps_by_group : One score per segment, in one call.

    Notes
    -----
    With weights :math:`w_i` and codes :math:`y_i \\in \\{-1, 0, 1\\}`, the
    score is :math:`100\\,\\hat\\theta` with :math:`\\hat\\theta = \\sum w_i
    y_i / \\sum w_i`. Its linearized (Taylor) standard error is

    .. math::

        \\mathrm{se} = \\frac{100}{\\sum_i w_i}
        \\sqrt{\\sum_i w_i^2 (y_i - \\hat\\theta)^2}

    (Woodruff 1971), which with all weights 1 is exactly the unweighted
    :math:`100\\sqrt{[(p + d) - (p - d)^2]/n}`. It treats respondents as
    independent draws; survey software that multiplies by :math:`n/(n-1)`
    (R's ``survey`` package) gives slightly larger values. Kish's effective
    sample size is :math:`n_{\\mathrm{eff}} = (\\sum w_i)^2 / \\sum w_i^2`.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter
       score". *The American Statistician*, 70(4), 365–372.
    .. [2] Woodruff, R. S. (1971). A simple method for approximating the
       variance of a complicated estimate. *Journal of the American
       Statistical Association*, 66(334), 411–414.
    .. [3] Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> from custvalue.satisfaction import nps_from_scores
    >>> answers = [10, 9, 9, 8, 7, 6, 3, 10, 9, 8]
    >>> result = nps_from_scores(answers)
    >>> result.promoters, result.passives, result.detractors
    (5.0, 3.0, 2.0)
    >>> result.score
    30.0

    Survey weights that make the last two respondents count double:

    >>> weighted = nps_from_scores(answers, weights=[1, 1, 1, 1, 1, 1, 1, 1, 2, 2])
    >>> round(weighted.score, 2), round(weighted.effective_sample_size, 2)
    (33.33, 9.0)

    A missing answer is an error unless you say to omit it:

    >>> nps_from_scores([10, float("nan"), 3], missing="omit").n_missing
    1
    """
    detractor_max, passive_max = check_breaks(breaks)
    answers, checked_weights, present = check_scale_answers(
        scores, "scores", low=0, high=10, missing=missing, weights=weights
    )
    n_missing = int((~present).sum())
    categories = nps_categories(answers, (detractor_max, passive_max)) + 1
    if checked_weights is None:
        counts = np.bincount(categories, minlength=3).astype(np.float64)
        return from_totals(counts, counts, answers.size, n_missing)
    totals = np.bincount(categories, checked_weights, minlength=3).astype(np.float64)
    squared = np.bincount(categories, checked_weights**2, minlength=3).astype(
        np.float64
    )
    return from_totals(totals, squared, answers.size, n_missing)
