"""Benchmark the Gamma-Gamma fit against lifetimes' GammaGammaFitter.

Usage: python benchmarks/bench_gamma_gamma.py [--customers N] [--repeat R] [--skip-peer]

Both fits run, each in a fresh subprocess, on the same synthetic repeat
customers: frequency ~ 1 + Poisson(2) and mean spends drawn from the model
with the CDNOW estimates of note 025 (p = 6.25, q = 3.74, gamma = 15.44).
Spends are continuous, so nothing can be compressed into patterns. Times
include everything the fit call does (lifetimes also builds its data frame
and autograd Hessian; custvalue its covariance and report). Peak memory is
the peak of Python-tracked allocations (tracemalloc) in a separate run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from typing import Any

WORKER = textwrap.dedent(
    """
    import json, sys, time, tracemalloc, warnings
    import numpy as np
    from custvalue.clv._gamma_gamma._model import GammaGamma, fit_gamma_gamma

    n, which, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    repeat = int(sys.argv[4])
    rng = np.random.default_rng(2026)
    x = (rng.poisson(2.0, n) + 1).astype(np.float64)
    m = GammaGamma(p=6.25, q=3.74, gamma=15.44).simulate(x, rng=rng)
    input_bytes = x.nbytes + m.nbytes

    if which == "custvalue":
        def run():
            fit = fit_gamma_gamma(x, m)
            return [fit.parameters[k] for k in ("p", "q", "gamma")]
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from lifetimes import GammaGammaFitter

        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitter = GammaGammaFitter(penalizer_coef=0.0).fit(x, m)
            return fitter.params_[["p", "q", "v"]].tolist()

    if mode == "time":
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            params = run()
            best = min(best, time.perf_counter() - start)
        result = {"seconds": best, "params": params, "input_bytes": input_bytes}
        print(json.dumps(result))
    else:
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(json.dumps({"peak_bytes": peak, "input_bytes": input_bytes}))
    """
)


def measure(n: int, which: str, mode: str, repeat: int = 1) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(n), which, mode, str(repeat)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-peer", action="store_true")
    args = parser.parse_args()
    n = args.customers
    print(f"Gamma-Gamma fit benchmark: {n:,} repeat customers (continuous spends)")
    rows: dict[str, dict[str, Any]] = {}
    peers = ["custvalue"] + ([] if args.skip_peer else ["lifetimes"])
    for which in peers:
        repeat = args.repeat if which == "custvalue" else 1
        timing = measure(n, which, "time", repeat)
        memory = measure(n, which, "memory")
        rows[which] = {**timing, **memory}
        seconds = timing["seconds"]
        peak = memory["peak_bytes"] / 2**20
        params = ", ".join(f"{v:.4f}" for v in timing["params"])
        print(
            f"  {which:<10} {seconds:8.3f} s   peak {peak:7.0f} MiB"
            f"   (p, q, gamma) = ({params})"
        )
    if "lifetimes" in rows:
        ours, theirs = rows["custvalue"], rows["lifetimes"]
        speedup = theirs["seconds"] / ours["seconds"]
        memory_ratio = theirs["peak_bytes"] / ours["peak_bytes"]
        difference = max(
            abs(a / b - 1.0)
            for a, b in zip(ours["params"], theirs["params"], strict=True)
        )
        print(
            f"  custvalue is {speedup:.1f}x faster and needs {memory_ratio:.1f}x less "
            f"peak memory; estimates differ by at most {difference:.1e} (relative)"
        )


if __name__ == "__main__":
    main()
