"""Benchmark the BG/BB fit against lifetimes on 10^7 donations-like customers.

Usage: python benchmarks/bench_bgbb.py [--customers N] [--repeat R] [--skip-peer]

Measures, each in a fresh subprocess:
- fit_bgbb on N customers given as the 22 donations patterns with counts
  scaled to sum to N (what both libraries fit in the time of the patterns);
- fit_bgbb on the same N customers as raw rows (validation and compression
  of N rows included);
- lifetimes BetaGeoBetaBinomFitter on the same patterns with counts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

WORKER = textwrap.dedent(
    """
    import json, sys, time, warnings
    import numpy as np
    from custvalue.datasets import load_donations

    n, which, repeat = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    d = load_donations()
    counts = np.floor(d.counts / d.counts.sum() * n).astype(np.int64)
    counts[0] += n - counts.sum()
    x, tx, T = d.frequency, d.recency, d.n_opportunities
    if which == "patterns":
        from custvalue.clv import fit_bgbb
        run = lambda: fit_bgbb(x, tx, T, counts=counts)
    elif which == "rows":
        from custvalue.clv import fit_bgbb
        rows = [np.repeat(v, counts) for v in (x, tx, T)]
        order = np.random.default_rng(0).permutation(n)
        rows = [r[order] for r in rows]
        run = lambda: fit_bgbb(*rows)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from lifetimes import BetaGeoBetaBinomFitter
        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return BetaGeoBetaBinomFitter().fit(x, tx, T, weights=counts)
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    if which == "lifetimes":
        params = result.params_.to_dict()
    else:
        params = result.parameters
    print(json.dumps({"seconds": best, "params": params}))
    """
)


def measure(n: int, which: str, repeat: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(n), which, str(repeat)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        lines = (done.stderr.strip() or "no output").splitlines()
        return {"error": lines[-1][:200]}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _show(label: str, result: dict[str, object]) -> float | None:
    if "error" in result:
        print(f"  {label:<34} failed: {result['error']}")
        return None
    seconds = float(result["seconds"])  # type: ignore[arg-type]
    params = result["params"]
    assert isinstance(params, dict)
    shown = ", ".join(f"{k}={v:.4f}" for k, v in params.items())
    print(f"  {label:<34} {seconds:8.3f} s   ({shown})")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-peer", action="store_true")
    args = parser.parse_args()
    n = args.customers
    print(f"BG/BB benchmark ({n:,} donations-like customers, 6 opportunities)")
    ours = _show(
        "fit custvalue, patterns + counts", measure(n, "patterns", args.repeat)
    )
    _show("fit custvalue, raw rows", measure(n, "rows", args.repeat))
    if not args.skip_peer:
        theirs = _show("fit lifetimes, patterns + counts", measure(n, "lifetimes", 1))
        if ours and theirs:
            print(f"  -> custvalue {theirs / ours:.0f}x faster on patterns")


if __name__ == "__main__":
    main()
