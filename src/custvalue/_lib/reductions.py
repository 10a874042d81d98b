"""Weighted sums over customers that never call BLAS.

The likelihoods sum per-customer terms in chunks of a few thousand to tens
of thousands of values. :func:`numpy.dot` and the ``@`` operator hand such
products to the BLAS library, which splits vectors above a size threshold
(about 10,000 elements for OpenBLAS's ``ddot``) over its thread pool. On an
idle machine that costs little; on a busy one (another process on a core,
several workers per node) each hand-off waits for threads that are not
scheduled, and a fit making thousands of such calls ran 15-25 times slower
in wall time than with one BLAS thread. :func:`numpy.einsum` without
``optimize`` evaluates the same sums in numpy's own single-threaded loops,
at the same speed for vectors, so the hot paths use these helpers and the
result does not depend on BLAS threading.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["matrix_product", "weighted_gram", "weighted_sum", "weighted_sums"]

FloatArray = npt.NDArray[np.float64]

# numpy's stubs type einsum's operands by overloads that reject float arrays
# in some combinations; the calls below are plain float64 contractions.
_einsum: Any = np.einsum


def weighted_sum(weights: npt.ArrayLike, values: npt.ArrayLike) -> float:
    r"""Return :math:`\sum_n w_n v_n` for two vectors of the same length."""
    return float(_einsum("n,n->", weights, values))


def weighted_sums(rows: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    r"""Return :math:`\sum_n w_n R_{\ldots n}` over the last axis of ``rows``.

    ``rows`` has shape ``(..., n)`` and ``weights`` shape ``(n,)``; the
    result has shape ``rows.shape[:-1]``.
    """
    return np.asarray(_einsum("...n,n->...", rows, weights), dtype=np.float64)


def weighted_gram(rows: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    r"""Return the weighted Gram matrix :math:`\sum_n w_n R_{in} R_{jn}` of ``rows``.

    Used for the outer-product terms of Hessians.
    """
    r = np.asarray(rows, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    return np.asarray(_einsum("in,jn->ij", r * w, r), dtype=np.float64)


def matrix_product(left: npt.ArrayLike, right: npt.ArrayLike) -> FloatArray:
    """Return the matrix product of two 2-D arrays, in numpy's own loops."""
    return np.asarray(_einsum("ik,kj->ij", left, right), dtype=np.float64)
