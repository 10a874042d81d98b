"""Net Promoter Scores of every segment of a label array, in one vectorized call."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import Result, array_field
from custvalue._lib.intervals import normal_quantile
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_generator,
    as_vector,
    check_same_length,
    readonly,
)
from custvalue.satisfaction._net_intervals import (
    NetMethod,
    adjusted_wald_bounds,
    score_bounds,
    wald_bounds,
)
from custvalue.satisfaction._net_methods import Prior, check_method, net_interval
from custvalue.satisfaction._nps_result import NetPromoterScore
from custvalue.satisfaction._validation import (
    MissingPolicy,
    check_breaks,
    check_scale_answers,
    nps_categories,
)

__all__ = ["NPSByGroup", "nps_by_group"]

_POINTS = 100.0


def _column(value: npt.ArrayLike) -> FloatArray:
    return readonly(np.array(value, dtype=np.float64, copy=True))


@attrs.frozen(kw_only=True)
class NPSByGroup(Result):
    """Net Promoter Score and interval of every group, one row per group.

    Returned by :func:`nps_by_group`. Rows are the distinct labels in
    sorted order, every label of the input, even one whose answers are all
    missing. Scores and bounds are in points, -100..100; counts are weight
    totals when weights were given. :meth:`group_result` gives one row as a
    :class:`NetPromoterScore`, for other interval methods or comparisons.

    A group with no answered question (all its answers missing, with
    ``missing='omit'``) keeps its row: ``n_respondents`` 0, counts 0,
    ``effective_sample_size`` 0, and NaN ``score``, ``standard_error``,
    ``low`` and ``high``; ``n_missing_by_group`` says how many answers it
    lost.

    Parameters
    ----------
    group : ndarray of shape (n_groups,)
        The distinct labels, sorted.
    promoters, passives, detractors : ndarray of float, shape (n_groups,)
        Counts (weight totals) per group.
    n_respondents : ndarray of int, shape (n_groups,)
        Respondents per group with an answer (0 for a group whose answers
        are all missing).
    effective_sample_size : ndarray of float, shape (n_groups,)
        Kish's effective sample size per group (0 without answers).
    standard_error : ndarray of float, shape (n_groups,)
        Standard error of each score, in points (NaN without answers).
    low, high : ndarray of float, shape (n_groups,)
        Interval bounds by ``method`` at ``confidence_level``, in points
        (NaN without answers).
    confidence_level : float
        Level of ``low`` and ``high``.
    method : str
        Interval method of ``low`` and ``high``.
    n_missing_by_group : ndarray of int, shape (n_groups,)
        Respondents of each group left out for a missing answer.
    n_missing : int, default=0
        Respondents left out for a missing answer, in all groups.

    Raises
    ------
    ValueError
        If ``n_missing`` is not the sum of ``n_missing_by_group``.

    Examples
    --------
    >>> from custvalue.satisfaction import nps_by_group
    >>> result = nps_by_group([10, 9, 3, 8, 10, 6], ["a", "a", "a", "b", "b", "b"])
    >>> result.group, result.n_respondents
    (array(['a', 'b'], dtype='<U1'), array([3, 3]))
    >>> result.score.round(2)
    array([33.33,  0.  ])
    """

    group: npt.NDArray[Any] = array_field(dtype=None)
    promoters: FloatArray = array_field(dtype=np.float64)
    passives: FloatArray = array_field(dtype=np.float64)
    detractors: FloatArray = array_field(dtype=np.float64)
    n_respondents: IntArray = array_field(dtype=np.int64)
    effective_sample_size: FloatArray = array_field(dtype=np.float64)
    standard_error: FloatArray = array_field(dtype=np.float64)
    low: FloatArray = array_field(dtype=np.float64)
    high: FloatArray = array_field(dtype=np.float64)
    confidence_level: float
    method: str
    n_missing_by_group: IntArray = array_field(dtype=np.int64)
    n_missing: int = 0

    def __attrs_post_init__(self) -> None:
        total_missing = int(self.n_missing_by_group.sum())
        if self.n_missing != total_missing:
            msg = (
                "`n_missing` must equal the sum of `n_missing_by_group`; got "
                f"{self.n_missing!r} and a sum of {total_missing}."
            )
            raise ValueError(msg)

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return int(self.group.size)

    @property
    def score(self) -> FloatArray:
        """Net Promoter Score of each group, -100..100 (NaN without answers)."""
        total = self.promoters + self.passives + self.detractors
        net = self.promoters - self.detractors
        unit = np.divide(net, total, out=np.full_like(net, np.nan), where=total > 0)
        return _POINTS * unit

    def group_result(self, label: Any) -> NetPromoterScore:
        """Return the :class:`NetPromoterScore` of the group ``label``.

        Raises
        ------
        KeyError
            If ``label`` is not one of :attr:`group`.
        ValueError
            If the group has no answered question (``n_respondents`` 0), so
            no score.

        Examples
        --------
        >>> from custvalue.satisfaction import nps_by_group
        >>> answers = [10, 9, 3, 8, 10, 6]
        >>> by_region = nps_by_group(answers, ["n", "n", "n", "s", "s", "s"])
        >>> by_region.group_result("s").score
        0.0
        """
        matches = np.flatnonzero(self.group == label)
        if matches.size == 0:
            msg = f"no group {label!r}; the groups are {self.group.tolist()!r}."
            raise KeyError(msg)
        i = int(matches[0])
        if self.n_respondents[i] == 0:
            msg = (
                "`label` must name a group with at least one answer; got "
                f"{label!r}, which has none ({int(self.n_missing_by_group[i])} "
                "missing), so its score is NaN."
            )
            raise ValueError(msg)
        return NetPromoterScore(
            promoters=self.promoters[i],
            passives=self.passives[i],
            detractors=self.detractors[i],
            n_respondents=int(self.n_respondents[i]),
            effective_sample_size=float(self.effective_sample_size[i]),
            standard_error=float(self.standard_error[i]),
            n_missing=int(self.n_missing_by_group[i]),
        )


def _group_codes(groups: npt.ArrayLike) -> tuple[npt.NDArray[Any], IntArray]:
    labels = as_vector(groups, "groups")
    if labels.dtype.kind == "f" and np.isnan(labels).any():
        first = int(np.flatnonzero(np.isnan(labels))[0])
        msg = (
            f"`groups` must not contain NaN labels; {int(np.isnan(labels).sum())} of "
            f"{labels.size} violate this (first at index {first}). Give missing "
            "segments a label of their own."
        )
        raise ValueError(msg)
    try:
        # Distinct labels by a sort, then codes by binary search: about 4x
        # faster on 10^7 strings than np.unique(..., return_inverse=True)
        # (numpy 2.4; benchmarks/bench_satisfaction.py).
        unique, _ = np.unique(labels, return_counts=True)
        inverse = np.searchsorted(unique, labels)
    except TypeError as exc:
        msg = (
            "`groups` must hold labels of one sortable type (all strings or all "
            f"numbers, no None); got {exc}."
        )
        raise TypeError(msg) from None
    return unique, inverse.reshape(-1).astype(np.int64)


def _bounds(
    counts: FloatArray,
    standard_error: FloatArray,
    confidence_level: float,
    method: str,
    n_resamples: int,
    rng: np.random.Generator | int | None,
    prior: Prior,
) -> tuple[FloatArray, FloatArray]:
    detractors, passives, promoters = counts[:, 0], counts[:, 1], counts[:, 2]
    z = normal_quantile(confidence_level)
    if method == "wald":
        return wald_bounds(
            promoters,
            passives,
            detractors,
            z,
            confidence_level,
            standard_error=standard_error / _POINTS,
        )
    if method == "adjusted_wald":
        return adjusted_wald_bounds(promoters, passives, detractors, z)
    if method == "score":
        return score_bounds(promoters, passives, detractors, z)
    generator = as_generator(rng) if method == "bootstrap" else None
    pairs = [
        net_interval(
            float(pos),
            float(pas),
            float(det),
            confidence_level=confidence_level,
            method=method,  # type: ignore[arg-type]
            n_resamples=n_resamples,
            rng=generator,
            prior=prior,
        )
        for pos, pas, det in zip(promoters, passives, detractors, strict=True)
    ]
    bounds = np.array(pairs, dtype=np.float64).reshape(-1, 2)
    return bounds[:, 0], bounds[:, 1]


def nps_by_group(
    scores: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    breaks: tuple[int, int] = (6, 8),
    missing: MissingPolicy = "raise",
    confidence_level: float = 0.95,
    method: NetMethod = "adjusted_wald",
    n_resamples: int = 10_000,
    rng: np.random.Generator | int | None = None,
    prior: Prior = "jeffreys",
) -> NPSByGroup:
    """Net Promoter Score of every segment, each with its interval, in one call.

    Give one 0–10 answer and one segment label (region, plan, store) per
    respondent; every distinct label gets its score, standard error and
    interval. Counting is vectorized, so millions of respondents take about
    a second.

    Parameters
    ----------
    scores : array-like of shape (n_respondents,)
        Whole-number answers 0–10; NaN or None marks a missing one.
    groups : array-like of shape (n_respondents,)
        Segment labels: strings or numbers, no missing labels.
    weights : array-like of shape (n_respondents,), optional
        Survey weights, all > 0 (see :func:`nps_from_scores`).
    breaks : tuple of (int, int), default=(6, 8)
        Highest detractor and highest passive answer.
    missing : {'raise', 'omit'}, default='raise'
        Raise on a missing answer, or leave its respondent out.
    confidence_level : float, default=0.95
        Level of the intervals, strictly between 0 and 1.
    method : {'adjusted_wald', 'wald', 'score', 'bootstrap', 'bayesian'}, \
