"""Segment profiles and the labels every segmenter returns."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from custvalue.segment import SegmentLabels, abc_classes, segment_profile


def test_profile_by_hand() -> None:
    # gold: customers 0, 2 (value 300 + 100 = 400 of 500 -> 0.8; frequency
    # (6 + 4)/2 = 5); iron: 1, 3, 4 (value 100 -> 0.2; frequency (1+0+2)/3 = 1)
    profile = segment_profile(
        ["gold", "iron", "gold", "iron", "iron"],
        value=[300.0, 20.0, 100.0, 40.0, 40.0],
        time_since_last_purchase=[1.0, 9.0, 3.0, 12.0, 6.0],
        frequency=[6, 1, 4, 0, 2],
        monetary_value=[50.0, 20.0, 25.0, 0.0, 20.0],
    )
    assert profile.segment == ("gold", "iron")
    assert profile.size.tolist() == [2, 3]
    assert np.allclose(profile.customer_share, [0.4, 0.6])
    assert profile.value_share is not None
    assert np.allclose(profile.value_share, [0.8, 0.2])
    assert profile.mean_value is not None
    assert np.allclose(profile.mean_value, [200.0, 100.0 / 3])
    assert profile.mean_time_since_last_purchase is not None
    assert np.allclose(profile.mean_time_since_last_purchase, [2.0, 9.0])
    assert profile.mean_frequency is not None
    assert np.allclose(profile.mean_frequency, [5.0, 1.0])
    assert profile.mean_monetary_value is not None
    assert np.allclose(profile.mean_monetary_value, [37.5, 40.0 / 3])


def test_profile_of_labels_keeps_empty_segments() -> None:
    labels = SegmentLabels(codes=[2, 2, 0], names=("A", "B", "C"))
    profile = segment_profile(labels, value=[-10.0, 30.0, 10.0])
    assert profile.size.tolist() == [1, 0, 2]
    # profit can be negative: shares of the total 30 are 1/3, 0, 2/3
    assert profile.value_share is not None
    assert np.allclose(profile.value_share, [1 / 3, 0.0, 2 / 3])
    assert profile.mean_value is not None
    assert np.isnan(profile.mean_value[1])
    assert profile.mean_frequency is None
    columns = profile.to_dict()
    assert list(columns) == [
        "segment",
        "size",
        "customer_share",
        "value_share",
        "mean_value",
        "mean_time_since_last_purchase",
        "mean_frequency",
        "mean_monetary_value",
    ]
    assert columns["mean_frequency"] is None


def test_profile_accepts_a_segmenter_result() -> None:
    # ABC of 60, 30, 10: shares above 0, 0.6, 0.9 -> A, A, B; C is empty
    abc = abc_classes([60.0, 30.0, 10.0])
    profile = segment_profile(abc, value=[60.0, 30.0, 10.0])
    assert profile.segment == ("A", "B", "C")
    assert profile.size.tolist() == [2, 1, 0]


def test_profile_is_frozen_and_pickles() -> None:
    profile = segment_profile(["a", "b"], frequency=[1.0, 2.0])
    assert pickle.loads(pickle.dumps(profile)) == profile
    with pytest.raises(ValueError, match="read-only"):
        profile.size[0] = 5


def test_profile_bad_input() -> None:
    with pytest.raises(ValueError, match="must not sum to 0"):
        segment_profile(["a", "b"], value=[1.0, -1.0])
    with pytest.raises(ValueError, match="must have the same length"):
        segment_profile(["a", "b"], frequency=[1.0])
    with pytest.raises(ValueError, match="`labels` must not be empty"):
        segment_profile([])
    with pytest.raises(ValueError, match="`labels` must not contain NaN"):
        segment_profile([1.0, np.nan])


def test_labels_validate_codes_and_names() -> None:
    with pytest.raises(ValueError, match=r"`codes` must be < 2 .* 1 of 3 violate this"):
        SegmentLabels(codes=[0, 1, 2], names=("a", "b"))
    with pytest.raises(ValueError, match="must be distinct"):
        SegmentLabels(codes=[0], names=("a", "a"))
    with pytest.raises(TypeError, match="must contain integers"):
        SegmentLabels(codes=[0.5], names=("a",))
    with pytest.raises(TypeError, match="not one string"):
        SegmentLabels(codes=[0], names="ab")
    with pytest.raises(ValueError, match="must lie in 0"):
        SegmentLabels(codes=[-1], names=("a",))
    with pytest.raises(ValueError, match="`name` must be one of"):
        SegmentLabels(codes=[0], names=("a",)).mask("b")


def test_labels_from_values_and_to_dict() -> None:
    labels = SegmentLabels.from_values([3, 1, 3])
    assert labels.names == ("1", "3")
    assert labels.codes.tolist() == [1, 0, 1]
    columns = labels.to_dict()
    assert columns == {"codes": [1, 0, 1], "names": ["1", "3"]}
    assert SegmentLabels.from_dict(columns) == labels
