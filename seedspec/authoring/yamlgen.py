"""GeneratorSpec / CountSpec / TreeSpec -> YAML entries (validate's inverse) -> YAML text lines."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from seedspec.database.model import DbSchema
from seedspec.kinds import KINDS
from seedspec.kinds.base import plain as plain  # re-exported: merge and initspec use it
from seedspec.spec.model import CountSpec, GeneratorSpec, TreeSpec

INDENT = 2
WIDTH = 120  # a column entry longer than this is written in block style
_COUNT_KEYS = ("min", "max", "mean", "sigma", "mu", "s", "p", "lambda")
# read values written to YAML: plain scalars that need no quotes, ISO dates (not SQL)
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/@+]*(?: [A-Za-z0-9_.\-/@+]+)*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}
Entry = dict[str, Any]


# -- GeneratorSpec -> entry (plain data, as a user would write it) ---------------------------


def column_entry(g: GeneratorSpec, schema: DbSchema | None = None) -> Entry:
    """One generator as its YAML column entry: the exact inverse of validate's normalisation."""
    kind = KINDS.get(g.kind)
    ctx = _Render(schema)
    entry: Entry = kind.render(g.params, ctx) if kind else _generic(g.kind, g.params)
    if g.null:
        entry["null"] = plain(g.null)
    if g.unique:
        entry["unique"] = True
    return entry


@dataclass(frozen=True)
class _Render:
    """What a kind's render may ask (seedspec.kinds.RenderContext): nested entries, keys."""

    schema: DbSchema | None

    def entry(self, spec: GeneratorSpec) -> Entry:
        return column_entry(spec, self.schema)

    def primary_key(self, table: str) -> tuple[str, ...] | None:
        parent = self.schema.table(table) if self.schema else None
        return None if parent is None else tuple(parent.primary_key)


def _generic(kind: str, params: dict[str, Any]) -> Entry:
    """A kind the registry does not know: its parameters as written, None dropped."""
    return {kind: {k: plain(v) for k, v in params.items() if v is not None}}


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
