"""Satisfaction measures: NPS, CSAT, CES and an ACSI-style index.

Scores keep one scale each, stated in every result: the NPS and the CES net
index are in points from -100 to 100; shares (of promoters, of satisfied or
agreeing customers) are proportions from 0 to 1; means stay on the answer
scale; the satisfaction index runs from 0 to 100.

- :func:`nps`, :func:`nps_from_scores` and :func:`nps_by_group` compute the
  Net Promoter Score with its standard error and intervals by five methods;
  :func:`compare_nps` compares two (independent or paired);
  :func:`nps_sample_size` and :func:`nps_sample_size_for_difference` plan
  surveys.
- :func:`csat`, :func:`ces` and :func:`satisfaction_index` cover customer
  satisfaction, customer effort and an ACSI-style index.
"""

from custvalue._lib.intervals import ConfidenceInterval
from custvalue.satisfaction._ces import CustomerEffortScore, ces
from custvalue.satisfaction._csat import CustomerSatisfactionScore, csat
from custvalue.satisfaction._index import SatisfactionIndex, satisfaction_index
from custvalue.satisfaction._nps import NetPromoterScore, nps, nps_from_scores
from custvalue.satisfaction._nps_compare import NPSComparison, compare_nps
from custvalue.satisfaction._nps_groups import NPSByGroup, nps_by_group
from custvalue.satisfaction._sample_size import (
    nps_sample_size,
    nps_sample_size_for_difference,
)

__all__ = [
    "ConfidenceInterval",
    "CustomerEffortScore",
    "CustomerSatisfactionScore",
    "NPSByGroup",
    "NPSComparison",
    "NetPromoterScore",
    "SatisfactionIndex",
    "ces",
    "compare_nps",
    "csat",
    "nps",
    "nps_by_group",
    "nps_from_scores",
    "nps_sample_size",
    "nps_sample_size_for_difference",
    "satisfaction_index",
]
