"""Date / datetime / time generators: ISO range params + stream key -> datetime64 or time arrays."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate import distributions as dists
from seedspec.generate.base import Generator, objects
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.random import permute, uniform

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

EPOCH = dt.datetime(1970, 1, 1)
US = 1_000_000


def parse_instant(text: Any, *, end: bool = False) -> dt.datetime:
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
        lo_dt = parse_instant(self.params.get("from") or self.DEFAULT_FROM)
        hi_dt = parse_instant(self.params.get("to") or self.DEFAULT_TO, end=True)
        return (lo_dt - EPOCH) // dt.timedelta(microseconds=1), (hi_dt - EPOCH) // dt.timedelta(
            microseconds=1
        )

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        lo, hi = self._range_us()
        unit = 86_400 * US if self.kind == "date" else (US if self.kind != "time" else US)
        lo_u, hi_u = -(-lo // unit), hi // unit
        if self.unique:
            ticks = permute(self.key, idx, hi_u - lo_u + 1) + np.int64(lo_u)
        else:
            dist = self.params.get("dist") or "uniform"
            ticks = dists.integers(dist, self.params, uniform(self.key, idx), lo_u, hi_u)
        if self.kind == "date":
            return ticks.astype("datetime64[D]")
        if self.kind == "time":
            return objects([_us_time(int(t) * US) for t in ticks.tolist()])
        return (ticks * US).astype("datetime64[us]")

    def distinct_limit(self) -> int | None:
        lo, hi = self._range_us()
        unit = 86_400 * US if self.kind == "date" else US
        return (hi - lo) // unit + 1


def _time_us(text: Any) -> int:
    if isinstance(text, int):  # YAML sexagesimal 12:30:00 may arrive as an int of seconds
        return text * US
    t = dt.time.fromisoformat(str(text))
    return ((t.hour * 60 + t.minute) * 60 + t.second) * US + t.microsecond


def _us_time(us: int) -> dt.time:
    s, us = divmod(us, US)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return dt.time(h % 24, m, s, us)
