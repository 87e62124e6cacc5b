"""Built-in `python:` generators (row indices + a stream seed -> ULID / TypeID strings).

Registered as entry points of the group `seedspec.generators` in seedspec's own pyproject
(`ulid`, `typeid`), so they are found the way a plug-in's are. Both are a pure function of
(seed, row): the time part is a fixed instant plus one millisecond per row (so the ids sort in
row order and never collide), the random part counter-based bits of the row (generate/random).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.random import bits

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

# 2024-01-01T00:00:00Z in milliseconds: a fixed instant, so values never depend on the day
EPOCH_MS = 1_704_067_200_000
CROCKFORD = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_MASK5 = 31  # a Python int: numpy is not imported with this module


def _base32(hi: np.ndarray, lo: np.ndarray, alphabet: bytes) -> np.ndarray:
    """128-bit values (hi, lo uint64) -> 26-character Crockford base32 strings (object array).

    Hand-written because no library we ship encodes a numpy column at once; 26 groups of 5 bits
    from the most significant end (the first character holds the top 3 bits), as ULID and
    TypeID spell them."""
    table = np.frombuffer(alphabet, dtype=np.uint8)
    codes = np.empty((len(hi), 26), dtype=np.uint8)
    for k in range(26):
        off = 5 * (25 - k)  # the group's lowest bit, counted from bit 0 of lo
        if off >= 64:
            group = (hi >> np.uint64(off - 64)) & np.uint64(_MASK5)
        elif off + 5 <= 64:
            group = (lo >> np.uint64(off)) & np.uint64(_MASK5)
        else:  # straddles lo and hi
            group = ((lo >> np.uint64(off)) | (hi << np.uint64(64 - off))) & np.uint64(_MASK5)
        codes[:, k] = table[group.astype(np.intp)]
    text = codes.view("S26").ravel()
    out = np.empty(len(hi), dtype=object)
    out[:] = [t.decode("ascii") for t in text.tolist()]
    return out


def _millis(rows: np.ndarray) -> np.ndarray:
    return np.uint64(EPOCH_MS) + rows.astype(np.uint64)


def ulid(rows: np.ndarray, seed: int, args: Mapping[str, Any]) -> np.ndarray:
    """A ULID per row: 48 bits of milliseconds (EPOCH_MS + row), 80 random bits."""
    with np.errstate(over="ignore"):
        hi = (_millis(rows) << np.uint64(16)) | (bits(seed, rows, 1) >> np.uint64(48))
    return _base32(hi, bits(seed, rows, 0), CROCKFORD)


def typeid(rows: np.ndarray, seed: int, args: Mapping[str, Any]) -> np.ndarray:
    """A TypeID per row: `prefix_` + a UUIDv7 (EPOCH_MS + row) in lower-case base32."""
    prefix = str(args.get("prefix", ""))
    if len(prefix) > 63 or not all("a" <= c <= "z" or c == "_" for c in prefix):
        raise ValueError(f"typeid prefix {prefix!r}: at most 63 of a-z and _")
    if prefix.startswith("_") or prefix.endswith("_"):
        raise ValueError(f"typeid prefix {prefix!r} may not start or end with _")
    with np.errstate(over="ignore"):
        rand_a = bits(seed, rows, 1) >> np.uint64(52)  # 12 bits
        hi = (_millis(rows) << np.uint64(16)) | np.uint64(0x7000) | rand_a
        lo = (bits(seed, rows, 0) >> np.uint64(2)) | np.uint64(0x8000_0000_0000_0000)
    ids = _base32(hi, lo, CROCKFORD.lower())
    if not prefix:
        return ids
    out = np.empty(len(ids), dtype=object)
    out[:] = [f"{prefix}_{i}" for i in ids]
    return out


ulid.unique = True  # type: ignore[attr-defined]  # one millisecond per row: never repeats
typeid.unique = True  # type: ignore[attr-defined]
