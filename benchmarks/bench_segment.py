"""Benchmark custvalue.segment: RFM scores + 11-segment map, and k-means.

Usage: python benchmarks/bench_segment.py [--customers N] [--kmeans-customers N]
           [--peer-customers N] [--repeat R] [--peer-python PATH]

Measures, each in a fresh subprocess on the same synthetic customers
(time since last purchase in whole days, negative-binomial purchase counts
with many one-time buyers, gamma spend rounded to cents, so values tie the
way real ones do):

- rfm_scores (quintiles, midrank ties) plus SegmentMap.eleven_segment() on
  --customers customers (default 10^7; target < 5 s);
- kmeans_segments, k = 5, log1p + standardized R, F, M, 4 starts, silhouette
  on a 5,000-customer subsample, on --kmeans-customers (default 10^6;
  target < 10 s);
- with --peer-python (an interpreter that has scikit-learn and/or the PyPI
  ``rfm`` package, which are not custvalue dependencies):
  scikit-learn KMeans (k-means++, 4 starts, Lloyd) plus its silhouette_score
  on the same 5,000-customer sample size, on the same standardized data;
  and the PyPI ``rfm`` package's scoring and segmentation
  (``calculate_rfm_score`` + ``find_segments``) against custvalue's on
  --peer-customers customers (default 10^5; it loops over rows in Python).

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

    def make_customers(n, seed=2026):
        rng = np.random.default_rng(seed)
        days_since = rng.integers(0, 365, n).astype(np.float64)
        frequency = rng.negative_binomial(1, 0.45, n).astype(np.float64)
        spend = np.round(rng.gamma(2.0, 30.0, n) * (1 + frequency), 2)
        return days_since, frequency, spend
    """
)

WORKER = DATA + textwrap.dedent(
    """
    import json, resource, sys, time, warnings
    n, which, repeat = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    t, f, m = make_customers(n)
    extra = {}

    if which == "custvalue-rfm":
        from custvalue.segment import SegmentMap, TiedBinsWarning, rfm_scores
        eleven = SegmentMap.eleven_segment()
        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", category=TiedBinsWarning)
                return rfm_scores(t, f, m).segments(eleven)
    elif which == "custvalue-kmeans":
        from custvalue.segment import kmeans_segments
        features = {"time_since_last_purchase": t, "frequency": f,
                    "monetary_value": m}
        def run():
            return kmeans_segments(
                features, value="monetary_value", n_clusters=5, rng=0
            )
    elif which == "sklearn-kmeans":
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score
        z = np.column_stack([np.log1p(t), np.log1p(f), np.log1p(m)])
        z = (z - z.mean(axis=0)) / z.std(axis=0)
        def run():
            model = KMeans(
                n_clusters=5, n_init=4, random_state=0, algorithm="lloyd"
            ).fit(z)
            score = silhouette_score(z, model.labels_, sample_size=5000, random_state=0)
            return model.inertia_, score
    elif which == "peer-rfm":
        import pandas as pd
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from rfm import RFM
        table = pd.DataFrame({"customer_id": np.arange(n).astype(str),
                              "recency": t, "frequency": f, "monetary_value": m})
        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                peer = RFM(
                    table.copy(), "customer_id", "date", "amount", automated=False
                )
                scored = peer.calculate_rfm_score(table.copy())
                return peer.find_segments(scored)
    else:
        raise SystemExit(f"unknown worker {which!r}")

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    if which == "custvalue-kmeans":
        extra = {"inertia": result.inertia, "silhouette": result.silhouette,
                 "n_iter": result.n_iter}
    elif which == "sklearn-kmeans":
        extra = {"inertia": float(result[0]), "silhouette": float(result[1])}
    elif which == "custvalue-rfm":
        extra = {"segments": dict(zip(result.names, result.sizes.tolist()))}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": best, "peak_rss_mb": peak, **extra}))
    """
)


def measure(python: str, n: int, which: str, repeat: int) -> dict[str, object] | None:
    done = subprocess.run(
        [python, "-c", WORKER, str(n), which, str(repeat)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1:] or ["(no message)"]
        print(f"  {which}: failed: {last[0]}")
        return None
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(label: str, result: dict[str, object] | None, target: float | None) -> None:
    if result is None:
        return
    seconds = float(result["seconds"])  # type: ignore[arg-type]
    verdict = ""
    if target is not None:
        verdict = (
            f"  (target < {target:g} s: {'met' if seconds < target else 'MISSED'})"
        )
    peak = f"peak RSS {result['peak_rss_mb']:,.0f} MB"
    print(f"  {label:<44} {seconds:8.2f} s  {peak}{verdict}")
    for key in ("inertia", "silhouette", "n_iter"):
        if key in result:
            print(f"      {key}: {result[key]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000_000)
    parser.add_argument("--kmeans-customers", type=int, default=1_000_000)
    parser.add_argument("--peer-customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--peer-python",
        default=None,
        help="interpreter with scikit-learn and/or the PyPI rfm package",
    )
    args = parser.parse_args()
    me = sys.executable

    print(f"RFM scores + 11-segment map, {args.customers:,} customers")
    rfm = measure(me, args.customers, "custvalue-rfm", args.repeat)
    report("custvalue rfm_scores + SegmentMap.assign", rfm, 5.0)
    if rfm is not None:
        print(f"      segments: {rfm['segments']}")

    print(f"\nk-means, k = 5, {args.kmeans_customers:,} customers")
    ours = measure(me, args.kmeans_customers, "custvalue-kmeans", args.repeat)
    report("custvalue kmeans_segments", ours, 10.0)
    if args.peer_python:
        theirs = measure(
            args.peer_python, args.kmeans_customers, "sklearn-kmeans", args.repeat
        )
        report("scikit-learn KMeans + silhouette_score", theirs, None)
        if ours and theirs:
            ratio = float(ours["seconds"]) / float(theirs["seconds"])  # type: ignore[arg-type]
            print(f"      custvalue / scikit-learn time: {ratio:.2f}")

        print(f"\nRFM scores + segments, {args.peer_customers:,} customers")
        small = measure(me, args.peer_customers, "custvalue-rfm", args.repeat)
        report("custvalue rfm_scores + SegmentMap.assign", small, None)
        peer = measure(args.peer_python, args.peer_customers, "peer-rfm", 1)
        report("PyPI rfm calculate_rfm_score + find_segments", peer, None)
        if small and peer:
            ratio = float(peer["seconds"]) / float(small["seconds"])  # type: ignore[arg-type]
            print(f"      PyPI rfm / custvalue time: {ratio:,.0f}")


if __name__ == "__main__":
    main()
