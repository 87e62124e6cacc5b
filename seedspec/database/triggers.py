"""Trigger text -> typed facts: a trigger's timing and events, the tables its body INSERTs into.

Only INSERT targets count: a trigger that UPDATEs or DELETEs from a table (a counter, a cache)
leaves that table to be seeded normally. Bodies are read by real parsers: PL/pgSQL through pglast
(PostgreSQL's own grammar, PL/pgSQL included) and the SQL statements inside it through pglast's
SQL parser; MySQL/MariaDB and SQLite bodies through sqlglot. Also top-level comma splitting of
constraint text. Dialects read the catalog and call these."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.tokens import TokenType

from seedspec.database.model import DbSchema, DbTable

_HEAD = re.compile(r"\b(BEFORE|AFTER|INSTEAD\s+OF)\s+(.+?)\s+ON\s", re.I | re.S)


def split_commas(text: str) -> list[str]:
    """Top-level comma-separated parts (commas inside parentheses stay), stripped, non-empty."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


@dataclass(frozen=True)
class BodyWrites:
    """What a trigger body writes: tables it INSERTs into (it fills them) and the
    ``table.column`` pairs its UPDATEs SET (counters it maintains), all lower-cased, as every
    reader of DbTrigger compares them, in first-seen order."""

    inserts: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()

    @classmethod
    def of(cls, inserts: list[str], sets: list[str]) -> BodyWrites:
        def unique(names: list[str]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(n.lower() for n in names if n))

        return cls(unique(inserts), unique(sets))


NOTHING = BodyWrites()


# --------------------------------------------------------------------------- PostgreSQL


def plpgsql_writes(source: str, language: str = "plpgsql") -> BodyWrites:
    """What a PostgreSQL trigger function writes; dynamic SQL (EXECUTE) cannot be known.
    Other languages (C, plpython ...) are not read."""
    if not source or language not in ("plpgsql", "sql"):
        return NOTHING
    import pglast  # imported here: only PostgreSQL trigger bodies need it (saves start-up time)

    if language == "sql":
        queries = [source]
    else:
        tag = "$seedspec$"
        while tag in source:
            tag = tag[:-1] + "x$"
        wrapped = f"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS {tag}{source}{tag}"
        try:
            queries = list(_plpgsql_queries(pglast.parse_plpgsql(wrapped)))
        except Exception:  # noqa: BLE001 - a body PostgreSQL accepted but pglast cannot read
            return NOTHING
    inserts: list[str] = []
    sets: list[str] = []
    for query in queries:
        try:
            tree = json.loads(pglast.parser.parse_sql_json(query))
        except Exception:  # noqa: BLE001 - an expression, not a statement (IF conditions ...)
            continue
        _pg_statements(tree, inserts, sets)
    return BodyWrites.of(inserts, sets)


def _plpgsql_queries(node: Any) -> Iterator[str]:
    """Every SQL text in a parsed PL/pgSQL function (each PLpgSQL_expr's query)."""
    if isinstance(node, dict):
        expr = node.get("PLpgSQL_expr")
        if isinstance(expr, dict) and isinstance(expr.get("query"), str):
            yield expr["query"]
        for value in node.values():
            yield from _plpgsql_queries(value)
    elif isinstance(node, list):
        for item in node:
            yield from _plpgsql_queries(item)


def _pg_statements(node: Any, inserts: list[str], sets: list[str]) -> None:
    """INSERT targets and UPDATE SET columns anywhere in a parse tree (CTEs included)."""
    if isinstance(node, dict):
        insert = node.get("InsertStmt")
        if isinstance(insert, dict):
            inserts.append(str((insert.get("relation") or {}).get("relname") or ""))
        update = node.get("UpdateStmt")
        if isinstance(update, dict):
            table = str((update.get("relation") or {}).get("relname") or "")
            for target in update.get("targetList") or ():
                name = (target.get("ResTarget") or {}).get("name")
                if table and name:
                    sets.append(f"{table}.{name}")
        for value in node.values():
            _pg_statements(value, inserts, sets)
    elif isinstance(node, list):
        for item in node:
            _pg_statements(item, inserts, sets)


