"""The sBG model's data checks and log-likelihood with exact derivatives."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special

from custvalue._lib.reductions import weighted_sum
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    as_row_counts,
    as_vector,
    check_all,
    check_same_length,
    readonly,
)

BoolArray = npt.NDArray[np.bool_]


def whole_numbers(value: npt.ArrayLike, name: str, minimum: int) -> FloatArray:
    """Check whole numbers >= ``minimum`` of any shape; returned as floats."""
    raw = np.asarray(value)
    if raw.dtype == np.bool_ or raw.dtype.kind not in "iuf":
        msg = f"`{name}` must contain whole numbers; got dtype {raw.dtype}."
        raise TypeError(msg)
    array = raw.astype(np.float64)
    flat = array.reshape(-1)
    check_all(
        np.isfinite(flat) & (flat >= minimum) & (flat == np.floor(flat)),
        f"`{name}` must be whole numbers >= {minimum}",
        {name: flat},
        f"`{name}` counts renewal opportunities (periods).",
    )
    return array


def as_churned(value: npt.ArrayLike, n: int) -> BoolArray:
    """Check the churn indicator: booleans (or 0/1), one per customer."""
    raw = as_vector(value, "churned")
    if raw.dtype != np.bool_:
        numeric = raw.dtype.kind in "iuf"
        ok = (raw == 0) | (raw == 1) if numeric else np.zeros(raw.size, dtype=np.bool_)
        check_all(
            ok,
            "`churned` must be True/False (or 1/0) for every customer",
            {"churned": raw},
            "Pass True where the customer cancelled and False where the "
            "customer was still subscribed when observation ended.",
        )
        raw = raw.astype(np.bool_)
    check_same_length(lifetime=np.empty(n), churned=raw)
    return np.array(raw, dtype=np.bool_, copy=True)


def validate_lifetimes(
    lifetime: npt.ArrayLike,
    churned: npt.ArrayLike,
    counts: npt.ArrayLike | None = None,
) -> tuple[FloatArray, BoolArray, FloatArray]:
    """Check individual lifetimes, churn indicators and optional row counts."""
    t = as_float_array(lifetime, "lifetime", nonnegative=True, integer_valued=True)
    c = as_churned(churned, t.size)
    check_all(
        ~c | (t >= 1),
        "`lifetime` must be >= 1 for every customer with churned=True",
        {"lifetime": t, "churned": c},
        "A customer who cancels has been subscribed for at least one period.",
    )
    if counts is None:
        w = np.ones(t.size)
    else:
        w = as_row_counts(counts)
        check_same_length(lifetime=t, counts=w)
    return t, c, w


def validate_survivors(survivors: npt.ArrayLike) -> FloatArray:
    """Check a cohort's survivor counts: whole, >= 0, non-increasing."""
    s = as_float_array(survivors, "survivors", nonnegative=True, integer_valued=True)
    if s.size < 2:
        msg = (
            "`survivors` must have at least 2 entries (the cohort size and the "
            f"survivors after one period); got {s.size}."
        )
        raise ValueError(msg)
    if not s[0] > 0:
        msg = f"`survivors[0]`, the cohort size, must be > 0; got {s[0]!r}."
        raise ValueError(msg)
    check_all(
        np.concatenate([[True], s[1:] <= s[:-1]]),
        "`survivors` must be non-increasing (a cohort cannot gain members)",
        {"survivors": s},
        "survivors[t] counts the customers of one cohort still subscribed "
        "after t periods; new customers belong to a new cohort.",
    )
    return s


def int_vector(value: npt.ArrayLike) -> IntArray:
    return readonly(np.array(value, dtype=np.int64, copy=True))


def bool_vector(value: npt.ArrayLike) -> BoolArray:
    return readonly(np.array(value, dtype=np.bool_, copy=True))


def log_likelihood_terms(
    alpha: float, beta: float, t: FloatArray, churned: BoolArray
) -> FloatArray:
    """Compute ln B(alpha + p, beta + q) - ln B(alpha, beta) per customer.

    Churned at t: (p, q) = (1, t - 1), the beta-geometric probability;
    censored after t: (p, q) = (0, t), the survival function.
    """
    p, q = shifts(t, churned)
    return np.asarray(
        special.betaln(alpha + p, beta + q) - special.betaln(alpha, beta),
        dtype=np.float64,
    )


def shifts(t: FloatArray, churned: BoolArray) -> tuple[FloatArray, FloatArray]:
    p = churned.astype(np.float64)
    return p, t - p


def log_likelihood_derivatives(
    theta: FloatArray, t: FloatArray, churned: BoolArray, w: FloatArray
) -> tuple[float, FloatArray, FloatArray]:
    """Weighted log-likelihood with its exact gradient and Hessian.

    With l = ln B(a+p, b+q) - ln B(a, b) and ln B(x, y) = lnG(x) + lnG(y) -
    lnG(x+y), the derivatives are digamma (psi) and trigamma (psi1)
    differences:

        dl/da = psi(a+p) - psi(a+b+p+q) - psi(a) + psi(a+b)
        dl/db = psi(b+q) - psi(a+b+p+q) - psi(b) + psi(a+b)
        d2l/da2 = psi1(a+p) - psi1(a+b+p+q) - psi1(a) + psi1(a+b)
        d2l/dadb = -psi1(a+b+p+q) + psi1(a+b)
        d2l/db2 = psi1(b+q) - psi1(a+b+p+q) - psi1(b) + psi1(a+b)
    """
    a, b = float(theta[0]), float(theta[1])
    p, q = shifts(t, churned)
    ll = weighted_sum(w, log_likelihood_terms(a, b, t, churned))
    s = a + b + p + q
    psi_s, psi1_s = special.digamma(s), special.polygamma(1, s)
    psi_ab, psi1_ab = special.digamma(a + b), special.polygamma(1, a + b)
    grad_a = special.digamma(a + p) - psi_s - special.digamma(a) + psi_ab
    grad_b = special.digamma(b + q) - psi_s - special.digamma(b) + psi_ab
    h_aa = special.polygamma(1, a + p) - psi1_s - special.polygamma(1, a) + psi1_ab
    h_ab = psi1_ab - psi1_s
    h_bb = special.polygamma(1, b + q) - psi1_s - special.polygamma(1, b) + psi1_ab
    gradient = np.array([weighted_sum(w, grad_a), weighted_sum(w, grad_b)])
    hessian = np.array(
        [
            [weighted_sum(w, h_aa), weighted_sum(w, h_ab)],
            [weighted_sum(w, h_ab), weighted_sum(w, h_bb)],
        ]
    )
    return ll, gradient, hessian
