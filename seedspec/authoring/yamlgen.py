"""GeneratorSpec / CountSpec / TreeSpec -> YAML entries (validate's inverse) -> YAML text lines."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from seedspec.database.model import DbSchema
from seedspec.generate.values import Instant
from seedspec.spec.model import CountSpec, GeneratorSpec, TreeSpec

INDENT = 2
WIDTH = 120  # a column entry longer than this is written in block style
_NUMBER_KEYS = (
    *("min", "max", "dist", "mean", "sigma", "mu", "lambda", "p", "s"),
    *("precision", "scale", "round"),
)
_COUNT_KEYS = ("min", "max", "mean", "sigma", "mu", "s", "p", "lambda")
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/@+]*(?: [A-Za-z0-9_.\-/@+]+)*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}
Entry = dict[str, Any]


# -- GeneratorSpec -> entry (plain data, as a user would write it) ---------------------------


def column_entry(g: GeneratorSpec, schema: DbSchema | None = None) -> Entry:
    """One generator as its YAML column entry: the exact inverse of validate's normalisation."""
    make = _KINDS.get(g.kind, _generic(g.kind))
    entry: Entry = make(g.params, schema)
    if g.null:
        entry["null"] = plain(g.null)
    if g.unique:
        entry["unique"] = True
    return entry


def plain(value: Any) -> Any:
    """numpy scalars, Decimals, dates and tuples -> the YAML-native values they stand for."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _numbers(kind: str) -> Callable[[dict[str, Any], DbSchema | None], Entry]:
    def make(p: dict[str, Any], schema: DbSchema | None) -> Entry:
        body = {k: plain(p[k]) for k in _NUMBER_KEYS if p.get(k) is not None}
        if body.get("dist") == "uniform":
            del body["dist"]
        return {kind: body}

    return make


def _choice(p: dict[str, Any], schema: DbSchema | None) -> Entry:
    values = [plain(v) for v in p.get("values") or []]
    weights = p.get("weights")
    keyable = all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values)
    if weights is None or not keyable or len(set(values)) != len(values):
        return {"choice": values}
    return {"choice": {v: plain(w) for v, w in zip(values, weights, strict=True)}}


def _temporal(kind: str) -> Callable[[dict[str, Any], DbSchema | None], Entry]:
    def make(p: dict[str, Any], schema: DbSchema | None) -> Entry:
        body: Entry = {}
        lo, hi = p.get("from"), p.get("to")
        if kind != "time":  # the generator's own defaults, written out
            lo = Instant.DEFAULT_FROM if lo is None else lo
            hi = Instant.DEFAULT_TO if hi is None else hi
        if lo is not None:
            body["from"] = plain(lo)
        if hi is not None:
            body["to"] = plain(hi)
        if p.get("dist") not in (None, "uniform"):
            body["dist"] = p["dist"]
        return {kind: body}

    return make


def _sequence(p: dict[str, Any], schema: DbSchema | None) -> Entry:
    start, step = int(p.get("start", 1)), int(p.get("step", 1))
    return {"sequence": start if step == 1 else {"start": start, "step": step}}


def _json(p: dict[str, Any], schema: DbSchema | None) -> Entry:
    fields = p.get("fields") or {}
    return {"json": {name: column_entry(sub, schema) for name, sub in fields.items()}}


def _array(p: dict[str, Any], schema: DbSchema | None) -> Entry:
    body: Entry = {"of": column_entry(p["of"], schema)}
    if p.get("length") is not None:
        body["length"] = plain(p["length"])
    return {"array": body}


def _ref(p: dict[str, Any], schema: DbSchema | None) -> Entry:
    table, column = p["table"], p.get("column")
    if column is None and "." in table:  # schema.table alone would read as table.column
        parent = schema.table(table) if schema else None
        if parent is not None and len(parent.primary_key) == 1:
            column = parent.primary_key[0]
    entry: Entry = {"ref": table if column is None else f"{table}.{column}"}
    if p.get("dist") not in (None, "uniform"):
        entry["dist"] = p["dist"]
    if p.get("s") is not None and float(p["s"]) != 1.0:
        entry["s"] = plain(p["s"])
    if p.get("where"):
        entry["where"] = dict(p["where"])
    return entry


def _offset(p: dict[str, Any], schema: DbSchema | None) -> Entry:
    body: Entry = {"from": p["from"]}
    for key, default in (("min", 0), ("max", 30), ("unit", "days")):
        if p.get(key) is not None and p[key] != default:
            body[key] = plain(p[key])
    return {"offset": body}


def _partition(p: dict[str, Any], schema: DbSchema | None) -> Entry:
    body: Entry = {"ranges": [plain(list(r)) for r in p.get("ranges") or []]}
    if p.get("of", "int") != "int":
        body["of"] = p["of"]
    return {"partition": body}


def _length(kind: str, default: int) -> Callable[[dict[str, Any], DbSchema | None], Entry]:
    def make(p: dict[str, Any], schema: DbSchema | None) -> Entry:
        n = p.get("length")
        return {kind: {} if n is None or int(n) == default else {"length": int(n)}}

    return make


def _aggregate(p: dict[str, Any], schema: DbSchema | None) -> Entry:
    body: Entry = {"table": p["table"]}
    if p.get("fn", "sum") != "sum":
        body["fn"] = p["fn"]
    of = list(p.get("of") or [])
    if of:
        body["of"] = of[0] if len(of) == 1 else of
    return {"aggregate": body}


def _generic(kind: str) -> Callable[[dict[str, Any], DbSchema | None], Entry]:
    """A kind this module does not know yet: its parameters as written, None dropped."""

    def make(p: dict[str, Any], schema: DbSchema | None) -> Entry:
        return {kind: {k: plain(v) for k, v in p.items() if v is not None}}

    return make


def _gen(p: dict[str, Any], schema: DbSchema | None) -> Entry:
    entry: Entry = {"gen": p["provider"]}  # max_length is internal: the compiler re-derives it
    if p.get("args"):
        entry["args"] = plain(dict(p["args"]))
    return entry


def _range(p: dict[str, Any], schema: DbSchema | None) -> Entry:
    return {"range": {} if p.get("of", "int") == "int" else {"of": p["of"]}}


_KINDS: dict[str, Callable[[dict[str, Any], DbSchema | None], Entry]] = {
    "gen": _gen,
    "int": _numbers("int"),
    "float": _numbers("float"),
    "decimal": _numbers("decimal"),
    "choice": _choice,
    "bool": lambda p, s: {"bool": plain(p.get("p", 0.5))},
    "date": _temporal("date"),
    "datetime": _temporal("datetime"),
    "time": _temporal("time"),
    "sequence": _sequence,
    "template": lambda p, s: {"template": p["template"]},
    "const": lambda p, s: {"const": plain(p.get("value"))},
    "uuid": lambda p, s: {"uuid": {}},
    "json": _json,
    "array": _array,
    "ref": _ref,
    "index_in_parent": lambda p, s: {"index_in_parent": int(p.get("start", 1))},
    "lookup": lambda p, s: {"lookup": f"{p['fk_column']}.{p['parent_column']}"},
    "default": lambda p, s: {"default": True},
    "offset": _offset,
    "bytes": _length("bytes", 16),
    "bits": lambda p, s: {"bits": {"length": int(p.get("length") or 1)}},
    "cidr": lambda p, s: {"cidr": {}},
    "interval": lambda p, s: {"interval": {}},
    "range": _range,
    "partition": _partition,
    "aggregate": _aggregate,
}


def count_entry(count: int, spec: CountSpec | None) -> Any:
    """`count: N`, or the user's `{per: PARENT, ...}` as written."""
    if spec is None:
        return count
    if spec.per is None:
        return spec.fixed if spec.fixed is not None else count
    body: Entry = {"per": spec.per}
    if spec.via:
        body["via"] = spec.via
    if spec.dist != "uniform":
        body["dist"] = spec.dist
    body.update({k: plain(spec.params[k]) for k in _COUNT_KEYS if spec.params.get(k) is not None})
    return body


