"""The end-to-end example behind ``python -m custvalue``: a report on CDNOW."""

from __future__ import annotations

import numpy as np

from custvalue.clv import (
    CalibrationHoldoutSummary,
    calibration_holdout_summary,
    compare_fits,
    customer_lifetime_value,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_mbgnbd,
)
from custvalue.datasets import load_cdnow_transactions

__all__ = ["cdnow_report"]

CALIBRATION_END = "1997-09-30"
#: Published estimates: FHL (2005) for BG/NBD, Fader & Hardie note 025 for
#: Gamma-Gamma.
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_BGNBD_LL = -9582.4
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "gamma": 15.44}
PUBLISHED_GAMMA_GAMMA_LL = -4055.9
ANNUAL_DISCOUNT_RATE = 0.10
CLV_HORIZON_WEEKS = 52


def _rows(rows: list[tuple[str, str]]) -> list[str]:
    width = max(len(label) for label, _ in rows)
    return [f"  {label:<{width}}  {value}" for label, value in rows]


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
    >>> from custvalue._report import cdnow_report
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
    lines += ["", *_model_lines(split)]
    return "\n".join(lines)


def _model_lines(split: CalibrationHoldoutSummary) -> list[str]:
    cal = split.calibration
    spend = cal.monetary_value
    ids = cal.customer_id
    if spend is None or ids is None:  # pragma: no cover - amounts are given
        msg = "internal error: the CDNOW summary has no spend"
        raise RuntimeError(msg)
    bgnbd = fit_bgnbd(cal.frequency, cal.recency, cal.T)
    repeat = cal.frequency > 0
    gamma_gamma = fit_gamma_gamma(cal.frequency[repeat], spend[repeat])
    lines = ["Model fits on the calibration period (weeks)"]
    header = f"  {'':<16}{'custvalue':>12}{'(s.e.)':>10}{'published':>12}"
    for title, fit, published, published_ll in (
        ("BG/NBD, FHL 2005", bgnbd, PUBLISHED_BGNBD, PUBLISHED_BGNBD_LL),
        (
            "Gamma-Gamma, note 025",
            gamma_gamma,
            PUBLISHED_GAMMA_GAMMA,
            PUBLISHED_GAMMA_GAMMA_LL,
        ),
    ):
        lines += [f"  {title}: {fit.n_customers:,.0f} customers", header]
        errors = fit.standard_errors
        for name, estimate in fit.parameters.items():
            lines.append(
                f"  {name:<16}{estimate:>12.4f}{f'({errors[name]:.4f})':>10}"
                f"{published[name]:>12}"
            )
        lines.append(
            f"  {'log-likelihood':<16}{fit.log_likelihood:>12.2f}{'':>10}"
            f"{published_ll:>12}"
        )
    mbgnbd = fit_mbgnbd(cal.frequency, cal.recency, cal.T)
    table = compare_fits({"BG/NBD": bgnbd, "MBG/NBD": mbgnbd})
    lines += [
        "",
        "Model comparison on the calibration period (lower AIC/BIC is better)",
        f"  {'model':<10}{'log-lik.':>12}{'params':>8}{'AIC':>11}{'BIC':>11}",
    ]
    for i, name in enumerate(table.model):
        lines.append(
            f"  {name:<10}{table.log_likelihood[i]:>12.2f}"
            f"{int(table.n_parameters[i]):>8}{table.aic[i]:>11.2f}{table.bic[i]:>11.2f}"
        )
    horizon = float(split.holdout_duration[0])
    predicted = bgnbd.model.conditional_expected_purchases(
        horizon, cal.frequency, cal.recency, cal.T
    )
    lines += [
        "",
        f"Holdout check: BG/NBD expects {float(predicted.sum()):,.0f} purchases in "
        f"the {horizon:.0f} holdout weeks; customers made "
        f"{int(split.holdout_frequency.sum()):,}.",
    ]
    weekly_rate = (1.0 + ANNUAL_DISCOUNT_RATE) ** (1.0 / 52.0) - 1.0
    value = customer_lifetime_value(
        bgnbd.model,
        gamma_gamma.model,
        cal.frequency,
        cal.recency,
        cal.T,
        spend,
        horizon=CLV_HORIZON_WEEKS,
        discount_rate=weekly_rate,
    )
    alive = bgnbd.model.probability_alive(cal.frequency, cal.recency, cal.T)
    expected = bgnbd.model.conditional_expected_purchases(
        CLV_HORIZON_WEEKS, cal.frequency, cal.recency, cal.T
    )
    top = np.argsort(-value, kind="stable")[:10]
    lines += [
        "",
        f"Ten most valuable customers: expected discounted revenue over the next "
        f"{CLV_HORIZON_WEEKS} weeks",
        f"(end-of-week cash flows, {100 * ANNUAL_DISCOUNT_RATE:.0f}% a year, margin 1)",
        f"  {'id':>5} {'x':>4} {'t_x':>7} {'T':>7} {'zbar':>8} "
        f"{'P(alive)':>9} {'E[purch.]':>10} {'CLV':>9}",
    ]
    for i in top:
        lines.append(
            f"  {int(ids[i]):>5} {int(cal.frequency[i]):>4} {cal.recency[i]:>7.2f} "
            f"{cal.T[i]:>7.2f} {spend[i]:>8.2f} {alive[i]:>9.3f} "
            f"{expected[i]:>10.2f} {value[i]:>9.2f}"
        )
    return lines