# --------------------------------------------------------------------------- MySQL / SQLite

_STARTS = (TokenType.INSERT, TokenType.REPLACE, TokenType.UPDATE)


def sql_writes(body: str, dialect: str) -> BodyWrites:
    """What a MySQL/MariaDB or SQLite trigger body writes (INSERT and REPLACE fill a table).

    Compound bodies (BEGIN ... IF ... END) are not statements sqlglot parses, so its tokenizer
    finds each INSERT/REPLACE/UPDATE and the statement running to the next ``;`` token is
    parsed on its own; a head's "AFTER INSERT ON t" or an upsert's "ON DUPLICATE KEY UPDATE"
    is no statement and is skipped."""
    if not body:
        return NOTHING
    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(body)
    except SqlglotError:
        return NOTHING
    inserts: list[str] = []
    sets: list[str] = []
    for i, token in enumerate(tokens):
        if token.token_type not in _STARTS:
            continue
        end = next(
            (t.start for t in tokens[i + 1 :] if t.token_type == TokenType.SEMICOLON), len(body)
        )
        text = body[token.start : end]
        if token.token_type == TokenType.REPLACE and i + 1 < len(tokens):
            text = "INSERT " + body[tokens[i + 1].start : end]  # same target; sqlglot reads INSERT
        try:
            statement = sqlglot.parse_one(text, read=dialect)
        except SqlglotError:
            continue
        table = statement.find(exp.Table)
        if table is None or not table.name:
            continue
        if isinstance(statement, exp.Insert):
            inserts.append(table.name)
        elif isinstance(statement, exp.Update):
            sets += [f"{table.name}.{e.this.name}" for e in statement.expressions if e.this]
    return BodyWrites.of(inserts, sets)


def trigger_set_columns(tables: Iterable[DbTable]) -> dict[str, str]:
    """ "table.column" (lower-cased bare names) -> "owner.trigger" for every column another
    table's trigger UPDATEs: a counter the trigger maintains, left to its default when seeded."""
    out: dict[str, str] = {}
    for table in tables:
        for trigger in table.triggers:
            for pair in trigger.sets:
                out.setdefault(pair, f"{table.name}.{trigger.name}")
    return out


def trigger_fillers(schema: DbSchema) -> dict[str, str]:
    """Table -> 'owner.trigger' of the first INSERT trigger of another table that INSERTs into it
    (DbTrigger.writes holds only INSERT targets: an UPDATE of a counter fills nothing)."""
    by_bare: dict[str, list[str]] = {}
    for table in schema.tables:
        by_bare.setdefault(table.bare_name.lower(), []).append(table.name)
    out: dict[str, str] = {}
    for other in schema.tables:
        for trigger in other.triggers:
            if "INSERT" not in trigger.events:
                continue
            for bare in trigger.writes:
                for name in by_bare.get(bare, ()):
                    if name != other.name:
                        out.setdefault(name, f"{other.name}.{trigger.name}")
    return out


def trigger_head(definition: str) -> tuple[str, tuple[str, ...]]:
    """``CREATE TRIGGER t AFTER INSERT OR UPDATE ON ...`` -> ("AFTER", ("INSERT", "UPDATE"));
    ("", ()) when the head is not found."""
    head = _HEAD.search(definition or "")
    if head is None:
        return "", ()
    events = re.split(r"\bOR\b", head.group(2), flags=re.I)
    return head.group(1).upper(), tuple(e.strip().split()[0].upper() for e in events)


def trigger_first_event(definition: str) -> tuple[str, str]:
    """(timing, first word of the event clause), ("", "") when the head is not found."""
    head = _HEAD.search(definition or "")
    if head is None:
        return "", ""
    return head.group(1).upper(), head.group(2).split()[0].upper()
