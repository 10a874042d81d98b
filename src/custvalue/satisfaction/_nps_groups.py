"""Net Promoter Scores of every segment of a label array, in one vectorized call."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.intervals import normal_quantile
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
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
from custvalue.satisfaction._nps import NetPromoterScore
from custvalue.satisfaction._validation import (
    MissingPolicy,
    as_generator,
    check_breaks,
    check_scale_answers,
    nps_categories,
)

__all__ = ["NPSByGroup", "nps_by_group"]

_ARRAY_EQ = attrs.cmp_using(eq=np.array_equal)
_POINTS = 100.0


def _column(value: npt.ArrayLike) -> FloatArray:
    return readonly(np.array(value, dtype=np.float64, copy=True))


def _int_column(value: npt.ArrayLike) -> IntArray:
    return readonly(np.array(value, dtype=np.int64, copy=True))


def _labels(value: npt.ArrayLike) -> npt.NDArray[Any]:
    return readonly(np.array(value, copy=True))


@attrs.frozen(kw_only=True)
class NPSByGroup:
    """Net Promoter Score and interval of every group, one row per group.

    Returned by :func:`nps_by_group`. Rows are the distinct labels in
    sorted order. Scores and bounds are in points, -100..100; counts are
    weight totals when weights were given. :meth:`group` gives one row as a
    :class:`NetPromoterScore`, for other interval methods or comparisons.

    Parameters
    ----------
    group : ndarray of shape (n_groups,)
        The distinct labels, sorted.
    promoters, passives, detractors : ndarray of float, shape (n_groups,)
        Counts (weight totals) per group.
    n_respondents : ndarray of int, shape (n_groups,)
        Respondents per group.
    effective_sample_size : ndarray of float, shape (n_groups,)
        Kish's effective sample size per group.
    standard_error : ndarray of float, shape (n_groups,)
        Standard error of each score, in points.
    low, high : ndarray of float, shape (n_groups,)
        Interval bounds by ``method`` at ``confidence_level``, in points.
    confidence_level : float
        Level of ``low`` and ``high``.
    method : str
        Interval method of ``low`` and ``high``.
    n_missing : int, default=0
        Respondents left out for a missing answer.

    Examples
    --------
    >>> from custvalue.satisfaction import nps_by_group
    >>> result = nps_by_group([10, 9, 3, 8, 10, 6], ["a", "a", "a", "b", "b", "b"])
    >>> result.group, result.n_respondents
    (array(['a', 'b'], dtype='<U1'), array([3, 3]))
    >>> result.score.round(2)
    array([33.33,  0.  ])
    """

    group: npt.NDArray[Any] = attrs.field(converter=_labels, eq=_ARRAY_EQ)
    promoters: FloatArray = attrs.field(converter=_column, eq=_ARRAY_EQ)
    passives: FloatArray = attrs.field(converter=_column, eq=_ARRAY_EQ)
    detractors: FloatArray = attrs.field(converter=_column, eq=_ARRAY_EQ)
    n_respondents: IntArray = attrs.field(converter=_int_column, eq=_ARRAY_EQ)
    effective_sample_size: FloatArray = attrs.field(converter=_column, eq=_ARRAY_EQ)
    standard_error: FloatArray = attrs.field(converter=_column, eq=_ARRAY_EQ)
    low: FloatArray = attrs.field(converter=_column, eq=_ARRAY_EQ)
    high: FloatArray = attrs.field(converter=_column, eq=_ARRAY_EQ)
    confidence_level: float
    method: str
    n_missing: int = 0

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return int(self.group.size)

    @property
    def score(self) -> FloatArray:
        """Net Promoter Score of each group, -100..100."""
        total = self.promoters + self.passives + self.detractors
        return _POINTS * ((self.promoters - self.detractors) / total)

    def group_result(self, label: Any) -> NetPromoterScore:
        """Return the :class:`NetPromoterScore` of the group ``label``.

        Raises
        ------
        KeyError
            If ``label`` is not one of :attr:`group`.

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
        return NetPromoterScore(
            promoters=self.promoters[i],
            passives=self.passives[i],
            detractors=self.detractors[i],
            n_respondents=int(self.n_respondents[i]),
            effective_sample_size=float(self.effective_sample_size[i]),
            standard_error=float(self.standard_error[i]),
        )

    def to_dict(self) -> dict[str, npt.NDArray[Any]]:
        """Return the columns by name, for ``pandas.DataFrame(result.to_dict())``.

        Examples
        --------
        >>> from custvalue.satisfaction import nps_by_group
        >>> table = nps_by_group([10, 9, 3, 8], ["a", "a", "b", "b"]).to_dict()
        >>> list(table)[:4]
        ['group', 'n_respondents', 'promoters', 'passives']
        >>> table["score"]
        array([100., -50.])
        """
        return {
            "group": self.group,
            "n_respondents": self.n_respondents,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "score": self.score,
            "standard_error": self.standard_error,
            "low": self.low,
            "high": self.high,
            "effective_sample_size": self.effective_sample_size,
        }


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
        One row per group, sorted by label; ``to_dict()`` for a DataFrame.

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
    respondents alone, with the same formulas and edge conventions.

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
    n_missing = int((~present).sum())
    unique, codes = _group_codes(labels_raw[present])
    n_groups = unique.size
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
    total = counts.sum(axis=1)
    theta = (counts[:, 2] - counts[:, 0]) / total
    code_values = np.array([-1.0, 0.0, 1.0])
    # Linearized variance sum_i w_i^2 (y_i - theta)^2 / W^2, grouped by
    # category (Woodruff 1971); identical to the unweighted one for w = 1.
    linearized = (
        np.sum(squared * (code_values[None, :] - theta[:, None]) ** 2, axis=1)
        / total**2
    )
    effective = np.minimum(total**2 / squared.sum(axis=1), n_respondents)
    effective_counts = counts * (effective / total)[:, None]
    standard_error = _POINTS * np.sqrt(linearized)
    unit_low, unit_high = _bounds(
        effective_counts,
        standard_error,
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
        n_missing=n_missing,
    )
