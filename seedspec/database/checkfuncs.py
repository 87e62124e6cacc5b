"""Function-shaped CHECK atoms (sqlglot nodes) -> alternatives of per-column facts.

Case and trim chains (`lower(x) = x`, `btrim(x) <> ''`, `length(trim(x)) > 0`), JSON type tests
(`jsonb_typeof(x) = 'object'`, `json_type(x, '$.tags') = 'array'`, MariaDB `JSON_TYPE(x) =
'OBJECT'`) and array sizes (`cardinality(a) <= 3`, `array_length(a, 1) BETWEEN 1 AND 4`). Each
reader returns None when the node is not its shape, and raises Unread for its shape with a
meaning the model does not hold. database.checks asks these before its plain comparisons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from seedspec.database.constraints import Alternative, ColumnFacts
from seedspec.database.sqlvalues import Unread, column_name, is_column, unparen, value
from seedspec.deferred import deferred

if TYPE_CHECKING:
    from sqlglot import exp
else:
    exp = deferred("sqlglot.expressions")

# keyed by sqlglot class name, not class: importing this module does not import sqlglot
_CASE_OPS = {"Upper": "upper", "Lower": "lower"}
_TRIM_SIDE = {"LEADING": "ltrim", "TRAILING": "rtrim"}
_IMAGE: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "trim": lambda s: s.strip(" "),
    "ltrim": lambda s: s.lstrip(" "),
    "rtrim": lambda s: s.rstrip(" "),
}
_ARRAY_SIZE = {"cardinality", "array_length"}
_JSON_TYPE_FUNCS = {"jsonb_typeof", "json_typeof", "json_type"}
_JSON_TYPE_NAMES = {  # PostgreSQL, MariaDB (upper case) and SQLite spellings, lower-cased
    "object": "object",
    "array": "array",
    "string": "string",
    "text": "string",
    "number": "number",
    "integer": "number",
    "real": "number",
    "double": "number",
    "decimal": "number",
    "boolean": "boolean",
    "true": "boolean",
    "false": "boolean",
}
DOCUMENT_TYPES = ("object", "array")  # what a whole generated JSON document can be
KEY_TYPES = ("object", "array", "string", "number", "boolean")  # what a generated key can be


def _one(name: str, **facts: Any) -> list[Alternative]:
    return [{name: ColumnFacts(**facts)}]


# ------------------------------------------------------------------ case and trim chains


def text_chain(node: exp.Expr) -> tuple[str, tuple[str, ...]] | None:
    """`lower(btrim(x))` -> ("x", ("lower", "trim")), outermost first (casts skipped); None
    when the node is not at least one case or trim function around a column."""
    node = unparen(node)
    ops: list[str] = []
    while True:
        while isinstance(node, exp.Cast):
            node = unparen(node.this)
        if type(node).__name__ in _CASE_OPS:
            ops.append(_CASE_OPS[type(node).__name__])
        elif isinstance(node, exp.Trim) and not node.args.get("expression"):
            side = str(node.args.get("position") or "BOTH").upper()
            ops.append(_TRIM_SIDE.get(side, "trim"))
        else:
            break
        node = unparen(node.this)
    if not ops or not isinstance(node, exp.Column):
        return None
    return str(node.name), tuple(ops)


def _image(ops: tuple[str, ...], text: str) -> str:
    for op in reversed(ops):
        text = _IMAGE[op](text)
    return text


def _shape(ops: tuple[str, ...]) -> dict[str, Any]:
    """Facts that make the chain the identity on x: the outermost case, trimmed if any trim."""
    case = next((op for op in ops if op in ("lower", "upper")), None)
    return {"case": case, "trimmed": any(op.endswith("trim") for op in ops)}


def chain_comparison(op: str, left: exp.Expr, right: exp.Expr) -> list[Alternative] | None:
    """`chain(x) = x`: x is its own image (lower case, trimmed); `chain(x) = 'v'` / IN: the
    values that are their own image; `chain(x) <> 'v'`: x its own image and not v."""
    found = text_chain(left)
    if found is None:
        return None
    name, ops = found
    if is_column(right):
        if op != "=" or column_name(right).lower() != name.lower():
            raise Unread(f"{'/'.join(ops)}({name}) {op} {right.sql()[:40]}")
        return _one(name, **_shape(ops))
    listed = listed_values(right)
    values = listed if listed is not None else (value(right),)
    if op == "=":
        own = tuple(v for v in values if isinstance(v, str) and _image(ops, v) == v)
        return _one(name, allowed=own)
    if op == "<>":
        return _one(name, excluded=values, **_shape(ops))
    raise Unread(f"{'/'.join(ops)}({name}) {op} {right.sql()[:40]}")


def chain_in(node: exp.In, negated: bool) -> list[Alternative] | None:
    """`lower(x) IN ('a', 'b')` / `trim(x) NOT IN ('', '-')`."""
    if text_chain(node.this) is None:
        return None
    values = exp.Tuple(expressions=list(node.expressions))
    return chain_comparison("<>" if negated else "=", node.this, values)


def listed_values(node: exp.Expr) -> tuple[Any, ...] | None:
    """The values of ANY (ARRAY[...]) or of a tuple (None: not that shape)."""
    node = unparen(node)
    if isinstance(node, exp.Tuple):
        return tuple(value(v) for v in node.expressions)
    if not isinstance(node, (exp.Any, exp.Anonymous)):
        return None
    inner = unparen(node.this if isinstance(node, exp.Any) else node.expressions[0])
    if isinstance(inner, exp.Cast):
        inner = unparen(inner.this)
    if isinstance(node, exp.Anonymous) and str(node.this).upper() != "ANY":
        return None
    return tuple(value(v) for v in inner.expressions) if isinstance(inner, exp.Array) else None


def length_target(node: exp.Expr) -> tuple[str, dict[str, Any]] | None:
    """The column a length function measures, and the facts that make its argument the
    column itself (`length(trim(x))` is length(x) for trimmed x)."""
    node = unparen(node)
    if is_column(node):
        return column_name(node), {}
    found = text_chain(node)
    if found is None:
        return None
    name, ops = found
    return name, {"trimmed": any(op.endswith("trim") for op in ops)}


# ------------------------------------------------------------------ array sizes and JSON types


def array_size(fname: str | None, node: exp.Expr) -> str | None:
    """The array column `cardinality(a)` / `array_length(a, 1)` measures (None: not that)."""
    if isinstance(node, exp.ArraySize):
        dim = node.args.get("expression")
        if dim is not None and value(dim) != 1:
            raise Unread(f"array_length of dimension {dim.sql()}")
        return column_name(node.this)
    if fname in _ARRAY_SIZE and isinstance(node, exp.Anonymous):
        args = list(node.expressions)
        if fname == "array_length" and (len(args) != 2 or value(args[1]) != 1):
            raise Unread(f"array_length {node.sql()[:60]}")
        return column_name(args[0])
    return None


def json_type(op: str, left: exp.Expr, right: exp.Expr) -> list[Alternative] | None:
    """`jsonb_typeof(x) = 'object'`, `jsonb_typeof(x -> 'tags') = 'array'`, `json_type(x,
    '$.tags') = 'array'` (SQLite), `JSON_TYPE(x) = 'OBJECT'` (MariaDB): the type of the
    document or of one key; only `=` / IN, and only types a generator can make."""
    target = _json_target(left)
    if target is None:
        return None
    name, key = target
    if op != "=":
        raise Unread(f"JSON type {op} {right.sql()[:40]}")
    listed = listed_values(right)
    names = [str(v).lower() for v in (listed if listed is not None else (value(right),))]
    kinds = [_JSON_TYPE_NAMES[n] for n in names if n in _JSON_TYPE_NAMES]
    made = [k for k in kinds if k in (KEY_TYPES if key else DOCUMENT_TYPES)]
    if not made:
        raise Unread(f"JSON type {', '.join(names)}")
    return _one(name, json_types=((key, made[0]),), is_json=True)


def _json_target(node: exp.Expr) -> tuple[str, str] | None:
    """(column, key or "") of a JSON type function's argument."""
    node = unparen(node)
    if isinstance(node, exp.JSONType):
        doc, path = unparen(node.this), node.args.get("expression")
    elif isinstance(node, exp.Anonymous) and str(node.this).lower() in _JSON_TYPE_FUNCS:
        args = list(node.expressions)
        doc, path = unparen(args[0]), args[1] if len(args) > 1 else None
    else:
        return None
    if path is not None:  # SQLite json_type(x, '$.tags')
        return column_name(doc), _path_key(value(path))
    if isinstance(doc, exp.JSONExtract):  # x -> 'tags' / json_extract(x, '$.tags')
        return column_name(doc.this), _extract_key(doc.expression)
    if isinstance(doc, exp.Lambda) and len(doc.expressions) == 1:
        # sqlglot reads `x -> 'tags'` inside a function's arguments as a lambda
        return str(doc.expressions[0].name), str(value(doc.this))
    return column_name(doc), ""


def _extract_key(node: exp.Expr) -> str:
    if isinstance(node, exp.JSONPath):
        parts = list(node.expressions)
        if len(parts) == 2 and isinstance(parts[1], exp.JSONPathKey):
            return str(parts[1].this)
        raise Unread(f"JSON path {node.sql()[:40]}")
    return str(value(node))


def _path_key(path: Any) -> str:
    """'$.tags' -> 'tags' (one plain key; the path literal is data, not SQL)."""
    text = str(path)
    key = text[2:] if text.startswith("$.") else ""
    if not key or not key.replace("_", "a").isalnum():
        raise Unread(f"JSON path {text!r}")
    return key
