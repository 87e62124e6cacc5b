"""Composed text (`Silver Harbor`, `Mary Delaney`, `cold-river`): the `compose` params of a
`gen` column (parts: mimesis providers or literal lists, a separator, a case) + row indices ->
str arrays; unique ones distinct by construction, with no row-number suffix."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from seedspec.deferred import deferred
from seedspec.generate.base import objects
from seedspec.generate.random import bits, permute

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

Pool: TypeAlias = "Callable[[str], np.ndarray]"  # provider name -> its mimesis pool


def part_pools(compose: dict[str, Any], pool: Pool, max_length: int | None) -> list[list[str]]:
    """Each part's candidate values, cleaned so that joined values can be told apart.

    Parts after the first hold no separator and do not end in `-digits`: a value then splits
    back into its parts from the right (so distinct part tuples give distinct values), and no
    composed value looks like a row-number-suffixed one (the overflow past the space).
    """
    sep = str(compose.get("sep", " "))
    parts = compose["parts"]
    room = None
    if max_length is not None:
        room = (max_length - len(sep) * (len(parts) - 1)) // max(len(parts), 1)
    out = []
    for i, part in enumerate(parts):
        raw = list(part) if isinstance(part, list) else pool(str(part)).tolist()
        words = [_cased(str(v), compose.get("case")) for v in raw if isinstance(v, str) and v]
        if compose.get("alpha"):  # word-like parts only (mimesis word lists hold `nj`, `pmid`)
            words = [w for w in words if w.isalpha() and len(w) >= 4]
        if i > 0:
            words = [w for w in words if (not sep or sep not in w) and not _numbered(w)]
        fitting = [w for w in words if room is None or len(w) <= room]
        out.append(list(dict.fromkeys(fitting or words)))
    return out


def _numbered(word: str) -> bool:
    head, dash, tail = word.rpartition("-")
    return bool(dash) and tail.isdigit()


def _cased(word: str, case: Any) -> str:
    if case == "title":
        return word[:1].upper() + word[1:]
    if case == "lower":
        return word.lower()
    return word


def composed(
    key: int,
    idx: np.ndarray,
    pools: list[list[str]],
    sep: str,
    unique: bool,
    max_length: int | None,
) -> np.ndarray:
    """One value per row: one entry of each part's pool, joined by `sep`.

    Unique: a keyed permutation of the space of part tuples, so rows get distinct tuples
    (hence distinct values); rows past the space (more rows than tuples) take `-row` suffixes.
    """
    sizes = [max(len(p), 1) for p in pools]
    space = int(np.prod(sizes, dtype=object))
    if unique:
        inside = idx < space
        codes = np.zeros(len(idx), dtype=np.int64)
        if space < 2**62:
            codes[inside] = permute(key, idx[inside], space)
        else:
            codes[inside] = idx[inside]
        picks = _digits(codes % max(space, 1), sizes)
    else:
        inside = np.ones(len(idx), dtype=bool)
        picks = [(bits(key, idx, d) % np.uint64(n)).astype(np.int64) for d, n in enumerate(sizes)]
    out = []
    for row, (i, ok) in enumerate(zip(idx.tolist(), inside.tolist(), strict=True)):
        text = sep.join(p[int(k[row])] if p else "" for p, k in zip(pools, picks, strict=True))
        if max_length is not None:
            text = text[:max_length]
        if not ok:
            suffix = f"-{i + 1}"
            room = None if max_length is None else max(max_length - len(suffix), 0)
            text = (text if room is None else text[:room]) + suffix
        out.append(text)
    return objects(out)


def _digits(codes: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """Mixed-radix digits of each code (the last part varies fastest)."""
    out = []
    rest = codes.copy()
    for n in reversed(sizes):
        out.append(rest % n)
        rest = rest // n
    return list(reversed(out))
