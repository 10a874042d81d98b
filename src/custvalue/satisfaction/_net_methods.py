"""One entry point for a net score's interval by any method (unit scale)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from custvalue._lib.intervals import normal_quantile
from custvalue._lib.validation import as_generator, check_integer_option
from custvalue.satisfaction._dirichlet import net_quantile
from custvalue.satisfaction._net_intervals import (
    NetMethod,
    adjusted_wald_bounds,
    bootstrap_bounds,
    score_bounds,
    wald_bounds,
)

__all__ = ["NET_METHODS", "Prior", "bayesian_bounds", "check_method", "net_interval"]

NET_METHODS = ("wald", "adjusted_wald", "score", "bootstrap", "bayesian")

Prior = Literal["jeffreys", "uniform"]

_PRIOR_COUNTS = {"jeffreys": 0.5, "uniform": 1.0}


def check_method(method: str, allowed: tuple[str, ...] = NET_METHODS) -> None:
    """Raise ``ValueError`` unless ``method`` is one of ``allowed``."""
    if method not in allowed:
        listed = ", ".join(repr(m) for m in allowed)
        msg = f"`method` must be one of {listed}; got {method!r}."
        raise ValueError(msg)


def bayesian_bounds(
    positive: float,
    neutral: float,
    negative: float,
    confidence_level: float,
    *,
    prior: str,
) -> tuple[float, float]:
    """Equal-tailed credible interval of ``p - d`` under a Dirichlet posterior.

    The posterior is Dirichlet(counts + prior count) with prior count 1/2
    (Jeffreys) or 1 (uniform). Where the equal-tailed interval misses the
    estimate, the nearer bound is moved to it; with the Jeffreys prior,
    whole counts and levels of 85% or more this is exactly the boundary
    modification Brown, Cai & DasGupta (2001) recommend for the Jeffreys
    binomial interval (the bound beside an estimate of +1 or -1 is that
    edge).
    """
    if prior not in _PRIOR_COUNTS:
        msg = f"`prior` must be 'jeffreys' or 'uniform'; got {prior!r}."
        raise ValueError(msg)
    add = _PRIOR_COUNTS[prior]
    alpha = 1.0 - confidence_level
    a_pos, a_neu, a_neg = positive + add, neutral + add, negative + add
    low = net_quantile(alpha / 2.0, a_pos, a_neu, a_neg)
    high = net_quantile(1.0 - alpha / 2.0, a_pos, a_neu, a_neg)
    estimate = (positive - negative) / (positive + neutral + negative)
    return min(low, estimate), max(high, estimate)


def net_interval(
    positive: float,
    neutral: float,
    negative: float,
    *,
    confidence_level: float,
    method: NetMethod,
    standard_error: float | None = None,
    n_resamples: int = 10_000,
    rng: np.random.Generator | int | None = None,
    prior: Prior = "jeffreys",
) -> tuple[float, float]:
    """Bounds (unit scale) of the net score ``p - d`` from (effective) counts.

    ``standard_error`` (unit scale) is used by ``'wald'`` only, in place of
    the multinomial one.
    """
    check_method(method)
    z = normal_quantile(confidence_level)
    if method == "wald":
        low, high = wald_bounds(
            positive,
            neutral,
            negative,
            z,
            confidence_level,
            standard_error=standard_error,
        )
    elif method == "adjusted_wald":
        low, high = adjusted_wald_bounds(positive, neutral, negative, z)
    elif method == "score":
        low, high = score_bounds(positive, neutral, negative, z)
    elif method == "bootstrap":
        return bootstrap_bounds(
            positive,
            neutral,
            negative,
            confidence_level,
            n_resamples=check_integer_option(n_resamples, "n_resamples", minimum=1),
            rng=as_generator(rng),
        )
    else:
        return bayesian_bounds(
            positive, neutral, negative, confidence_level, prior=prior
        )
    return float(low), float(high)
