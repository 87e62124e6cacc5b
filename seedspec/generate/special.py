"""Special-type generators (bytes, bits, cidr, interval, ranges, offsets) -> arrays."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.base import Generator, objects
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.instants import US
from seedspec.generate.random import bits, integers, permute, uniform

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")


class Bytes(Generator):
    """Deterministic binary strings (bytea / blob)."""

    kind = "bytes"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        n = int(self.params.get("length", 16))
        words = -(-n // 8)
        parts = np.stack([bits(self.key, idx, d) for d in range(words)], axis=1)
        raw = parts.astype("<u8").tobytes()
        return objects([raw[i * words * 8 : i * words * 8 + n] for i in range(len(idx))])


class BitString(Generator):
    kind = "bits"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        n = int(self.params.get("length", 1))
        raw = bits(self.key, idx).tolist()
        return objects([format(v, "064b")[-n:].rjust(n, "0") for v in raw])


class UniqueBytes(Bytes):
    """`unique: true` bytes: a keyed permutation of the row number written big-endian in the
    last bytes (the rest zero), so rows are distinct by construction up to 256**length."""

    def distinct_limit(self) -> int | None:
        n = int(self.params.get("length", 16))
        return 256**n if n < 8 else None

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        n = int(self.params.get("length", 16))
        limit = self.distinct_limit()
        space = limit if limit is not None else 2**62
        codes = permute(self.key, idx % space, space).tolist()
        return objects([int(c).to_bytes(max(n, 8), "big")[-n:] for c in codes])


class Cidr(Generator):
    """Distinct /24 networks in 10.0.0.0/8."""

    kind = "cidr"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        nets = permute(self.key, idx % 65536, 65536).tolist()
        return objects([f"10.{n >> 8}.{n & 255}.0/24" for n in nets])


class Cidrs(Cidr):
    """The /24s of 10.0.0.0/8 for the cidr kind: 65,536 distinct values (Cidr wraps past)."""

    def distinct_limit(self) -> int | None:
        return 65536


class Interval(Generator):
    """Durations: whole minutes from one to 30 days, or whole seconds between `min` and `max`
    (seconds; internal, from the column's CHECK)."""

    kind = "interval"
    MAX_SECONDS = 60 * 60 * 24 * 30

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        low, high = self.params.get("min"), self.params.get("max")
        if low is None and high is None:
            minutes = integers(self.key, idx, 1, 60 * 24 * 30).tolist()
            return objects([dt.timedelta(minutes=m) for m in minutes])
        if low is None:  # from a minute (or less, under a shorter bound) up to `max`
            hi = math.floor(float(high or 0))  # high is set: not both None
            lo = min(60 if hi >= 60 else 1, hi)
        else:
            lo = math.ceil(float(low))
            hi = math.floor(float(high)) if high is not None else max(lo, 0) + self.MAX_SECONDS
        seconds = integers(self.key, idx, lo, max(lo, hi)).tolist()
        return objects([dt.timedelta(seconds=s) for s in seconds])


class RangeValue(Generator):
    """Range literals ([lower, upper)) of ints, dates or timestamps."""

    kind = "range"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        of = self.params.get("of", "int")
        if self.params.get("disjoint"):  # EXCLUDE ... WITH &&: row i owns its own slot
            return objects([_slot(of, i) for i in idx.tolist()])
        start = integers(self.key, idx, 0, 10_000).tolist()
        width = integers(self.key, idx, 1, 30, draw=1).tolist()
        out = []
        for s, w in zip(start, width, strict=True):
            if of == "int":
                out.append(f"[{s},{s + w})")
            elif of == "float":  # a user range over float8/numeric: quarter steps, exact
                out.append(f"[{s / 4},{(s + w) / 4})")
            else:
                lo = dt.date(2020, 1, 1) + dt.timedelta(days=s % 2000)
                out.append(f"[{lo.isoformat()},{(lo + dt.timedelta(days=w)).isoformat()})")
        if self.params.get("multi"):  # a multirange of one member
            out = ["{" + r + "}" for r in out]
        return objects(out)


def _slot(of: str, i: int) -> str:
    """The i-th of a row of non-overlapping ranges."""
    if of == "int":
        return f"[{i * 10 + 1},{i * 10 + 6})"
    if of == "date":
        day = dt.date(2020, 1, 1) + dt.timedelta(days=i)
        return f"[{day.isoformat()},{(day + dt.timedelta(days=1)).isoformat()})"
    start = dt.datetime(2024, 1, 1) + dt.timedelta(hours=i)
    end = start + dt.timedelta(minutes=45)
    return f"[{start.isoformat(' ')},{end.isoformat(' ')})"


_UNIT_SECONDS = {"days": 86_400, "hours": 3_600, "minutes": 60, "seconds": 1}


class Offset(Generator):
    """Another column of the same row plus a random amount (updated_at after created_at)."""

    kind = "offset"

    def __init__(self, key: int, params: dict[str, Any], table: str, unique: bool = False) -> None:
        super().__init__(key, params, unique)
        self.table = table

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [(None, self.params["from"])]

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        base = model.values(self.table, self.params["from"], idx)
        lo, hi = float(self.params.get("min", 0)), float(self.params.get("max", 30))
        u = uniform(self.key, idx)
        if base.dtype.kind == "M":
            if base.dtype == np.dtype("datetime64[D]"):
                days = np.floor(lo + u * (hi - lo + 1)).astype(np.int64)
                factor = _UNIT_SECONDS[self.params.get("unit", "days")] / 86_400
                return base + (days * factor).astype("timedelta64[D]")
            step = _UNIT_SECONDS[self.params.get("unit", "days")] * US
            return base.astype("datetime64[us]") + ((lo + u * (hi - lo)) * step).astype(
                "timedelta64[us]"
            )
        if base.dtype.kind in "iu":
            return base + np.floor(lo + u * (hi - lo + 1)).astype(np.int64)
        if base.dtype.kind == "f":
            return base + lo + u * (hi - lo)
        per_day = _UNIT_SECONDS[self.params.get("unit", "days")] / 86_400
        out = [
            None if b is None else _add(b, lo + x * (hi - lo), per_day)
            for b, x in zip(base.tolist(), u.tolist(), strict=True)
        ]
        return objects(out)


def _add(value: Any, amount: float, days: float = 1.0) -> Any:
    """`value` moved by `amount` units (`days`: one unit in days, for dates and times); an
    integer by a whole number, as the int64 path does (a row's anchor may come as objects,
    e.g. from a per-row CHECK branch)."""
    if isinstance(value, Decimal):
        places = Decimal(1).scaleb(min(int(value.as_tuple().exponent), 0))
        return value + Decimal(str(amount)).quantize(places)
    if isinstance(value, dt.datetime):
        return value + dt.timedelta(days=amount * days)
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=int(amount * days))
    if isinstance(value, int) and not isinstance(value, bool):
        return value + math.floor(amount)
    return value + amount
