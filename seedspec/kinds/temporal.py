"""The time kinds (date, datetime, time, interval): YAML entry <-> params <-> Generator."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec.kinds.base import (
    BuildContext,
    CheckContext,
    Entry,
    Kind,
    Nested,
    Params,
    Pointer,
    RenderContext,
    plain,
)
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # generators are imported only to build (start-up: validate needs none)
    from seedspec.generate.base import Generator


def _iso_datetime(text: str) -> dt.datetime:
    # the regex reads a spec's ISO-8601 text: a trailing Z becomes +00:00 (not SQL)
    return dt.datetime.fromisoformat(re.sub(r"[Zz]$", "+00:00", text))


def _iso_time(text: str) -> dt.time:
    return dt.time.fromisoformat(re.sub(r"[Zz]$", "+00:00", text))


@dataclass(frozen=True)
class InstantParams:
    """date / datetime / time: an ISO range (None = the generator's default) and a law."""

    start: Any = None  # `from`
    end: Any = None  # `to`
    dist: str = "uniform"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> InstantParams:
        return cls(params.get("from"), params.get("to"), params.get("dist") or "uniform")


def _later(first: Any, second: Any) -> bool:
    if isinstance(first, dt.datetime | dt.time) and (first.tzinfo is None) != (
        second.tzinfo is None
    ):
        first, second = (x.replace(tzinfo=x.tzinfo or dt.timezone.utc) for x in (first, second))
    return bool(first > second)


class _Instant(Kind):
    params_type = InstantParams
    unique_capable = True
    iso: Callable[[str], Any] = staticmethod(dt.date.fromisoformat)  # reads from / to
    written_range = True  # render writes the generator's default from/to out (time: not)

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        value = entry[self.name]
        return {
            "from": value.get("from"),
            "to": value.get("to"),
            "dist": value.get("dist", "uniform"),
        }

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        value = entry[self.name]
        parsed = {}
        for end in ("from", "to"):
            text = value.get(end)
            if text is None:
                continue
            try:
                parsed[end] = self.iso(text)
            except ValueError:
                ctx.add((*pointer, end), f"{text!r} is not an ISO 8601 {self.name}")
        if len(parsed) == 2 and _later(parsed["from"], parsed["to"]):
            ctx.add((*pointer, "to"), f"from ({value['from']}) is after to ({value['to']})")

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = self.parse(params)
        body: Entry = {}
        lo, hi = typed.start, typed.end
        if self.written_range:
            from seedspec.generate.instants import Instant  # render only: start-up

            lo = Instant.DEFAULT_FROM if lo is None else lo
            hi = Instant.DEFAULT_TO if hi is None else hi
        if lo is not None:
            body["from"] = plain(lo)
        if hi is not None:
            body["to"] = plain(hi)
        if params.get("dist") not in (None, "uniform"):
            body["dist"] = params["dist"]
        return {self.name: body}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        from seedspec.generate.instants import Instant  # at build: start-up

        return Instant(self.name, key, params, spec.unique)


class DateKind(_Instant):
    name = "date"
    examples = ({"date": {"from": "2021-01-01", "to": "2021-12-31"}},)
    value_class = "date"


class DatetimeKind(_Instant):
    name = "datetime"
    examples = ({"datetime": {"from": "2021-01-01", "to": "2022-01-01", "dist": "normal"}},)
    value_class = "datetime"
    iso = staticmethod(_iso_datetime)


class TimeKind(_Instant):
    name = "time"
    examples = ({"time": {"from": "08:00:00", "to": "18:00:00"}}, {"time": {}})
    value_class = "time"
    iso = staticmethod(_iso_time)
    written_range = False  # the generator's whole day is not written out


class IntervalKind(Kind):
    """Durations (timedelta values): INTERVAL and text columns take them, a date or time one
    does not; a CHECK's bounds (`d <= '01:00:00'::interval`) come in as internal min / max
    seconds (compile/passes/recipes.py), never written back to YAML."""

    name = "interval"
    runtime = "seedspec.generate.special:Interval"
    examples = ({"interval": {}},)
    value_class = "interval"
    made_up = True

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"interval": {}}


def instant_spec(kind: str, start: str | None, end: str | None) -> GeneratorSpec:
    """`date` / `datetime` / `time` between start and end (None = the kind's default)."""
    if kind not in ("date", "datetime", "time"):
        raise ValueError(f"not an instant kind: {kind!r}")
    return GeneratorSpec(kind, {"from": start, "to": end, "dist": "uniform"})


def interval_spec(low: float | None = None, high: float | None = None) -> GeneratorSpec:
    """`interval`; `low` / `high` (seconds, inclusive; internal) bound it to a CHECK's range."""
    bounds = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
    return GeneratorSpec("interval", bounds)


def default_instant_range() -> tuple[str, str]:
    """The from/to a date or datetime generator draws between when the spec gives neither."""
    from seedspec.generate.instants import Instant  # numpy: only when asked (start-up)

    return Instant.DEFAULT_FROM, Instant.DEFAULT_TO
