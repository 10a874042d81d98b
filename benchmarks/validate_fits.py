"""Simulate, then fit: convergence rate and interval coverage of every model.

Usage: python benchmarks/validate_fits.py [--sets 300] [--customers 2000]
                                          [--models bgnbd,...] [--seed 2026]

For each model, draws ``--sets`` parameter vectors at random from a range of
realistic values (below), simulates ``--customers`` customers from each, fits
the model, and records:

- whether the fit converged, raised a clean ``ConvergenceError`` (naming a
  runaway parameter), or failed in any other way (a defect);
- for converged fits, whether each parameter's 95% interval covers the true
  value, for the log interval (the default), the Wald interval and the
  profile-likelihood interval (:func:`custvalue.clv.profile_confidence_intervals`).

With 300 sets the binomial standard error of a 95% coverage is 1.3 points,
so coverage between about 92.5% and 97.5% is consistent with 95%. Run by
hand (a few minutes per model on two cores); not a test.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from custvalue import clv
from custvalue.errors import ConvergenceError


def _log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


@dataclass
class Case:
    """One model: parameter ranges, a simulator and a fitter."""

    ranges: dict[str, tuple[float, float]]
    build: Callable[..., Any]
    fit: Callable[[Any, int, np.random.Generator], Any]


def _fit_transactions(fitter: Callable[..., Any]) -> Callable[..., Any]:
    def run(model: Any, n: int, rng: np.random.Generator) -> Any:
        T = rng.uniform(20.0, 80.0, n)  # weeks observed, staggered starts
        data = model.simulate(n, T, rng=rng)
        arrays = (data.frequency, data.recency, data.T)
        return fitter(*arrays), arrays, None

    return run


def _fit_bgbb(model: Any, n: int, rng: np.random.Generator) -> Any:
    data = model.simulate(n, 8, rng=rng)  # 8 opportunities, as the donations
    arrays = (data.frequency, data.recency, data.n_opportunities)
    return clv.fit_bgbb(*arrays, counts=data.counts), arrays, data.counts


def _fit_sbg(model: Any, n: int, rng: np.random.Generator) -> Any:
    data = model.simulate(n, n_periods=8, rng=rng)
    arrays = (data.lifetime, data.churned)
    return clv.fit_sbg(*arrays), arrays, None


def _fit_gamma_gamma(model: Any, n: int, rng: np.random.Generator) -> Any:
    frequency = rng.integers(1, 11, n)
    spend = model.simulate(frequency, rng=rng)
    return clv.fit_gamma_gamma(frequency, spend), (frequency, spend), None


CASES: dict[str, Case] = {
    "bgnbd": Case(
        {"r": (0.1, 3.0), "alpha": (1.0, 20.0), "a": (0.2, 3.0), "b": (0.5, 10.0)},
        clv.BGNBD,
        _fit_transactions(clv.fit_bgnbd),
    ),
    "mbgnbd": Case(
        {"r": (0.1, 3.0), "alpha": (1.0, 20.0), "a": (0.2, 3.0), "b": (0.5, 10.0)},
        clv.MBGNBD,
        _fit_transactions(clv.fit_mbgnbd),
    ),
    "pareto_nbd": Case(
        {"r": (0.1, 3.0), "alpha": (1.0, 20.0), "s": (0.2, 3.0), "beta": (2.0, 50.0)},
        clv.ParetoNBD,
        _fit_transactions(clv.fit_pareto_nbd),
    ),
    "bgbb": Case(
        {
            "alpha": (0.3, 3.0),
            "beta": (0.3, 5.0),
            "gamma": (0.3, 3.0),
            "delta": (0.5, 8.0),
        },
        clv.BGBB,
        _fit_bgbb,
    ),
    "sbg": Case(
        {"alpha": (0.3, 3.0), "beta": (0.5, 10.0)},
        clv.ShiftedBetaGeometric,
        _fit_sbg,
    ),
    "gamma_gamma": Case(
        {"p": (1.0, 10.0), "q": (2.0, 10.0), "gamma": (5.0, 50.0)},
        clv.GammaGamma,
        _fit_gamma_gamma,
    ),
}


@dataclass
class Tally:
    """Counts for one model."""

    sets: int = 0
    converged: int = 0
    clean_errors: int = 0
    other_errors: list[str] = field(default_factory=list)
    covered_log: dict[str, int] = field(default_factory=dict)
    covered_wald: dict[str, int] = field(default_factory=dict)
    covered_profile: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def validate(
    name: str, sets: int, customers: int, seed: int, *, profile: bool
) -> Tally:
    case = CASES[name]
    rng = np.random.default_rng([seed, sum(map(ord, name))])
    tally = Tally()
    start = time.perf_counter()
    for _ in range(sets):
        truth = {k: _log_uniform(rng, *bounds) for k, bounds in case.ranges.items()}
        model = case.build(**truth)
        tally.sets += 1
        try:
            fit, arrays, counts = case.fit(model, customers, rng)
        except ConvergenceError as error:
            report = error.report
            if report is not None and report.boundary:
                tally.clean_errors += 1
            else:
                tally.other_errors.append(f"{truth}: {error}")
            continue
        except Exception as error:
            tally.other_errors.append(f"{truth}: {type(error).__name__}: {error}")
            continue
        tally.converged += 1
        for method, store in (
            ("log", tally.covered_log),
            ("wald", tally.covered_wald),
            ("profile", tally.covered_profile),
        ):
            if method == "profile":
                if not profile:
                    continue
                intervals = clv.profile_confidence_intervals(
                    fit, *arrays, counts=counts, confidence_level=0.95
                )
            else:
                intervals = fit.confidence_intervals(0.95, method=method)
            for k, value in truth.items():
                inside = intervals[k].low <= value <= intervals[k].high
                store[k] = store.get(k, 0) + int(inside)
    tally.seconds = time.perf_counter() - start
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=300)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--models", default=",".join(CASES))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--no-profile", action="store_true", help="skip profile-likelihood intervals"
    )
    args = parser.parse_args()
    print(f"{args.sets} parameter sets x {args.customers} customers per model\n")
    print(
        "| model | converged | clean ConvergenceError | other failures "
        "| 95% coverage (log) | 95% coverage (Wald) | 95% coverage (profile) | time |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name in args.models.split(","):
        t = validate(
            name, args.sets, args.customers, args.seed, profile=not args.no_profile
        )
        n = max(t.converged, 1)
        log = ", ".join(f"{k} {100 * v / n:.1f}%" for k, v in t.covered_log.items())
        wald = ", ".join(f"{k} {100 * v / n:.1f}%" for k, v in t.covered_wald.items())
        prof = ", ".join(
            f"{k} {100 * v / n:.1f}%" for k, v in t.covered_profile.items()
        )
        print(
            f"| {name} | {t.converged}/{t.sets} ({100 * t.converged / t.sets:.1f}%) "
            f"| {t.clean_errors} | {len(t.other_errors)} | {log} | {wald} | {prof} "
            f"| {t.seconds:.0f} s |"
        )
        for line in t.other_errors[:5]:
            print(f"    failure: {line[:300]}")


if __name__ == "__main__":
    main()
