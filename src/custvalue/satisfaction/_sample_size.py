"""Respondents needed for an NPS margin of error, or to detect an NPS change."""

from __future__ import annotations

import math

from scipy import special

from custvalue._lib.intervals import normal_quantile
from custvalue._lib.validation import check_scalar

__all__ = ["nps_sample_size", "nps_sample_size_for_difference"]

# Rocks's (2016) adjusted-Wald interval uses n + 3 respondents (the counts
# plus 0.75 + 1.5 + 0.75 pseudo-observations), so solving its half-width for
# n subtracts 3 (Sauro & Lewis' NPS sample-size formulas).
_PSEUDO_TOTAL = 3.0

# Guard against a product like 1534.0000000000002 rounding up to 1535.
_CEIL_SLACK = 1e-9

# Margins and differences are in NPS points; a value below 1 point is far
# more often a share on the -1..1 scale (0.05 for 5 points) than a real
# target (1 point already takes 38,412 respondents in the worst case).
_SMALLEST_POINTS = 1.0


def _check_points(value: float, name: str, *, largest: float, why: str) -> float:
    """Check a margin or difference in NPS points: 1 <= value <= largest."""
    number = check_scalar(value, name, positive=True)
    if number < _SMALLEST_POINTS:
        msg = (
            f"`{name}` must be >= 1 point; got {value!r}. `{name}` is in NPS "
            f"points (-100..100 scale), so {value!r} means {value!r} points. "
            f"Suggestion: did you mean {100 * number:g}?"
        )
        raise ValueError(msg)
    if number > largest:
        msg = f"`{name}` must be <= {largest:g} points; got {value!r}. {why}"
        raise ValueError(msg)
    return number


def _planning_variance(
    promoter_share: float | None, detractor_share: float | None
) -> float:
    """Return the planning variance (unit scale): worst case 1, or from shares."""
    if promoter_share is None and detractor_share is None:
        return 1.0
    if promoter_share is None or detractor_share is None:
        msg = (
            "`promoter_share` and `detractor_share` must be given together; got "
            f"promoter_share={promoter_share!r}, detractor_share={detractor_share!r}. "
            "Give neither for the worst case."
        )
        raise ValueError(msg)
    p = check_scalar(promoter_share, "promoter_share", nonnegative=True)
    d = check_scalar(detractor_share, "detractor_share", nonnegative=True)
    if p + d > 1:
        msg = (
            "`promoter_share` + `detractor_share` must be <= 1; got "
            f"{p!r} + {d!r}. They are shares of the same respondents."
        )
        raise ValueError(msg)
    variance = (p + d) - (p - d) ** 2
    if variance <= 0:
        msg = (
            "`promoter_share` and `detractor_share` must leave some spread; got "
            f"{p!r} and {d!r}, where every respondent gives the same category and "
            "any sample has margin 0. Plan with the worst case instead."
        )
        raise ValueError(msg)
    return variance


def _respondents(value: float) -> int:
    return max(math.ceil(value - _CEIL_SLACK), 1)


def nps_sample_size(
    margin_of_error: float,
    *,
    confidence_level: float = 0.95,
    promoter_share: float | None = None,
    detractor_share: float | None = None,
) -> int:
    """Respondents needed for an NPS interval of a given margin of error.

    Use it when planning a survey: how many answers are needed so that the
    95% interval of the NPS is at most ±``margin_of_error`` points. Without
    planning shares it takes the worst case (half promoters, half
    detractors), which no survey can exceed.

    Parameters
    ----------
    margin_of_error : float
        Half-width of the interval in score points (-100..100 scale), from
        1 to 100; ``5`` means ±5 points.
    confidence_level : float, default=0.95
        Nominal two-sided coverage, strictly between 0 and 1.
    promoter_share, detractor_share : float, optional
        Expected shares (0 to 1) of promoters and detractors, from an
        earlier survey. Give both or neither.

    Returns
    -------
    int
        The smallest number of respondents whose adjusted-Wald margin of
        error is at most ``margin_of_error`` (at least 1).

    Raises
    ------
    ValueError
        If ``margin_of_error`` is not between 1 and 100 points (a value
        below 1, such as 0.05, is taken for a share on the -1..1 scale and
        the message suggests the value in points), ``confidence_level`` is
        not strictly between 0 and 1, or the planning shares are
        inconsistent.

    See Also
    --------
    nps_sample_size_for_difference : Per group, to detect a change.

    Notes
    -----
    The adjusted-Wald interval (Rocks 2016) has half-width :math:`z
    \\sqrt{v/(n + 3)}` on the unit scale, with per-respondent variance
    :math:`v = (p + d) - (p - d)^2`. Setting it to :math:`E = \\text{margin}
    / 100` and solving,

    .. math::

        n = \\left\\lceil \\frac{z^2\\, v}{E^2} - 3 \\right\\rceil .

    The worst case is :math:`v = 1` (:math:`p = d = 1/2`): for ±5 points at
    95%, :math:`(1.959964 / 0.05)^2 - 3 = 1533.6`, so 1,534 respondents.
    The planning variance uses the shares as given, not the adjusted ones,
    as in Sauro & Lewis's lookup tables.

    Margins below 1 point are rejected as a likely mix-up of scales: ±1
    point already needs 38,412 respondents in the worst case, while
    ``0.05`` meant as 5% would silently ask for 15 million. For such a
    margin, use the formula above directly.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter
       score". *The American Statistician*, 70(4), 365–372.
    .. [2] Lewis, J. R., & Sauro, J. (2021). Sample size estimation for NPS
       confidence intervals. MeasuringU.
       https://measuringu.com/nps-ci-sample-size/

    Examples
    --------
    >>> from custvalue.satisfaction import nps_sample_size
    >>> nps_sample_size(5)
    1534
    >>> nps_sample_size(5, promoter_share=0.5, detractor_share=0.2)
    935
    >>> nps_sample_size(10, confidence_level=0.9)
    268
    """
    margin = _check_points(
        margin_of_error,
        "margin_of_error",
        largest=100.0,
        why="The NPS runs from -100 to 100, so no margin of error exceeds 100.",
    )
    z = normal_quantile(confidence_level)
    variance = _planning_variance(promoter_share, detractor_share)
    unit_margin = margin / 100.0
    return _respondents(z**2 * variance / unit_margin**2 - _PSEUDO_TOTAL)


