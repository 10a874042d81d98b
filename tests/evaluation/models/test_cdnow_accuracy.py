"""Model evaluation on CDNOW against Fader, Hardie & Lee (2005).

FHL (2005) show the calibration-period frequency histogram (figure 3), the
weekly cumulative tracking of repeat purchases (figure 2) and the mean
holdout purchases by calibration frequency 0..7+ (figure 4) as charts
only; the numbers they print are the estimates r = 0.243, alpha = 4.414,
a = 0.793, b = 2.426 and, in Hardie's note 004 spreadsheet, the expectation
1.226 for the customer with x = 2, t_x = 30.43, T = 38.86. The tests below
rebuild each chart's data from the published data files in tests/data and
compare it with independent implementations of the paper's equations
(8) and (10), written out here from the paper.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from scipy import special

from custvalue.clv import BGNBD, fit_bgnbd
from custvalue.evaluation import (
    frequency_goodness_of_fit,
    holdout_comparison,
    tracking,
)

PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def _summary(data_dir: Path) -> npt.NDArray[np.float64]:
    # columns: ID (sample id 1..2357, in order), x, t_x, T (weeks), zbar
    table: npt.NDArray[np.float64] = np.loadtxt(
        data_dir / "cdnow_customers_summary_with_transactions.csv",
        delimiter=",",
        skiprows=1,
    )
    return table


def _log(data_dir: Path) -> npt.NDArray[np.int64]:
    # columns: master id, sample id, date YYYYMMDD, CDs, dollars
    table = np.loadtxt(data_dir / "CDNOW_sample.txt")
    return table[:, 1:3].astype(np.int64)


def _holdout_purchases(data_dir: Path) -> npt.NDArray[np.int64]:
    """Days with a purchase from 1997-10-01 to 1998-06-30, per sample id."""
    log = _log(data_dir)
    days = np.unique(log, axis=0)  # one purchase per customer and day (FHL)
    later = days[days[:, 1] >= 19971001]
    counts: npt.NDArray[np.int64] = np.bincount(later[:, 0], minlength=2358)[1:]
    return counts


def _fhl_pmf(x: int, t: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """P(X(t) = x), FHL (2005) eq. (8), written directly from the paper."""
    r, alpha, a, b = PUBLISHED.values()
    q = alpha / (alpha + t)
    nbd = math.exp(special.gammaln(r + x) - special.gammaln(r) - special.gammaln(x + 1))
    beta_ratio = math.exp(special.betaln(a, b + x) - special.betaln(a, b))
    value = beta_ratio * nbd * q**r * (1 - q) ** x
    if x > 0:
        partial = sum(
            math.exp(
                special.gammaln(r + j) - special.gammaln(r) - special.gammaln(j + 1)
            )
            * (1 - q) ** j
            for j in range(x)
        )
        weight = math.exp(special.betaln(a + 1, b + x - 1) - special.betaln(a, b))
        return np.asarray(value + weight * (1 - q**r * partial), dtype=np.float64)
    return np.asarray(value, dtype=np.float64)


def _fhl_conditional(
    t: float,
    x: npt.NDArray[np.float64],
    tx: npt.NDArray[np.float64],
    T: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """E[Y(t) | x, t_x, T], FHL (2005) eq. (10), with scipy's 2F1."""
    r, alpha, a, b = PUBLISHED.values()
    z = t / (alpha + T + t)
    bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * special.hyp2f1(
        r + x, b + x, a + b + x - 1, z
    )
    numerator = (a + b + x - 1) / (a - 1) * bracket
    odds = np.where(
        x > 0, a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x), 0.0
    )
    return np.asarray(numerator / (1 + odds), dtype=np.float64)


def test_frequency_histogram_and_chi_square(data_dir: Path) -> None:
    table = _summary(data_dir)
    x, tx, T = table[:, 1], table[:, 2], table[:, 3]
    result = frequency_goodness_of_fit(BGNBD(**PUBLISHED), x, tx, T)
    # Actual bars of FHL figure 3, counted in the published summary file:
    # 1411 customers with no repeat purchase, ..., 64 with 7 or more.
    np.testing.assert_array_equal(
        result.observed, [1411, 439, 214, 100, 62, 38, 29, 64]
    )
    # Expected bars: sum over customers of eq. (8) at each customer's own T
    # (note 014 of Fader, Hardie & Lee 2007). Two independent numerical paths
    # agree to rounding; 1e-9 relative leaves room for the hypergeometric-free
    # incomplete beta of the library.
    head = np.array([_fhl_pmf(k, T).sum() for k in range(7)])
    expected = np.append(head, 2357 - head.sum())
    np.testing.assert_allclose(result.expected, expected, rtol=1e-9)
    # every bin expects more than 5, so no pooling: 8 cells, 8 - 1 - 4 = 3 df
    observed = result.observed
    chi_square = float(np.sum((observed - expected) ** 2 / expected))
    assert result.chi_square == pytest.approx(chi_square, rel=1e-8)
    assert result.degrees_of_freedom == 3
    # chi-square(3) upper tail in closed form:
    # erfc(sqrt(c/2)) + sqrt(2c/pi) exp(-c/2)
    c = chi_square
    tail = math.erfc(math.sqrt(c / 2)) + math.sqrt(2 * c / math.pi) * math.exp(-c / 2)
    assert result.p_value == pytest.approx(tail, rel=1e-10)
    # The histogram does not reject the model at the 5% level, in line with
    # the close fit FHL's figure 3 shows (we get 4.82 on 3 df, p = 0.19).
    assert result.p_value > 0.05


