"""Confidence intervals for a net score: the share of one category minus another.

A net score is :math:`\\theta = p - d` for the shares ``p`` ("positive":
promoters) and ``d`` ("negative": detractors) of a three-category
multinomial; the third category (passives) counts only in ``n``. NPS is one,
the CES net index another. Everything here works on the unit scale
(:math:`-1 \\le \\theta \\le 1`) and on arrays, so many groups (or simulated
replicates) are handled in one call; callers multiply by 100.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from custvalue._lib.validation import FloatArray

__all__ = [
    "ADJUSTED_WALD_PSEUDO_COUNTS",
    "NetMethod",
    "adjusted_wald_bounds",
    "bootstrap_bounds",
    "score_bounds",
    "wald_bounds",
]

NetMethod = Literal["wald", "adjusted_wald", "score", "bootstrap", "bayesian"]

# Rocks (2016), section 3: pseudo-observations added to (positive, neutral,
# negative) before a Wald interval; 3 in all.
ADJUSTED_WALD_PSEUDO_COUNTS = (0.75, 1.5, 0.75)

_BISECTION_STEPS = 60


def _arrays(*values: npt.ArrayLike) -> list[FloatArray]:
    return [np.asarray(v, dtype=np.float64) for v in values]


def _degenerate_bounds(
    positive: FloatArray,
    neutral: FloatArray,
    negative: FloatArray,
    confidence_level: float,
) -> tuple[FloatArray, FloatArray]:
    """Bounds for samples with every respondent in one category.

    The share of respondents outside the observed category has the exact
    (Clopper–Pearson) upper bound :math:`q = 1 - (\\alpha/2)^{1/n}` for 0
    events in ``n`` trials. The net score can then move by at most ``2q``
    from +1 or -1, or by ``q`` either way from 0 (all neutral).
    """
    n = positive + neutral + negative
    alpha = 1.0 - confidence_level
    q = -np.expm1(np.log(alpha / 2.0) / n)  # 1 - (alpha/2)**(1/n), accurately
    all_positive = (neutral == 0) & (negative == 0)
    all_negative = (positive == 0) & (neutral == 0)
    low = np.where(all_positive, 1.0 - 2.0 * q, np.where(all_negative, -1.0, -q))
    high = np.where(all_negative, -1.0 + 2.0 * q, np.where(all_positive, 1.0, q))
    return np.maximum(low, -1.0), np.minimum(high, 1.0)


def _is_degenerate(
    positive: FloatArray, neutral: FloatArray, negative: FloatArray
) -> npt.NDArray[np.bool_]:
    result: npt.NDArray[np.bool_] = (
        ((neutral == 0) & (negative == 0))
        | ((positive == 0) & (negative == 0))
        | ((positive == 0) & (neutral == 0))
    )
    return result


def wald_bounds(
    positive: npt.ArrayLike,
    neutral: npt.ArrayLike,
    negative: npt.ArrayLike,
    z: float,
    confidence_level: float,
    *,
    standard_error: npt.ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Wald interval :math:`\\hat\\theta \\pm z\\,\\mathrm{se}`, clipped to [-1, 1].

    ``standard_error`` (unit scale) replaces the multinomial one
    :math:`\\sqrt{((\\hat p + \\hat d) - \\hat\\theta^2)/n}`, e.g. with a
    linearized survey-weighted one. Samples with every respondent in one
    category (where the standard error is 0) get the exact bounds of
    :func:`_degenerate_bounds` instead of a zero-width interval.
    """
    pos, neu, neg = _arrays(positive, neutral, negative)
    n = pos + neu + neg
    estimate = (pos - neg) / n
    if standard_error is None:
        variance = np.maximum((pos + neg) / n - estimate**2, 0.0)
        se = np.sqrt(variance / n)
    else:
        se = np.asarray(standard_error, dtype=np.float64)
    low = np.maximum(estimate - z * se, -1.0)
    high = np.minimum(estimate + z * se, 1.0)
    degenerate = _is_degenerate(pos, neu, neg)
    if np.any(degenerate):
        fallback_low, fallback_high = _degenerate_bounds(
            pos, neu, neg, confidence_level
        )
        low = np.where(degenerate, fallback_low, low)
        high = np.where(degenerate, fallback_high, high)
    return low, high


def adjusted_wald_bounds(
    positive: npt.ArrayLike,
    neutral: npt.ArrayLike,
    negative: npt.ArrayLike,
    z: float,
) -> tuple[FloatArray, FloatArray]:
    """Rocks (2016) adjusted Wald: add (0.75, 1.5, 0.75), then Wald; clip to [-1, 1].

    The pseudo-observations pull the centre towards 0 by a fraction
    :math:`3/(n+3)` of the estimate; where that leaves the estimate outside
    the interval, the nearer bound is moved to the estimate (the interval
    is extended, never shrunk). With whole counts at levels of 85% or more
    this happens only when every respondent gave the same answer (1
    promoter at 95%: [-48.5, 98.5] becomes [-48.5, 100]), which is the
    boundary modification Brown, Cai & DasGupta (2001) recommend for the
    Jeffreys binomial interval.
    """
    pos, neu, neg = _arrays(positive, neutral, negative)
    add_pos, add_neu, add_neg = ADJUSTED_WALD_PSEUDO_COUNTS
    a_pos, a_neu, a_neg = pos + add_pos, neu + add_neu, neg + add_neg
    n = a_pos + a_neu + a_neg
    centre = (a_pos - a_neg) / n
    variance = (a_pos + a_neg) / n - centre**2
    se = np.sqrt(variance / n)
    low = np.maximum(centre - z * se, -1.0)
    high = np.minimum(centre + z * se, 1.0)
    estimate = (pos - neg) / (pos + neu + neg)
    return np.minimum(low, estimate), np.maximum(high, estimate)