default='adjusted_wald'
        Interval method; see :meth:`NetPromoterScore.confidence_interval`.
        The first three are vectorized across groups; ``'bootstrap'`` and
        ``'bayesian'`` run group by group.
    n_resamples : int, default=10000
        Bootstrap resamples per group.
    rng : numpy.random.Generator, int or None, default=None
        Randomness for the bootstrap (one generator used for every group in
        turn).
    prior : {'jeffreys', 'uniform'}, default='jeffreys'
        Dirichlet prior for ``'bayesian'``.

    Returns
    -------
    NPSByGroup
        One row per distinct label of ``groups``, sorted; ``to_dict()`` for
        a DataFrame. A group whose answers are all missing keeps its row,
        with ``n_respondents`` 0 and NaN score and bounds.

    Raises
    ------
    TypeError
        If answers are not numbers or labels are not sortable.
    ValueError
        For bad answers (see :func:`nps_from_scores`), lengths that differ,
        NaN labels, bad weights or an unknown option.

    See Also
    --------
    nps_from_scores : One score.
    compare_nps : Compare two groups' scores.

    Notes
    -----
    Each group's numbers are those :func:`nps_from_scores` gives for its
    respondents alone, with the same formulas and edge conventions. With
    ``missing='omit'`` a segment can lose every answer; it is still
    reported (a segment that silently vanished from a table would read as
    "not surveyed"), with ``n_respondents`` 0, ``effective_sample_size`` 0,
    NaN for the score, standard error and bounds, and its lost answers in
    ``n_missing_by_group``.

    Examples
    --------
    >>> from custvalue.satisfaction import nps_by_group
    >>> answers = [10, 9, 3, 8, 10, 6, 9, 10]
    >>> region = ["north", "north", "north", "south", "south", "south", "west", "west"]
    >>> result = nps_by_group(answers, region)
    >>> result.group
    array(['north', 'south', 'west'], dtype='<U5')
    >>> result.score
    array([ 33.33333333,   0.        , 100.        ])
    >>> result.low.round(1), result.high.round(1)
    (array([-51.3, -61.1, -24.4]), array([ 84.7,  61.1, 100. ]))

    A region whose only customer skipped the question keeps its row:

    >>> answers = [10, 9, 3, float("nan")]
    >>> partial = nps_by_group(answers, ["n", "n", "n", "e"], missing="omit")
    >>> partial.group, partial.n_respondents, partial.n_missing_by_group
    (array(['e', 'n'], dtype='<U1'), array([0, 3]), array([1, 0]))
    >>> partial.score
    array([        nan, 33.33333333])
    """
    check_method(method)
    normal_quantile(confidence_level)
    detractor_max, passive_max = check_breaks(breaks)
    labels_raw = as_vector(groups, "groups")
    raw_scores = as_vector(scores, "scores")
    check_same_length(scores=raw_scores, groups=labels_raw)
    answers, checked_weights, present = check_scale_answers(
        raw_scores, "scores", low=0, high=10, missing=missing, weights=weights
    )
    # Codes from every label, answered or not, so that a group whose
    # answers are all missing keeps its row (with n = 0).
    unique, all_codes = _group_codes(labels_raw)
    n_groups = unique.size
    codes = all_codes[present]
    missing_by_group = np.bincount(all_codes[~present], minlength=n_groups)
    categories = nps_categories(answers, (detractor_max, passive_max)) + 1
    cell = 3 * codes + categories
    size = 3 * n_groups
    if checked_weights is None:
        counts = np.bincount(cell, minlength=size).astype(np.float64)
        squared = counts
    else:
        counts = np.bincount(cell, checked_weights, minlength=size).astype(np.float64)
        squared = np.bincount(cell, checked_weights**2, minlength=size).astype(
            np.float64
        )
    counts = counts.reshape(n_groups, 3)
    squared = squared.reshape(n_groups, 3)
    n_respondents = np.bincount(codes, minlength=n_groups)
    answered = n_respondents > 0
    # Groups without answers (possible only with missing='omit') get NaN
    # score, standard error and bounds; the formulas run on the others.
    theta = np.full(n_groups, np.nan)
    standard_error = np.full(n_groups, np.nan)
    effective = np.zeros(n_groups)
    unit_low, unit_high = np.full(n_groups, np.nan), np.full(n_groups, np.nan)
    counts_a, squared_a = counts[answered], squared[answered]
    total = counts_a.sum(axis=1)
    theta[answered] = (counts_a[:, 2] - counts_a[:, 0]) / total
    code_values = np.array([-1.0, 0.0, 1.0])
    # Linearized variance sum_i w_i^2 (y_i - theta)^2 / W^2, grouped by
    # category (Woodruff 1971); identical to the unweighted one for w = 1.
    linearized = (
        np.sum(
            squared_a * (code_values[None, :] - theta[answered][:, None]) ** 2, axis=1
        )
        / total**2
    )
    effective[answered] = np.minimum(
        total**2 / squared_a.sum(axis=1), n_respondents[answered]
    )
    effective_counts = counts_a * (effective[answered] / total)[:, None]
    standard_error[answered] = _POINTS * np.sqrt(linearized)
    unit_low[answered], unit_high[answered] = _bounds(
        effective_counts,
        standard_error[answered],
        confidence_level,
        method,
        n_resamples,
        rng,
        prior,
    )
    return NPSByGroup(
        group=unique,
        promoters=counts[:, 2],
        passives=counts[:, 1],
        detractors=counts[:, 0],
        n_respondents=n_respondents,
        effective_sample_size=effective,
        standard_error=standard_error,
        # Hull with the reported scores so rounding cannot put them outside.
        low=np.minimum(_POINTS * unit_low, _POINTS * theta),
        high=np.maximum(_POINTS * unit_high, _POINTS * theta),
        confidence_level=float(confidence_level),
        method=method,
        n_missing_by_group=missing_by_group,
        n_missing=int(missing_by_group.sum()),
    )
