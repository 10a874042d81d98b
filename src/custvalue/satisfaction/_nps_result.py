"""The Net Promoter Score result: counts, score, standard error and intervals.

Built by the constructors in :mod:`custvalue.satisfaction._nps`.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import attrs
import numpy as np

from custvalue._lib.fields import Result
from custvalue._lib.intervals import ConfidenceInterval
from custvalue.satisfaction._net_intervals import NetMethod
from custvalue.satisfaction._net_methods import Prior, net_interval
from custvalue.satisfaction._validation import (
    check_count,
)

__all__ = ["POINTS", "NetPromoterScore"]

# Score points per respondent: a promoter counts +100, a passive 0 and a
# detractor -100, so the score is the mean on -100..100.
POINTS = 100.0


def _promoters(value: Any) -> float:
    return check_count(value, "promoters")


def _passives(value: Any) -> float:
    return check_count(value, "passives")


def _detractors(value: Any) -> float:
    return check_count(value, "detractors")


def _whole_number(value: Any, name: str, minimum: int) -> int:
    """Check a number of respondents (a whole number >= ``minimum``); return an int."""
    rule = f"a whole number >= {minimum}"
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        msg = f"`{name}` must be {rule}; got {value!r}."
        raise TypeError(msg)
    if isinstance(value, numbers.Integral):
        whole = int(value)
    else:
        number = float(value)
        if not (math.isfinite(number) and number == math.floor(number)):
            msg = f"`{name}` must be {rule}; got {value!r}."
            raise ValueError(msg)
        whole = int(number)
    if whole < minimum:
        msg = f"`{name}` must be {rule}; got {value!r}."
        raise ValueError(msg)
    return whole


def _n_respondents(value: Any) -> int:
    return _whole_number(value, "n_respondents", 1)


def _n_missing(value: Any) -> int:
    return _whole_number(value, "n_missing", 0)


# Tolerances of the consistency checks: the standard error is recomputed
# from the other fields, which round differently from the way the fields
# were built (weights that are equal up to about 1e-8 give exactly
# n_eff = n in floating point and a standard error that differs from the
# unweighted one by about 1e-8 relatively).
_SE_RTOL = 1e-6
_RANGE_RTOL = 1e-9
_WHOLE_RTOL = 1e-7


@attrs.frozen(kw_only=True)
class NetPromoterScore(Result):
    """A Net Promoter Score with the counts behind it and its uncertainty.

    Returned by :func:`nps` and :func:`nps_from_scores`. The score is on
    the -100..100 scale (the percentage of promoters minus the percentage of
    detractors); shares are proportions between 0 and 1. Further quantities
    are methods: :meth:`confidence_interval` gives an interval by any of five
    methods.

    Parameters
    ----------
    promoters, passives, detractors : float
        How many respondents fell in each category; with survey weights, the
        weight totals.
    n_respondents : int
        Number of respondents counted (missing answers excluded).
    effective_sample_size : float
        Kish's effective sample size :math:`(\\sum w)^2 / \\sum w^2`; equal to
        ``n_respondents`` without weights.
    standard_error : float
        Standard error of :attr:`score`, in score points; linearized when
        there are weights.
    n_missing : int, default=0
        Missing answers left out (``missing='omit'``).

    Raises
    ------
    TypeError
        If a count, ``n_respondents`` or ``n_missing`` is not a number.
    ValueError
        If the fields break one of the invariants in the Notes.

    See Also
    --------
    nps : From the three counts.
    nps_from_scores : From 0–10 answers, optionally weighted.
    compare_nps : Difference of two scores.

    Notes
    -----
    The fields are checked against each other when the object is built;
    :func:`nps` and :func:`nps_from_scores` always satisfy these checks,
    and a result assembled by hand must too:

    - the counts are finite and >= 0, and not all 0;
    - ``n_respondents`` is a whole number >= 1 and at least the number of
      non-empty categories; ``n_missing`` is a whole number >= 0;
    - :math:`0 < n_{\\mathrm{eff}} \\le` ``n_respondents``, with equality
      exactly when all weights are equal (unweighted data included);
    - ``standard_error`` is finite and >= 0;
    - with equal weights (:math:`n_{\\mathrm{eff}} = n`), the shares times
      :math:`n` are whole numbers (the respondents per category) and
      ``standard_error`` is :math:`100\\sqrt{[(p + d) - (p - d)^2]/n}`;
    - with unequal weights, :math:`n_{\\mathrm{eff}}\\,(\\mathrm{se}/100)^2`
      lies between the smallest and the largest :math:`(y_k -
      \\hat\\theta)^2` over the non-empty categories :math:`k` (codes
      :math:`y_k \\in \\{-1, 0, 1\\}`), because the linearized variance
      is :math:`\\sum_k s_k (y_k - \\hat\\theta)^2 / n_{\\mathrm{eff}}`
      with :math:`s_k` the category's share of :math:`\\sum w^2`; in
      particular it is 0 when everyone is in one category.

    The last two allow for rounding in the weighted sums: a relative
    tolerance of :math:`10^{-6}` on the standard error with equal weights,
    :math:`10^{-9}` on the range with unequal weights, and
    :math:`10^{-7} n` on the whole numbers.

    Examples
    --------
    >>> from custvalue.satisfaction import nps
    >>> result = nps(promoters=50, passives=30, detractors=20)
    >>> result.score, result.n_respondents
    (30.0, 100)
    >>> round(result.variance), round(result.standard_error, 3)
    (6100, 7.81)
    """

    promoters: float = attrs.field(converter=_promoters)
    passives: float = attrs.field(converter=_passives)
    detractors: float = attrs.field(converter=_detractors)
    n_respondents: int = attrs.field(converter=_n_respondents)
    effective_sample_size: float
    standard_error: float
    n_missing: int = attrs.field(default=0, converter=_n_missing)

    def __attrs_post_init__(self) -> None:
        if self.total <= 0:
            msg = (
                "`promoters`, `passives` and `detractors` must not all be 0; got "
                "no respondents. An NPS needs at least one answer."
            )
            raise ValueError(msg)
        counts = (self.detractors, self.passives, self.promoters)
        occupied = sum(count > 0 for count in counts)
        if self.n_respondents < occupied:
            msg = (
                "`n_respondents` must be at least the number of non-empty "
                f"categories; got {self.n_respondents!r} for {occupied} non-empty "
                "categories. Each needs at least one respondent."
            )
            raise ValueError(msg)
        if not 0 < self.effective_sample_size <= self.n_respondents * (1 + 1e-12):
            msg = (
                "`effective_sample_size` must be > 0 and <= `n_respondents`; got "
                f"{self.effective_sample_size!r} for {self.n_respondents} respondents."
            )
            raise ValueError(msg)
        if not (math.isfinite(self.standard_error) and self.standard_error >= 0):
            msg = (
                "`standard_error` must be finite and >= 0; got "
                f"{self.standard_error!r}."
            )
            raise ValueError(msg)
        self._check_consistency(counts)

    def _check_consistency(self, counts: tuple[float, float, float]) -> None:
        """Check the standard error (and, unweighted, the counts) against the rest."""
        n = self.n_respondents
        unit_se = self.standard_error / POINTS
        if self.effective_sample_size == n:
            # Equal weights (unweighted data included): the counts are a
            # common weight times whole numbers of respondents.
            per_category = [count / self.total * n for count in counts]
            if any(abs(k - round(k)) > _WHOLE_RTOL * n + 1e-9 for k in per_category):
                shown = ", ".join(f"{k:.6g}" for k in per_category)
                msg = (
                    "`n_respondents` must be consistent with the counts; got "
                    f"{n!r}, which gives {shown} respondents per category "
                    "(detractor, passive, promoter) instead of whole numbers. "
                    "Without weights the counts must sum to `n_respondents`."
                )
                raise ValueError(msg)
            expected = math.sqrt(self.variance / n) / POINTS
            if not math.isclose(unit_se, expected, rel_tol=_SE_RTOL, abs_tol=1e-12):
                msg = (
                    "`standard_error` must be 100 sqrt([(p + d) - (p - d)^2] / n) "
                    "when `effective_sample_size` equals `n_respondents` (no or "
                    f"equal weights), {POINTS * expected:.6g} here; got "
                    f"{self.standard_error!r}."
                )
                raise ValueError(msg)
            return
        theta = (self.promoters - self.detractors) / self.total
        spreads = [
            (code - theta) ** 2
            for code, count in zip((-1.0, 0.0, 1.0), counts, strict=True)
            if count > 0
        ]
        scaled = self.effective_sample_size * unit_se**2
        low, high = min(spreads), max(spreads)
        slack = _RANGE_RTOL * max(high, 1e-300) + 1e-15
        if not low - slack <= scaled <= high + slack:
            msg = (
                "`standard_error` must be consistent with the shares and "
                "`effective_sample_size`: n_eff (se / 100)^2 must lie between "
                f"{low:.6g} and {high:.6g}; got {scaled:.6g} (standard_error="
                f"{self.standard_error!r}, effective_sample_size="
                f"{self.effective_sample_size!r})."
            )
            raise ValueError(msg)

    @property
    def total(self) -> float:
        """Sum of the three counts (of the weights, with weights)."""
        return self.promoters + self.passives + self.detractors

    @property
    def promoter_share(self) -> float:
        """Share of promoters, between 0 and 1."""
        return self.promoters / self.total

    @property
    def passive_share(self) -> float:
        """Share of passives, between 0 and 1."""
        return self.passives / self.total

    @property
    def detractor_share(self) -> float:
        """Share of detractors, between 0 and 1."""
        return self.detractors / self.total

    def _headline(self) -> str:
        """Show the score, its default 95% interval and the respondents."""
        if self.n_respondents == 0:
            return f"score=nan, n={self.n_respondents}"
        ci = self.confidence_interval()
        return (
            f"score={self.score:.1f}, 95% CI [{ci.low:.1f}, {ci.high:.1f}], "
            f"n={self.n_respondents}"
        )

    @property
    def score(self) -> float:
        """The Net Promoter Score, :math:`100\\,(p - d)`, between -100 and 100."""
        return POINTS * ((self.promoters - self.detractors) / self.total)

    @property
    def variance(self) -> float:
        """Per-respondent variance, :math:`100^2\\,[(p + d) - (p - d)^2]`, in points².

        The variance of one respondent's +100 / 0 / -100 points; at most
        10,000, when half are promoters and half detractors.
        """
        p, d = self.promoter_share, self.detractor_share
        return POINTS**2 * max((p + d) - (p - d) ** 2, 0.0)

    def effective_counts(self) -> tuple[float, float, float]:
        """Return the counts rescaled to the effective sample size: share × n_eff.

        These are what the count-based interval methods use; without
        weights they are the counts themselves.

        Examples
        --------
        >>> from custvalue.satisfaction import nps_from_scores
        >>> result = nps_from_scores([10, 9, 3, 8], weights=[1, 2, 1, 2])
        >>> result.effective_sample_size
        3.6
        >>> [round(c, 2) for c in result.effective_counts()]
        [1.8, 1.2, 0.6]
        """
        scale = self.effective_sample_size / self.total
        return (
            self.promoters * scale,
            self.passives * scale,
            self.detractors * scale,
        )

    def confidence_interval(
        self,
        confidence_level: float = 0.95,
        *,
        method: NetMethod = "adjusted_wald",
        n_resamples: int = 10_000,
        rng: np.random.Generator | int | None = None,
        prior: Prior = "jeffreys",
    ) -> ConfidenceInterval:
        """Confidence interval for the score, in score points within [-100, 100].

        Parameters
        ----------
        confidence_level : float, default=0.95
            Nominal two-sided coverage, strictly between 0 and 1.
        method : {'adjusted_wald', 'wald', 'score', 'bootstrap', 'bayesian'}, \
