"""SQLite catalog queries: a connection + attached schema names -> Catalog facts.

Rowid tables, ON DELETE actions, unique indexes, CHECKs, triggers. Structure comes from SQLite's
pragmas (pragma_index_list: unique / origin / partial, pragma_index_xinfo: each key's column or -2
for an expression); only what no pragma gives (an expression key's text, a partial index's WHERE,
the CHECKs of a CREATE TABLE) is cut from the DDL, over sqlglot's SQLite tokens: a string or a
comment that spells CHECK is one token, never a constraint. Those texts keep their spelling but
for [bracket] and `backtick` names, given in SQL's "double quotes" (the same name to SQLite), so
every reader of the text (sqlglot in any dialect, the CHECK model) sees a column there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlglot.tokens import Token, TokenType

from seedspec.database.catalog import Catalog
from seedspec.database.model import DbCheck, DbTrigger, DbUnique
from seedspec.database.sqltokens import closing, lex, split, top_level, word
from seedspec.database.triggers import sql_writes, sqlite_trigger_head
from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

# a table whose primary key has no index of origin 'pk' keeps it as the rowid: an INTEGER
# PRIMARY KEY of a rowid table (WITHOUT ROWID and INTEGER PRIMARY KEY DESC do have one)
_COLUMNS = (
    "SELECT m.name, p.type, p.pk, EXISTS (SELECT 1 FROM pragma_index_list(m.name, :schema) il"
    " WHERE il.origin = 'pk') FROM {s}.sqlite_master m"
    " JOIN pragma_table_info(m.name, :schema) p WHERE m.type = 'table' AND p.pk"
)
_FKS = (
    'SELECT m.name, f.id, f."table", f."from", f.on_delete FROM {s}.sqlite_master m'
    " JOIN pragma_foreign_key_list(m.name, :schema) f WHERE m.type = 'table' ORDER BY 1, 2, f.seq"
)
# every unique index: inline UNIQUEs (origin 'u', which SQLAlchemy's reading of the CREATE TABLE
# text misses for quoted odd names) and CREATE UNIQUE INDEX (origin 'c'), key columns in order
_UNIQUES = (
    "SELECT m.name, il.name, il.origin, il.partial, ix.sql, x.cid, x.name"
    " FROM {s}.sqlite_master m"
    " JOIN pragma_index_list(m.name, :schema) il"
    " JOIN pragma_index_xinfo(il.name, :schema) x"
    " LEFT JOIN {s}.sqlite_master ix ON ix.type = 'index' AND ix.name = il.name"
    " WHERE m.type = 'table' AND il.\"unique\" AND il.origin IN ('u', 'c') AND x.key"
    " ORDER BY 1, 2, x.seqno"
)
_TRIGGERS = "SELECT tbl_name, name, sql FROM {s}.sqlite_master WHERE type = 'trigger'"
_TABLE_SQL = "SELECT name, sql FROM {s}.sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
_EXPRESSION = -2  # pragma_index_xinfo cid of an expression key


def read_catalog(conn: sa.Connection, schemas: list[str]) -> Catalog:
    cat = Catalog(checks={})
    for schema in schemas:
        _read_schema(conn, schema, cat)
    return cat


def _read_schema(conn: sa.Connection, schema: str, cat: Catalog) -> None:
    quoted = conn.dialect.identifier_preparer.quote(schema)
    params = {"schema": schema}
    pk_types: dict[str, list[str]] = {}
    for table, declared, _pk, pk_index in conn.execute(sa.text(_COLUMNS.format(s=quoted)), params):
        pk_types.setdefault(table, []).append("" if pk_index else str(declared).strip().upper())
    cat.rowid_tables |= {(schema, t) for t, types in pk_types.items() if types == ["INTEGER"]}
    fks: dict[tuple[str, int], tuple[str, list[str], str]] = {}
    for table, fk_id, ref, col, on_delete in conn.execute(sa.text(_FKS.format(s=quoted)), params):
        fks.setdefault((table, fk_id), (str(ref), [], str(on_delete)))[1].append(str(col))
    for (table, _), (ref, cols, on_delete) in fks.items():
        cat.fk_actions[(schema, table, ref.lower(), tuple(cols))] = on_delete
    keys: dict[tuple[str, str], list[Any]] = {}
    for table, index, origin, partial, sql, cid, column in conn.execute(
        sa.text(_UNIQUES.format(s=quoted)), params
    ):
        entry = keys.setdefault((str(table), str(index)), [origin, bool(partial), sql, []])
        entry[3].append(None if cid == _EXPRESSION else str(column))
    for (table, index), (origin, partial, sql, columns) in keys.items():
        cat.index_uniques.setdefault((schema, table), []).append(
            unique_index(index, columns, sql if partial or None in columns else None, origin)
        )
    assert cat.checks is not None
    for table, sql in conn.exec_driver_sql(_TABLE_SQL.format(s=quoted)):
        cat.checks[(schema, str(table))] = table_checks(str(sql))
    for table, name, sql in conn.exec_driver_sql(_TRIGGERS.format(s=quoted)):
        timing, event = sqlite_trigger_head(sql or "")
        body = sql_writes(sql or "", "sqlite")  # the head's "INSERT ON t" is no statement
        cat.triggers.setdefault((schema, table), []).append(
            DbTrigger(name, timing, (event,), body.inserts, body.sets)
        )


def unique_index(
    name: str, columns: Sequence[str | None], sql: str | None, origin: str = "c"
) -> DbUnique:
    """A unique index from its pragma facts: ``columns`` per key (None: an expression key).
    ``sql`` (its CREATE UNIQUE INDEX, given when it has expression keys or a WHERE) supplies
    each expression's text and the predicate as written."""
    parts, predicate = _index_text(sql) if sql else ([], None)
    expressions = [
        parts[k] if len(parts) == len(columns) else "?"
        for k, column in enumerate(columns)
        if column is None
    ]
    return DbUnique(
        name,
        tuple(c for c in columns if c is not None),
        "constraint" if origin == "u" else "index",
        predicate,
        tuple(expressions),
    )


