"""k-means segments: hand cases, the silhouette by its definition, reproducibility."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custvalue.errors import ConvergenceWarning
from custvalue.segment import kmeans_segments
from custvalue.segment._kmeans import silhouette_score

FloatArray = npt.NDArray[np.float64]


def test_one_dimensional_case_by_hand() -> None:
    # points 0, 1, 10, 11 in two clusters, no transform or scaling: centres
    # 0.5 and 10.5, inertia 4 * 0.5^2 = 1. Silhouettes (Rousseeuw 1987):
    #   0: a = 1, b = (10 + 11)/2 = 10.5 -> 9.5/10.5
    #   1: a = 1, b = (9 + 10)/2 = 9.5 -> 8.5/9.5; 10 and 11 mirror 1 and 0.
    result = kmeans_segments(
        {"spend": [0.0, 1.0, 10.0, 11.0]},
        value="spend",
        n_clusters=2,
        transform="none",
        standardize=False,
        rng=3,
    )
    assert result.labels.as_strings().tolist() == [
        "cluster 2",
        "cluster 2",
        "cluster 1",
        "cluster 1",
    ]
    assert result.centers[:, 0].tolist() == [10.5, 0.5]
    assert result.inertia == pytest.approx(1.0)
    expected = (2 * 9.5 / 10.5 + 2 * 8.5 / 9.5) / 4
    assert result.silhouette == pytest.approx(expected)
    assert result.mean_value.tolist() == [10.5, 0.5]
    assert result.converged
    assert result.silhouette_sample_size == 4


def _silhouette_by_definition(x: FloatArray, labels: npt.NDArray[np.int64]) -> float:
    widths = []
    for i in range(len(x)):
        own = [j for j in range(len(x)) if labels[j] == labels[i] and j != i]
        if not own:
            widths.append(0.0)
            continue
        a = sum(math.dist(x[i], x[j]) for j in own) / len(own)
        b = min(
            sum(math.dist(x[i], x[j]) for j in range(len(x)) if labels[j] == c)
            / int(np.sum(labels == c))
            for c in set(labels.tolist()) - {int(labels[i])}
        )
        widths.append((b - a) / max(a, b) if max(a, b) > 0 else 0.0)
    return sum(widths) / len(widths)


@given(
    points=st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=3, max_size=25
    ),
    seed=st.integers(0, 1000),
)
def test_silhouette_matches_its_definition(
    points: list[tuple[int, int]], seed: int
) -> None:
    x = np.array(points, dtype=np.float64)
    labels = np.random.default_rng(seed).integers(0, 3, len(points))
    if len(set(labels.tolist())) < 2:
        assert math.isnan(silhouette_score(x, labels, 3))
    else:
        assert silhouette_score(x, labels, 3, chunk=4) == pytest.approx(
            _silhouette_by_definition(x, labels)
        )


def _blobs(seed: int, n: int = 300) -> dict[str, FloatArray]:
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 3, n)
    frequency = np.array([0.0, 4.0, 20.0])[group] + rng.integers(0, 2, n).astype(float)
    spend = np.array([10.0, 60.0, 400.0])[group] * rng.uniform(0.9, 1.1, n)
    days = np.array([300.0, 60.0, 5.0])[group] + rng.integers(0, 5, n).astype(float)
    return {
        "time_since_last_purchase": days,
        "frequency": frequency,
        "monetary_value": spend,
    }


def test_clusters_are_reproducible_and_ordered_by_value() -> None:
    features = _blobs(0)
    first = kmeans_segments(features, value="monetary_value", n_clusters=3, rng=7)
    again = kmeans_segments(features, value="monetary_value", n_clusters=3, rng=7)
    assert first == again
    other_seed = kmeans_segments(features, value="monetary_value", n_clusters=3, rng=11)
    # well separated groups: every seed finds them, and the value order gives
    # them the same names
    assert np.array_equal(first.labels.codes, other_seed.labels.codes)
    assert np.all(np.diff(first.mean_value) < 0)
    # cluster 1 is the big spenders: their mean spend is around 400
    assert 360 < first.feature_means[0, 2] < 440
    assert first.silhouette > 0.8


def test_an_array_value_orders_clusters() -> None:
    features = _blobs(1)
    # order by minus spend: the cheapest group becomes cluster 1
    result = kmeans_segments(
        features, value=-features["monetary_value"], n_clusters=3, rng=0
    )
    assert result.feature_means[0, 2] < 15


def test_assign_places_new_customers_with_the_learned_transform() -> None:
    features = _blobs(2)
    result = kmeans_segments(features, value="monetary_value", n_clusters=3, rng=0)
    fresh = result.assign(
        {
            "time_since_last_purchase": [4.0],
            "frequency": [21.0],
            "monetary_value": [390.0],
        }
    )
    assert fresh.as_strings().tolist() == ["cluster 1"]
    # the training customers get their own labels back
    assert np.array_equal(result.assign(features).codes, result.labels.codes)
    with pytest.raises(ValueError, match="must have the columns"):
        result.assign({"frequency": [1.0]})


def test_silhouette_subsample_is_capped() -> None:
    features = _blobs(3, n=400)
    result = kmeans_segments(
        features, value="monetary_value", n_clusters=3, rng=0, silhouette_sample_size=50
    )
    assert result.silhouette_sample_size == 50
    full = kmeans_segments(
        features,
        value="monetary_value",
        n_clusters=3,
        rng=0,
        silhouette_sample_size=None,
    )
    assert full.silhouette_sample_size == 400


def test_transform_per_feature() -> None:
    features = {"profit": [-5.0, -4.0, 30.0, 31.0], "frequency": [0.0, 1.0, 9.0, 8.0]}
    result = kmeans_segments(
        features, value="profit", n_clusters=2, transform={"profit": "none"}, rng=0
    )
    assert result.transforms == ("none", "log1p")
    with pytest.raises(ValueError, match="log1p needs values >= 0") as raised:
        kmeans_segments(features, value="profit", n_clusters=2, rng=0)
    # the suggestion is code to paste: balanced braces, no stray "}}"
    assert "pass transform={'profit': 'none'} for this column." in str(raised.value)
    assert "}}" not in str(raised.value)


def test_non_convergence_is_reported() -> None:
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        result = kmeans_segments(
            _blobs(4), value="monetary_value", n_clusters=5, max_iter=1, tol=0.0, rng=0
        )
    assert not result.converged


def test_bad_input() -> None:
    good = {"frequency": [1.0, 2.0, 3.0], "monetary_value": [1.0, 5.0, 9.0]}
    with pytest.raises(TypeError, match="must be a mapping"):
        kmeans_segments([[1.0, 2.0]], value="frequency")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one column"):
        kmeans_segments({}, value="frequency")
    with pytest.raises(ValueError, match="`n_clusters` must be an integer >= 2"):
        kmeans_segments(good, value="frequency", n_clusters=1)
    with pytest.raises(ValueError, match="at most the number of customers"):
        kmeans_segments(good, value="frequency", n_clusters=4)
    with pytest.raises(ValueError, match="only 2 distinct rows"):
        kmeans_segments(
            {"frequency": [1.0, 1.0, 2.0]}, value="frequency", n_clusters=3, rng=0
        )
    with pytest.raises(ValueError, match="`frequency` must vary"):
        kmeans_segments({"frequency": [2.0, 2.0]}, value="frequency")
    # a constant column whose mean is inexact: its std is 1.4e-17, not 0, and
    # used to pass the check and be "standardized" into rounding noise
    constant = {"frequency": [0.0, 1.0, 2.0], "spend": [0.1, 0.1, 0.1]}
    with pytest.raises(ValueError, match="`spend` must vary"):
        kmeans_segments(constant, value="frequency", n_clusters=2, transform="none")
    with pytest.raises(ValueError, match="`value` must name one of the features"):
        kmeans_segments(good, value="clv")
    with pytest.raises(ValueError, match="must have the same length"):
        kmeans_segments(good, value=[1.0, 2.0])
    with pytest.raises(ValueError, match="`frequency` must be finite"):
        kmeans_segments({"frequency": [1.0, np.nan]}, value="frequency")
    with pytest.raises(ValueError, match="`transform` of 'frequency' must be"):
        kmeans_segments(good, value="frequency", transform="sqrt")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown features"):
        kmeans_segments(good, value="frequency", transform={"clv": "none"})
