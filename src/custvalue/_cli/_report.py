"""The end-to-end example behind ``python -m custvalue``: a report on CDNOW."""

from __future__ import annotations

import numpy as np

from custvalue._cli._format import rows as _rows
from custvalue._cli._models import model_lines
from custvalue._cli._segments import segment_lines
from custvalue.clv import calibration_holdout_summary
from custvalue.datasets import load_cdnow_transactions

__all__ = ["cdnow_report"]

CALIBRATION_END = "1997-09-30"


def cdnow_report(max_frequency: int = 7) -> str:
    """Summarize the bundled CDNOW sample as a short plain-text report.

    The report follows the calibration/holdout design of Fader, Hardie & Lee
    (2005): 39 weeks of calibration ending 1997-09-30, same-day purchases
    merged, times in weeks, and the 39 weeks after as holdout.

    Parameters
    ----------
    max_frequency : int, default=7
        Repeat-purchase counts above this are pooled in the histogram.

    Returns
    -------
    str
        The report, lines separated by newlines.

    Examples
    --------
    >>> from custvalue._cli._report import cdnow_report
    >>> print(cdnow_report().splitlines()[0])
    custvalue report: CDNOW 1/10 sample (Fader, Hardie & Lee 2005)
    """
    log = load_cdnow_transactions()
    split = calibration_holdout_summary(
        log.customer_id,
        log.timestamp,
        log.amount,
        calibration_end=CALIBRATION_END,
        merge="day",
        time_unit="week",
    )
    cal = split.calibration
    if cal.monetary_value is None:  # pragma: no cover - amounts are given
        msg = "internal error: the CDNOW summary has no spend"
        raise RuntimeError(msg)
    repeaters = cal.frequency > 0
    lines = [
        "custvalue report: CDNOW 1/10 sample (Fader, Hardie & Lee 2005)",
        "",
        "Transaction log",
        *_rows(
            [
                ("transactions", f"{log.n_transactions:,}"),
                ("customers", f"{np.unique(log.customer_id).size:,}"),
                ("first / last date", f"{log.timestamp.min()} / {log.timestamp.max()}"),
                ("revenue", f"${log.amount.sum():,.2f}"),
            ]
        ),
        "",
        f"Calibration summary (to {CALIBRATION_END}; same-day purchases merged; "
        "times in weeks)",
        *_rows(
            [
                ("customers", f"{cal.n_customers:,}"),
                ("repeat purchases", f"{int(cal.frequency.sum()):,}"),
                (
                    "one-time buyers",
                    f"{int((~repeaters).sum()):,} "
                    f"({100 * float(np.mean(~repeaters)):.1f}%)",
                ),
                ("mean frequency", f"{float(cal.frequency.mean()):.3f}"),
                ("mean recency (weeks)", f"{float(cal.recency.mean()):.2f}"),
                ("mean T (weeks)", f"{float(cal.T.mean()):.2f}"),
                (
                    "mean repeat spend of repeaters",
                    f"${float(cal.monetary_value[repeaters].mean()):.2f}",
                ),
            ]
        ),
        "",
        f"Holdout ({float(split.holdout_duration[0]):.0f} weeks after calibration)",
        *_rows(
            [
                ("purchases", f"{int(split.holdout_frequency.sum()):,}"),
                (
                    "customers who bought",
                    f"{int((split.holdout_frequency > 0).sum()):,} "
                    f"({100 * float(np.mean(split.holdout_frequency > 0)):.1f}%)",
                ),
                ("customers first seen in holdout", f"{split.born_in_holdout.size}"),
            ]
        ),
        "",
        "Calibration repeat purchases per customer",
    ]
    counts = np.bincount(np.minimum(cal.frequency, max_frequency))
    labels = [str(k) for k in range(max_frequency)] + [f"{max_frequency}+"]
    lines += _rows(
        [
            (label, f"{int(n):5d}  {'#' * round(60 * n / cal.n_customers)}")
            for label, n in zip(labels, counts, strict=False)
        ]
    )
    models, value = model_lines(split)
    lines += ["", *models, ""]
    lines += segment_lines(
        log, split.calibration, np.datetime64(CALIBRATION_END), value
    )
    return "\n".join(lines)
