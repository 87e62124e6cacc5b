"""Distributions by inverse CDF: (name, parameters, uniform draws) -> bounded numbers.

Every sampler is truncated to [min, max] by construction (no clipping pile-ups, no retries).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.laws import ALL as ALL  # the laws' names live there (no numpy)
from seedspec.generate.laws import CONTINUOUS as CONTINUOUS
from seedspec.generate.laws import DISCRETE as DISCRETE
from seedspec.generate.laws import TABLE_LIMIT as TABLE_LIMIT

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

# Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9).
_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_B = (
    -5.447609879822406e01,
    1.615858368580409e02,
    -1.556989798598866e02,
    6.680131188771972e01,
    -1.328068155288572e01,
)
_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)


def norm_ppf(p: np.ndarray) -> np.ndarray:
    """Inverse standard normal CDF, vectorised."""
    p = np.clip(p, 1e-300, 1 - 1e-16)
    out = np.empty_like(p)
    lo, hi = p < 0.02425, p > 1 - 0.02425
    mid = ~(lo | hi)
    q = p[mid] - 0.5
    r = q * q
    num = (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]) * q
    den = ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1
    out[mid] = num / den
    for sel, sign in ((lo, 1.0), (hi, -1.0)):
        pp = p[sel] if sign > 0 else 1 - p[sel]
        q = np.sqrt(-2 * np.log(pp))
        num = ((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]
        den = (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1
        out[sel] = sign * num / den
    return out


def norm_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def continuous(
    dist: str, params: dict[str, Any], u: np.ndarray, lo: float, hi: float
) -> np.ndarray:
    """Floats in [lo, hi] drawn from `dist` (truncated), from uniforms u in [0, 1)."""
    if dist == "uniform":
        return lo + u * (hi - lo)
    if dist in ("normal", "lognormal"):
        if dist == "normal":
            mean = float(params.get("mean", (lo + hi) / 2))
            sigma = float(params.get("sigma", (hi - lo) / 6 or 1.0))
            a, b = lo, hi
        else:
            mean = float(params.get("mu", 0.0))
            sigma = float(params.get("sigma", 1.0))
            a = math.log(lo) if lo > 0 else -math.inf
            b = math.log(hi) if hi > 0 else -math.inf
        pa = norm_cdf((a - mean) / sigma) if math.isfinite(a) else 0.0
        pb = norm_cdf((b - mean) / sigma) if math.isfinite(b) else 1.0
        if pb - pa < 1e-12:  # the bounds sit far in a tail: fall back to uniform inside them
            return lo + u * (hi - lo)
        z = norm_ppf(pa + u * (pb - pa))
        x = mean + sigma * z
        x = np.exp(x) if dist == "lognormal" else x
        return np.clip(x, lo, hi)
    if dist == "exponential":
        lam = float(params.get("lambda", 1.0 / max((hi - lo) / 5, 1e-9)))
        span = hi - lo
        top = 1 - math.exp(-lam * span) if math.isfinite(span) else 1.0
        return np.minimum(lo - np.log1p(-u * top) / lam, hi)
    raise ValueError(f"unknown continuous distribution {dist!r}")


def discrete_pmf(dist: str, params: dict[str, Any], lo: int, hi: int) -> np.ndarray:
    """Unnormalised probabilities of each integer in [lo, hi]."""
    ks = np.arange(lo, hi + 1, dtype=np.float64)
    if dist == "geometric":
        p = float(params.get("p", 0.5))
        return (1 - p) ** (ks - lo)  # number of trials, starting at lo
    if dist == "poisson":
        lam = float(params.get("mean", params.get("lambda", (lo + hi) / 2)))
        logp = ks * math.log(max(lam, 1e-12)) - lam - np.array([math.lgamma(k + 1) for k in ks])
        return np.exp(logp - logp.max())
    if dist == "zipf":
        s = float(params.get("s", 1.2))
        return (ks - lo + 1) ** (-s)
    if dist == "uniform":
        return np.ones_like(ks)
    raise ValueError(f"unknown discrete distribution {dist!r}")


def integers(dist: str, params: dict[str, Any], u: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Integers in [lo, hi] drawn from `dist` (truncated), from uniforms u in [0, 1)."""
    if dist in DISCRETE or (dist == "uniform" and hi - lo <= TABLE_LIMIT):
        if hi - lo > TABLE_LIMIT:
            raise ValueError(f"{dist} needs a max within {TABLE_LIMIT:,} of min")
        pmf = discrete_pmf(dist, params, lo, hi)
        cdf = np.cumsum(pmf)
        cdf /= cdf[-1]
        pos = np.searchsorted(cdf, u, side="right")
        return np.minimum(pos, hi - lo).astype(np.int64) + np.int64(lo)
    x = continuous(dist, params, u, float(lo), float(hi) + 0.999999)
    return np.clip(np.floor(x), lo, hi).astype(np.int64)


def discrete_upper_bound(dist: str, params: dict[str, Any], lo: int) -> int:
    """A sensible max for an unbounded discrete law (where the tail is negligible)."""
    if dist == "poisson":
        lam = float(params.get("mean", params.get("lambda", 1.0)))
        return int(lam + 12 * math.sqrt(lam) + 12)
    if dist == "geometric":
        p = float(params.get("p", 0.5))
        return lo + int(math.ceil(40 / max(p, 1e-6)))
    if dist == "zipf":
        return lo + 10_000
    return lo + 100
