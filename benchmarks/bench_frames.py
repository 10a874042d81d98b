"""Benchmark the in-engine summary (custvalue.frames) against the numpy path.

Summarizes N transactions of C customers (default 10^7 and 10^6) through
polars (lazy), DuckDB and pandas with ``custvalue.frames.rfm_summary``,
through the numpy ``custvalue.clv.rfm_summary``, through each engine's own
bare group-by (the floor the frames path is measured against), and through
lifetimes' ``summary_data_from_transaction_data``. Each run is a fresh
process: the table is built first (not timed), then one summary is timed.
Peak memory is the growth of the process's peak resident set during the
summary (``ru_maxrss`` after minus the resident set before), which also
counts the engines' native allocations that tracemalloc cannot see.

Usage: python benchmarks/bench_frames.py [--transactions N] [--customers C]
       [--methods numpy,polars,...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

WORKER = textwrap.dedent(
    """
    import json, resource, sys, time, warnings
    import numpy as np

    n, c, which = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = np.random.default_rng(12345)
    ids = rng.integers(0, c, n)
    seconds = rng.integers(0, 2 * 365 * 86400, n)
    start = np.datetime64("2022-01-01T00:00:00", "s")
    stamps = (start + seconds.astype("timedelta64[s]")).astype("datetime64[us]")
    amount = np.round(rng.gamma(2.0, 20.0, n), 2)
    columns = {"id": ids, "when": stamps, "amount": amount}
    options = dict(customer_id="id", timestamp="when", amount="amount")

    engine, _, kind = which.partition("-")
    if engine == "polars":
        import polars as pl
        table = pl.DataFrame(columns).lazy()
    elif engine == "duckdb":
        import duckdb, pyarrow as pa
        connection = duckdb.connect()
        connection.execute("SET enable_progress_bar = false")
        arrow = pa.table(columns)
        table = connection.from_arrow(arrow)
    elif engine in ("pandas", "lifetimes"):
        import pandas as pd
        table = pd.DataFrame(columns)

    if which == "numpy":
        from custvalue.clv import rfm_summary
        run = lambda: rfm_summary(ids, stamps, amount)
    elif which == "lifetimes":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from lifetimes.utils import summary_data_from_transaction_data
        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return summary_data_from_transaction_data(
                    table, "id", "when", monetary_value_col="amount", freq="D"
                )
    elif kind == "groupby":
        # the engine's own bare per-customer group-by, for comparison
        import narwhals as nw
        def run():
            frame = nw.from_native(table)
            frame = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
            return (
                frame.group_by("id")
                .agg(
                    nw.col("when").min().alias("first"),
                    nw.col("when").max().alias("last"),
                    nw.col("amount").sum(),
                    nw.len(),
                )
                .collect()
            )
    else:
        from custvalue import frames
        run = lambda: frames.rfm_summary(table, **options)

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize()

    before = rss()
    t0 = time.perf_counter()
    run()
    seconds_taken = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds_taken, "peak_growth": max(peak - before, 0)}))
    """
)

METHODS = [
    "numpy",
    "polars",
    "polars-groupby",
    "duckdb",
    "duckdb-groupby",
    "pandas",
    "pandas-groupby",
    "lifetimes",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transactions", type=int, default=10**7)
    parser.add_argument("--customers", type=int, default=10**6)
    parser.add_argument("--methods", default=",".join(METHODS))
    args = parser.parse_args()
    print(f"{args.transactions:,} transactions, {args.customers:,} customers")
    print(f"{'method':<16} {'seconds':>9} {'peak MiB':>9}")
    for method in args.methods.split(","):
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                WORKER,
                str(args.transactions),
                str(args.customers),
                method,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            print(f"{method:<16} failed: {done.stderr.strip().splitlines()[-1]}")
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{method:<16} {result['seconds']:>9.2f} "
            f"{result['peak_growth'] / 2**20:>9.0f}"
        )


if __name__ == "__main__":
    main()
