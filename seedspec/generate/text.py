"""Text generators (mimesis providers, templates, UUIDs): params + stream key -> str arrays."""

from __future__ import annotations

import string
import unicodedata
import uuid as uuidlib
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.base import Generator, objects
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.composed import composed, part_pools
from seedspec.generate.derived import apply_filters
from seedspec.generate.pools import pool
from seedspec.generate.random import bits, permute

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")


class Uuid(Generator):
    """Deterministic version-4 UUIDs; the 64-bit row bijection is kept whole, so unique."""

    kind = "uuid"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        hi = bits(self.key, idx, 0).tolist()
        lo = bits(self.key, idx, 1).tolist()
        out = []
        for h, low in zip(hi, lo, strict=True):
            displaced = (h >> 12) & 0xF  # the version nibble's bits move into the low half
            h = (h & ~(0xF << 12)) | (4 << 12)
            low = (low & 0x3FFFFFFFFFFFFFF0) | 0x8000000000000000 | displaced
            out.append(str(uuidlib.UUID(int=(h << 64) | low)))
        return objects(out)


class Provider(Generator):
    """mimesis `provider.method` values drawn from a seeded pool; `unique` adds a row key."""

    kind = "gen"

    def __init__(
        self,
        key: int,
        params: dict[str, Any],
        unique: bool = False,
        *,
        locale: str = "en",
        seed: int = 0,
        max_length: int | None = None,
        shape: TextShape | None = None,
    ) -> None:
        super().__init__(key, params, unique)
        self.locale, self.seed, self.max_length = locale, seed, max_length
        self.shape = shape
        self._parts: list[list[str]] | None = None  # compose: each part's pool, cleaned
        self._fitting: np.ndarray | None = None  # the pool's values that fit max_length
        self._distinct: np.ndarray | None = None  # the pool a unique column permutes

    def _pool(self) -> np.ndarray:
        return pool(
            self.params["provider"],
            locale=self.locale,
            seed=self.seed,
            args=self.params.get("args"),
        )

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        out = self._values(idx)
        if self.shape is None:
            return out
        return objects([self.shape.apply(v, self.max_length) for v in out.tolist()])

    def _values(self, idx: np.ndarray) -> np.ndarray:
        compose = self.params.get("compose")
        if compose:
            if self._parts is None:
                self._parts = part_pools(compose, self._part_pool, self.max_length)
            sep = str(compose.get("sep", " "))
            return composed(self.key, idx, self._parts, sep, self.unique, self.max_length)
        values = self._pool()
        if self.unique and self.max_length is not None and self.max_length < SHORT_UNIQUE:
            return objects(short_codes(self.key, idx, self.max_length))
        if self.unique and self.shape is None:
            if self._distinct is None:
                self._distinct = distinct_pool(values, self.max_length)
            if len(self._distinct):
                return distinct_values(self.key, idx, self._distinct, self.max_length)
        if not self.unique and self.max_length is not None:
            if self._fitting is None:
                self._fitting = fitting(values, self.max_length)
            values = self._fitting
        picked = values[(bits(self.key, idx) % np.uint64(len(values))).astype(np.int64)]
        if self.unique:
            return objects(uniquify(picked.tolist(), idx, self.max_length))
        if self.max_length is not None:
            n = self.max_length
            return objects([cut(v, n) if isinstance(v, str) else v for v in picked.tolist()])
        return picked

    def _part_pool(self, provider: str) -> np.ndarray:
        return pool(provider, locale=self.locale, seed=self.seed)

    def distinct_limit(self) -> int | None:
        if self.unique and self.max_length is not None and self.max_length < SHORT_UNIQUE:
            return int(len(_CODE_ALPHABET) ** self.max_length)
        return None


FITTING_MIN = 16  # fewer pool values than this fit a column's limit: cut the longer ones


def fitting(values: np.ndarray, limit: int) -> np.ndarray:
    """The pool's values that fit the column whole (a varchar(60) description gets the
    sentences of up to 60 characters, of their natural lengths, rather than every long one cut
    to exactly 60); the whole pool when too few fit."""
    keep = [v for v in values.tolist() if not isinstance(v, str) or len(v) <= limit]
    if len(keep) >= min(FITTING_MIN, len(values)):
        return objects(keep)
    return values


