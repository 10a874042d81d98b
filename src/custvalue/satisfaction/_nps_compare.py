"""The signed difference of two Net Promoter Scores: independent or paired."""

from __future__ import annotations

import math
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.intervals import ConfidenceInterval, normal_quantile
from custvalue._lib.validation import (
    FloatArray,
    as_vector,
    check_same_length,
    readonly,
)
from custvalue.satisfaction._net_intervals import ADJUSTED_WALD_PSEUDO_COUNTS
from custvalue.satisfaction._net_methods import check_method
from custvalue.satisfaction._nps_result import NetPromoterScore
from custvalue.satisfaction._validation import (
    MissingPolicy,
    check_breaks,
    check_missing_policy,
    check_scale_answers,
    nps_categories,
)

__all__ = [
    "NPSComparison",
    "adjusted_difference",
    "compare_nps",
    "difference_bounds",
    "paired_moments",
]

ComparisonMethod = Literal["adjusted_wald", "wald"]

_POINTS = 100.0
_CODES = np.array([-1.0, 0.0, 1.0])  # detractor, passive, promoter


def _optional_table(value: Any) -> FloatArray | None:
    if value is None:
        return None
    return readonly(np.array(value, dtype=np.float64, copy=True))


@attrs.frozen(kw_only=True)
class NPSComparison(Result):
    """The difference of two Net Promoter Scores, its test and its interval.

    Returned by :func:`compare_nps`. ``difference`` is the second score
    minus the first, in score points (between -200 and 200): positive when
    the second is higher, so ``compare_nps(last_wave, this_wave)`` gives the
    change.

    Parameters
    ----------
    first_score, second_score : float
        The two scores, -100..100.
    difference : float
        ``second_score - first_score``.
    centre : float
        Centre of the interval and numerator of the z statistic: the
        difference itself for ``'wald'``; the difference of the adjusted
        scores for ``'adjusted_wald'`` (pulled towards 0 by the
        pseudo-counts).
    standard_error : float
        Standard error of the difference by ``method``, in points.
    statistic : float
        The z statistic ``centre / standard_error`` for "no difference".
    p_value : float
        Two-sided p-value of the z test.
    method : {'adjusted_wald', 'wald'}
        How the interval and test were computed.
    paired : bool
        Whether the same respondents answered twice.
    transitions : ndarray of shape (3, 3) or None
        For a paired comparison, how many respondents moved from each
        category in the first survey (rows) to each in the second
        (columns), both in the order detractor, passive, promoter.
    n_omitted : int, default=0
        Respondents left out of a paired comparison for a missing answer
        (``missing='omit'``).

    Examples
    --------
    >>> from custvalue.satisfaction import compare_nps, nps
    >>> result = compare_nps(
    ...     nps(promoters=60, passives=25, detractors=15),
    ...     nps(promoters=70, passives=20, detractors=10),
    ... )
    >>> result.first_score, result.second_score, result.difference
    (45.0, 60.0, 15.0)
    >>> result.paired, result.method
    (False, 'adjusted_wald')
    """

    first_score: float
    second_score: float
    difference: float
    centre: float
    standard_error: float
    statistic: float
    p_value: float
    method: str
    paired: bool
    transitions: FloatArray | None = attrs.field(
        default=None,
        converter=_optional_table,
        eq=ARRAY_EQ,
    )
    n_omitted: int = 0

    def _headline(self) -> str:
        """Show the difference, its default 95% interval and the p-value."""
        ci = self.confidence_interval()
        return (
            f"difference={self.difference:.1f}, 95% CI [{ci.low:.1f}, {ci.high:.1f}], "
            f"p_value={self.p_value:.3g}, paired={self.paired}"
        )

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Confidence interval for the difference, in points within [-200, 200].

        Parameters
        ----------
        confidence_level : float, default=0.95
            Nominal two-sided coverage, strictly between 0 and 1.

        Returns
        -------
        ConfidenceInterval
            :math:`\\mathrm{centre} \\pm z\\,\\mathrm{se}`, clipped to
            [-200, 200] and extended, if needed, to contain
            :attr:`difference`; ``low < high``.

        Raises
        ------
        ValueError
            If ``confidence_level`` is not strictly between 0 and 1.

        Notes
        -----
        Every interval contains the observed difference, as every interval
        of a single score contains the score: where
        :math:`\\mathrm{centre} \\pm z\\,\\mathrm{se}` misses it, the
        nearer bound is moved to it (the interval is extended, never
        shrunk). This happens only with ``'adjusted_wald'``, whose centre
        the pseudo-counts pull towards 0, and mostly when both samples are
        near the ends of the scale: all 5 respondents promoters in the
        first sample and all 5 detractors in the second give a difference
        of -200 and the adjusted interval [-188.65, -61.35], which becomes
        [-200, -61.35]. For ``'wald'`` the centre is the difference, and
        nothing moves.

        The interval excludes 0 exactly when ``p_value < 1 -
        confidence_level``, so the test and the interval agree, with one
        exception: when the extension crosses 0. That needs an adjusted
        centre on the other side of 0 from the observed difference (or a
        difference of exactly 0), which is possible only for independent
        samples of different sizes with ``'adjusted_wald'``, since the
        pseudo-counts shrink each score by :math:`n_k/(n_k + 3)`.

        Examples
        --------
        >>> from custvalue.satisfaction import compare_nps, nps
        >>> before = nps(promoters=120, passives=50, detractors=30)
        >>> after = nps(promoters=150, passives=30, detractors=20)
        >>> ci = compare_nps(before, after).confidence_interval()
        >>> round(ci.low, 2), round(ci.high, 2)
        (6.06, 33.35)
        """
        z = normal_quantile(confidence_level)
        low, high = difference_bounds(
            self.centre, self.standard_error, self.difference, z, limit=2 * _POINTS
        )
        return ConfidenceInterval(
            low=float(low),
            high=float(high),
            confidence_level=float(confidence_level),
        )


def difference_bounds(
    centre: npt.ArrayLike,
    standard_error: npt.ArrayLike,
    difference: npt.ArrayLike,
    z: float,
    *,
    limit: float,
) -> tuple[FloatArray, FloatArray]:
    """Bounds ``centre ± z se`` in ``[-limit, limit]``, extended to ``difference``.

    Vectorized (many simulated comparisons at once) and scale-free: pass
    ``limit=2`` on the unit scale or ``limit=200`` in points. Where the
    interval misses the observed ``difference`` the nearer bound is moved
    to it, the rule every single-score interval follows.
    """
    centre_, se, observed = (
        np.asarray(v, dtype=np.float64) for v in (centre, standard_error, difference)
    )
    low = np.maximum(centre_ - z * se, -limit)
    high = np.minimum(centre_ + z * se, limit)
    return np.minimum(low, observed), np.maximum(high, observed)


def adjusted_difference(
    first_counts: npt.ArrayLike, second_counts: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Adjusted-Wald difference and its standard error (unit scale).

    Counts are ``(..., 3)`` arrays in the order (detractor, passive,
    promoter); each sample gets Rocks's (2016) pseudo-counts before the
    Wald computation. Leading dimensions are kept (many simulated pairs).
    """
    pseudo = np.array(ADJUSTED_WALD_PSEUDO_COUNTS[::-1])  # detractor first
    moments = []
    for counts in (first_counts, second_counts):
        adjusted = np.asarray(counts, dtype=np.float64) + pseudo
        n = adjusted.sum(axis=-1)
        promoters, detractors = adjusted[..., 2] / n, adjusted[..., 0] / n
        centre = promoters - detractors
        moments.append((centre, (promoters + detractors - centre**2) / n))
    (centre_1, var_1), (centre_2, var_2) = moments
    return centre_2 - centre_1, np.sqrt(var_1 + var_2)


