"""Benchmark the BG/NBD fit and predictions against lifetimes (and PyMC-Marketing).

Usage: python benchmarks/bench_bgnbd.py [--customers N] [--large N] [--skip-peer]

Measures, each in a fresh subprocess on the same synthetic data:
- fit on N continuous-time customers (nothing to compress): custvalue vs
  lifetimes BetaGeoFitter (and PyMC-Marketing's BetaGeoModel MAP fit when
  ``--pymc-python`` points to an interpreter that has it);
- fit on a large number of customers with times rounded to whole days;
- conditional expected purchases and P(alive) for N customers;
- peak traced memory of the fits (tracemalloc), against the input size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

DATA = textwrap.dedent(
    """
    import numpy as np
    from custvalue.clv import BGNBD

    def make_data(n, rounded, seed=2026):
        rng = np.random.default_rng(seed)
        truth = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
        T = rng.uniform(1.0, 78.0, n)
        if rounded:
            T = np.round(T * 7) / 7
        sim = truth.simulate(n, T, rng=rng)
        recency = sim.recency
        if rounded:
            recency = np.round(recency * 7) / 7
        return sim.frequency, recency, sim.T
    """
)

WORKER = DATA + textwrap.dedent(
    """
    import json, sys, time, tracemalloc, warnings
    n, rounded = int(sys.argv[1]), sys.argv[2] == "1"
    which, mode = sys.argv[3], sys.argv[4]
    x, tx, T = make_data(n, rounded)
    input_bytes = x.nbytes + tx.nbytes + T.nbytes

    if which == "custvalue":
        from custvalue.clv import fit_bgnbd
        run = lambda: fit_bgnbd(x, tx, T)
    elif which == "lifetimes":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from lifetimes import BetaGeoFitter
        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return BetaGeoFitter().fit(x, tx, T)
    elif which == "pymc":
        import pandas as pd
        from pymc_marketing.clv import BetaGeoModel
        frame = pd.DataFrame({"customer_id": np.arange(n), "frequency": x,
                              "recency": tx, "T": T})
        def run():
            model = BetaGeoModel(data=frame)
            model.fit(method="map")
            return model
    elif which in ("predict_conditional", "predict_alive"):
        from custvalue.clv import BGNBD
        model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
        if which == "predict_conditional":
            run = lambda: model.conditional_expected_purchases(39.0, x, tx, T)
        else:
            run = lambda: model.probability_alive(x, tx, T)
    if mode == "time":
        best = float("inf")
        for _ in range(int(sys.argv[5])):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        print(json.dumps({"seconds": best, "input_bytes": input_bytes}))
    else:
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1]
        print(json.dumps({"peak_bytes": peak, "input_bytes": input_bytes}))
    """
)


def measure(
    python: str, n: int, rounded: bool, which: str, mode: str, repeat: int = 1
) -> dict[str, float]:
    args = [python, "-c", WORKER, str(n), "1" if rounded else "0", which, mode]
    done = subprocess.run([*args, str(repeat)], capture_output=True, text=True)
    if done.returncode != 0:
        lines = (done.stderr.strip() or "no output").splitlines()
        return {"error": lines[-1][:200]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--large", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--pymc-python", default=None)
    args = parser.parse_args()
    py, n = sys.executable, args.customers
    print(f"BG/NBD benchmark ({n:,} continuous-time customers unless stated)")
    ours = measure(py, n, False, "custvalue", "time", args.repeat)["seconds"]
    mem = measure(py, n, False, "custvalue", "memory")
    print(
        f"  fit custvalue          {ours:8.2f} s   peak "
        f"{mem['peak_bytes'] / 2**20:7.0f} MiB"
        f"  (input {mem['input_bytes'] / 2**20:.0f} MiB)"
    )
    if not args.skip_peer:
        timed = measure(py, n, False, "lifetimes", "time")
        lmem = measure(py, n, False, "lifetimes", "memory")
        if "error" in timed:
            print(f"  fit lifetimes          failed: {timed['error']}")
        else:
            theirs = timed["seconds"]
            peak = (
                f"{lmem['peak_bytes'] / 2**20:7.0f} MiB"
                if "peak_bytes" in lmem
                else f"(memory run failed: {lmem['error']})"
            )
            print(
                f"  fit lifetimes          {theirs:8.2f} s   peak {peak}"
                f"   -> custvalue {theirs / ours:.1f}x faster"
            )
    if args.pymc_python:
        timed = measure(args.pymc_python, n, False, "pymc", "time")
        if "error" in timed:
            print(f"  fit PyMC-Marketing MAP failed: {timed['error']}")
        else:
            pymc = timed["seconds"]
            print(
                f"  fit PyMC-Marketing MAP {pymc:8.2f} s   -> custvalue "
                f"{pymc / ours:.1f}x faster"
            )
    big = measure(py, args.large, True, "custvalue", "time", 1)["seconds"]
    bmem = measure(py, args.large, True, "custvalue", "memory")
    print(
        f"  fit custvalue, {args.large:,} day-rounded customers {big:6.2f} s   "
        f"peak {bmem['peak_bytes'] / 2**20:.0f} MiB "
        f"(input {bmem['input_bytes'] / 2**20:.0f} MiB)"
    )
    for which, label in (
        ("predict_conditional", "conditional expected purchases"),
        ("predict_alive", "P(alive)"),
    ):
        seconds = measure(py, n, False, which, "time", args.repeat)["seconds"]
        print(f"  {label:<32} {seconds:6.3f} s for {n:,} customers")


if __name__ == "__main__":
    main()
