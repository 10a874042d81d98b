"""Lloyd's k-means with k-means++ seeding, and a subsampled silhouette.

Private numerics for :func:`custvalue.segment.kmeans_segments`; scipy's
``vq`` does the nearest-centre search, numpy the rest.
"""

from __future__ import annotations

import attrs
import numpy as np
from scipy.cluster.vq import vq
from scipy.spatial.distance import cdist

from custvalue._lib.validation import FloatArray, IntArray

__all__ = ["LloydResult", "kmeans_plus_plus", "lloyd", "silhouette_score"]


@attrs.frozen(kw_only=True)
class LloydResult:
    """One k-means run: labels, centres, inertia and convergence."""

    labels: IntArray
    centers: FloatArray
    inertia: float
    n_iter: int
    converged: bool


def kmeans_plus_plus(x: FloatArray, k: int, rng: np.random.Generator) -> FloatArray:
    """Seed ``k`` centres by D² sampling (Arthur & Vassilvitskii 2007).

    Raises
    ------
    ValueError
        If the data has fewer than ``k`` distinct rows (the squared distances
        to the chosen centres all vanish before ``k`` are chosen).
    """
    n = x.shape[0]
    centers = np.empty((k, x.shape[1]))
    centers[0] = x[rng.integers(n)]
    closest = ((x - centers[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        cumulative = np.cumsum(closest)
        total = float(cumulative[-1])
        if not total > 0:
            msg = (
                f"`n_clusters` must be at most the number of distinct customers "
                f"(after transforming); only {j} distinct rows were found for "
                f"{k} clusters. Ask for fewer clusters."
            )
            raise ValueError(msg)
        index = int(np.searchsorted(cumulative, rng.random() * total, side="right"))
        centers[j] = x[min(index, n - 1)]
        np.minimum(closest, ((x - centers[j]) ** 2).sum(axis=1), out=closest)
    return centers


def lloyd(
    x: FloatArray, centers: FloatArray, *, max_iter: int, tol: float
) -> LloydResult:
    """Lloyd's iterations from ``centers`` until the centres settle.

    A run stops when the assignments repeat or the squared moves of the
    centres sum to at most ``tol`` (the caller scales it by the data's mean
    variance, as scikit-learn does). An empty cluster is moved to the point
    farthest from its own centre, so every run ends with ``k`` non-empty
    clusters.
    """
    k = centers.shape[0]
    centers = centers.copy()
    converged = False
    n_iter = 0
    previous: IntArray | None = None
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - n_iter is reported
        labels, distance = vq(x, centers, check_finite=False)
        counts = np.bincount(labels, minlength=k)
        updated = np.empty_like(centers)
        for d in range(x.shape[1]):
            updated[:, d] = np.bincount(labels, weights=x[:, d], minlength=k)
        for j in np.flatnonzero(counts == 0).tolist():
            far = int(np.argmax(distance))
            updated[j], distance[far], counts[j] = x[far], 0.0, 1
        updated /= counts[:, None]
        moved = float(((updated - centers) ** 2).sum())
        unchanged = previous is not None and np.array_equal(labels, previous)
        centers, previous = updated, labels
        if moved <= tol or unchanged:
            converged = True
            break
    labels, distance = vq(x, centers, check_finite=False)
    return LloydResult(
        labels=labels.astype(np.int64),
        centers=centers,
        inertia=float(np.dot(distance, distance)),
        n_iter=n_iter,
        converged=converged,
    )


def silhouette_score(
    x: FloatArray, labels: IntArray, k: int, chunk: int = 512
) -> float:
    """Mean silhouette width (Rousseeuw 1987) of the rows of ``x``.

    Points alone in their cluster score 0. Returns NaN when fewer than two
    clusters are present. Cost is O(n²) distances, computed ``chunk`` rows at
    a time.
    """
    n = x.shape[0]
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    if np.count_nonzero(counts) < 2:
        return float("nan")
    one_hot = np.zeros((n, k))
    one_hot[np.arange(n), labels] = 1.0
    widths = np.empty(n)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        sums = cdist(x[start:stop], x) @ one_hot
        own = labels[start:stop]
        rows = np.arange(stop - start)
        own_count = counts[own]
        a = np.divide(
            sums[rows, own],
            own_count - 1,
            out=np.zeros(stop - start),
            where=own_count > 1,
        )
        mean_other = np.divide(
            sums, counts, out=np.full_like(sums, np.inf), where=counts > 0
        )
        mean_other[rows, own] = np.inf
        b = mean_other.min(axis=1)
        larger = np.maximum(a, b)
        widths[start:stop] = np.where(
            own_count > 1,
            np.divide(b - a, larger, out=np.zeros(stop - start), where=larger > 0),
            0.0,
        )
    return float(widths.mean())
