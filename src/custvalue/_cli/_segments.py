"""The segment part of the CDNOW report: RFM segments and the ABC split by CLV."""

from __future__ import annotations

import numpy as np

from custvalue._lib.validation import FloatArray
from custvalue.clv import CustomerSummary, Transactions
from custvalue.segment import SegmentMap, abc_classes, rfm_scores

__all__ = ["segment_lines"]

#: Frequency scores from repeat purchases: 0, 1, 2-3, 4-6 and 7 or more
#: (fixed cut points: quantiles cannot split the 57% one-time buyers).
FREQUENCY_CUT_POINTS = (0, 1, 3, 6)


def segment_lines(
    log: Transactions,
    calibration: CustomerSummary,
    calibration_end: np.datetime64,
    value: FloatArray,
) -> list[str]:
    """Name RFM segments of the calibration customers and split them by value."""
    cal = calibration
    in_calibration = log.timestamp <= calibration_end
    # customers in the order of the summary (sorted ids), total spend
    _, index = np.unique(log.customer_id[in_calibration], return_inverse=True)
    spend = np.bincount(index, weights=log.amount[in_calibration])
    scores = rfm_scores(
        cal.time_since_last_purchase,
        cal.frequency,
        spend,
        f_cut_points=FREQUENCY_CUT_POINTS,
    )
    segments = scores.segments(SegmentMap.eleven_segment())
    n = cal.n_customers
    lines = [
        "RFM segments of the calibration customers (11-segment map; scores 1-5,",
        "recency and spend by quintile, frequency 0 / 1 / 2-3 / 4-6 / 7+ repeats)",
    ]
    width = max(len(name) for name in segments.names)
    for name, size in zip(segments.names, segments.sizes.tolist(), strict=True):
        lines.append(f"  {name:<{width}}  {size:>5,}  {100 * size / n:5.1f}%")
    abc = abc_classes(value)
    lines += [
        "",
        "ABC classes by 52-week CLV (A: the customers making the first 80% of "
        "value, B: the next 15%)",
    ]
    for name, size, share in zip(
        abc.labels.names, abc.labels.sizes.tolist(), abc.value_share, strict=True
    ):
        lines.append(
            f"  {name}  {size:>5,} customers ({100 * size / n:5.1f}%)  "
            f"{100 * float(share):5.1f}% of CLV"
        )
    return lines
