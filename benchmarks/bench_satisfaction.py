"""Benchmark custvalue.satisfaction: NPS by segment on 10^7 respondents.

Usage: python benchmarks/bench_satisfaction.py [--respondents N] [--groups G]
           [--repeat R]

Measures, each in a fresh subprocess on the same synthetic survey (0-10
answers from a realistic NPS distribution, G segment labels):

- nps_from_scores on --respondents answers (default 10^7);
- nps_by_group with integer labels and with string labels ("region-07"),
  adjusted-Wald intervals (default; target < 5 s for 10^7 string labels);
- nps_by_group with survey weights and with the score interval;
- the same per-segment counts, scores and Wald standard errors by a pandas
  groupby (the usual hand-rolled approach; pandas is a test dependency, not
  a custvalue one), as a reference point. No Python package computes NPS
  intervals to compare against; the R package NPS (Rocks) is not run here.

Time is the best of --repeat runs. "peak RSS" is the worker process's
maximum resident memory, synthetic data included.
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

    SHARES = [0.03, 0.02, 0.03, 0.04, 0.05, 0.07, 0.09, 0.14, 0.16, 0.15, 0.22]

    def make_survey(n, groups, seed=2016):
        rng = np.random.default_rng(seed)
        scores = rng.choice(11, size=n, p=SHARES)
        codes = rng.integers(0, groups, n)
        names = np.array([f"region-{i:02d}" for i in range(groups)])
        weights = rng.uniform(0.5, 2.0, n)
        return scores, codes, names[codes], weights
    """
)

WORKER = DATA + textwrap.dedent(
    """
    import json, resource, sys, time
    n, groups, which, repeat = (
        int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    )
    scores, codes, labels, weights = make_survey(n, groups)

    if which == "from-scores":
        from custvalue.satisfaction import nps_from_scores
        def run():
            return nps_from_scores(scores)
    elif which == "by-group-int":
        from custvalue.satisfaction import nps_by_group
        def run():
            return nps_by_group(scores, codes)
    elif which == "by-group-str":
        from custvalue.satisfaction import nps_by_group
        def run():
            return nps_by_group(scores, labels)
    elif which == "by-group-weighted":
        from custvalue.satisfaction import nps_by_group
        def run():
            return nps_by_group(scores, labels, weights=weights)
    elif which == "by-group-score":
        from custvalue.satisfaction import nps_by_group
        def run():
            return nps_by_group(scores, labels, method="score")
    elif which == "pandas-groupby":
        import pandas as pd
        frame = pd.DataFrame({"score": scores, "group": labels})
        def run():
            code = (frame["score"] >= 9).astype(int) - (frame["score"] <= 6).astype(int)
            grouped = code.groupby(frame["group"])
            summary = grouped.agg(["mean", "var", "count"])
            summary["nps"] = 100 * summary["mean"]
            # var uses n - 1; rescale to the multinomial (n) divisor
            var = summary["var"] * (summary["count"] - 1) / summary["count"]
            summary["se"] = 100 * (var / summary["count"]) ** 0.5
            return summary
    else:
        raise SystemExit(f"unknown worker {which!r}")

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": best, "peak_rss_mb": peak}))
    """
)


def measure(n: int, groups: int, which: str, repeat: int) -> dict[str, float] | None:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(n), str(groups), which, str(repeat)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1:] or ["(no message)"]
        print(f"  {which}: failed: {last[0]}")
        return None
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(label: str, result: dict[str, float] | None, target: float | None) -> None:
    if result is None:
        return
    seconds = result["seconds"]
    verdict = ""
    if target is not None:
        verdict = (
            f"  (target < {target:g} s: {'met' if seconds < target else 'MISSED'})"
        )
    print(
        f"  {label:<46} {seconds:8.2f} s  peak RSS {result['peak_rss_mb']:,.0f} MB"
        f"{verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=10_000_000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n, g, r = args.respondents, args.groups, args.repeat

    print(f"NPS of {n:,} respondents in {g} segments")
    report("nps_from_scores (one score)", measure(n, g, "from-scores", r), None)
    report("nps_by_group, integer labels", measure(n, g, "by-group-int", r), None)
    ours = measure(n, g, "by-group-str", r)
    report("nps_by_group, string labels", ours, 5.0)
    report(
        "nps_by_group, string labels, weights",
        measure(n, g, "by-group-weighted", r),
        None,
    )
    report(
        "nps_by_group, string labels, score interval",
        measure(n, g, "by-group-score", r),
        None,
    )
    theirs = measure(n, g, "pandas-groupby", r)
    report("pandas groupby (scores and Wald se only)", theirs, None)
    if ours and theirs:
        print(
            f"      custvalue / pandas time: {ours['seconds'] / theirs['seconds']:.2f}"
        )


if __name__ == "__main__":
    main()
