"""Every distribution on 10,000 draws at a fixed seed: statistics match, bounds always hold."""

from __future__ import annotations

import math

import numpy as np
import pytest

from seedspec.generate import distributions as d
from seedspec.generate.random import permute, stream_key, uniform

N = 10_000
U = uniform(stream_key(2026, "dist-test"), np.arange(N, dtype=np.int64))


def ks_statistic(sample: np.ndarray, cdf) -> float:  # type: ignore[no-untyped-def]
    x = np.sort(sample)
    f = np.array([cdf(v) for v in x])
    ranks = np.arange(1, len(x) + 1) / len(x)
    return float(max(np.max(ranks - f), np.max(f - (ranks - 1 / len(x)))))


KS_CRITICAL = 1.36 / math.sqrt(N)  # 5% level


def test_uniform_continuous() -> None:
    x = d.continuous("uniform", {}, U, 10.0, 20.0)
    assert x.min() >= 10 and x.max() <= 20
    assert ks_statistic(x, lambda v: (v - 10) / 10) < KS_CRITICAL


def test_normal_matches_mean_and_sigma_and_ks() -> None:
    x = d.continuous("normal", {"mean": 5.0, "sigma": 2.0}, U, -1e9, 1e9)
    assert abs(x.mean() - 5.0) < 0.05 and abs(x.std() - 2.0) < 0.05
    assert ks_statistic(x, lambda v: d.norm_cdf((v - 5.0) / 2.0)) < KS_CRITICAL


def test_normal_truncated_stays_inside_bounds_without_pile_up() -> None:
    x = d.continuous("normal", {"mean": 0.0, "sigma": 1.0}, U, -1.0, 1.0)
    assert x.min() >= -1 and x.max() <= 1
    assert np.mean(np.abs(x) > 0.999) < 0.002  # truncated by construction, not clipped


def test_lognormal_log_moments() -> None:
    x = d.continuous("lognormal", {"mu": 3.0, "sigma": 0.5}, U, 1e-9, 1e9)
    assert x.min() > 0
    assert abs(np.log(x).mean() - 3.0) < 0.02 and abs(np.log(x).std() - 0.5) < 0.02


def test_exponential_mean_and_ks() -> None:
    x = d.continuous("exponential", {"lambda": 0.5}, U, 0.0, 1e12)
    assert x.min() >= 0 and abs(x.mean() - 2.0) < 0.06
    assert ks_statistic(x, lambda v: 1 - math.exp(-0.5 * v)) < KS_CRITICAL


def test_poisson_mean_and_variance() -> None:
    x = d.integers("poisson", {"mean": 12.0}, U, 0, 100)
    assert x.min() >= 0 and x.max() <= 100
    assert abs(x.mean() - 12) < 0.15 and abs(x.var() - 12) < 0.6


def test_geometric_mean_and_variance() -> None:
    p = 0.25  # trials until the first success, starting at min=1
    x = d.integers("geometric", {"p": p}, U, 1, 1000)
    assert x.min() >= 1
    assert abs(x.mean() - 1 / p) < 0.1 and abs(x.var() - (1 - p) / p**2) < 0.8


def test_zipf_frequencies_follow_the_power_law() -> None:
    s = 1.3
    x = d.integers("zipf", {"s": s}, U, 1, 50)
    assert x.min() >= 1 and x.max() <= 50
    weights = np.arange(1, 51, dtype=float) ** -s
    expected = weights / weights.sum()
    counts = np.bincount(x, minlength=51)[1:] / N
    assert np.abs(counts - expected).max() < 0.01


def test_uniform_integers_cover_the_range_evenly() -> None:
    x = d.integers("uniform", {}, U, 1, 6)
    counts = np.bincount(x, minlength=7)[1:]
    assert counts.min() > 0.95 * N / 6 and counts.max() < 1.05 * N / 6


@pytest.mark.parametrize("dist", d.ALL)
def test_bounds_always_hold_on_narrow_ranges(dist: str) -> None:
    params = {"mean": 3.0, "sigma": 1.0, "mu": 1.0, "lambda": 1.0, "p": 0.5, "s": 1.1}
    x = d.integers(dist, params, U, 3, 7)
    assert x.min() >= 3 and x.max() <= 7


def test_draws_depend_only_on_the_row_index() -> None:
    key = stream_key(1, "t", "c")
    whole = uniform(key, np.arange(1000, dtype=np.int64))
    parts = np.concatenate(
        [uniform(key, np.arange(a, a + 100, dtype=np.int64)) for a in range(0, 1000, 100)]
    )
    assert np.array_equal(whole, parts)  # any batch size, same values


@pytest.mark.parametrize("n", [1, 2, 3, 10, 997, 4096, 100_000])
def test_permutation_is_a_bijection(n: int) -> None:
    out = permute(stream_key("p", n), np.arange(n, dtype=np.int64), n)
    assert sorted(out.tolist()) == list(range(n))