def _index_text(sql: str) -> tuple[list[str], str | None]:
    """``CREATE UNIQUE INDEX name ON t (k1, lower(k2) DESC) WHERE p`` -> (["k1", "lower(k2)"],
    "p"): the key list is the statement's first parenthesis (names are single tokens), each key
    without its ASC / DESC; the predicate is what follows a top-level WHERE after it."""
    tokens = lex(sql, "sqlite")
    first = next((k for k, t in enumerate(tokens) if t.token_type == TokenType.L_PAREN), None)
    end = -1 if first is None else closing(tokens, first)
    if first is None or end < 0:
        return [], None
    parts = []
    for lo, hi in split(tokens, first + 1, end):
        hi -= word(tokens, hi - 1) in ("ASC", "DESC")
        parts.append(_text(sql, tokens, lo, hi))
    where = top_level(tokens, end + 1, len(tokens), TokenType.WHERE)
    if not where:
        return parts, None
    stop = len(tokens) - (tokens[-1].token_type == TokenType.SEMICOLON)
    return parts, _text(sql, tokens, where[0] + 1, stop) or None


def table_checks(sql: str) -> list[DbCheck]:
    """Every CHECK of a CREATE TABLE, column and table level: its CONSTRAINT name if it has one
    and its expression as written (SQLAlchemy's reading of the text takes a CHECK spelled in a
    string default or a comment for a constraint)."""
    tokens = lex(sql, "sqlite")
    out = []
    for i in range(len(tokens) - 1):
        if word(tokens, i) != "CHECK" or tokens[i + 1].token_type != TokenType.L_PAREN:
            continue
        end = closing(tokens, i + 1)
        if end < 0:
            continue
        named = i >= 2 and tokens[i - 2].token_type == TokenType.CONSTRAINT
        out.append(DbCheck(tokens[i - 1].text if named else None, _text(sql, tokens, i + 2, end)))
    return out


def _text(sql: str, tokens: list[Token], lo: int, hi: int) -> str:
    """Tokens [lo, hi) as written, each [bracket] / `backtick` name given in "double quotes"."""
    parts, last = [], tokens[lo].start if hi > lo else 0
    for token in tokens[lo:hi]:
        if token.token_type == TokenType.IDENTIFIER and sql[token.start] in "[`":
            quoted = '"' + token.text.replace('"', '""') + '"'
            parts += [sql[last : token.start], quoted]
            last = token.end + 1
    end = tokens[hi - 1].end + 1 if hi > lo else last
    return "".join(parts) + sql[last:end]
