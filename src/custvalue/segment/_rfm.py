"""RFM scores: recency, frequency and monetary value binned by value."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import (
    FloatArray,
    as_float_array,
    check_same_length,
)
from custvalue.errors import TiedBinsWarning
from custvalue.segment._binning import (
    ScoreArray,
    Ties,
    bin_by_cut_points,
    check_bins,
    check_cut_points,
    check_ties,
    occupancy,
    quantile_cut_points,
)
from custvalue.segment._rfm_types import RFMScores, ScoreBins, Sorting

__all__ = ["rfm_scores"]

#: Each input's R, F or M letter: its score is ``{letter}_score``, its bins
#: ``{letter}_bins`` and its fixed cut points the argument ``{letter}_cut_points``.
_LETTER = {
    "time_since_last_purchase": "r",
    "frequency": "f",
    "monetary_value": "m",
}


def _check_score_weights(score_weights: Any) -> tuple[float, float, float]:
    values = as_float_array(score_weights, "score_weights", nonnegative=True)
    if values.size != 3 or not values.sum() > 0:
        msg = (
            "`score_weights` must be three non-negative numbers (R, F and M "
            f"score) with a positive sum; got {values.tolist()!r}."
        )
        raise ValueError(msg)
    return (float(values[0]), float(values[1]), float(values[2]))


def _score_group(
    x: FloatArray,
    bins: int,
    ties: Ties,
    higher_is_better: bool,
    cuts: FloatArray | None,
) -> tuple[ScoreArray, FloatArray]:
    if cuts is None:
        cuts = quantile_cut_points(x, bins, ties=ties, descending=not higher_is_better)
    raw = bin_by_cut_points(x, cuts)
    scores = raw if higher_is_better else (bins + 1 - raw).astype(np.int8)
    return scores, cuts


def _warn_collapsed(found: ScoreBins, bins: int, grouped: str | None) -> None:
    if found.method != "quantile" or not found.collapsed:
        return
    name = f"`{found.variable}`"
    if grouped is None:
        empty = [s + 1 for s in np.flatnonzero(found.occupancy == 0).tolist()]
        message = (
            f"Ties in {name} left {len(empty)} of {bins} quantile bins empty "
            f"(no customer has score {', '.join(map(str, empty))}); customers "
            f"per score 1..{bins}: {found.occupancy.tolist()}; cut points used: "
            f"{found.cut_points.tolist()}."
        )
    else:
        flat = found.occupancy.reshape(-1, bins)
        used = flat.sum(axis=1) > 0
        n_bad = int((flat[used] == 0).any(axis=1).sum())
        message = (
            f"Ties or small groups in {name} left quantile bins empty in "
            f"{n_bad} of {int(used.sum())} {grouped} groups (nested sorting); "
            f"see `{_LETTER[found.variable]}_bins` on the result for the occupancy "
            "and cut points of each group."
        )
    warnings.warn(message, TiedBinsWarning, stacklevel=4)


def _score_variable(
    x: FloatArray,
    variable: str,
    bins: int,
    ties: Ties,
    *,
    higher_is_better: bool,
    cut_points: npt.ArrayLike | None,
) -> tuple[ScoreArray, ScoreBins]:
    cuts = (
        None
        if cut_points is None
        else check_cut_points(cut_points, f"{_LETTER[variable]}_cut_points", bins)
    )
    scores, used = _score_group(x, bins, ties, higher_is_better, cuts)
    found = ScoreBins(
        variable=variable,
        method="quantile" if cut_points is None else "cut_points",
        higher_is_better=higher_is_better,
        cut_points=used,
        occupancy=occupancy(scores, bins),
    )
    _warn_collapsed(found, bins, None)
    return scores, found


def _score_nested(
    x: FloatArray,
    variable: str,
    bins: int,
    ties: Ties,
    groups: npt.NDArray[np.int64],
    group_shape: tuple[int, ...],
    grouped: str,
) -> tuple[ScoreArray, ScoreBins]:
    n_groups = int(np.prod(group_shape))
    scores = np.empty(x.size, dtype=np.int8)
    cuts = np.full((n_groups, bins - 1), np.nan)
    counts = np.zeros((n_groups, bins), dtype=np.int64)
    for g in range(n_groups):
        members = groups == g
        if not members.any():
            continue
        group_scores, cuts[g] = _score_group(x[members], bins, ties, True, None)
        scores[members] = group_scores
        counts[g] = occupancy(group_scores, bins)
    found = ScoreBins(
        variable=variable,
        method="quantile",
        higher_is_better=True,
        cut_points=cuts.reshape(*group_shape, bins - 1),
        occupancy=counts.reshape(*group_shape, bins),
    )
    _warn_collapsed(found, bins, grouped)
    return scores, found


def rfm_scores(
    time_since_last_purchase: npt.ArrayLike,
    frequency: npt.ArrayLike,
    monetary_value: npt.ArrayLike,
    *,
    bins: int = 5,
    sorting: Sorting = "independent",
    ties: Ties = "midrank",
    r_cut_points: npt.ArrayLike | None = None,
    f_cut_points: npt.ArrayLike | None = None,
    m_cut_points: npt.ArrayLike | None = None,
    score_weights: Sequence[float] = (1.0, 1.0, 1.0),
) -> RFMScores:
    r"""Score customers 1 to ``bins`` on recency, frequency and monetary value.

    RFM analysis ranks customers on how recently they bought, how often and
    how much, and is the input of the named segments of a
    :class:`SegmentMap`. Scores here are a function of the values alone:
    equal values always get equal scores, the result never depends on row
    order, and it is unchanged by any strictly increasing transform of an
    input (log spend, days instead of weeks). Direction is fixed and
    explicit: ``bins`` is best, so the recency score is *high* for a *short*
    time since the last purchase.

    Parameters
    ----------
    time_since_last_purchase : array-like of shape (n_customers,)
        Time from each customer's last purchase to the end of observation
        (``T - recency`` of a :class:`custvalue.clv.CustomerSummary`), >= 0.
    frequency : array-like of shape (n_customers,)
        Purchase counts (repeat purchases or all purchases: one is the
        other plus one, which gives the same scores), >= 0.
    monetary_value : array-like of shape (n_customers,)
        Spend per customer (total or mean), >= 0.
    bins : int, default=5
        Number of scores per variable, from 2 to 100.
    sorting : {'independent', 'nested'}, default='independent'
        ``'independent'``: each variable is binned over all customers.
        ``'nested'``: frequency is binned within each recency score, and
        monetary value within each (recency, frequency) cell (Hughes 1994;
        Miglautsch 2000), so that F and M compare customers of similar
        recency. Nested scores are quantiles of small groups and cannot be
        given cut points.
    ties : {'midrank', 'low', 'high'}, default='midrank'
        How a block of customers with one value is scored when it straddles
        a quantile boundary: at its middle, or with the lowest or the
        highest score that any of its members would have had. ``'low'``
        puts a large block of one-time buyers in score 1.
    r_cut_points, f_cut_points, m_cut_points : array-like, optional
        Fixed cut points for a variable instead of quantiles: ``bins - 1``
        strictly increasing values, bins right-closed. For frequency
        ``(1, 2, 5, 10)`` gives score 1 to values <= 1, score 2 to
        (1, 2], ..., 5 above 10. For time since last purchase the scores run
        the other way: ``(30, 60, 90, 180)`` days gives score 5 to <= 30 days
        and 1 to more than 180.
    score_weights : sequence of 3 float, default=(1.0, 1.0, 1.0)
        Non-negative weights of the R, F and M scores in the composite score.

    Returns
    -------
    RFMScores
        The three scores, the combined FM score, the weighted composite, and
        per variable the cut points used and how many customers got each
        score.

    Raises
    ------
    ValueError
        If arrays are empty, differ in length, contain NaN or negative
        values; if ``bins`` < 2; if cut points are malformed or combined with
        nested sorting.

    Warns
    -----
    TiedBinsWarning
        When ties (or, with nested sorting, small groups) leave a quantile
        bin without customers. The occupancy and cut points are on the
        result.

    See Also
    --------
    SegmentMap : Named segments on the (R, FM) score grid.
    value_tiers : Quantile tiers of a single value such as CLV.

    Notes
    -----
    Let customer values sorted ascending occupy positions :math:`0, \dots,
    n-1`. A block of tied values at positions :math:`lo, \dots, hi - 1` has
    plotting position

    .. math::

        p = \frac{lo + hi}{2n} \quad (\text{'midrank'}), \qquad
        \frac{lo + 1/2}{n} \quad (\text{'low'}), \qquad
        \frac{hi - 1/2}{n} \quad (\text{'high'})

    and score :math:`1 + \lfloor b\,p \rfloor` for :math:`b` bins (for
    time since last purchase, positions are counted from the largest
    value). Without ties every rule gives position :math:`(i + 1/2)/n`
    (Hazen), so :math:`b` equal bins when :math:`b` divides :math:`n`, and
    scores are symmetric under reversing the order. A block whose position
    falls exactly on a boundary takes the higher score.

    References
    ----------
    .. [1] Hughes, A. M. (1994). *Strategic Database Marketing*. Chicago:
       Probus.
    .. [2] Miglautsch, J. R. (2000). Thoughts on RFM scoring. *Journal of
       Database Marketing*, 8(1), 67–72.

    Examples
    --------
    Ten customers, six of whom bought only once (repeat frequency 0). The
    one-time buyers are tied, so they share one frequency score, and the
    scores they cannot all have stay empty; a warning says so:

    >>> import warnings
    >>> from custvalue.segment import TiedBinsWarning, rfm_scores
    >>> weeks_since = [2, 5, 9, 30, 31, 40, 41, 60, 70, 90]
    >>> repeat_purchases = [4, 3, 2, 1, 0, 0, 0, 0, 0, 0]
    >>> spend = [80, 60, 70, 50, 20, 30, 10, 40, 25, 15]
    >>> with warnings.catch_warnings(record=True, action="always") as caught:
    ...     scores = rfm_scores(weeks_since, repeat_purchases, spend)
    >>> [w.category.__name__ for w in caught]
    ['TiedBinsWarning']
    >>> scores.r_score
    array([5, 5, 4, 4, 3, 3, 2, 2, 1, 1], dtype=int8)
    >>> scores.f_score
    array([5, 5, 4, 4, 2, 2, 2, 2, 2, 2], dtype=int8)
    >>> scores.f_bins.occupancy
    array([0, 6, 0, 2, 2])

    With ``ties='low'`` the one-time buyers get the lowest score instead:

    >>> with warnings.catch_warnings(action="ignore", category=TiedBinsWarning):
    ...     low = rfm_scores(weeks_since, repeat_purchases, spend, ties="low")
    >>> low.f_score
    array([5, 5, 4, 4, 1, 1, 1, 1, 1, 1], dtype=int8)
    >>> low.m_score
    array([5, 4, 5, 4, 2, 3, 1, 3, 2, 1], dtype=int8)
    """
    bins = check_bins(bins)
    ties = check_ties(ties)
    if sorting not in ("independent", "nested"):
        msg = f"`sorting` must be 'independent' or 'nested'; got {sorting!r}."
        raise ValueError(msg)
    if sorting == "nested" and not (f_cut_points is None and m_cut_points is None):
        msg = (
            "`f_cut_points` and `m_cut_points` must be None with "
            "sorting='nested'; nested scores are quantiles within groups. Use "
            "sorting='independent' to apply fixed cut points."
        )
        raise ValueError(msg)
    w = _check_score_weights(score_weights)
    t = as_float_array(
        time_since_last_purchase,
        "time_since_last_purchase",
        nonnegative=True,
        suggestion="It is T - recency, measured to the end of observation.",
    )
    f = as_float_array(frequency, "frequency", nonnegative=True)
    m = as_float_array(
        monetary_value,
        "monetary_value",
        nonnegative=True,
        suggestion="Net refunds against purchases first; for values that can be "
        "negative, such as profit, use value_tiers or customer_pyramid.",
    )
    check_same_length(time_since_last_purchase=t, frequency=f, monetary_value=m)
    r_score, r_bins = _score_variable(
        t,
        "time_since_last_purchase",
        bins,
        ties,
        higher_is_better=False,
        cut_points=r_cut_points,
    )
    if sorting == "independent":
        f_score, f_bins = _score_variable(
            f,
            "frequency",
            bins,
            ties,
            higher_is_better=True,
            cut_points=f_cut_points,
        )
        m_score, m_bins = _score_variable(
            m,
            "monetary_value",
            bins,
            ties,
            higher_is_better=True,
            cut_points=m_cut_points,
        )
    else:
        r_group = r_score.astype(np.int64) - 1
        f_score, f_bins = _score_nested(
            f, "frequency", bins, ties, r_group, (bins,), "R-score"
        )
        rf_group = r_group * bins + (f_score.astype(np.int64) - 1)
        m_score, m_bins = _score_nested(
            m,
            "monetary_value",
            bins,
            ties,
            rf_group,
            (bins, bins),
            "(R, F)-score",
        )
    return RFMScores(
        r_score=r_score,
        f_score=f_score,
        m_score=m_score,
        bins=bins,
        sorting=sorting,
        ties=ties,
        score_weights=w,
        r_bins=r_bins,
        f_bins=f_bins,
        m_bins=m_bins,
    )
