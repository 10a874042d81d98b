"""The model part of the CDNOW report: fits, comparison, holdout accuracy, CLV."""

from __future__ import annotations

from typing import Any

import numpy as np

from custvalue._lib.validation import FloatArray
from custvalue.clv import (
    CalibrationHoldoutSummary,
    Fit,
    compare_fits,
    customer_lifetime_value,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_mbgnbd,
    fit_pareto_nbd,
)
from custvalue.evaluation import compare_models, holdout_comparison

__all__ = [
    "PUBLISHED_BGNBD",
    "PUBLISHED_GAMMA_GAMMA",
    "PUBLISHED_PARETO_NBD",
    "model_lines",
]

#: Published estimates: FHL (2005) for BG/NBD and Pareto/NBD, Fader & Hardie
#: note 025 for Gamma-Gamma.
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_BGNBD_LL = -9582.4
PUBLISHED_PARETO_NBD = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
PUBLISHED_PARETO_NBD_LL = -9595.0
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "gamma": 15.44}
PUBLISHED_GAMMA_GAMMA_LL = -4055.9
ANNUAL_DISCOUNT_RATE = 0.10
CLV_HORIZON_WEEKS = 52
HOLDOUT_MAX_FREQUENCY = 7


def model_lines(split: CalibrationHoldoutSummary) -> tuple[list[str], FloatArray]:
    """Fit the models on the calibration period and report on them.

    Also returns each customer's 52-week CLV (BG/NBD and Gamma-Gamma).
    """
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
    pareto = fit_pareto_nbd(cal.frequency, cal.recency, cal.T)
    fits: tuple[tuple[str, Fit[Any], dict[str, float], float], ...] = (
        ("BG/NBD, FHL 2005", bgnbd, PUBLISHED_BGNBD, PUBLISHED_BGNBD_LL),
        (
            "Pareto/NBD, FHL 2005",
            pareto,
            PUBLISHED_PARETO_NBD,
            PUBLISHED_PARETO_NBD_LL,
        ),
        (
            "Gamma-Gamma, note 025",
            gamma_gamma,
            PUBLISHED_GAMMA_GAMMA,
            PUBLISHED_GAMMA_GAMMA_LL,
        ),
    )
    for title, fit, published, published_ll in fits:
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
    transaction_fits: dict[str, Fit[Any]] = {
        "BG/NBD": bgnbd,
        "MBG/NBD": mbgnbd,
        "Pareto/NBD": pareto,
    }
    table = compare_fits(transaction_fits)
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
    lines += ["", *_holdout_lines(split, transaction_fits)]
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
    return lines, value


def _holdout_lines(
    split: CalibrationHoldoutSummary, fits: dict[str, Fit[Any]]
) -> list[str]:
    """Holdout table by calibration frequency, and the accuracy comparison."""
    cal = split.calibration
    data = (cal.frequency, cal.recency, cal.T)
    horizon = split.holdout_duration
    tables = {
        name: holdout_comparison(
            fit.model, *data, split.holdout_frequency, horizon=horizon
        ).by_frequency(max_frequency=HOLDOUT_MAX_FREQUENCY)
        for name, fit in fits.items()
    }
    first = next(iter(tables.values()))
    lines = [
        f"Holdout: mean purchases per customer in the {float(horizon[0]):.0f} "
        "holdout weeks, by calibration repeat purchases (FHL 2005, figure 4)",
        f"  {'x':>3}{'customers':>11}{'actual':>9}"
        + "".join(f"{name:>12}" for name in tables),
    ]
    for i, label in enumerate(first.group):
        lines.append(
            f"  {label:>3}{int(first.n_customers[i]):>11}{first.mean_actual[i]:>9.2f}"
            + "".join(f"{t.mean_predicted[i]:>12.2f}" for t in tables.values())
        )
    totals = "; ".join(
        f"{name} {float(np.sum(t.mean_predicted * t.n_customers)):,.0f}"
        for name, t in tables.items()
    )
    lines.append(
        f"  total purchases: actual {int(split.holdout_frequency.sum()):,}; "
        f"expected {totals}"
    )
    comparison = compare_models(
        fits,
        *data,
        split.holdout_frequency,
        horizon=horizon,
        max_frequency=HOLDOUT_MAX_FREQUENCY,
    )
    lines += [
        "",
        f"Fit of the calibration histogram (0..{HOLDOUT_MAX_FREQUENCY - 1}, "
        f"{HOLDOUT_MAX_FREQUENCY}+; cells expecting < 5 customers pooled) and "
        "holdout accuracy per customer",
        f"  {'model':<11}{'chi-sq.':>8}{'df':>4}{'p':>7}{'MAE':>7}{'RMSE':>7}"
        f"{'bias':>8}{'Gini':>7}",
    ]
    for i, name in enumerate(comparison.model):
        lines.append(
            f"  {name:<11}{comparison.chi_square[i]:>8.2f}"
            f"{int(comparison.degrees_of_freedom[i]):>4}"
            f"{comparison.p_value[i]:>7.3f}"
            f"{comparison.mae[i]:>7.3f}{comparison.rmse[i]:>7.3f}"
            f"{comparison.bias[i]:>8.3f}{comparison.gini[i]:>7.3f}"
        )
    return lines