def _result(
    first: float,
    second: float,
    centre: float,
    standard_error: float,
    method: str,
    *,
    transitions: FloatArray | None = None,
    n_omitted: int = 0,
) -> NPSComparison:
    if standard_error <= 0:
        if transitions is None:
            reason = (
                "each sample has all its respondents in one category "
                f"(scores {first:g} and {second:g})"
            )
        else:
            reason = (
                "every respondent's change is the same "
                f"({second - first:+g} points each)"
            )
        msg = (
            f"`method='wald'` needs a standard error > 0; got 0 because {reason}. "
            "Use method='adjusted_wald'."
        )
        raise ValueError(msg)
    statistic = float(centre / standard_error)
    return NPSComparison(
        first_score=first,
        second_score=second,
        difference=second - first,
        centre=float(centre),
        standard_error=float(standard_error),
        statistic=statistic,
        p_value=float(2.0 * special.ndtr(-abs(statistic))),
        method=method,
        paired=transitions is not None,
        transitions=transitions,
        n_omitted=n_omitted,
    )


def _counts(result: NetPromoterScore) -> FloatArray:
    promoters, passives, detractors = result.effective_counts()
    return np.array([detractors, passives, promoters])


def _independent(
    first: NetPromoterScore, second: NetPromoterScore, method: str
) -> NPSComparison:
    if method == "wald":
        se = math.hypot(first.standard_error, second.standard_error)
        return _result(
            first.score, second.score, second.score - first.score, se, method
        )
    centre, spread = adjusted_difference(_counts(first), _counts(second))
    return _result(
        first.score,
        second.score,
        _POINTS * float(centre),
        _POINTS * float(spread),
        method,
    )


