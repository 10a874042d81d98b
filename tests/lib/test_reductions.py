"""Weighted sums without BLAS, and the rule that likelihoods use them.

With OpenBLAS's default thread pool on a busy machine, every ``np.dot`` or
``@`` of a few thousand elements waits for threads, and a BG/NBD fit on
10^6 customers took 13.5 s CPU instead of 0.57 s (``benchmarks/
bench_blas_load.py`` measures it). The likelihood code must therefore sum
through :mod:`custvalue._lib.reductions`; the scan below would have caught
the ten ``np.dot`` calls per evaluation that caused it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from custvalue._lib.reductions import weighted_gram, weighted_sum, weighted_sums

SRC = Path(__file__).resolve().parents[2] / "src" / "custvalue"

# modules evaluated at every step of a fit, over all customers
HOT_PATHS = [
    *sorted(
        p
        for p in (SRC / "clv").rglob("*.py")
        if any(key in p.name for key in ("math", "likelihood", "fit", "quadrature"))
    ),
    SRC / "_lib" / "chebyshev_sums.py",
    SRC / "_lib" / "optimize.py",
]

BLAS_CALLS = {"dot", "matmul", "inner", "vdot", "tensordot"}


def _blas_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            found.append(f"{path.name}:{node.lineno} uses @")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in BLAS_CALLS
        ):
            found.append(f"{path.name}:{node.lineno} calls .{node.func.attr}")
    return found


def test_hot_paths_exist() -> None:
    assert len(HOT_PATHS) >= 8
    assert all(p.exists() for p in HOT_PATHS)


@pytest.mark.parametrize("path", HOT_PATHS, ids=lambda p: p.name)
def test_likelihood_code_does_not_call_blas(path: Path) -> None:
    assert _blas_uses(path) == []


finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(
    hnp.arrays(
        np.float64, st.tuples(st.integers(1, 5), st.integers(1, 50)), elements=finite
    )
)
def test_reductions_equal_the_blas_products(rows: np.ndarray) -> None:
    w = np.linspace(0.5, 2.0, rows.shape[1])
    scale = float(np.abs(rows).sum() * 2.0 + 1.0)
    # the same sums, in another order: equal to a few ulps of the terms' size
    tol = 64 * np.finfo(float).eps * scale
    assert abs(weighted_sum(w, rows[0]) - float(np.dot(w, rows[0]))) <= tol
    np.testing.assert_allclose(weighted_sums(rows, w), rows @ w, rtol=0, atol=tol)
    np.testing.assert_allclose(
        weighted_gram(rows, w), (rows * w) @ rows.T, rtol=0, atol=tol * scale
    )
    assert isinstance(weighted_sum(w, rows[0]), float)
