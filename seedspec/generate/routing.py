"""Partition-routed key values: each partition's slot for one key column + row indices -> values;
and the picker of an FK to one partition (its k-th parent is row offset + k * stride).

Row i goes to partition ``i % m`` (m slots) and is the ``i // m``-th row there (its rank), so
every partition gets rows and the rows of one partition are known without generating any: an
FK to that partition picks among them. A slot is what one key column takes inside a partition:
``{"in": [...]}`` (LIST values), ``{"from": lo, "to": hi}`` ([lo, hi): ticks for numbers, dates
and timestamps, strings for text; None = open), ``{"const": v}`` (a leading column of a
multi-column RANGE bound) or ``{"hash": [modulus, remainder]}`` (integers hashing there).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.base import Generator, objects
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.instants import EPOCH, US, parse_instant
from seedspec.generate.links import Picker
from seedspec.generate.pghash import nth_in_partition
from seedspec.generate.random import integers, uniform

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

OPEN_SPAN = 1000  # ticks a range open at one end spans
_BASE = {"date": 18_262, "datetime": 1_704_067_200}  # 2020-01-01 (days), 2024-01-01 (seconds)
_DIGITS = "0123456789"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def to_ticks(value: Any, of: str, scale: int = 2) -> int:
    """The smallest tick >= value: ints as they are, decimals in 10**-scale steps, dates in
    days and timestamps in seconds since 1970-01-01."""
    if of == "int":
        return math.ceil(Decimal(str(value)))
    if of in ("decimal", "float"):
        return math.ceil(Decimal(str(value)).scaleb(scale))
    instant = parse_instant(value)
    if of == "date":
        return (instant - EPOCH).days + (instant.time() != dt.time())
    return math.ceil((instant - EPOCH) / dt.timedelta(seconds=1))


def tick_span(lo: int | None, hi: int | None, of: str) -> tuple[int, int]:
    """[lo, hi) with open ends closed OPEN_SPAN ticks away (both open: from a base value)."""
    if lo is None and hi is None:
        lo = _BASE.get(of, 0)
    if lo is None:
        assert hi is not None
        lo = hi - OPEN_SPAN
    return lo, lo + OPEN_SPAN if hi is None else hi


class RoutedValues(Generator):
    """One partition key column's values: row i takes a value of partition i % m's slot."""

    kind = "partition"

    def __init__(self, key: int, params: dict[str, Any], unique: bool = False) -> None:
        if params.get("parts") is None:  # the spec's form: [lower, upper) values per partition
            of = params.get("of", "int")
            parts = [
                {"from": _tick(lo, of), "to": _tick(hi, of)}
                for lo, hi in params.get("ranges") or ()
            ]
            params = {**params, "parts": parts}
        super().__init__(key, params, unique)

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        slots: list[dict[str, Any]] = self.params["parts"]
        of, m = self.params.get("of", "int"), len(slots)
        part, rank = idx % m, idx // m
        out: list[Any] = [None] * len(idx)
        for j, slot in enumerate(slots):
            rows = np.flatnonzero(part == j)
            if len(rows):
                for r, v in zip(
                    rows.tolist(), self._slot(slot, idx[rows], rank[rows]), strict=True
                ):
                    out[r] = v
        return _typed(out, of, int(self.params.get("scale", 2)))

    def _slot(self, slot: dict[str, Any], idx: np.ndarray, rank: np.ndarray) -> list[Any]:
        if "const" in slot:
            return [slot["const"]] * len(idx)
        if "hash" in slot:  # HASH (modulus, remainder): the rank-th integer that hashes there
            modulus, remainder = slot["hash"]
            bits = int(self.params.get("bits", 64))
            return nth_in_partition(rank, int(modulus), int(remainder), bits).tolist()
        if "in" in slot:
            values = slot["in"]
            pick = (
                rank % len(values) if self.unique else integers(self.key, idx, 0, len(values) - 1)
            )
            return [values[int(k)] for k in pick.tolist()]
        of = self.params.get("of", "int")
        if of == "text":
            return _text(slot.get("from"), slot.get("to"), rank, self.params.get("length"))
        if self.unique and (slot.get("from") is None) != (slot.get("to") is None):
            if slot.get("to") is None:  # open above / below: rows numbered away from the end
                return (int(slot["from"]) + rank).tolist()
            return (int(slot["to"]) - 1 - rank).tolist()
        lo, hi = tick_span(slot.get("from"), slot.get("to"), of)
        if of == "datetime" and hi - lo > 2:  # a day inside each end: the session time zone
            margin = min(86_400, (hi - lo) // 4)  # may shift a naive timestamp by hours
            lo, hi = lo + margin, hi - margin
        width = max(hi - lo, 1)
        if self.unique:
            return (lo + rank % width).tolist()
        return (lo + (width * uniform(self.key, idx)).astype(np.int64)).tolist()


def _tick(value: Any, of: str) -> Any:
    return value if value is None or of == "text" else to_ticks(value, of)


def _typed(ticks: list[Any], of: str, scale: int) -> np.ndarray:
    if of == "int":
        return np.array(ticks, dtype=np.int64)
    if of == "date":
        return np.array([_day(t) for t in ticks], dtype="datetime64[D]")
    if of == "datetime":
        return np.array([_instant(t) for t in ticks], dtype="datetime64[us]")
    if of in ("decimal", "float"):
        out = [Decimal(t).scaleb(-scale) if isinstance(t, int) else Decimal(str(t)) for t in ticks]
        return np.array([float(d) for d in out]) if of == "float" else objects(out)
    return objects(ticks)


def _day(value: Any) -> np.datetime64:
    return np.datetime64(value, "D") if isinstance(value, int) else np.datetime64(str(value), "D")


def _instant(value: Any) -> np.datetime64:
    if isinstance(value, int):
        return np.datetime64(value * US, "us")
    return np.datetime64(parse_instant(value), "us")


def _text(lo: str | None, hi: str | None, rank: np.ndarray, length: int | None) -> list[str]:
    """Strings in [lo, hi): a prefix inside the range, then the row's rank in lower-case
    letters. Letters and digits sort the same way in the C collation and the usual linguistic
    ones, so a prefix found by comparing code points holds in those."""
    prefix, room = _prefix(lo, hi)
    width = 0 if not room else 4
    if length:
        width = max(0, min(width, int(length) - len(prefix)))
    out = []
    for r in rank.tolist():
        digits = ""
        for _ in range(width):
            r, d = divmod(r, 26)
            digits = _LETTERS[d] + digits
        out.append(prefix + digits)
    return out


def _prefix(lo: str | None, hi: str | None) -> tuple[str, bool]:
    """(a prefix p with lo <= p + s < hi for any lower-case suffix s, whether s may be added)."""
    if hi is None:
        return (lo if lo is not None else "a"), True
    if lo is not None and not hi.startswith(lo):
        return lo, True  # lo and hi differ inside lo: lo + anything stays below hi
    head, last = hi[:-1], hi[-1]
    alphabet = _DIGITS + (_LETTERS.upper() if last.isalpha() and last.isupper() else _LETTERS)
    below = [c for c in alphabet if c < last]
    if below:
        return head + below[-1], True
    return head, False  # hi ends in a character below every digit: hi minus it, alone


class StripedPicker(Picker):
    """`inner`'s k-th parent is row offset + k * stride (the rows one partition holds)."""

    def __init__(self, inner: Picker, offset: int, stride: int) -> None:
        self.inner, self.offset, self.stride = inner, offset, stride

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        out = self.inner.pick(model, idx)
        return np.where(out >= 0, self.offset + self.stride * out, out)

    def describe(self) -> dict[str, Any]:
        return {**self.inner.describe(), "partition_rows": [self.offset, self.stride]}
