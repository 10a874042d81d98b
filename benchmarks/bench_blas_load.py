"""Fit times with the BLAS threads a user has, on a busy machine.

Usage: python benchmarks/bench_blas_load.py [--customers N] [--repeat K]

Every fit of custvalue is timed in a fresh subprocess in four settings:
default BLAS threads or ``OPENBLAS_NUM_THREADS=1``, each on a quiet machine
and while another process keeps one core busy (a pure-Python spin loop
started by this script and stopped after the run). The likelihoods must not
depend on BLAS threading: the target is that every fit with default threads
under load takes at most 1.5 times its single-thread time under load (CPU
time and wall time are both printed; the machine is shared, so compare the
ratios of one run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap

WORKER = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np
    from custvalue import clv

    n, which, repeat = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    rng = np.random.default_rng(2026)
    T = rng.uniform(1.0, 78.0, n)
    if which in ("bgnbd", "mbgnbd", "gamma_gamma"):
        sim = clv.BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426).simulate(
            n, T, rng=rng
        )
    else:
        sim = clv.ParetoNBD(r=0.55, alpha=10.58, s=0.61, beta=11.67).simulate(
            n, T, rng=rng
        )
    x, tx, t = sim.frequency, sim.recency, sim.T
    if which == "gamma_gamma":
        repeat_buyers = x > 0
        spend = rng.gamma(6.0, 1.0 / rng.gamma(4.0, 1 / 15.0, n))
        run = lambda: clv.fit_gamma_gamma(x[repeat_buyers], spend[repeat_buyers])
    else:
        fit = getattr(clv, f"fit_{which}")
        run = lambda: fit(x, tx, t)
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        run()
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
    print(json.dumps({"cpu": best_cpu, "wall": best_wall}))
    """
)

SPIN = "while True:\n    pass\n"


def measure(n: int, which: str, repeat: int, threads: str | None) -> dict[str, float]:
    env = dict(os.environ)
    if threads is not None:
        env["OPENBLAS_NUM_THREADS"] = threads
        env["OMP_NUM_THREADS"] = threads
        env["MKL_NUM_THREADS"] = threads
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(n), which, str(repeat)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--models",
        default="bgnbd,mbgnbd,pareto_nbd,gamma_gamma",
        help="comma-separated fit_* names",
    )
    args = parser.parse_args()
    models = args.models.split(",")
    print(f"{os.cpu_count()} cores; {args.customers:,} continuous-time customers")
    header = "fit          load  threads   cpu s   wall s"
    print(header)
    print("-" * len(header))
    for busy in (False, True):
        spinner = subprocess.Popen([sys.executable, "-c", SPIN]) if busy else None
        try:
            for which in models:
                times = {}
                for threads in (None, "1"):
                    times[threads] = measure(
                        args.customers, which, args.repeat, threads
                    )
                    label = "default" if threads is None else "1"
                    print(
                        f"{which:12s} {'busy' if busy else 'idle':5s} {label:8s}"
                        f"{times[threads]['cpu']:7.2f} {times[threads]['wall']:8.2f}"
                    )
                cpu_ratio = times[None]["cpu"] / times["1"]["cpu"]
                wall_ratio = times[None]["wall"] / times["1"]["wall"]
                print(
                    f"{'':12s} default/1 thread: cpu x{cpu_ratio:.2f}, "
                    f"wall x{wall_ratio:.2f} (target <= 1.5)"
                )
        finally:
            if spinner is not None:
                spinner.kill()
                spinner.wait()


if __name__ == "__main__":
    main()
