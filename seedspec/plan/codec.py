"""Frozen plan dataclasses <-> JSON data, driven by their field types (one codec for all).

A member of a union carries its tag under that union's key ("step": "insert" for a step,
"pick": "random" for a pick, "type": "value" for a column recipe); tuples are JSON lists;
`Params` are their tagged JSON. Fields with metadata {"json": False} are not written; with
{"digest": False} they are written but left out of what a digest hashes; with
{"omit_none": True} they are not written while None.
"""

from __future__ import annotations

import types
import typing
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

from seedspec.plan.params import Params

_TAGS: dict[type, tuple[str, str]] = {}  # class -> (key, tag)
_BY_TAG: dict[tuple[str, str], type] = {}


def register(key: str, tags: dict[type, str]) -> None:
    """Tags for the members of one of the plan's unions (e.g. "pick", RandomPick -> "random")."""
    _TAGS.update({cls: (key, tag) for cls, tag in tags.items()})
    _BY_TAG.update({(key, tag): cls for cls, tag in tags.items()})


def to_data(value: Any, *, digest: bool = False) -> Any:
    """JSON data for a plan value; `digest`: without the fields a digest ignores."""
    if isinstance(value, Params):
        return value.data()
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        if type(value) in _TAGS:
            key, tag = _TAGS[type(value)]
            out[key] = tag
        for f in fields(value):
            if f.metadata.get("json") is False or (digest and f.metadata.get("digest") is False):
                continue
            if f.metadata.get("omit_none") and getattr(value, f.name) is None:
                continue  # an optional part left out while absent (plans without it unchanged)
            out[f.name] = to_data(getattr(value, f.name), digest=digest)
        return out
    if isinstance(value, (tuple, list)):
        return [to_data(v, digest=digest) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(hint: Any, data: Any) -> Any:
    """The value of type `hint` that `to_data` wrote as `data`."""
    if hint is Params:
        return Params.from_data(data)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(hint) if a is not type(None)]
        if data is None:
            return None
        if len(members) == 1:
            return from_data(members[0], data)
        key = _TAGS[members[0]][0]
        return from_data(_BY_TAG[(key, data[key])], data)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(args[0], d) for d in data)
        return tuple(from_data(a, d) for a, d in zip(args, data, strict=True))
    if isinstance(hint, type) and is_dataclass(hint):
        hints = _hints(hint)
        given = {
            f.name: from_data(hints[f.name], data[f.name])
            for f in fields(hint)
            if f.init and f.name in data
        }
        return hint(**given)
    if hint is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    return data
