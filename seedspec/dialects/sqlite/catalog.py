"""SQLite catalog queries: a connection + attached schema names -> Catalog facts.

Rowid tables, ON DELETE actions, unique expression indexes parsed from their DDL, triggers."""

from __future__ import annotations

import re

import sqlalchemy as sa

from seedspec.database.catalog import Catalog
from seedspec.database.model import DbTrigger, DbUnique
from seedspec.database.triggers import sql_writes, trigger_first_event

_COLUMNS = (
    "SELECT m.name, m.sql, p.name, p.type, p.pk FROM {s}.sqlite_master m"
    " JOIN pragma_table_info(m.name, :schema) p WHERE m.type = 'table'"
)
_FKS = (
    'SELECT m.name, f.id, f."table", f."from", f.on_delete FROM {s}.sqlite_master m'
    " JOIN pragma_foreign_key_list(m.name, :schema) f WHERE m.type = 'table' ORDER BY 1, 2, f.seq"
)
_INDEXES = (
    "SELECT tbl_name, name, sql FROM {s}.sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
)
_AUTO_UNIQUES = (  # inline UNIQUEs (origin 'u'): SQLAlchemy's regex misses quoted odd names
    "SELECT m.name, il.name, ii.name FROM {s}.sqlite_master m"
    " JOIN pragma_index_list(m.name, :schema) il"
    " JOIN pragma_index_info(il.name, :schema) ii"
    " WHERE m.type = 'table' AND il.\"unique\" AND il.origin = 'u' ORDER BY 1, 2, ii.seqno"
)
_TRIGGERS = "SELECT tbl_name, name, sql FROM {s}.sqlite_master WHERE type = 'trigger'"
_WITHOUT_ROWID = re.compile(r"\)\s*WITHOUT\s+ROWID\s*;?\s*$", re.I)
_CREATE_UNIQUE = re.compile(r"^\s*CREATE\s+UNIQUE\s+INDEX\b", re.I)
_ON_TABLE = re.compile(r"\bON\s+(?:\"(?:[^\"]|\"\")*\"|`[^`]*`|\[[^\]]*\]|[\w$]+)\s*\(", re.I)
_IDENTIFIER = re.compile(r"^(?:\"((?:[^\"]|\"\")*)\"|`([^`]*)`|\[([^\]]*)\]|([A-Za-z_][\w$]*))$")


def read_catalog(conn: sa.Connection, schemas: list[str]) -> Catalog:
    cat = Catalog()
    for schema in schemas:
        _read_schema(conn, schema, cat)
    return cat


def _read_schema(conn: sa.Connection, schema: str, cat: Catalog) -> None:
    quoted = conn.dialect.identifier_preparer.quote(schema)
    params = {"schema": schema}
    pk_types: dict[str, list[str]] = {}
    for table, sql, _col, declared, pk in conn.execute(sa.text(_COLUMNS.format(s=quoted)), params):
        if pk and not _WITHOUT_ROWID.search(sql or ""):
            pk_types.setdefault(table, []).append(str(declared or "").strip().upper())
    cat.rowid_tables |= {(schema, t) for t, types in pk_types.items() if types == ["INTEGER"]}
    fks: dict[tuple[str, int], tuple[str, list[str], str]] = {}
    for table, fk_id, ref, col, on_delete in conn.execute(sa.text(_FKS.format(s=quoted)), params):
        fks.setdefault((table, fk_id), (str(ref), [], str(on_delete)))[1].append(str(col))
    for (table, _), (ref, cols, on_delete) in fks.items():
        cat.fk_actions[(schema, table, ref.lower(), tuple(cols))] = on_delete
    for table, name, sql in conn.execute(sa.text(_INDEXES.format(s=quoted))):
        parsed = unique_index(str(name), str(sql))
        if parsed is not None:
            cat.index_uniques.setdefault((schema, table), []).append(parsed)
    autos: dict[tuple[str, str], list[str]] = {}
    for table, index, column in conn.execute(sa.text(_AUTO_UNIQUES.format(s=quoted)), params):
        autos.setdefault((str(table), str(index)), []).append(str(column))
    for (table, index), columns in autos.items():
        cat.index_uniques.setdefault((schema, table), []).append(
            DbUnique(index, tuple(columns), "constraint")
        )
    for table, name, sql in conn.exec_driver_sql(_TRIGGERS.format(s=quoted)):
        timing, event = trigger_first_event(sql or "")
        body = sql_writes(sql or "", "sqlite")  # the head's "INSERT ON t" is no statement
        cat.triggers.setdefault((schema, table), []).append(
            DbTrigger(name, timing, (event,), body.inserts, body.sets)
        )


def _split_top_level(body: str) -> list[str]:
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(body):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return [p.strip() for p in parts if p.strip()]


def _closing(sql: str, start: int) -> int:
    """Index of the parenthesis closing the one at ``start`` (-1: unbalanced)."""
    depth = 0
    for i in range(start, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[i], 0)
        if depth == 0:
            return i
    return -1


def unique_index(name: str, sql: str) -> DbUnique | None:
    """Parse ``CREATE UNIQUE INDEX ... ON t (cols / expressions) [WHERE ...]``."""
    match = _ON_TABLE.search(sql) if _CREATE_UNIQUE.match(sql) else None
    if match is None:
        return None
    end = _closing(sql, match.end() - 1)
    if end < 0:
        return None
    columns: list[str] = []
    expressions: list[str] = []
    for part in _split_top_level(sql[match.end() : end]):
        part = re.sub(r"\s+(ASC|DESC)$", "", part, flags=re.I)
        ident = _IDENTIFIER.match(part)
        if ident:
            columns.append(next(g for g in ident.groups() if g is not None).replace('""', '"'))
        else:
            expressions.append(part)
    where = re.match(r"\s*WHERE\s+(.*?)\s*;?\s*$", sql[end + 1 :], re.S | re.I)
    return DbUnique(
        name, tuple(columns), "index", where.group(1) if where else None, tuple(expressions)
    )