def tree_entry(tree: TreeSpec) -> Entry:
    body: Entry = {"parent": tree.parent, "max_depth": tree.max_depth}
    if tree.roots is not None:
        body["roots"] = tree.roots
    return body


# -- entries -> YAML text --------------------------------------------------------------------


def scalar(value: Any) -> str:
    """One YAML scalar that reads back as `value` (plain when unambiguous, else quoted)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    text = str(value)
    if _DATE.fullmatch(text) or (_PLAIN.fullmatch(text) and text.lower() not in _RESERVED):
        return text
    return json.dumps(text, ensure_ascii=False)


def _float(x: float) -> str:
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".inf" if x > 0 else "-.inf"
    short = float(f"{x:.12g}")
    if abs(short - x) <= 1e-9 * max(1.0, abs(x)):
        x = short
    text = repr(x)
    if "e" in text or "E" in text:
        mantissa, exp = text.lower().split("e")
        text = f"{mantissa if '.' in mantissa else mantissa + '.0'}e{int(exp):+d}"
    return text


def flow(value: Any) -> str:
    """A value in YAML flow style, on one line."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def entry_lines(key: Any, value: Any, pad: int, comment: str = "", unit: int = INDENT) -> list[str]:
    """`key: value  # comment` indented by `pad` spaces: flow when it fits, else block style."""
    spaces = " " * pad
    note = f"  # {_one_line(comment)}" if comment else ""
    head = f"{spaces}{scalar(key)}:"
    text = flow(value)
    if len(head) + 1 + len(text) <= WIDTH or not isinstance(value, (dict, list)) or not value:
        return [f"{head} {text}{note}"]
    lines = [head + note]
    if isinstance(value, dict):
        for k, v in value.items():
            lines += entry_lines(k, v, pad + unit, unit=unit)
        return lines
    return lines + [f"{spaces}{' ' * unit}- {flow(v)}" for v in value]


def _one_line(text: str) -> str:
    return " ".join(text.split())
