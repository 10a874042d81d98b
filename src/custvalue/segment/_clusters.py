"""k-means segments on transformed, standardized customer features."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
from scipy.cluster.vq import vq

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.validation import (
    FloatArray,
    as_float_array,
    as_generator,
    check_integer_option,
    check_same_length,
    check_scalar,
    readonly,
)
from custvalue.errors import ConvergenceWarning
from custvalue.segment._kmeans import kmeans_plus_plus, lloyd, silhouette_score
from custvalue.segment._labels import SegmentLabels

__all__ = ["KMeansSegments", "kmeans_segments"]

Transform = Literal["log1p", "none"]


def _frozen_float(value: npt.ArrayLike) -> FloatArray:
    return readonly(np.array(value, dtype=np.float64, copy=True))


def _transformed(
    features: Mapping[str, npt.ArrayLike],
    transforms: tuple[Transform, ...],
) -> tuple[FloatArray, FloatArray]:
    """Return the checked raw columns and their transforms, as (n, p) arrays."""
    raw: list[FloatArray] = []
    columns = []
    for (name, raw_values), how in zip(features.items(), transforms, strict=True):
        if how == "log1p":
            column = as_float_array(
                raw_values,
                name,
                nonnegative=True,
                suggestion=f"log1p needs values >= 0; pass transform={{{name!r}: "
                f"'none'}} for this column.",
            )
            columns.append(np.log1p(column))
        else:
            column = as_float_array(raw_values, name)
            columns.append(column)
        raw.append(column)
    check_same_length(**dict(zip(features, columns, strict=True)))
    return np.column_stack(raw), np.column_stack(columns)


@attrs.frozen(kw_only=True)
class KMeansSegments(Result):
    """k-means clusters of customers, ordered by a value measure.

    Returned by :func:`kmeans_segments`. What the clustering learned (the
    transform's location and scale, the centres) is kept so that
    :meth:`assign` can place new customers.

    Parameters
    ----------
    labels : SegmentLabels
        Clusters ``'cluster 1'`` (highest mean value) to ``'cluster k'``.
    feature_names : tuple of str
        The features, in column order.
    transforms : tuple of {'log1p', 'none'}
        The transform applied to each feature before standardizing.
    location, scale : ndarray of float64 of shape (n_features,)
        The standardization: ``z = (transform(x) - location) / scale``
        (0 and 1 when not standardized).
    centers : ndarray of float64 of shape (n_clusters, n_features)
        Cluster centres in the standardized space.
    feature_means : ndarray of float64 of shape (n_clusters, n_features)
        Mean of each original (untransformed) feature per cluster.
    mean_value : ndarray of float64 of shape (n_clusters,)
        Mean of the value measure per cluster, decreasing.
    inertia : float
        Within-cluster sum of squared distances in the standardized space.
    silhouette : float
        Mean silhouette width on ``silhouette_sample_size`` customers (NaN if
        the sample holds fewer than two clusters).
    silhouette_sample_size : int
        How many customers the silhouette was computed on.
    n_iter : int
        Lloyd iterations of the best run.
    converged : bool
        Whether the best run settled (see ``tol``) before ``max_iter``.

    Examples
    --------
    >>> from custvalue.segment import kmeans_segments
    >>> features = {
    ...     "frequency": [9, 8, 0, 1], "monetary_value": [90.0, 80.0, 5.0, 8.0]
    ... }
    >>> clusters = kmeans_segments(
    ...     features, value="monetary_value", n_clusters=2, rng=1
    ... )
    >>> clusters.feature_means
    array([[ 8.5, 85. ],
           [ 0.5,  6.5]])
    >>> clusters.assign({"frequency": [7], "monetary_value": [70.0]}).as_strings()
    array(['cluster 1'], dtype='<U9')
    """

    labels: SegmentLabels
    feature_names: tuple[str, ...]
    transforms: tuple[Transform, ...]
    location: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    scale: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    centers: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    feature_means: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    mean_value: FloatArray = attrs.field(converter=_frozen_float, eq=ARRAY_EQ)
    inertia: float
    silhouette: float
    silhouette_sample_size: int
    n_iter: int
    converged: bool

    def assign(self, features: Mapping[str, npt.ArrayLike]) -> SegmentLabels:
        """Place customers in the nearest cluster, with the learned transform.

        Parameters
        ----------
        features : mapping of str to array-like
            The same features (names) as the clustering was fitted on.

        Returns
        -------
        SegmentLabels
        """
        if tuple(features) != self.feature_names:
            msg = (
                f"`features` must have the columns {list(self.feature_names)!r} in "
                f"this order; got {list(features)!r}."
            )
            raise ValueError(msg)
        z = (_transformed(features, self.transforms)[1] - self.location) / self.scale
        codes, _ = vq(z, self.centers, check_finite=False)
        return SegmentLabels(codes=codes, names=self.labels.names)


def _check_transforms(
    transform: Transform | Mapping[str, Transform], names: tuple[str, ...]
) -> tuple[Transform, ...]:
    if isinstance(transform, str):
        chosen: dict[str, Any] = dict.fromkeys(names, transform)
    else:
        unknown = set(transform) - set(names)
        if unknown:
            msg = f"`transform` names unknown features {sorted(unknown)!r}."
            raise ValueError(msg)
        chosen = {name: transform.get(name, "log1p") for name in names}
    for name, how in chosen.items():
        if how not in ("log1p", "none"):
            msg = f"`transform` of {name!r} must be 'log1p' or 'none'; got {how!r}."
            raise ValueError(msg)
    return tuple(chosen[name] for name in names)


def kmeans_segments(
    features: Mapping[str, npt.ArrayLike],
    *,
    value: str | npt.ArrayLike,
    n_clusters: int = 5,
    transform: Transform | Mapping[str, Transform] = "log1p",
    standardize: bool = True,
    n_init: int = 4,
    max_iter: int = 300,
    tol: float = 1e-4,
    silhouette_sample_size: int | None = 5_000,
    rng: np.random.Generator | int | None = None,
) -> KMeansSegments:
    """Cluster customers with k-means and order the clusters by value.

    Clustering finds groups of similar customers without fixing the
    boundaries in advance, as RFM scores do. RFM inputs are heavily skewed
    (a few customers buy very often or spend a lot), so by default each
    feature is log-transformed (``log1p``) and standardized before k-means,
    which otherwise would cluster on the largest raw scale only. Results are
    reproducible for a given ``rng`` and the clusters are numbered by their
    mean value, so "cluster 1" is the most valuable one in every run. The
    inertia and silhouette help choose ``n_clusters``.

    Parameters
    ----------
    features : mapping of str to array-like
        The columns to cluster on, by name, each of shape (n_customers,);
        for example ``{'time_since_last_purchase': ..., 'frequency': ...,
        'monetary_value': ...}``.
    value : str or array-like of shape (n_customers,)
        The value measure that orders the clusters (highest mean first):
        the name of one of the features, or an array such as CLV.
    n_clusters : int, default=5
        Number of clusters, >= 2.
    transform : {'log1p', 'none'} or mapping of str to those, default='log1p'
        Transform of each feature before standardizing; a mapping sets it
        per feature (unnamed features get ``'log1p'``). ``'log1p'`` requires
        values >= 0.
    standardize : bool, default=True
        Whether to centre and scale each transformed feature to unit
        variance.
    n_init : int, default=4
        Number of k-means++ starts; the run with the lowest inertia is kept.
    max_iter : int, default=300
        Maximum Lloyd iterations per start.
    tol : float, default=1e-4
        A run stops when the squared moves of the centres in one iteration
        sum to at most ``tol`` times the mean variance of the (transformed,
        standardized) features, or when no customer changes cluster.
    silhouette_sample_size : int or None, default=5000
        The silhouette costs O(n²) distances, so it is computed on a seeded
        random subsample of this many customers (all customers if fewer, or
        if None).
    rng : numpy.random.Generator, int or None, default=None
        Source of randomness for seeding and the silhouette sample. Pass an
        int for reproducible results.

    Returns
    -------
    KMeansSegments

    Raises
    ------
    ValueError
        If features are missing, empty, not finite, of different lengths,
        negative under ``log1p`` or constant when standardized; if there are
        fewer distinct customers than clusters; or if options are out of
        range.

    Warns
    -----
    ConvergenceWarning
        If the best run reached ``max_iter`` before its centres settled.

    See Also
    --------
    rfm_scores : Rule-based scores instead of learned clusters.
    segment_profile : Describe the clusters.

    Notes
    -----
    k-means minimizes the inertia :math:`\\sum_i \\lVert z_i - c_{g(i)}
    \\rVert^2` over assignments :math:`g` and centres :math:`c`, here by
    Lloyd's algorithm (Lloyd 1982) from k-means++ seeds (Arthur &
    Vassilvitskii 2007). The silhouette of customer :math:`i` is
    :math:`s_i = (b_i - a_i) / \\max(a_i, b_i)`, with :math:`a_i` the mean
    distance to the others in its cluster and :math:`b_i` the smallest mean
    distance to another cluster (Rousseeuw 1987); a customer alone in their
    cluster has :math:`s_i = 0`. The reported value is the mean over the
    subsample, computed within the subsample.

    References
    ----------
    .. [1] Lloyd, S. P. (1982). Least squares quantization in PCM. *IEEE
       Transactions on Information Theory*, 28(2), 129–137.
    .. [2] Arthur, D., & Vassilvitskii, S. (2007). k-means++: The advantages
       of careful seeding. *Proceedings of the 18th ACM-SIAM Symposium on
       Discrete Algorithms*, 1027–1035.
    .. [3] Rousseeuw, P. J. (1987). Silhouettes: A graphical aid to the
       interpretation and validation of cluster analysis. *Journal of
       Computational and Applied Mathematics*, 20, 53–65.

    Examples
    --------
    Two obvious groups of customers: frequent big spenders and one-time
    small buyers.

    >>> from custvalue.segment import kmeans_segments
    >>> features = {
    ...     "frequency": [10, 12, 11, 0, 1, 0],
    ...     "monetary_value": [200.0, 220.0, 210.0, 15.0, 20.0, 10.0],
    ... }
    >>> clusters = kmeans_segments(
    ...     features, value="monetary_value", n_clusters=2, rng=0
    ... )
    >>> clusters.labels.as_strings()
    array(['cluster 1', 'cluster 1', 'cluster 1', 'cluster 2', 'cluster 2',
           'cluster 2'], dtype='<U9')
    >>> clusters.mean_value
    array([210.,  15.])
    >>> round(clusters.silhouette, 3)
    0.875
    """
    given: object = features
    if not isinstance(given, Mapping):
        msg = (
            "`features` must be a mapping of column name to array, e.g. "
            f"{{'frequency': ...}}; got {type(given).__name__}."
        )
        raise TypeError(msg)
    if not features:
        msg = "`features` must name at least one column; got an empty mapping."
        raise ValueError(msg)
    names = tuple(str(name) for name in features)
    k = check_integer_option(n_clusters, "n_clusters", minimum=2)
    n_init = check_integer_option(n_init, "n_init", minimum=1)
    max_iter = check_integer_option(max_iter, "max_iter", minimum=1)
    tol = check_scalar(tol, "tol", nonnegative=True)
    transforms = _check_transforms(transform, names)
    generator = as_generator(rng)
    raw, z = _transformed(features, transforms)
    n = z.shape[0]
    if isinstance(value, str):
        if value not in features:
            msg = (
                f"`value` must name one of the features {list(names)!r}; got {value!r}."
            )
            raise ValueError(msg)
        worth = as_float_array(features[value], value)
    else:
        worth = as_float_array(value, "value")
        check_same_length(features=z[:, 0], value=worth)
    if standardize:
        location, scale = z.mean(axis=0), z.std(axis=0)
        # a constant column has ptp exactly 0, but its std is rounding noise
        # (the mean of n copies of 0.1 is not exactly 0.1), not 0
        constant_columns = np.ptp(z, axis=0) == 0
        if bool(constant_columns.any()):
            constant = names[int(np.flatnonzero(constant_columns)[0])]
            msg = (
                f"`{constant}` must vary between customers to be standardized; "
                "every customer has the same value. Drop it from `features`."
            )
            raise ValueError(msg)
        z = (z - location) / scale
    else:
        location, scale = np.zeros(len(names)), np.ones(len(names))
    if n < k:
        msg = f"`n_clusters` must be at most the number of customers ({n}); got {k}."
        raise ValueError(msg)
    settle = tol * float(z.var(axis=0).mean())
    best = lloyd(z, kmeans_plus_plus(z, k, generator), max_iter=max_iter, tol=settle)
    for _ in range(n_init - 1):
        run = lloyd(z, kmeans_plus_plus(z, k, generator), max_iter=max_iter, tol=settle)
        if run.inertia < best.inertia:
            best = run
    if not best.converged:
        warnings.warn(
            f"k-means did not settle within max_iter={max_iter} iterations "
            f"(tol={tol}); the clusters may still move. Raise max_iter.",
            ConvergenceWarning,
            stacklevel=2,
        )
    counts = np.bincount(best.labels, minlength=k)
    means = (
        np.stack(
            [
                np.bincount(best.labels, weights=raw[:, d], minlength=k)
                for d in range(len(names))
            ],
            axis=1,
        )
        / counts[:, None]
    )
    mean_value = np.bincount(best.labels, weights=worth, minlength=k) / counts
    keys = [best.centers[:, d] for d in range(len(names) - 1, -1, -1)]
    order = np.lexsort((*keys, -mean_value))
    relabel = np.empty(k, dtype=np.int64)
    relabel[order] = np.arange(k)
    labels = relabel[best.labels]
    m = (
        n
        if silhouette_sample_size is None
        else min(
            check_integer_option(
                silhouette_sample_size, "silhouette_sample_size", minimum=2
            ),
            n,
        )
    )
    sample = (
        np.sort(generator.choice(n, size=m, replace=False)) if m < n else np.arange(n)
    )
    return KMeansSegments(
        labels=SegmentLabels(
            codes=labels, names=tuple(f"cluster {j}" for j in range(1, k + 1))
        ),
        feature_names=names,
        transforms=transforms,
        location=location,
        scale=scale,
        centers=best.centers[order],
        feature_means=means[order],
        mean_value=mean_value[order],
        inertia=best.inertia,
        silhouette=silhouette_score(z[sample], labels[sample], k),
        silhouette_sample_size=m,
        n_iter=best.n_iter,
        converged=best.converged,
    )
