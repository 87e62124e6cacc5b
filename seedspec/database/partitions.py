"""Partitioned tables: DbTable partition key + bounds -> the values its partitions accept.

The key (`RANGE (created)`) and each bound (`FOR VALUES IN ('eu', 'us')`, `FOR VALUES FROM
(MINVALUE) TO (100)`, `DEFAULT`) are PostgreSQL's pg_get_partkeydef / pg_get_expr texts, read
by sqlglot inside the CREATE TABLE statement they come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp

from seedspec.database.checks import value_of
from seedspec.database.model import DbTable
from seedspec.kinds.spec import GeneratorSpec

_OPEN = ("MINVALUE", "MAXVALUE")  # an unbounded end of a range partition


@dataclass(frozen=True)
class PartitionRule:
    column: str | None  # the key column whose values are restricted (None: no restriction)
    generator: GeneratorSpec | None  # values every row of that column must take
    empty: bool = False  # partitioned, but no partition can hold a row
    note: str = ""


def partition_rule(table: DbTable) -> PartitionRule:
    if not table.partition_by:
        return PartitionRule(None, None)
    key = _key(table.partition_by)
    if not table.partitions:
        return PartitionRule(
            None,
            None,
            True,
            f"table {table.name!r} is partitioned "
            f"({table.partition_by}) but has no partitions: it cannot hold rows",
        )
    read = [_bound(b) for b in table.partitions]
    if any(b == "DEFAULT" for b in read):
        return PartitionRule(None, None)  # the default partition takes any value
    bounds = [b for b in read if isinstance(b, exp.PartitionBoundSpec)]
    if key is None:
        return PartitionRule(
            None,
            None,
            note=f"table {table.name!r}: partition key "
            f"{table.partition_by} is not understood; rows may not fit",
        )
    strategy, column = key
    col = table.column(column)
    if strategy == "HASH" or col is None:
        return PartitionRule(None, None)
    if strategy == "LIST":
        values = [value_of(v) for b in bounds for v in b.this or [] if not isinstance(v, exp.Null)]
        return PartitionRule(column, GeneratorSpec("choice", {"values": values, "weights": None}))
    ranges = [r for b in bounds if (r := _range(b)) is not None]
    of = {"date": "date", "timestamp": "datetime", "timestamptz": "datetime"}.get(col.type, "int")
    return PartitionRule(column, GeneratorSpec("partition", {"ranges": ranges, "of": of}))


def _range(bound: exp.PartitionBoundSpec) -> list[Any] | None:
    """[from, to] of a range partition's first key column (None for an open end)."""
    lo = (bound.args.get("from_expressions") or [None])[0]
    hi = (bound.args.get("to_expressions") or [None])[0]
    return None if lo is None or hi is None else [_value(lo), _value(hi)]


def _key(text: str) -> tuple[str, str] | None:
    """(RANGE | LIST | HASH, column) of a one-column partition key (None: not read)."""
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
    if len(parts) != 1 or not isinstance(parts[0], exp.Column):
        return None
    return strategy, str(parts[0].name)


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