def _constrained_variance(
    positive: FloatArray, negative: FloatArray, n: FloatArray, theta: FloatArray
) -> FloatArray:
    """Per-respondent variance of the net score at the restricted MLE.

    Maximizing the multinomial likelihood subject to ``p - d = theta`` gives
    (setting the derivative of :math:`D\\ln d + P\\ln(d+\\theta) +
    A\\ln(1-2d-\\theta)` to zero) the quadratic
    :math:`2n\\,d^2 + [(2n - P + D)\\theta - (P + D)]\\,d - D\\theta(1-\\theta) = 0`
    for the restricted detractor share, as in Tango's (1998) score interval
    for paired proportions. For :math:`\\theta < 0` the mirror image
    (positive and negative swapped, :math:`\\theta \\to -\\theta`) is solved,
    so the constant term is never negative, and the root is taken in the
    cancellation-free form :math:`2c/(b + \\sqrt{b^2 + 8nc})` when
    :math:`b > 0`. The variance is :math:`\\tilde p + \\tilde d - \\theta^2
    = 2\\tilde m + |\\theta|(1 - |\\theta|)` with :math:`\\tilde m` the
    smaller restricted share.
    """
    mirrored = theta < 0
    t = np.abs(theta)
    small = np.where(mirrored, positive, negative)
    large = np.where(mirrored, negative, positive)
    b = (2.0 * n - large + small) * t - (large + small)
    c = small * t * (1.0 - t)
    root = np.sqrt(b * b + 8.0 * n * c)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(b > 0, 2.0 * c / (b + root), (root - b) / (4.0 * n))
    variance: FloatArray = 2.0 * share + t * (1.0 - t)
    return variance


def _score_statistic(
    positive: FloatArray, negative: FloatArray, n: FloatArray, theta: FloatArray
) -> FloatArray:
    variance = _constrained_variance(positive, negative, n, theta)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (positive - negative - n * theta) / np.sqrt(n * variance)


def score_bounds(
    positive: npt.ArrayLike,
    neutral: npt.ArrayLike,
    negative: npt.ArrayLike,
    z: float,
) -> tuple[FloatArray, FloatArray]:
    """Score interval: every ``theta`` whose restricted-MLE score test has |S| < z.

    The statistic :math:`S(\\theta) = (P - D - n\\theta)/\\sqrt{n\\,\\tilde
    v(\\theta)}` decreases in :math:`\\theta`; each bound is found by 60
    bisection steps (to :math:`2^{-60}` of the search range), vectorized
    over groups. The bound is +1 when every respondent is positive and -1
    when every respondent is negative (Rocks 2016, "iterative" interval).
    """
    pos, neu, neg = _arrays(positive, neutral, negative)
    n = pos + neu + neg
    estimate = (pos - neg) / n
    inside_low, outside_low = estimate.copy(), np.full_like(estimate, -1.0)
    inside_high, outside_high = estimate.copy(), np.full_like(estimate, 1.0)
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (inside_high + outside_high)
        keep = _score_statistic(pos, neg, n, mid) > -z
        inside_high = np.where(keep, mid, inside_high)
        outside_high = np.where(keep, outside_high, mid)
        mid = 0.5 * (inside_low + outside_low)
        keep = _score_statistic(pos, neg, n, mid) < z
        inside_low = np.where(keep, mid, inside_low)
        outside_low = np.where(keep, outside_low, mid)
    low = np.where(neg == n, -1.0, outside_low)
    high = np.where(pos == n, 1.0, outside_high)
    return low, high


def bootstrap_bounds(
    positive: float,
    neutral: float,
    negative: float,
    confidence_level: float,
    *,
    n_resamples: int,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """Percentile bootstrap from multinomial resamples of ``round(n)`` respondents.

    With whole counts this is Efron's nonparametric bootstrap of the
    respondents. Samples with every respondent in one category have no
    bootstrap spread and get :func:`_degenerate_bounds` instead. The
    resampled scores lie on a grid of step :math:`1/m` (``m`` resampled
    respondents); where one grid value holds the central ``1 - alpha`` of
    the resamples (small samples at low levels, or very few resamples) the
    two percentiles coincide, and both are moved out by one grid step so
    that the interval never has zero width.
    """
    pos, neu, neg = _arrays(positive, neutral, negative)
    if _is_degenerate(pos, neu, neg):
        low, high = _degenerate_bounds(pos, neu, neg, confidence_level)
        return float(low), float(high)
    total = float(pos + neu + neg)
    size = max(round(total), 1)
    shares = np.array([pos, neu, neg], dtype=np.float64) / total
    draws = rng.multinomial(size, shares, size=n_resamples)
    scores = (draws[:, 0] - draws[:, 2]) / size
    alpha = 1.0 - confidence_level
    lower, upper = (
        float(bound)
        for bound in np.clip(
            np.quantile(scores, [alpha / 2.0, 1.0 - alpha / 2.0]), -1, 1
        )
    )
    if upper <= lower:
        # A collapsed percentile interval: widen by one step of the grid
        # k / size on which every resampled score lies.
        lower, upper = max(lower - 1.0 / size, -1.0), min(upper + 1.0 / size, 1.0)
    # Extended to the estimate if the percentiles miss it (never seen with
    # whole counts; possible in principle for very skewed resamples).
    estimate = float((pos - neg) / total)
    return min(lower, estimate), max(upper, estimate)