default='adjusted_wald'
            ``'adjusted_wald'``: Rocks (2016): add 0.75 promoters, 1.5
            passives and 0.75 detractors, then a Wald interval.
            ``'wald'``: :math:`\\mathrm{score} \\pm z\\,\\mathrm{se}` with
            :attr:`standard_error` (linearized with weights); it
            under-covers in small samples. ``'score'``: the iterative score
            interval (Rocks 2016), inverting the score test with the
            restricted maximum-likelihood variance. ``'bootstrap'``:
            percentile interval of ``n_resamples`` multinomial resamples.
            ``'bayesian'``: equal-tailed credible interval of the Dirichlet
            posterior, computed exactly by quadrature.
        n_resamples : int, default=10000
            Number of bootstrap resamples (``'bootstrap'`` only).
        rng : numpy.random.Generator, int or None, default=None
            Randomness for ``'bootstrap'``; pass a seed for a reproducible
            interval. Global state is never used.
        prior : {'jeffreys', 'uniform'}, default='jeffreys'
            Dirichlet prior for ``'bayesian'``: 1/2 or 1 pseudo-count per
            category.

        Returns
        -------
        ConfidenceInterval
            ``low`` and ``high`` in score points, with
            :math:`-100 \\le \\mathrm{low} < \\mathrm{high} \\le 100`.

        Raises
        ------
        ValueError
            If ``confidence_level`` is not strictly between 0 and 1, or an
            option is not one of the listed values.

        Notes
        -----
        With :math:`n` respondents, shares :math:`p, d` and :math:`z` the
        normal quantile, the Wald interval is

        .. math::

            100\\left[(p - d) \\pm z \\sqrt{\\frac{(p + d) - (p - d)^2}{n}}\\right].

        The adjusted Wald interval applies the same formula to the counts
        plus (0.75, 1.5, 0.75), i.e. to :math:`n + 3` respondents (Rocks
        2016). The score interval is the set of :math:`\\theta` with
        :math:`|P - D - n\\theta| < z \\sqrt{n\\,\\tilde v(\\theta)}`, where
        :math:`\\tilde v(\\theta) = \\tilde p + \\tilde d - \\theta^2` uses the
        shares that maximize the likelihood subject to :math:`p - d =
        \\theta`; they solve a quadratic, as in Tango's (1998) interval for
        paired proportions, which has the same structure.

        Bounds are clipped to [-100, 100]. Conventions at the edges:

        - When every respondent is in one category, the Wald standard error
          is 0 and every bootstrap resample is the same. Both methods then
          use the exact (Clopper–Pearson) upper bound :math:`q = 1 -
          (\\alpha/2)^{1/n}` on the share of respondents outside that
          category: ``[100(1 - 2q), 100]`` for all promoters, ``[-100q,
          100q]`` for all passives, ``[-100, 100(2q - 1)]`` for all
          detractors.
        - Every interval contains the score: where a method's bounds miss
          it, the nearer bound is moved to the score. For ``'adjusted_wald'``
          (whose pseudo-counts pull the centre towards 0) and for
          ``'bayesian'`` with the Jeffreys prior, with whole counts at 85%
          confidence or more, this happens only when every respondent gave
          the same category, and then it is the boundary modification
          Brown, Cai & DasGupta (2001) recommend for the Jeffreys binomial
          interval (1 promoter at 95%: adjusted Wald [-48.5, 98.5] becomes
          [-48.5, 100]). It also happens near ±100 below 85% (4 promoters
          and 1 passive at 80%: adjusted Wald [20.0, 79.97] becomes [20.0,
          80]), with the uniform prior below 95% (99 promoters and 1
          passive at 90%: upper bound 98.97 becomes 99), and with tiny
          effective samples from weights.
        - The bootstrap's resampled scores lie on a grid of step
          :math:`100/m` points (:math:`m` resampled respondents). Where one
          grid value holds the central share of the resamples, so that the
          two percentiles coincide (tiny samples at low levels, or very few
          resamples), both bounds move out by one grid step (1 promoter
          and 1 detractor at 50%: [0, 0] becomes [-50, 50]).

        With survey weights, ``'wald'`` uses the linearized standard error
        and the other methods use :meth:`effective_counts` (the weighted
        shares times Kish's effective sample size); the bootstrap then
        resamples ``round(n_eff)`` respondents.

        References
        ----------
        .. [1] Rocks, B. (2016). Interval estimation for the "net promoter
           score". *The American Statistician*, 70(4), 365–372.
           arXiv:1601.07235.
        .. [2] Tango, T. (1998). Equivalence test and confidence interval for
           the difference in proportions for the paired-sample design.
           *Statistics in Medicine*, 17(8), 891–908.
        .. [3] Brown, L. D., Cai, T. T., & DasGupta, A. (2001). Interval
           estimation for a binomial proportion. *Statistical Science*,
           16(2), 101–133.
        .. [4] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to
           the Bootstrap*. Chapman & Hall.

        Examples
        --------
        >>> from custvalue.satisfaction import nps
        >>> result = nps(promoters=120, passives=50, detractors=30)
        >>> ci = result.confidence_interval()
        >>> round(ci.low, 2), round(ci.high, 2)
        (34.14, 54.53)
        >>> ci = result.confidence_interval(method="wald")
        >>> round(ci.low, 2), round(ci.high, 2)
        (34.75, 55.25)
        """
        unit_se = self.standard_error / POINTS
        low, high = net_interval(
            *self.effective_counts(),
            confidence_level=confidence_level,
            method=method,
            standard_error=unit_se,
            n_resamples=n_resamples,
            rng=rng,
            prior=prior,
        )
        # Bounds come from the effective counts; hull with the reported
        # score so that rounding in the rescaling cannot put it outside.
        score = self.score
        return ConfidenceInterval(
            low=min(POINTS * low, score),
            high=max(POINTS * high, score),
            confidence_level=float(confidence_level),
        )