def cut(text: str, limit: int) -> str:
    """A value cut to the limit: at its last word boundary when that keeps at least 3/4 of it
    (`Erlang is known for` rather than `Erlang is known for its desi`)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return head[:space].rstrip(" ,;:") if space >= limit * 3 // 4 else head


class TextShape:
    """What CHECKs ask of free text (lower(x) = x, trim(x) = x, x <> 'none'): each value
    trimmed, then in its case, then moved off an excluded value (compared without case and
    trailing spaces, as a case-insensitive PAD SPACE collation compares)."""

    def __init__(self, case: str | None, trim: bool, exclude: list[str]) -> None:
        self.case, self.trim = case, trim
        self.exclude = {_plain(e) for e in exclude}

    def apply(self, value: Any, max_length: int | None) -> Any:
        if not isinstance(value, str):
            return value
        if self.trim:
            value = value.strip(" ")
        value = self._cased(value)
        if _plain(value) not in self.exclude:
            return value
        for filler in "xyzq":
            room = max_length is None or len(value) < max_length
            moved = self._cased(value + filler if room else value[:-1] + filler)
            if _plain(moved) not in self.exclude:
                return moved
        return value  # four excluded neighbours of one word: the database judges it

    def _cased(self, value: str) -> str:
        return value.lower() if self.case == "lower" else value.upper() if self.case else value


def _plain(text: str) -> str:
    return text.rstrip(" ").casefold()


SHORT_UNIQUE = 12  # below this length a value + row number does not fit: use distinct codes
_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def short_codes(key: int, idx: np.ndarray, width: int) -> list[str]:
    """Distinct fixed-width codes (a keyed permutation written in base 36)."""
    base = len(_CODE_ALPHABET)
    space = base**width
    codes = permute(key, idx, space) if space < 2**62 else idx
    out = []
    for code in codes.tolist():
        chars = []
        for _ in range(width):
            code, digit = divmod(code, base)
            chars.append(_CODE_ALPHABET[digit])
        out.append("".join(reversed(chars)))
    return out


def distinct_pool(values: np.ndarray, max_length: int | None) -> np.ndarray:
    """The pool values a unique column takes whole: strings that fit the column and do not end
    like a row suffix (`-12`, `.12@`), so that no suffixed value (past the pool) equals one;
    empty when the pool is not all strings or too few fit (then every value is suffixed)."""
    if not all(isinstance(v, str) for v in values.tolist()):
        return objects([])
    kept: dict[str, str] = {}
    for v in values.tolist():
        if (max_length is None or len(v) <= max_length) and not _row_suffixed(v):
            kept.setdefault(_collated(v), v)
    return objects(list(kept.values())) if len(kept) >= FITTING_MIN else objects([])


def _collated(text: str) -> str:
    """A value as the loosest common collation compares it (MariaDB's *_general_ci: no case,
    no accents, no trailing spaces): two pool values equal here are one value for UNIQUE."""
    folded = unicodedata.normalize("NFKD", text.casefold().rstrip(" "))
    return "".join(c for c in folded if not unicodedata.combining(c))


def _row_suffixed(text: str) -> bool:
    local = text.rsplit("@", 1)[0] if "@" in text else text
    head, sep, tail = local.rpartition("." if "@" in text else "-")
    return bool(sep) and tail.isdigit()


def distinct_values(
    key: int, idx: np.ndarray, pool: np.ndarray, max_length: int | None
) -> np.ndarray:
    """Distinct by construction: the first len(pool) rows take a keyed permutation of the pool
    (real values, no row number); rows past it a pool value + its row number (uniquify)."""
    n = len(pool)
    out = objects([None] * len(idx))
    inside = idx < n
    if inside.any():
        out[inside] = pool[permute(key, idx[inside], n)]
    if not inside.all():
        past = idx[~inside]
        picked = pool[(bits(key, past) % np.uint64(n)).astype(np.int64)].tolist()
        out[~inside] = objects(uniquify(picked, past, max_length))
    return out


def uniquify(values: list[Any], idx: np.ndarray, max_length: int | None) -> list[str]:
    """Distinct strings by construction: value + separator + row number (the last token).

    The row number contains no separator, so two rows can only collide if their numbers
    match; emails keep their domain (`name.123@example.com`).
    """
    out = []
    for value, row in zip(values, (idx + 1).tolist(), strict=True):
        text = str(value)
        if "@" in text:
            local, domain = text.rsplit("@", 1)
            suffix = f".{row}@{domain}"
            room = None if max_length is None else max_length - len(suffix)
            out.append((local if room is None else local[: max(room, 0)]) + suffix)
            continue
        suffix = f"-{row}"
        room = None if max_length is None else max_length - len(suffix)
        out.append((text if room is None else text[: max(room, 0)]) + suffix)
    return out


class Template(Generator):
    """A format string over {row} (1-based) and other columns of the same row."""

    kind = "template"

    def __init__(self, key: int, params: dict[str, Any], table: str, unique: bool = False) -> None:
        super().__init__(key, params, unique)
        self.table = table
        self.fields = template_fields(params["template"])
        self.format, self.filtered = filtered_format(params["template"])

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [(None, f) for f in self.fields if f != "row"]

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        columns: dict[str, list[Any]] = {"row": (idx + 1).tolist()}
        for name in self.fields:
            if name != "row":
                columns[name] = model.values(self.table, name, idx).tolist()
        for slot, (name, filters) in self.filtered.items():
            columns[slot] = [apply_filters(v, filters) for v in columns[name]]
        names = list(columns)
        out = [
            self.format.format(**dict(zip(names, row, strict=True)))
            for row in zip(*columns.values(), strict=True)
        ]
        return objects(out)


def template_fields(template: str) -> list[str]:
    """The distinct field names a format string reads (first segment of each field)."""
    seen: dict[str, None] = {}
    for _, field, _, _ in string.Formatter().parse(template):
        if field:
            seen.setdefault(field.split("|")[0].split(".")[0].split("[")[0], None)
    return list(seen)


def filtered_format(template: str) -> tuple[str, dict[str, tuple[str, tuple[str, ...]]]]:
    """The template with each `{name|filter...}` field renamed to a slot (`|0`) + what each
    slot holds (column, filters); a template with no filter comes back as written."""
    parsed = list(string.Formatter().parse(template))
    if not any(field and "|" in field for _, field, _, _ in parsed):
        return template, {}
    out: list[str] = []
    slots: dict[str, tuple[str, tuple[str, ...]]] = {}
    for literal, field, spec, conversion in parsed:
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if field is None:
            continue
        if "|" in field:
            name, *filters = field.split("|")
            field = f"|{len(slots)}"  # no column name holds a |
            slots[field] = (name, tuple(filters))
        out.append(
            "{"
            + field
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
    return "".join(out), slots