def paired_moments(
    tables: npt.ArrayLike, *, adjusted: bool
) -> tuple[FloatArray, FloatArray]:
    """Mean change and its standard error (unit scale) from 3×3 transition tables.

    ``tables[..., i, j]`` counts respondents in category ``i`` first and
    ``j`` second (detractor, passive, promoter); any leading dimensions are
    kept, so many tables (simulated panels) are handled at once. With
    ``adjusted``, custvalue's extension of Rocks (2016) to panels adds the
    pseudo-counts :math:`3\\,qq^\\top` with :math:`q = (1/4, 1/2, 1/4)`, whose
    margins are Rocks's (0.75, 1.5, 0.75) in each wave.
    """
    working = np.asarray(tables, dtype=np.float64)
    if adjusted:
        q = np.array(ADJUSTED_WALD_PSEUDO_COUNTS[::-1]) / 3.0
        working = working + 3.0 * np.outer(q, q)
    n = working.sum(axis=(-2, -1))
    change = _CODES[None, :] - _CODES[:, None]  # second code minus first
    mean_change = np.sum(working * change, axis=(-2, -1)) / n
    mean_square = np.sum(working * change**2, axis=(-2, -1)) / n
    variance = np.maximum(mean_square - mean_change**2, 0.0)
    return mean_change, np.sqrt(variance / n)


def _paired(
    first: npt.ArrayLike,
    second: npt.ArrayLike,
    method: str,
    breaks: tuple[int, int],
    missing: str,
) -> NPSComparison:
    check_missing_policy(missing)
    a = as_vector(first, "first")
    b = as_vector(second, "second")
    check_same_length(first=a, second=b)
    n_omitted = 0
    if missing == "omit":
        keep = ~(_missing_mask(a) | _missing_mask(b))
        n_omitted = int(keep.size - keep.sum())
        a, b = a[keep], b[keep]
    answers_1, _, _ = check_scale_answers(a, "first", low=0, high=10, missing="raise")
    answers_2, _, _ = check_scale_answers(b, "second", low=0, high=10, missing="raise")
    rows = nps_categories(answers_1, breaks) + 1
    cols = nps_categories(answers_2, breaks) + 1
    table = np.bincount(3 * rows + cols, minlength=9).reshape(3, 3).astype(np.float64)
    centre, se = paired_moments(table, adjusted=method == "adjusted_wald")
    n_obs = float(table.sum())
    first_score = _POINTS * float(table.sum(axis=1) @ _CODES) / n_obs
    second_score = _POINTS * float(table.sum(axis=0) @ _CODES) / n_obs
    return _result(
        first_score,
        second_score,
        _POINTS * float(centre),
        _POINTS * float(se),
        method,
        transitions=table,
        n_omitted=n_omitted,
    )


