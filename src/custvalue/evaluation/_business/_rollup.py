"""Weighted roll-up of child scores with a missing-data policy (internal)."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["roll_up"]


def _weighted_mean(scores: Sequence[float], weights: Sequence[float]) -> float | None:
    """Weighted mean, written as s0 + sum w (s - s0) / sum w.

    The shift makes the mean of identical scores that score exactly, with no
    rounding. None when the weights sum to 0.
    """
    total = math.fsum(weights)
    if total <= 0.0:
        return None
    base = scores[0]
    return (
        base
        + math.fsum(w * (s - base) for s, w in zip(scores, weights, strict=True))
        / total
    )


def roll_up(
    scores: Sequence[float | None], weights: Sequence[float], policy: str
) -> float | None:
    """Weighted mean of the children's scores under a missing-data policy.

    ``'propagate'``: None as soon as a child with positive weight has no
    score. ``'renormalize'``: the mean over the children with a score, None
    when none of them has positive weight.
    """
    if policy == "propagate" and any(
        s is None and w > 0 for s, w in zip(scores, weights, strict=True)
    ):
        return None
    kept = [(s, w) for s, w in zip(scores, weights, strict=True) if s is not None]
    if not kept:
        return None
    return _weighted_mean([s for s, _ in kept], [w for _, w in kept])
