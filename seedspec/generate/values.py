"""Value generators (no cross-table links): GeneratorSpec params + stream key -> numpy arrays."""

from __future__ import annotations

import datetime as dt
import json
import string
import uuid as uuidlib
from decimal import Decimal
from typing import Any

import numpy as np

from seedspec.generate import distributions as dists
from seedspec.generate.base import Generator, jsonable, objects, to_python
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.pools import pool
from seedspec.generate.random import bits, integers, permute, stream_key, uniform

EPOCH = dt.datetime(1970, 1, 1)
_US = 1_000_000


class Sequence(Generator):
    kind = "sequence"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        start, step = int(self.params.get("start", 1)), int(self.params.get("step", 1))
        return idx.astype(np.int64) * step + start


class Integer(Generator):
    kind = "int"

    def bounds(self) -> tuple[int, int]:
        return int(self.params["min"]), int(self.params["max"])

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        lo, hi = self.bounds()
        if self.unique:
            return permute(self.key, idx, hi - lo + 1) + np.int64(lo)
        dist = self.params.get("dist") or "uniform"
        return dists.integers(dist, self.params, uniform(self.key, idx), lo, hi)

    def distinct_limit(self) -> int | None:
        lo, hi = self.bounds()
        return hi - lo + 1


class Float(Generator):
    kind = "float"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        lo, hi = float(self.params["min"]), float(self.params["max"])
        dist = self.params.get("dist") or "uniform"
        if dist in dists.DISCRETE:
            return dists.integers(dist, self.params, uniform(self.key, idx), int(lo), int(hi)) * 1.0
        out = dists.continuous(dist, self.params, uniform(self.key, idx), lo, hi)
        digits = self.params.get("round")
        return np.round(out, int(digits)) if digits is not None else out


class DecimalNumber(Generator):
    """numeric(p, s): a float law rounded to `scale` digits, as Decimal values."""

    kind = "decimal"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        scale = int(self.params.get("scale") or 0)
        lo, hi = float(self.params["min"]), float(self.params["max"])
        dist = self.params.get("dist") or "uniform"
        if self.unique:
            step = 10.0**-scale
            n = int(round((hi - lo) / step)) + 1
            raw = lo + permute(self.key, idx, n) * step
        else:
            raw = dists.continuous(dist, self.params, uniform(self.key, idx), lo, hi)
        fmt = f"{{:.{scale}f}}"
        return objects([Decimal(fmt.format(v)) for v in np.clip(raw, lo, hi).tolist()])

    def distinct_limit(self) -> int | None:
        scale = int(self.params.get("scale") or 0)
        span = float(self.params["max"]) - float(self.params["min"])
        return int(span * 10**scale) + 1


class Choice(Generator):
    kind = "choice"

    def __init__(self, key: int, params: dict[str, Any], unique: bool = False) -> None:
        super().__init__(key, params, unique)
        self.options = objects(list(params["values"]))
        weights = params.get("weights")
        w = np.asarray(weights if weights else [1.0] * len(self.options), dtype=np.float64)
        self.cdf = np.cumsum(w) / w.sum()

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        if self.unique:
            return self.options[permute(self.key, idx, len(self.options))]
        pos = np.searchsorted(self.cdf, uniform(self.key, idx), side="right")
        return self.options[np.minimum(pos, len(self.options) - 1)]

    def distinct_limit(self) -> int | None:
        return len(self.options)


class Boolean(Generator):
    kind = "bool"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return uniform(self.key, idx) < float(self.params.get("p", 0.5))

    def distinct_limit(self) -> int | None:
        return 2


class Const(Generator):
    kind = "const"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return objects([self.params.get("value")] * len(idx))

    def distinct_limit(self) -> int | None:
        return 1


def _parse_instant(text: Any, *, end: bool = False) -> dt.datetime:
    if isinstance(text, dt.datetime):
        return text.replace(tzinfo=None)
    if isinstance(text, dt.date):
        return dt.datetime(text.year, text.month, text.day)
    value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if end and len(str(text)) <= 10:  # a bare date as upper bound means the end of that day
        value += dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return value


