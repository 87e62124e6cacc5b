"""Partitioned tables: DbTable partition key + bounds -> each key column's values, routed so
that every partition gets rows and row i lands in partition ``routes[i % len(routes)]``.

HASH partitions of one integer key get integers that hash there (generate/pghash.py).
The key (`RANGE (created)`, `RANGE (region, day)`, `LIST (kind)`) and each bound (`FOR VALUES
IN ('eu', 'us')`, `FOR VALUES FROM (MINVALUE) TO (100)`, `DEFAULT`) are PostgreSQL's
pg_get_partkeydef / pg_get_expr texts, read by sqlglot inside the CREATE TABLE statement they
come from. A DEFAULT partition gets values no other partition takes (above, below or between
the others' bounds; text with a prefix no listed value has), or no rows when none are known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec.database.checks import value_of
from seedspec.database.model import DbColumn, DbTable
from seedspec.deferred import deferred
from seedspec.generate.routing import to_ticks
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:
    import sqlglot
    from sqlglot import exp
else:
    sqlglot = deferred("sqlglot")
    exp = deferred("sqlglot.expressions")

_OPEN = ("MINVALUE", "MAXVALUE")  # an unbounded end of a range partition
_OF = {"smallint": "int", "integer": "int", "bigint": "int", "numeric": "decimal"}
_OF |= {"float": "float", "date": "date", "timestamp": "datetime", "timestamptz": "datetime"}
_OF |= {"text": "text", "varchar": "text", "char": "text", "citext": "text"}
_HASH_BITS = {"smallint": 16, "integer": 32, "bigint": 64}  # integer keys: hashes computed
_PREFIXES = ("other_", "x_", "zz_", "_")  # a DEFAULT text value: one no listed value starts with

Slot = dict[str, Any]  # one key column inside one partition (generate/routing.py)


@dataclass(frozen=True)
class PartitionRule:
    generators: tuple[tuple[str, GeneratorSpec], ...] = ()  # key column -> its routed values
    routes: tuple[str, ...] = ()  # the bound of the partition row i goes to: routes[i % len]
    empty: bool = False  # partitioned, but no partition can hold a row
    note: str = ""

    def stripe(self, bound: str) -> tuple[int, int] | None:
        """(offset, stride) of the rows routed to the partition with this bound (None: not
        routed: a HASH partition, or a DEFAULT one no value is known for)."""
        if bound not in self.routes:
            return None
        return self.routes.index(bound), len(self.routes)


def partition_rule(table: DbTable) -> PartitionRule:
    if not table.partition_by:
        return PartitionRule()
    if not table.partitions:
        return PartitionRule(
            empty=True,
            note=f"table {table.name!r} is partitioned "
            f"({table.partition_by}) but has no partitions: it cannot hold rows",
        )
    key = _key(table.partition_by)
    cols = [table.column(c) for c in key[1]] if key is not None else []
    if key is None or any(c is None for c in cols):
        return PartitionRule(
            note=f"table {table.name!r}: partition key "
            f"{table.partition_by} is not understood; rows may not fit"
        )
    read = {text: _bound(text) for text in table.partitions}
    columns = [c for c in cols if c is not None]
    ofs = [_OF.get(c.type, "value") for c in columns]
    if key[0] == "HASH" and (len(columns) != 1 or columns[0].type not in _HASH_BITS):
        return PartitionRule()  # every value hashes to some partition (which: not computed)
    parts = _hash_parts(read) if key[0] == "HASH" else _parts(key[0], read, ofs, columns)
    note = "" if len(parts) == len(read) else _unrouted(table, read, parts)
    if not parts:
        return PartitionRule(note=note)
    routes = tuple(parts)
    generators = tuple(
        (col.name, _spec(col, of, [parts[r][k] for r in routes]))
        for k, (col, of) in enumerate(zip(columns, ofs, strict=True))
    )
    return PartitionRule(generators, routes, note=note)


def _hash_parts(read: dict[str, Any]) -> dict[str, list[Slot]]:
    """Each HASH partition's slot: integers whose row hash leaves its remainder."""
    parts: dict[str, list[Slot]] = {}
    for text, bound in read.items():
        if isinstance(bound, exp.PartitionBoundSpec) and bound.this is not None:
            modulus, remainder = value_of(bound.this), value_of(bound.expression)
            parts[text] = [{"hash": [int(modulus), int(remainder)]}]
    return parts


