"""The main job: ``python -m custvalue`` prints the CDNOW report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest


def test_main_job_prints_the_cdnow_report(data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "custvalue"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stderr == ""
    out = done.stdout
    assert out.startswith("custvalue report: CDNOW 1/10 sample")
    published = np.loadtxt(
        data_dir / "cdnow_customers_summary_with_transactions.csv",
        delimiter=",",
        skiprows=1,
    )
    # The report's calibration figures agree with the published summary.
    repeat_purchases = int(published[:, 1].sum())
    one_time = int((published[:, 1] == 0).sum())
    assert f"repeat purchases                {repeat_purchases:,}" in out
    assert f"one-time buyers                 {one_time:,}" in out
    assert "transactions       6,919" in out
    assert "customers first seen in holdout  0" in out
    histogram = [line for line in out.splitlines() if line.startswith("  7+")]
    assert len(histogram) == 1
    assert int(histogram[0].split()[1]) == int((published[:, 1] >= 7).sum())


def test_report_fits_match_the_published_estimates() -> None:
    from custvalue._cli._models import (
        PUBLISHED_BGNBD,
        PUBLISHED_GAMMA_GAMMA,
        PUBLISHED_PARETO_NBD,
    )
    from custvalue._cli._report import cdnow_report

    lines = cdnow_report().splitlines()
    published = {**PUBLISHED_BGNBD, **PUBLISHED_GAMMA_GAMMA, **PUBLISHED_PARETO_NBD}
    seen = set()
    for line in lines:
        parts = line.split()
        if len(parts) == 4 and parts[0] in published:
            ours, printed = float(parts[1]), float(parts[3])
            decimals = len(parts[3].split(".")[1])
            # estimated from the transaction log, the fits agree with the
            # papers to the digits they print
            assert round(ours, decimals) == printed, line
            seen.add(parts[0])
    assert seen == set(published)
    start = next(
        i for i, line in enumerate(lines) if line.startswith("Ten most valuable")
    )
    table = lines[start + 3 : start + 13]
    values = [float(row.split()[-1]) for row in table]
    assert len(values) == 10
    assert values == sorted(values, reverse=True)
    assert all(v > 0 for v in values)


def test_report_compares_the_transaction_models() -> None:
    from custvalue._cli._report import cdnow_report

    lines = cdnow_report().splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.startswith("Model comparison")
    )
    rows = [line.split() for line in lines[start + 2 : start + 5]]
    assert [row[0] for row in rows] == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
    # published LLs: -9582.4 and -9595.0 (FHL 2005), -9582.1 (BTYDplus),
    # 4 parameters each
    assert [round(float(row[1]), 1) for row in rows] == [-9582.4, -9582.1, -9595.0]
    for row in rows:
        ll, k, aic = float(row[1]), int(row[2]), float(row[3])
        assert aic == pytest.approx(2 * k - 2 * ll, abs=0.01)
    # the holdout table: actual means by calibration frequency, from the data
    start = next(i for i, line in enumerate(lines) if line.startswith("Holdout: mean"))
    assert lines[start + 1].split()[3:] == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
    table = [line.split() for line in lines[start + 2 : start + 10]]
    assert [row[0] for row in table] == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    customers = sum(int(row[1]) for row in table)
    assert customers == 2357
    total = sum(int(row[1]) * float(row[2]) for row in table)
    assert total == pytest.approx(1882, abs=0.005 * customers)  # means to 2 d.p.
    assert "total purchases: actual 1,882;" in lines[start + 10]
    chi = next(i for i, line in enumerate(lines) if line.startswith("Fit of the"))
    rows = [line.split() for line in lines[chi + 2 : chi + 5]]
    assert [row[0] for row in rows] == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
    assert all(0.0 <= float(row[3]) <= 1.0 for row in rows)


def test_report_segments_every_customer_once() -> None:
    from custvalue._cli._report import cdnow_report

    lines = cdnow_report().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("RFM segments"))
    rows = lines[start + 2 : start + 13]
    # eleven named segments; every calibration customer in exactly one
    sizes = [int(row.rsplit(maxsplit=2)[-2].replace(",", "")) for row in rows]
    assert len(sizes) == 11
    assert sum(sizes) == 2357
    abc = next(i for i, line in enumerate(lines) if line.startswith("ABC classes"))
    classes = [line.split() for line in lines[abc + 1 : abc + 4]]
    assert [row[0] for row in classes] == ["A", "B", "C"]
    assert sum(int(row[1].replace(",", "")) for row in classes) == 2357
    # value shares: A up to 80%, B the next 15% (ties kept together)
    shares = [
        float(line.split("%")[-2].split()[-1]) for line in lines[abc + 1 : abc + 4]
    ]
    assert sum(shares) == pytest.approx(100.0, abs=0.15)
    assert shares[0] >= 79.9