def nps_sample_size_for_difference(
    difference: float,
    *,
    power: float = 0.8,
    confidence_level: float = 0.95,
    promoter_share: float | None = None,
    detractor_share: float | None = None,
) -> int:
    """Respondents needed per group to detect a difference between two NPS.

    Use it to plan two independent samples (two waves with different
    respondents, or two segments): how many answers each needs so that a
    true difference of ``difference`` points is found significant by
    :func:`compare_nps` with probability ``power``.

    Parameters
    ----------
    difference : float
        The smallest difference worth detecting, in score points (on the
        -100..100 scale), from 1 to 200.
    power : float, default=0.8
        Probability of detecting it, strictly between 0 and 1.
    confidence_level : float, default=0.95
        One minus the two-sided significance level.
    promoter_share, detractor_share : float, optional
        Expected shares in both groups; both or neither. Without them the
        worst case (variance 1 in each group) is used.

    Returns
    -------
    int
        Respondents per group (at least 1).

    Raises
    ------
    ValueError
        If ``difference`` is not between 1 and 200 points (no two scores
        differ by more than 200; a value below 1, such as 0.1, is taken for
        a difference of shares and the message suggests the value in
        points), ``power`` or ``confidence_level`` is not strictly between 0
        and 1, or the planning shares are inconsistent.

    See Also
    --------
    nps_sample_size : For a margin of error.
    compare_nps : The test this plans for.

    Notes
    -----
    With both groups of :math:`n + 3` adjusted respondents and variance
    :math:`v` each, the adjusted-Wald difference has standard error
    :math:`\\sqrt{2v/(n + 3)}`. Requiring :math:`\\Delta / \\mathrm{se} \\ge
    z_{1-\\alpha/2} + z_{\\text{power}}` gives

    .. math::

        n = \\left\\lceil \\frac{(z_{1-\\alpha/2} + z_{\\text{power}})^2\\, 2v}
        {\\Delta^2} - 3 \\right\\rceil

    (unit scale, :math:`\\Delta` = difference / 100). For 10 points at 95%
    and 80% power in the worst case: :math:`(1.959964 + 0.841621)^2 \\times
    2 / 0.01 - 3 = 1566.8`, so 1,567 per group. As for
    :func:`nps_sample_size`, differences below 1 point are rejected as a
    likely mix-up of scales (1 point already needs 156,975 per group).

    References
    ----------
    .. [1] Lewis, J. R., & Sauro, J. (2021). Sample sizes for comparing
       Net Promoter Scores. MeasuringU.
       https://measuringu.com/nps-sig-test-sample-size/

    Examples
    --------
    >>> from custvalue.satisfaction import nps_sample_size_for_difference
    >>> nps_sample_size_for_difference(10)
    1567
    >>> nps_sample_size_for_difference(10, promoter_share=0.5, detractor_share=0.2)
    955
    """
    delta = _check_points(
        difference,
        "difference",
        largest=200.0,
        why="Two scores on the -100..100 scale differ by at most 200 points.",
    )
    level_power = check_scalar(power, "power", open_unit_interval=True)
    z_alpha = normal_quantile(confidence_level)
    z_power = float(special.ndtri(level_power))
    variance = _planning_variance(promoter_share, detractor_share)
    unit_delta = delta / 100.0
    needed = (z_alpha + z_power) ** 2 * 2.0 * variance / unit_delta**2
    return _respondents(needed - _PSEUDO_TOTAL)