class Instant(Generator):
    """date / datetime / time ranges (datetime values are naive UTC)."""

    DEFAULT_FROM = "2020-01-01"
    DEFAULT_TO = "2025-12-31"

    def __init__(self, kind: str, key: int, params: dict[str, Any], unique: bool = False) -> None:
        super().__init__(key, params, unique)
        self.kind = kind

    def _range_us(self) -> tuple[int, int]:
        if self.kind == "time":
            lo = _time_us(self.params.get("from") or "00:00:00")
            hi = _time_us(self.params.get("to") or "23:59:59")
            return lo, hi
        lo_dt = _parse_instant(self.params.get("from") or self.DEFAULT_FROM)
        hi_dt = _parse_instant(self.params.get("to") or self.DEFAULT_TO, end=True)
        return (lo_dt - EPOCH) // dt.timedelta(microseconds=1), (hi_dt - EPOCH) // dt.timedelta(
            microseconds=1
        )

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        lo, hi = self._range_us()
        unit = 86_400 * _US if self.kind == "date" else (_US if self.kind != "time" else _US)
        lo_u, hi_u = -(-lo // unit), hi // unit
        if self.unique:
            ticks = permute(self.key, idx, hi_u - lo_u + 1) + np.int64(lo_u)
        else:
            dist = self.params.get("dist") or "uniform"
            ticks = dists.integers(dist, self.params, uniform(self.key, idx), lo_u, hi_u)
        if self.kind == "date":
            return ticks.astype("datetime64[D]")
        if self.kind == "time":
            return objects([_us_time(int(t) * _US) for t in ticks.tolist()])
        return (ticks * _US).astype("datetime64[us]")

    def distinct_limit(self) -> int | None:
        lo, hi = self._range_us()
        unit = 86_400 * _US if self.kind == "date" else _US
        return (hi - lo) // unit + 1


def _time_us(text: Any) -> int:
    if isinstance(text, int):  # YAML sexagesimal 12:30:00 may arrive as an int of seconds
        return text * _US
    t = dt.time.fromisoformat(str(text))
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


def _us_time(us: int) -> dt.time:
    s, us = divmod(us, _US)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return dt.time(h % 24, m, s, us)


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
    ) -> None:
        super().__init__(key, params, unique)
        self.locale, self.seed, self.max_length = locale, seed, max_length

    def _pool(self) -> np.ndarray:
        return pool(
            self.params["provider"],
            locale=self.locale,
            seed=self.seed,
            args=self.params.get("args"),
        )

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        values = self._pool()
        if self.unique and self.max_length is not None and self.max_length < SHORT_UNIQUE:
            return objects(short_codes(self.key, idx, self.max_length))
        picked = values[(bits(self.key, idx) % np.uint64(len(values))).astype(np.int64)]
        if self.unique:
            return objects(uniquify(picked.tolist(), idx, self.max_length))
        if self.max_length is not None:
            n = self.max_length
            return objects([v[:n] if isinstance(v, str) else v for v in picked.tolist()])
        return picked

    def distinct_limit(self) -> int | None:
        if self.unique and self.max_length is not None and self.max_length < SHORT_UNIQUE:
            return int(len(_CODE_ALPHABET) ** self.max_length)
        return None


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

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [(None, f) for f in self.fields if f != "row"]

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        columns: dict[str, list[Any]] = {"row": (idx + 1).tolist()}
        for name in self.fields:
            if name != "row":
                columns[name] = model.values(self.table, name, idx).tolist()
        template = self.params["template"]
        names = list(columns)
        out = [
            template.format(**dict(zip(names, row, strict=True)))
            for row in zip(*columns.values(), strict=True)
        ]
        return objects(out)


def template_fields(template: str) -> list[str]:
    """The distinct field names a format string reads (first segment of each field)."""
    seen: dict[str, None] = {}
    for _, field, _, _ in string.Formatter().parse(template):
        if field:
            seen.setdefault(field.split(".")[0].split("[")[0], None)
    return list(seen)


class JsonObject(Generator):
    """A JSON object whose fields are nested generators, serialised per row."""

    kind = "json"

    def __init__(self, key: int, fields: dict[str, Generator]) -> None:
        super().__init__(key, {"fields": fields})
        self.fields = fields

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [d for gen in self.fields.values() for d in gen.depends_on()]

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        cols = {name: to_python(gen.values(model, idx)) for name, gen in self.fields.items()}
        names = list(cols)
        rows = zip(*cols.values(), strict=True) if cols else ([] for _ in range(len(idx)))
        return objects(
            [json.dumps(dict(zip(names, row, strict=True)), default=str) for row in rows]
        )