def _missing_mask(array: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    if array.dtype.kind == "O":
        return np.array(
            [v is None or (isinstance(v, float) and math.isnan(v)) for v in array],
            dtype=bool,
        )
    if array.dtype.kind == "f":
        nan: npt.NDArray[np.bool_] = np.isnan(array)
        return nan
    return np.zeros(array.shape, dtype=bool)


def compare_nps(
    first: NetPromoterScore | npt.ArrayLike,
    second: NetPromoterScore | npt.ArrayLike,
    *,
    paired: bool = False,
    method: ComparisonMethod = "adjusted_wald",
    breaks: tuple[int, int] = (6, 8),
    missing: MissingPolicy = "raise",
) -> NPSComparison:
    """Compare two Net Promoter Scores: signed difference, z test and interval.

    For two independent samples (two survey waves with different
    respondents, two segments), pass the two :class:`NetPromoterScore`
    results. When the same respondents answered twice (a panel), pass
    their two arrays of 0–10 answers, aligned so that position ``i`` is the
    same person in both, with ``paired=True``: the comparison then uses the
    3×3 table of how respondents moved between categories, which is much
    more precise than treating the waves as independent.

    Parameters
    ----------
    first, second : NetPromoterScore, or array-like of shape (n_respondents,)
        The earlier (or reference) and the later survey. NPS results for
        independent samples; aligned 0–10 answers with ``paired=True``.
    paired : bool, default=False
        Whether ``first`` and ``second`` are the same respondents.
    method : {'adjusted_wald', 'wald'}, default='adjusted_wald'
        ``'adjusted_wald'`` adds Rocks's pseudo-counts (0.75 promoters, 1.5
        passives, 0.75 detractors) to each sample before the Wald
        computation (independent samples: Sauro & Lewis' test); for panels,
        the pseudo-counts :math:`3\\,qq^\\top` with :math:`q = (1/4, 1/2,
        1/4)` are added to the 3×3 table, so that each wave's margins get
        Rocks's pseudo-counts (custvalue's extension; its coverage is
        checked by simulation in the test suite). ``'wald'`` uses the
        unadjusted counts (and, for independent weighted results, their
        linearized standard errors).
    breaks : tuple of (int, int), default=(6, 8)
        Category breaks for paired answers; see :func:`nps_from_scores`.
    missing : {'raise', 'omit'}, default='raise'
        For paired answers: raise on a missing answer, or leave out every
        respondent with an answer missing in either survey.

    Returns
    -------
    NPSComparison
        ``difference`` (second minus first), ``p_value``, ``statistic``
        and :meth:`~NPSComparison.confidence_interval`.

    Raises
    ------
    TypeError
        If independent inputs are not NPS results, or paired inputs are.
    ValueError
        For bad answers (see :func:`nps_from_scores`), arrays of different
        lengths, an unknown option, or ``'wald'`` with a zero standard error.

    See Also
    --------
    nps_sample_size_for_difference : Respondents needed to detect a change.

    Notes
    -----
    Each respondent has a code :math:`y \\in \\{-1, 0, 1\\}`. For
    independent samples with shares :math:`p_k, d_k` and sizes :math:`n_k`,

    .. math::

        \\mathrm{se}(\\hat\\theta_2 - \\hat\\theta_1) = \\sqrt{
        \\frac{(p_1 + d_1) - (p_1 - d_1)^2}{n_1} +
        \\frac{(p_2 + d_2) - (p_2 - d_2)^2}{n_2}},

    with the adjusted shares and :math:`n_k + 3` for ``'adjusted_wald'``.
    For a panel, the change :math:`c_i = y_{2i} - y_{1i} \\in \\{-2, \\ldots,
    2\\}` of each respondent is averaged, and

    .. math::

        \\mathrm{se}(\\bar c) = \\sqrt{\\frac{\\overline{c^2} - \\bar c^2}{n}},

    the multinomial variance of the 3×3 table; it is smaller than the
    independent-samples one when answers are positively correlated across
    waves, which is why panels must not be analysed as independent samples.
    All results are in score points (100 times the unit-scale values). The
    z statistic is :math:`\\mathrm{centre}/\\mathrm{se}` and the p-value
    :math:`2\\Phi(-|z|)`, so the test and the interval agree. The interval
    always contains the observed difference: where the adjusted centre's
    interval misses it, the nearer bound is moved to it, as for a single
    score (see :meth:`NPSComparison.confidence_interval`).

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter
       score". *The American Statistician*, 70(4), 365–372.
    .. [2] Sauro, J., & Lewis, J. R. (2016). *Quantifying the User
       Experience* (2nd ed.). Morgan Kaufmann. (Comparisons of NPS with
       adjusted-Wald proportions are in the authors' MeasuringU notes,
       "How to statistically compare two Net Promoter Scores", 2021.)
    .. [3] Agresti, A. (2013). *Categorical Data Analysis* (3rd ed.),
       section 11.1 (marginal comparisons of matched pairs). Wiley.

    Examples
    --------
    Two independent waves of a survey:

    >>> from custvalue.satisfaction import compare_nps, nps
    >>> before = nps(promoters=120, passives=50, detractors=30)
    >>> after = nps(promoters=150, passives=30, detractors=20)
    >>> result = compare_nps(before, after)
    >>> result.difference
    20.0
    >>> round(result.p_value, 4)
    0.0047

    The same six customers asked twice:

    >>> first = [10, 9, 7, 6, 3, 8]
    >>> second = [10, 10, 9, 8, 3, 9]
    >>> panel = compare_nps(first, second, paired=True)
    >>> round(panel.difference, 2)
    50.0
    >>> panel.transitions
    array([[1., 1., 0.],
           [0., 0., 2.],
           [0., 0., 2.]])
    """
    check_method(method, ("adjusted_wald", "wald"))
    flag: object = paired
    if not isinstance(flag, bool):
        msg = f"`paired` must be True or False; got {flag!r}."
        raise TypeError(msg)
    if paired:
        if isinstance(first, NetPromoterScore) or isinstance(second, NetPromoterScore):
            msg = (
                "`first` and `second` must be arrays of 0-10 answers with "
                "paired=True; got an NPS result, which has lost who answered "
                "what. Pass the two aligned answer arrays."
            )
            raise TypeError(msg)
        return _paired(first, second, method, check_breaks(breaks), missing)
    if not (
        isinstance(first, NetPromoterScore) and isinstance(second, NetPromoterScore)
    ):
        msg = (
            "`first` and `second` must be NetPromoterScore results for independent "
            f"samples; got {type(first).__name__} and {type(second).__name__}. "
            "Build them with nps() or nps_from_scores(), or pass paired=True for "
            "the same respondents' answers."
        )
        raise TypeError(msg)
    return _independent(first, second, method)