def test_refitted_model_gives_the_same_chi_square(data_dir: Path) -> None:
    # Refitting reproduces the published estimates to their 3 decimals
    # (tests/clv/test_bgnbd_reference.py), so the statistic moves only by the
    # effect of that rounding.
    table = _summary(data_dir)
    data = (table[:, 1], table[:, 2], table[:, 3])
    refitted = frequency_goodness_of_fit(fit_bgnbd(*data).model, *data)
    published = frequency_goodness_of_fit(BGNBD(**PUBLISHED), *data)
    assert refitted.chi_square == pytest.approx(published.chi_square, abs=0.01)
    assert refitted.n_parameters == 4


def test_holdout_table_by_calibration_frequency(data_dir: Path) -> None:
    table = _summary(data_dir)
    x, tx, T = table[:, 1], table[:, 2], table[:, 3]
    holdout = _holdout_purchases(data_dir)
    # 1997-10-01 .. 1998-06-30 is 273 days, 39 weeks
    result = holdout_comparison(BGNBD(**PUBLISHED), x, tx, T, holdout, horizon=39.0)
    # Hardie's note 004: the customer with x = 2, t_x = 30.43, T = 38.86
    # (sample id 1) is expected to buy 1.226 times in weeks 40-78.
    assert (x[0], tx[0], T[0]) == (2, 30.43, 38.86)
    assert round(float(result.predicted[0]), 3) == 1.226
    by_frequency = result.by_frequency(max_frequency=7)
    np.testing.assert_array_equal(
        by_frequency.group, ["0", "1", "2", "3", "4", "5", "6", "7+"]
    )
    np.testing.assert_array_equal(
        by_frequency.n_customers, [1411, 439, 214, 100, 62, 38, 29, 64]
    )
    # FHL figure 4, "Actual": mean holdout purchases per group, counted from
    # the raw log independently of the library.
    group = np.minimum(x, 7).astype(int)
    actual_means = np.array([holdout[group == k].mean() for k in range(8)])
    np.testing.assert_allclose(by_frequency.mean_actual, actual_means, rtol=1e-14)
    # FHL figure 4, "BG/NBD": group means of eq. (10) with 2F1.
    predicted = _fhl_conditional(39.0, x, tx, T)
    predicted_means = np.array([predicted[group == k].mean() for k in range(8)])
    np.testing.assert_allclose(by_frequency.mean_predicted, predicted_means, rtol=1e-8)
    # The model ranks the groups as the data do: predictions rise with
    # calibration frequency, like the actual means.
    assert np.all(np.diff(by_frequency.mean_predicted) > 0)
    assert np.all(np.diff(by_frequency.mean_actual) > 0)


def test_tracking_matches_the_calibration_and_holdout_counts(data_dir: Path) -> None:
    log = _log(data_dir)
    days = np.unique(log, axis=0)
    # calendar time in weeks since 1997-01-01 (day 0)
    iso = [f"{d // 10000:04d}-{d // 100 % 100:02d}-{d % 100:02d}" for d in days[:, 1]]
    start = np.datetime64("1997-01-01", "D")
    day_number = (np.array(iso, dtype="datetime64[D]") - start).astype(np.int64)
    weeks = day_number / 7.0
    # week k ends with day 7k - 1, at calendar time k - 1/7: week 39 ends on
    # 1997-09-30 (the calibration end), week 78 on 1998-06-30
    ends = np.arange(1, 79) - 1 / 7
    table = tracking(BGNBD(**PUBLISHED), days[:, 0], weeks, period_ends=ends)
    summary = _summary(data_dir)
    holdout = _holdout_purchases(data_dir)
    assert table.actual_cumulative[38] == summary[:, 1].sum()  # repeats to 9/30
    assert table.actual_cumulative[77] == summary[:, 1].sum() + holdout.sum()
    assert table.n_later_purchases == 0
    assert table.n_customers[-1] == 2357
    # the last first purchase is on 1997-03-25 (day 83), the end of week 12
    assert table.n_customers[11] == 2357
    assert table.n_customers[10] < 2357
    # expected: sum over customers of E[X(t - s_i)] (FHL eq. 9)
    # rows are sorted by (customer, date): a customer's first row is the first
    _, first_row = np.unique(days[:, 0], return_index=True)
    first = weeks[first_row]
    model = BGNBD(**PUBLISHED)
    by_hand = model.expected_purchases(np.maximum(ends[-1] - first, 0.0)).sum()
    assert table.expected_cumulative[-1] == pytest.approx(by_hand, rel=1e-12)
    np.testing.assert_allclose(
        np.cumsum(table.expected_incremental), table.expected_cumulative
    )
