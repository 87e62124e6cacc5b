"""Generator params (Python values, nested GeneratorSpecs) <-> tagged JSON data, frozen as `Params`.

JSON keeps str/int/float/bool/None/list/dict-with-str-keys as they are; everything else is tagged
so that decoding gives back the same Python value (tuples stay tuples, int dict keys stay ints,
a nested dict whose keys are not in sorted order keeps its order, since the stream keys of
nested specs and the order of JSON fields depend on it; a recipe's top-level params are read by
name only, so they are written as a plain object):
  {"$gen": {kind, params, null, unique, at}}   a nested GeneratorSpec (json fields, array items)
  {"$tuple": [...]}   {"$map": [[key, value], ...]}   {"$decimal": "1.50"}   {"$date": "..."}
`at` (the nested spec's source location) takes no part in a plan's digest: `without_locations`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from seedspec.errors import SourceLocation
from seedspec.kinds.spec import GeneratorSpec

_TEMPORAL: dict[str, type] = {"$datetime": dt.datetime, "$date": dt.date, "$time": dt.time}


def encode(value: Any) -> Any:
    """A params value as plain JSON data (see the module docstring for the tags)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, GeneratorSpec):
        return {"$gen": _encode_spec(value)}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        keys = list(value)
        plain = all(isinstance(k, str) and not k.startswith("$") for k in keys)
        if plain and keys == sorted(keys):  # sorted JSON keys keep this order
            return {k: encode(v) for k, v in value.items()}
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        tag = next(t for t, kind in _TEMPORAL.items() if isinstance(value, kind))
        return {tag: value.isoformat()}  # datetime is tried before date: it is one
    raise TypeError(f"generator parameter {value!r} ({type(value).__name__}) has no JSON form")


def _encode_spec(spec: GeneratorSpec) -> dict[str, Any]:
    loc = spec.location
    at = {"file": loc.file, "line": loc.line, "col": loc.col} if loc is not None else None
    return {
        "kind": spec.kind,
        "params": encode(spec.params),
        "null": spec.null,
        "unique": spec.unique,
        "at": at,
    }


def decode(data: Any) -> Any:
    """The Python value `encode` was given."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if len(data) == 1:
        ((tag, inner),) = data.items()
        if tag == "$gen":
            return _decode_spec(inner)
        if tag == "$tuple":
            return tuple(decode(v) for v in inner)
        if tag == "$map":
            return {decode(k): decode(v) for k, v in inner}
        if tag == "$decimal":
            return Decimal(inner)
        if tag in _TEMPORAL:
            return _TEMPORAL[tag].fromisoformat(inner)  # type: ignore[attr-defined]
    return {k: decode(v) for k, v in data.items()}


def _decode_spec(data: dict[str, Any]) -> GeneratorSpec:
    at = data.get("at")
    location = SourceLocation(at["file"], at["line"], at["col"]) if at else None
    return GeneratorSpec(
        data["kind"], decode(data["params"]), data["null"], data["unique"], location
    )


def without_locations(data: Any) -> Any:
    """JSON data with every nested spec's `at` dropped (what a digest hashes)."""
    if isinstance(data, list):
        return [without_locations(v) for v in data]
    if isinstance(data, dict):
        if set(data) == {"$gen"}:
            inner = {k: v for k, v in data["$gen"].items() if k != "at"}
            return {"$gen": without_locations(inner)}
        return {k: without_locations(v) for k, v in data.items()}
    return data


def canonical(data: Any) -> str:
    """One text per value: sorted keys, no whitespace."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Params:
    """Frozen generator params: their canonical tagged JSON (equal params, equal text)."""

    text: str = "{}"

    @classmethod
    def of(cls, params: Any) -> Params:
        """Frozen params; the top-level keys are read by name only, so they are sorted."""
        if isinstance(params, dict) and all(isinstance(k, str) for k in params):
            return cls(canonical({k: encode(v) for k, v in params.items()}))
        return cls(canonical(encode(params)))

    @classmethod
    def from_data(cls, data: Any) -> Params:
        return cls(canonical(data))

    def data(self) -> Any:
        """The tagged JSON data (what the Plan's JSON shows)."""
        return json.loads(self.text)

    def value(self) -> Any:
        """A fresh Python value (dict of params, nested GeneratorSpecs rebuilt)."""
        return decode(json.loads(self.text))
