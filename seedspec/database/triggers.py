"""Trigger and exclusion reflection: a connection -> each table's triggers (timing, events, tables
they write) and PostgreSQL EXCLUDE constraints."""

from __future__ import annotations

import re

import sqlalchemy as sa

from seedspec.database.model import DbExclusion, DbTrigger

TableKey = tuple[str, str]

_WRITES = re.compile(
    r"\b(?:INSERT\s+(?:IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"
    r"((?:[\"`]?[\w$]+[\"`]?\.)?[\"`]?[\w$]+[\"`]?)",
    re.I,
)
_HEAD = re.compile(r"\b(BEFORE|AFTER|INSTEAD\s+OF)\s+(.+?)\s+ON\s", re.I | re.S)

_PG = """
SELECT n.nspname, c.relname, t.tgname, pg_catalog.pg_get_triggerdef(t.oid), p.prosrc
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
WHERE NOT t.tgisinternal AND n.nspname = ANY(:schemas)
ORDER BY 1, 2, 3
"""
_MYSQL = sa.text(
    "SELECT EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING,"
    " EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS"
    " WHERE EVENT_OBJECT_SCHEMA IN :schemas ORDER BY 1, 2, 3"
).bindparams(sa.bindparam("schemas", expanding=True))


_PG_EXCLUSIONS = """
SELECT n.nspname, c.relname, con.conname, pg_catalog.pg_get_constraintdef(con.oid)
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = 'x' AND n.nspname = ANY(:schemas)
ORDER BY 1, 2, 3
"""
_EXCLUDE = re.compile(r"^EXCLUDE\s+USING\s+\w+\s*\((.*)\)\s*(?:WHERE\s*\((.*)\))?\s*$", re.I | re.S)


def load_exclusions(conn: sa.Connection, schemas: list[str]) -> dict[TableKey, list[DbExclusion]]:
    out: dict[TableKey, list[DbExclusion]] = {}
    for nsp, rel, name, definition in conn.execute(sa.text(_PG_EXCLUSIONS), {"schemas": schemas}):
        m = _EXCLUDE.match(definition or "")
        if m is None:
            continue
        elements = []
        for part in _split_commas(m.group(1)):
            expr, _, op = part.rpartition(" WITH ")
            elements.append((expr.strip().strip('"'), op.strip()))
        out.setdefault((nsp, rel), []).append(DbExclusion(name, tuple(elements), m.group(2)))
    return out


def _split_commas(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def written_tables(body: str) -> tuple[str, ...]:
    """Bare names of the tables a trigger body inserts into, updates or deletes from."""
    names = []
    for match in _WRITES.finditer(body or ""):
        name = match.group(1).split(".")[-1].strip('"`').lower()
        if name not in names and name not in ("set", "of"):
            names.append(name)
    return tuple(names)


def load_triggers(
    conn: sa.Connection, dialect: str, schemas: list[str]
) -> dict[TableKey, list[DbTrigger]]:
    out: dict[TableKey, list[DbTrigger]] = {}
    if dialect == "postgresql":
        for nsp, rel, name, definition, source in conn.execute(sa.text(_PG), {"schemas": schemas}):
            head = _HEAD.search(definition or "")
            timing = head.group(1).upper() if head else ""
            events = (
                tuple(
                    e.strip().split()[0].upper()
                    for e in re.split(r"\bOR\b", head.group(2), flags=re.I)
                )
                if head
                else ()
            )
            out.setdefault((nsp, rel), []).append(
                DbTrigger(name, timing, events, written_tables(source))
            )
    elif dialect == "mysql":
        for db, table, name, timing, event, body in conn.execute(_MYSQL, {"schemas": schemas}):
            out.setdefault((db, table), []).append(
                DbTrigger(name, str(timing).upper(), (str(event).upper(),), written_tables(body))
            )
    elif dialect == "sqlite":
        for schema in schemas:
            quoted = conn.dialect.identifier_preparer.quote(schema)
            rows = conn.exec_driver_sql(
                f"SELECT tbl_name, name, sql FROM {quoted}.sqlite_master WHERE type = 'trigger'"
            )
            for table, name, sql in rows:
                head = _HEAD.search(sql or "")
                timing = head.group(1).upper() if head else ""
                event = head.group(2).split()[0].upper() if head else ""
                body = (sql or "").split("BEGIN", 1)[-1]
                out.setdefault((schema, table), []).append(
                    DbTrigger(name, timing, (event,), written_tables(body))
                )
    return out
