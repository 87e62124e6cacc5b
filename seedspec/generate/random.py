"""Stream keys and counter-based random draws: (seed, names, row indices) -> uint64/uniform arrays.

Every draw is a pure function of a stream key and a row index (a splitmix64 hash of the
counter), so any row range can be generated alone, in any batch size, with identical results.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from seedspec.deferred import deferred

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

# splitmix64's constants, as Python ints: numpy scalars are made inside bits() so that importing
# this module does not import numpy (an offline `check` never draws a value)
_GOLDEN = 0x9E3779B97F4A7C15
_MIX1 = 0xBF58476D1CE4E5B9
_MIX2 = 0x94D049BB133111EB
_DRAW = 0xD6E8FEB86659FD93


def stream_key(*parts: object) -> int:
    """A stable 64-bit key from names (never Python's salted hash())."""
    text = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def bits(key: int, idx: np.ndarray, draw: int = 0) -> np.ndarray:
    """64 random bits per row index (uint64 array) for stream `key`, draw number `draw`."""
    u64 = np.uint64
    with np.errstate(over="ignore"):
        x = idx.astype(u64) * u64(_GOLDEN)
        x += u64(key) + u64(draw) * u64(_DRAW)
        x ^= x >> u64(30)
        x *= u64(_MIX1)
        x ^= x >> u64(27)
        x *= u64(_MIX2)
        x ^= x >> u64(31)
    return x


def uniform(key: int, idx: np.ndarray, draw: int = 0) -> np.ndarray:
    """Floats in [0, 1) per row index."""
    return (bits(key, idx, draw) >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def integers(key: int, idx: np.ndarray, low: int, high: int, draw: int = 0) -> np.ndarray:
    """Integers in [low, high] inclusive per row index (int64)."""
    span = high - low + 1
    if span <= 0:
        raise ValueError(f"empty integer range {low}..{high}")
    if span >= 1 << 63:
        return (bits(key, idx, draw).astype(np.int64)).astype(np.int64)
    return (bits(key, idx, draw) % np.uint64(span)).astype(np.int64) + np.int64(low)


def permute(key: int, idx: np.ndarray, n: int) -> np.ndarray:
    """A keyed bijection of [0, n) applied to idx (Feistel network with cycle walking).

    Distinct inputs give distinct outputs: the basis of `unique` by construction.
    """
    if n <= 1:
        return np.zeros_like(idx, dtype=np.int64)
    half_bits = max(1, ((n - 1).bit_length() + 1) // 2)
    mask = np.uint64((1 << half_bits) - 1)
    shift = np.uint64(half_bits)
    out = idx.astype(np.uint64)
    todo = np.ones(out.shape, dtype=bool)
    result = np.empty_like(out)
    # Cycle walking: re-encrypt values that land outside [0, n) until they fall inside.
    while todo.any():
        x = out[todo]
        left, right = x >> shift, x & mask
        for rnd in range(4):
            f = bits(key, right.astype(np.int64), rnd) & mask
            left, right = right, left ^ f
        x = (left << shift) | right
        inside = x < np.uint64(n)
        sel = np.flatnonzero(todo)
        result[sel[inside]] = x[inside]
        out[sel[~inside]] = x[~inside]
        todo[sel[inside]] = False
    return result.astype(np.int64)