def _parts(
    strategy: str, read: dict[str, Any], ofs: list[str], columns: list[DbColumn]
) -> dict[str, list[Slot]]:
    """Each routable partition's bound -> its slot of every key column."""
    known = [(text, b) for text, b in read.items() if isinstance(b, exp.PartitionBoundSpec)]
    parts: dict[str, list[Slot]] = {}
    for text, bound in known:
        if strategy == "LIST":
            slots = _list(bound, ofs[0], columns[0])
        else:
            slots = _range(bound, ofs, columns)
        if slots is not None:
            parts[text] = slots
    if "DEFAULT" in read.values():
        others = [b for _, b in known]
        if strategy == "LIST":
            slots = _list_default(others, ofs[0], columns[0])
        else:
            slots = _range_default(others, ofs, columns)
        if slots is not None:
            parts[next(t for t, b in read.items() if b == "DEFAULT")] = slots
    return parts


def _spec(col: DbColumn, of: str, slots: list[Slot]) -> GeneratorSpec:
    params: dict[str, Any] = {"parts": slots, "of": of}
    if of in ("decimal", "float"):
        params["scale"] = _scale(col)
    if of == "text" and col.length:
        params["length"] = col.length
    if any("hash" in slot for slot in slots):
        params["bits"] = _HASH_BITS[col.type]
    return GeneratorSpec("partition", params)


def _scale(col: DbColumn) -> int:
    return 2 if col.scale is None else min(int(col.scale), 6)


def _unrouted(table: DbTable, read: dict[str, Any], parts: dict[str, list[Slot]]) -> str:
    left = [text for text in read if text not in parts]
    return (
        f"table {table.name!r}: no rows are routed to its partition(s) "
        f"{'; '.join(left)} (bound not understood, or no value known to fall there)"
    )


def _ticks(value: Any, of: str, col: DbColumn) -> Any:
    """A bound value in the routing generator's terms (None: MINVALUE / MAXVALUE)."""
    if value is None or of in ("text", "value"):
        return None if value is None else (str(value) if of == "text" else value)
    return to_ticks(value, of, _scale(col))


def _list(bound: exp.PartitionBoundSpec, of: str, col: DbColumn) -> list[Slot] | None:
    values = [value_of(v) for v in bound.this or [] if not isinstance(v, exp.Null)]
    return [{"in": [_ticks(v, of, col) for v in values]}] if values else None


def _range(
    bound: exp.PartitionBoundSpec, ofs: list[str], cols: list[DbColumn]
) -> list[Slot] | None:
    """Each key column's slot in FROM (l1, l2 ...) TO (h1, h2 ...) (rows compare as tuples):
    columns where l and h agree take that value, the first where they differ varies in
    [l, h), the later ones take l (any value after a MINVALUE, or once the first is above l)."""
    lows = [_value(v) for v in bound.args.get("from_expressions") or []]
    highs = [_value(v) for v in bound.args.get("to_expressions") or []]
    if len(lows) != len(cols) or len(highs) != len(cols) or "value" in ofs:
        return None
    lo = [_ticks(v, of, c) for v, of, c in zip(lows, ofs, cols, strict=True)]
    hi = [_ticks(v, of, c) for v, of, c in zip(highs, ofs, cols, strict=True)]
    d = next((k for k in range(len(cols)) if lo[k] is None or lo[k] != hi[k]), None)
    if d is None:
        return None
    slots: list[Slot] = [{"const": lo[k]} for k in range(d)]
    slots.append({"from": lo[d], "to": hi[d]})
    for k in range(d + 1, len(cols)):
        slots.append({"from": None, "to": None} if lo[k] is None else {"const": lo[k]})
    return slots


