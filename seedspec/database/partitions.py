"""Partitioned tables: DbTable partition key + bounds -> the values its partitions accept."""

from __future__ import annotations

import re
from dataclasses import dataclass

from seedspec.database.checks import literal
from seedspec.database.model import DbTable
from seedspec.kinds.spec import GeneratorSpec

_KEY = re.compile(r"^(RANGE|LIST|HASH)\s*\(\s*\"?([A-Za-z_][A-Za-z0-9_]*)\"?\s*\)$", re.I)
_RANGE = re.compile(r"^FOR VALUES FROM \((.*)\) TO \((.*)\)$", re.I | re.S)
_LIST = re.compile(r"^FOR VALUES IN \((.*)\)$", re.I | re.S)
_LITERAL = re.compile(
    r"'(?:[^']|'')*'(?:::[\w ]+)?|[-+]?\d+(?:\.\d+)?|MINVALUE|MAXVALUE|NULL", re.I
)


@dataclass(frozen=True)
class PartitionRule:
    column: str | None  # the key column whose values are restricted (None: no restriction)
    generator: GeneratorSpec | None  # values every row of that column must take
    empty: bool = False  # partitioned, but no partition can hold a row
    note: str = ""


def partition_rule(table: DbTable) -> PartitionRule:
    if not table.partition_by:
        return PartitionRule(None, None)
    m = _KEY.match(table.partition_by.strip())
    if not table.partitions:
        return PartitionRule(
            None,
            None,
            True,
            f"table {table.name!r} is partitioned "
            f"({table.partition_by}) but has no partitions: it cannot hold rows",
        )
    if any(b.strip().upper() == "DEFAULT" for b in table.partitions):
        return PartitionRule(None, None)  # the default partition takes any value
    if m is None:
        return PartitionRule(
            None,
            None,
            note=f"table {table.name!r}: partition key "
            f"{table.partition_by} is not understood; rows may not fit",
        )
    strategy, column = m.group(1).upper(), m.group(2)
    col = table.column(column)
    if strategy == "HASH" or col is None:
        return PartitionRule(None, None)
    if strategy == "LIST":
        values: list[object] = []
        for bound in table.partitions:
            lm = _LIST.match(bound.strip())
            if lm:
                values += [literal(v) for v in _LITERAL.findall(lm.group(1)) if v.upper() != "NULL"]
        return PartitionRule(column, GeneratorSpec("choice", {"values": values, "weights": None}))
    ranges = []
    for bound in table.partitions:
        rm = _RANGE.match(bound.strip())
        if rm:
            lo, hi = _LITERAL.findall(rm.group(1)), _LITERAL.findall(rm.group(2))
            if lo and hi:
                ranges.append([_value(lo[0]), _value(hi[0])])
    of = {"date": "date", "timestamp": "datetime", "timestamptz": "datetime"}.get(col.type, "int")
    return PartitionRule(column, GeneratorSpec("partition", {"ranges": ranges, "of": of}))


def _value(text: str) -> object:
    if text.upper() in ("MINVALUE", "MAXVALUE"):
        return None
    return literal(text)
