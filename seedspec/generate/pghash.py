"""PostgreSQL's hash partitioning of integer keys, in numpy: key values -> the 64-bit row hash
whose remainder modulo a partition's modulus picks the partition.

Hand-written because no library exposes it: hashint2/4/8extended (Jenkins' lookup3 mix and
final on one 32-bit word, seeded with HASH_PARTITION_SEED) and hash_combine64, as in
PostgreSQL's src/common/hashfn.c, utils/adt/int8.c and partitioning/partbounds.c
(compute_partition_hash_value). tests/integration/test_partitions.py checks it against the
server's satisfies_hash_partition().
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from seedspec.deferred import deferred

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

HASH_PARTITION_SEED = 0x7A5B22367996DCFD
_INIT = (0x9E3779B9 + 4 + 3923095) & 0xFFFFFFFF  # lookup3's start for one 4-byte word


def _rot(x: np.ndarray, k: int) -> np.ndarray:
    return (x << np.uint32(k)) | (x >> np.uint32(32 - k))


def _mix(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, ...]:
    a = (a - c) ^ _rot(c, 4)
    c = c + b
    b = (b - a) ^ _rot(a, 6)
    a = a + c
    c = (c - b) ^ _rot(b, 8)
    b = b + a
    a = (a - c) ^ _rot(c, 16)
    c = c + b
    b = (b - a) ^ _rot(a, 19)
    a = a + c
    c = (c - b) ^ _rot(b, 4)
    b = b + a
    return a, b, c


def _final(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, ...]:
    c = (c ^ b) - _rot(b, 14)
    a = (a ^ c) - _rot(c, 11)
    b = (b ^ a) - _rot(a, 25)
    c = (c ^ b) - _rot(b, 16)
    a = (a ^ c) - _rot(c, 4)
    b = (b ^ a) - _rot(a, 14)
    c = (c ^ b) - _rot(b, 24)
    return a, b, c


def _hash_uint32_extended(k: np.ndarray, seed: int) -> np.ndarray:
    a = np.full(len(k), _INIT, dtype=np.uint32)
    b, c = a.copy(), a.copy()
    a = a + np.uint32(seed >> 32)
    b = b + np.uint32(seed & 0xFFFFFFFF)
    a, b, c = _mix(a, b, c)
    a = a + k
    a, b, c = _final(a, b, c)
    return (b.astype(np.uint64) << np.uint64(32)) | c.astype(np.uint64)


def row_hash(values: np.ndarray, bits: int) -> np.ndarray:
    """The partition row hash of one integer key column (bits: 16, 32 or 64)."""
    v = np.asarray(values, dtype=np.int64)
    with np.errstate(over="ignore"):
        if bits == 64:  # hashint8extended folds the high half in (complemented when negative)
            lo, hi = (v & 0xFFFFFFFF).astype(np.uint32), ((v >> 32) & 0xFFFFFFFF).astype(np.uint32)
            word = np.where(v >= 0, lo ^ hi, lo ^ ~hi).astype(np.uint32)
        else:
            word = (v & 0xFFFFFFFF).astype(np.uint32)
        h = _hash_uint32_extended(word, HASH_PARTITION_SEED)
        return h + np.uint64(0x49A0F4DD15E5A8E3)  # hash_combine64(0, h): 0 ^ (h + k + 0 + 0)


def nth_in_partition(ranks: np.ndarray, modulus: int, remainder: int, bits: int) -> np.ndarray:
    """For each rank r, the r-th positive integer whose row hash is `remainder` mod `modulus`."""
    need = int(ranks.max(initial=-1)) + 1
    found: list[np.ndarray] = []
    have, start, block = 0, 1, max(4096, 2 * modulus * need)
    while have < need:
        candidates = np.arange(start, start + block, dtype=np.int64)
        hit = candidates[row_hash(candidates, bits) % np.uint64(modulus) == np.uint64(remainder)]
        found.append(hit)
        have += len(hit)
        start += block
    return np.concatenate(found)[ranks]
