"""Customer segmentation: RFM, value tiers, lifecycle, value matrix, clusters.

Segmenters are composable primitives: arrays in, a frozen result out, with
one label per customer as :class:`SegmentLabels`. Every rule depends on
values only, so equal customers get equal labels and row order never
matters.

- :func:`rfm_scores` and :class:`SegmentMap` -- RFM scores and named
  segments on the (R, FM) grid, with the 11- and 5-segment presets;
- :func:`value_tiers`, :func:`abc_classes`, :func:`customer_pyramid` --
  tiers of a value, ABC classes by share of value, the profit pyramid;
- :func:`lifecycle_stages` -- new, active, reactivated, at risk, lapsed;
- :func:`value_matrix`, :func:`value_map` -- Marcus's customer value matrix
  and Gale's value map;
- :func:`kmeans_segments` -- k-means clusters ordered by value;
- :func:`segment_profile` -- size, shares and mean R, F, M per segment.
"""

from custvalue.errors import TiedBinsWarning
from custvalue.segment._clusters import KMeansSegments, kmeans_segments
from custvalue.segment._labels import SegmentLabels
from custvalue.segment._lifecycle import LifecycleStages, lifecycle_stages
from custvalue.segment._profile import SegmentProfile, segment_profile
from custvalue.segment._pyramid import CustomerPyramid, customer_pyramid
from custvalue.segment._rfm import rfm_scores
from custvalue.segment._rfm_types import RFMScores, ScoreBins
from custvalue.segment._segment_map import Segment, SegmentMap, SegmentOverlap
from custvalue.segment._tiers import ABCClasses, ValueTiers, abc_classes, value_tiers
from custvalue.segment._value_matrix import (
    ValueMap,
    ValueMatrix,
    value_map,
    value_matrix,
)

__all__ = [
    "ABCClasses",
    "CustomerPyramid",
    "KMeansSegments",
    "LifecycleStages",
    "RFMScores",
    "ScoreBins",
    "Segment",
    "SegmentLabels",
    "SegmentMap",
    "SegmentOverlap",
    "SegmentProfile",
    "TiedBinsWarning",
    "ValueMap",
    "ValueMatrix",
    "ValueTiers",
    "abc_classes",
    "customer_pyramid",
    "kmeans_segments",
    "lifecycle_stages",
    "rfm_scores",
    "segment_profile",
    "value_map",
    "value_matrix",
    "value_tiers",
]