def _list_default(
    others: list[exp.PartitionBoundSpec], of: str, col: DbColumn
) -> list[Slot] | None:
    """A DEFAULT LIST partition's slot: values no other partition lists (None: none known)."""
    listed = [value_of(v) for b in others for v in b.this or [] if not isinstance(v, exp.Null)]
    if col.enum_values:
        free = [v for v in col.enum_values if v not in listed]
        return [{"in": free}] if free else None
    if of == "text":
        text = [str(v) for v in listed]
        prefix = next((p for p in _PREFIXES if not any(v.startswith(p) for v in text)), None)
        return None if prefix is None else [{"from": prefix, "to": None}]
    if of == "value":
        return None
    ticks = [_ticks(v, of, col) for v in listed]
    return [{"from": max(ticks) + 1 if ticks else None, "to": None}]


def _range_default(
    others: list[exp.PartitionBoundSpec], ofs: list[str], cols: list[DbColumn]
) -> list[Slot] | None:
    """A DEFAULT RANGE partition's slots: the first key column strictly outside every other
    partition's (the rest may then be anything); None when none is known."""
    of, col = ofs[0], cols[0]
    spans = []
    for b in others:
        lo = (b.args.get("from_expressions") or [None])[0]
        hi = (b.args.get("to_expressions") or [None])[0]
        if lo is None or hi is None or of == "value":
            return None
        spans.append((_ticks(_value(lo), of, col), _ticks(_value(hi), of, col)))
    gap = _gap(spans, of)
    if gap is None:
        return None
    return [{"from": gap[0], "to": gap[1]}] + [{"from": None, "to": None} for _ in cols[1:]]


def _gap(spans: list[tuple[Any, Any]], of: str) -> tuple[Any, Any] | None:
    """[lo, hi) of first-column values above, below or between the others' (strictly: a
    multi-column bound may take its end value), None when they cover everything."""
    if not spans:
        return None, None
    step: Any = "a" if of == "text" else 1  # text: a longer string sorts after its prefix
    highs = [h for _, h in spans]
    if None not in highs:
        return _above(max(highs), step), None
    lows = [lo for lo, _ in spans]
    if None not in lows:
        return None, min(lows)
    ordered = sorted(spans, key=lambda s: (s[0] is not None, s[0]))
    for (_, hi), (lo, _) in zip(ordered, ordered[1:], strict=False):
        if hi is not None and lo is not None and _above(hi, step) < lo:
            return _above(hi, step), lo
    return None


def _above(value: Any, step: Any) -> Any:
    return value + step


def _key(text: str) -> tuple[str, list[str]] | None:
    """(RANGE | LIST | HASH, key columns) of a partition key of plain columns (None: not read)."""
    try:
        tree = sqlglot.parse_one(f"CREATE TABLE t (a INT) PARTITION BY {text}", read="postgres")
    except (sqlglot.errors.SqlglotError, ValueError):
        return None
    prop = tree.find(exp.PartitionedByProperty)
    node = prop.this if prop is not None else None
    if isinstance(node, exp.List):
        strategy = "LIST"
    elif isinstance(node, exp.Anonymous) and str(node.this).upper() in ("RANGE", "HASH"):
        strategy = str(node.this).upper()
    else:
        return None
    parts = list(node.expressions)
    if not parts or not all(isinstance(p, exp.Column) for p in parts):
        return None
    if strategy == "LIST" and len(parts) != 1:
        return None
    return strategy, [str(p.name) for p in parts]


def _bound(text: str) -> exp.PartitionBoundSpec | str | None:
    """A partition's bound, "DEFAULT" for the default partition, None when not read."""
    try:
        tree = sqlglot.parse_one(f"CREATE TABLE p PARTITION OF t {text}", read="postgres")
    except (sqlglot.errors.SqlglotError, ValueError):
        return None
    found = tree.find(exp.PartitionBoundSpec)
    if found is None and tree.find(exp.PartitionedOfProperty) is not None:
        return "DEFAULT"
    return found


def _value(node: exp.Expr) -> Any:
    if isinstance(node, exp.Var) and str(node.this).upper() in _OPEN:
        return None
    return value_of(node)