class ArrayOf(Generator):
    """A list per row: `of` values, `length` fixed or {min, max}."""

    kind = "array"

    def __init__(self, key: int, item: Generator, length: Any) -> None:
        super().__init__(key, {"of": item, "length": length})
        self.item = item
        self.length = length

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        if isinstance(self.length, dict):
            lens = integers(self.key, idx, int(self.length.get("min", 0)), int(self.length["max"]))
        else:
            lens = np.full(len(idx), int(self.length), dtype=np.int64)
        width = int(lens.max()) if len(lens) else 0
        sub = idx.astype(np.int64)[:, None] * 64 + np.arange(width, dtype=np.int64)[None, :]
        flat = to_python(self.item.values(model, sub.ravel()))
        return objects([flat[i * width : i * width + n] for i, n in enumerate(lens.tolist())])


class Nullable(Generator):
    """Wraps a generator: a share `rate` of rows become NULL (None)."""

    def __init__(self, inner: Generator, rate: float, key: int) -> None:
        super().__init__(key, {})
        self.inner, self.rate = inner, rate
        self.kind = inner.kind

    def depends_on(self) -> list[tuple[str | None, str]]:
        return self.inner.depends_on()

    def distinct_limit(self) -> int | None:
        return self.inner.distinct_limit()

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        mask = uniform(self.key, idx, 7) < self.rate
        out = objects(to_python(self.inner.values(model, idx)))
        out[mask] = None
        return out

    def describe(self) -> dict[str, Any]:
        return {**self.inner.describe(), "null": self.rate}


class NullValue(Generator):
    kind = "null"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return objects([None] * len(idx))


def key_for(seed: int, table: str, column: str, params: Any) -> int:
    """The stream key of one column: (seed, table, column, its generator)."""
    return stream_key(seed, table, column, json.dumps(jsonable(params), sort_keys=True))


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


class Cidr(Generator):
    """Distinct /24 networks in 10.0.0.0/8."""

    kind = "cidr"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        nets = permute(self.key, idx % 65536, 65536).tolist()
        return objects([f"10.{n >> 8}.{n & 255}.0/24" for n in nets])


class Interval(Generator):
    kind = "interval"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        minutes = integers(self.key, idx, 1, 60 * 24 * 30).tolist()
        return objects([dt.timedelta(minutes=m) for m in minutes])


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
            else:
                lo = dt.date(2020, 1, 1) + dt.timedelta(days=s % 2000)
                out.append(f"[{lo.isoformat()},{(lo + dt.timedelta(days=w)).isoformat()})")
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


class PartitionValues(Generator):
    """Values inside the union of a table's range partitions: a partition, then a point in it."""

    kind = "partition"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        ranges = self.params["ranges"]
        of = self.params.get("of", "int")
        pick = integers(self.key, idx, 0, len(ranges) - 1)
        u = uniform(self.key, idx, 1)
        lows, highs = [], []
        for lo, hi in ranges:
            lo_n, hi_n = self._number(lo, of, -(10**9)), self._number(hi, of, 10**9)
            lows.append(lo_n)
            highs.append(hi_n)
        lo_a, hi_a = np.array(lows, dtype=np.int64)[pick], np.array(highs, dtype=np.int64)[pick]
        ticks = lo_a + ((hi_a - lo_a) * u).astype(np.int64)  # [lo, hi): upper bound excluded
        if of == "date":
            return ticks.astype("datetime64[D]")
        if of == "datetime":
            return (ticks * _US).astype("datetime64[us]")
        return ticks

    @staticmethod
    def _number(value: Any, of: str, default: int) -> int:
        if value is None:
            return default
        if of == "int":
            return int(value)
        instant = _parse_instant(value)
        seconds = (instant - EPOCH) // dt.timedelta(seconds=1)
        return seconds // 86_400 if of == "date" else seconds


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
            step = _UNIT_SECONDS[self.params.get("unit", "days")] * _US
            return base.astype("datetime64[us]") + ((lo + u * (hi - lo)) * step).astype(
                "timedelta64[us]"
            )
        if base.dtype.kind in "iu":
            return base + np.floor(lo + u * (hi - lo + 1)).astype(np.int64)
        if base.dtype.kind == "f":
            return base + lo + u * (hi - lo)
        out = [
            None if b is None else _add(b, lo + x * (hi - lo))
            for b, x in zip(base.tolist(), u.tolist(), strict=True)
        ]
        return objects(out)


def _add(value: Any, amount: float) -> Any:
    if isinstance(value, Decimal):
        places = Decimal(1).scaleb(min(int(value.as_tuple().exponent), 0))
        return value + Decimal(str(amount)).quantize(places)
    if isinstance(value, dt.datetime):
        return value + dt.timedelta(days=amount)
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=int(amount))
    return value + amount
