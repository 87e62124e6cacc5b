"""Trigger text -> typed facts: a trigger's timing and events, the tables its body INSERTs into.

Only INSERT targets count: a trigger that UPDATEs or DELETEs from a table (a counter, a cache)
leaves that table to be seeded normally. Bodies are read by real parsers: PL/pgSQL through pglast
(PostgreSQL's own grammar, PL/pgSQL included) and the SQL statements inside it through pglast's
SQL parser; MySQL/MariaDB and SQLite bodies through sqlglot. A trigger's timing and events come
from the catalog where it has them (PostgreSQL pg_trigger.tgtype, MySQL information_schema); a
SQLite head is read over sqlglot's tokens. Dialects read the catalog and call these."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec.database.model import DbSchema, DbTable
from seedspec.database.sqltokens import lex, word
from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlglot
    from sqlglot import errors as sqlerrors
    from sqlglot import exp
    from sqlglot import tokens as sqltokens
else:
    sqlerrors = deferred("sqlglot.errors")
    sqltokens = deferred("sqlglot.tokens")
    sqlglot = deferred("sqlglot")
    exp = deferred("sqlglot.expressions")

# pg_trigger.tgtype bits (PostgreSQL's include/catalog/pg_trigger.h): timing, then events in the
# order pg_get_triggerdef prints them
_PG_BEFORE, _PG_INSTEAD = 1 << 1, 1 << 6
_PG_EVENTS = ((1 << 2, "INSERT"), (1 << 3, "DELETE"), (1 << 4, "UPDATE"), (1 << 5, "TRUNCATE"))


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

_STARTS = ("INSERT", "REPLACE", "UPDATE")  # TokenType names (importing this: no sqlglot)


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
    except sqlerrors.SqlglotError:
        return NOTHING
    inserts: list[str] = []
    sets: list[str] = []
    for i, token in enumerate(tokens):
        if token.token_type.name not in _STARTS:
            continue
        end = next(
            (t.start for t in tokens[i + 1 :] if t.token_type == sqltokens.TokenType.SEMICOLON),
            len(body),
        )
        text = body[token.start : end]
        if token.token_type == sqltokens.TokenType.REPLACE and i + 1 < len(tokens):
            text = "INSERT " + body[tokens[i + 1].start : end]  # same target; sqlglot reads INSERT
        try:
            statement = sqlglot.parse_one(text, read=dialect)
        except sqlerrors.SqlglotError:
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


def pg_trigger_type(tgtype: int) -> tuple[str, tuple[str, ...]]:
    """pg_trigger.tgtype -> (timing, events): 31 -> ("BEFORE", ("INSERT", "DELETE", "UPDATE"))."""
    timing = "INSTEAD OF" if tgtype & _PG_INSTEAD else "BEFORE" if tgtype & _PG_BEFORE else "AFTER"
    return timing, tuple(name for bit, name in _PG_EVENTS if tgtype & bit)


def sqlite_trigger_head(sql: str) -> tuple[str, str]:
    """A SQLite ``CREATE [TEMP] TRIGGER [IF NOT EXISTS] [schema.]name [BEFORE | AFTER | INSTEAD
    OF] {INSERT | UPDATE [OF ...] | DELETE} ON ...`` -> (timing, event); BEFORE when the timing is
    left out, as SQLite takes it; ("", "") when the text is not such a head.

    sqlglot parses no CREATE TRIGGER (it falls back to a Command), so SQLite's grammar for the
    head is followed over sqlglot's tokens: a quoted name ("after insert") is one IDENTIFIER
    token and never a keyword."""
    tokens = lex(sql, "sqlite")
    start = next(
        (k for k, t in enumerate(tokens) if t.token_type == sqltokens.TokenType.TRIGGER), None
    )
    if start is None:
        return "", ""
    i = start + 1
    if [word(tokens, i + k) for k in range(3)] == ["IF", "NOT", "EXISTS"]:
        i += 3
    i += 3 if i + 1 < len(tokens) and tokens[i + 1].token_type == sqltokens.TokenType.DOT else 1
    timing = "BEFORE"
    if word(tokens, i) in ("BEFORE", "AFTER"):
        timing, i = word(tokens, i), i + 1
    elif (word(tokens, i), word(tokens, i + 1)) == ("INSTEAD", "OF"):
        timing, i = "INSTEAD OF", i + 2
    event = word(tokens, i)
    return (timing, event) if event in ("INSERT", "UPDATE", "DELETE") else ("", "")
