"""SQLAlchemy Engine/Connection -> DbSchema (plain values).

One ``reflect_schema`` call runs a fixed number of bulk inspector queries per database schema
(``Inspector.get_multi_*``) plus a few catalog queries, so thousands of tables reflect in seconds.
Only plain tables and partitioned parents are recorded: views, foreign tables and the partitions
of a partitioned table are left out.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.reflection import Inspector, ObjectKind

from seedspec.database.model import (
    DbCheck,
    DbColumn,
    DbExclusion,
    DbForeignKey,
    DbSchema,
    DbTable,
    DbTrigger,
    DbUnique,
)
from seedspec.database.reflect_types import (
    DomainChecks,
    classify,
    compiled_sql_type,
    domain_chain,
    domain_column_checks,
    load_domain_checks,
)
from seedspec.database.triggers import load_exclusions, load_triggers
from seedspec.errors import ConnectionFailed, SeedspecError

__all__ = ["fingerprint", "reflect_schema"]

_ON_UPDATE = re.compile(r"\s+ON\s+UPDATE\s+.*$", re.S | re.I)
TableKey = tuple[str, str]  # (real schema name, table name)


def reflect_schema(conn: sa.Connection | sa.Engine, schemas: list[str] | None = None) -> DbSchema:
    """Reflect the tables of ``schemas`` (None: the connection's default schema only).

    Table keys are the bare name in the default schema and ``schema.table`` elsewhere.
    Any database or driver failure becomes a one-line :class:`SeedspecError`
    (:class:`ConnectionFailed` when an Engine cannot connect); the message never has a password.
    """
    password = _password_of(conn)
    failures: tuple[type[BaseException], ...] = (sa.exc.SQLAlchemyError, *_dbapi_errors(conn))
    if isinstance(conn, sa.Engine):
        try:
            connection = conn.connect()
        except failures as exc:
            raise ConnectionFailed(_one_line(exc, password, "cannot connect")) from exc
        with connection:
            return reflect_schema(connection, schemas)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Did not recognize type", sa.exc.SAWarning)
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
            return _reflect(conn, schemas)
    except SeedspecError:
        raise
    except failures as exc:
        raise SeedspecError(_one_line(exc, password)) from exc


def fingerprint(schema: DbSchema) -> str:
    """blake2b hex digest of the schema's canonical JSON (sorted keys, no whitespace)."""
    canonical = json.dumps(
        schema.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.blake2b(canonical.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- errors


def _password_of(conn: sa.Connection | sa.Engine) -> str | None:
    try:
        engine = conn if isinstance(conn, sa.Engine) else conn.engine
        return engine.url.password
    except Exception:  # noqa: BLE001 - only used to scrub messages
        return None


def _dbapi_errors(conn: sa.Connection | sa.Engine) -> tuple[type[BaseException], ...]:
    dbapi = getattr(conn.dialect, "loaded_dbapi", None) or getattr(conn.dialect, "dbapi", None)
    error = getattr(dbapi, "Error", None)
    return (error,) if isinstance(error, type) and issubclass(error, BaseException) else ()


def _one_line(
    exc: BaseException, password: str | None, what: str = "cannot reflect the database schema"
) -> str:
    orig = getattr(exc, "orig", None)
    source = orig if isinstance(orig, BaseException) else exc
    lines = str(source).strip().splitlines()
    detail = lines[0].strip() if lines else ""
    if password:
        detail = detail.replace(str(password), "***")
    return f"{what}: {type(source).__name__}: {detail}".rstrip(": ")


# --------------------------------------------------------------------------- catalog queries


@dataclass
class _Catalog:
    """Facts the inspector does not give (or gives ambiguously), read in bulk per dialect."""

    keep_tables: dict[str, set[str]] = field(default_factory=dict)  # PG schema -> tables
    sql_types: dict[tuple[str, str, str], str] = field(default_factory=dict)
    fk_refs: dict[tuple[str, str, str], TableKey] = field(default_factory=dict)  # PG
    rowid_tables: set[TableKey] = field(default_factory=set)  # SQLite
    fk_actions: dict[tuple[str, str, str, tuple[str, ...]], str] = field(default_factory=dict)
    index_sql: dict[TableKey, list[tuple[str, str]]] = field(default_factory=dict)  # SQLite
    checks: dict[TableKey, list[DbCheck]] | None = None  # MariaDB (inline CHECKs included)
    partitions: dict[TableKey, tuple[str, list[str]]] = field(default_factory=dict)  # PG
    # PG FKs declared on partitions only: they bind every row routed there, so the parent's
    partition_fks: dict[TableKey, list[dict[str, Any]]] = field(default_factory=dict)
    triggers: dict[TableKey, list[DbTrigger]] = field(default_factory=dict)
    exclusions: dict[TableKey, list[DbExclusion]] = field(default_factory=dict)


_PG_TABLES = """
SELECT n.nspname, c.relname, c.relkind, {ispartition}, a.attname,
       pg_catalog.format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a
  ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
WHERE c.relkind IN ('r', 'p', 'f') AND n.nspname = ANY(:schemas)
"""
_PG_FKS = """
SELECT n.nspname, c.relname, con.conname, rn.nspname, rc.relname
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype = 'f' AND {toplevel} AND n.nspname = ANY(:schemas)
"""
_PG_PARTITIONS = """
SELECT n.nspname, c.relname, pg_catalog.pg_get_partkeydef(c.oid),
       pg_catalog.pg_get_expr(p.relpartbound, p.oid)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits i ON i.inhparent = c.oid
LEFT JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid
WHERE c.relkind = 'p' AND n.nspname = ANY(:schemas)
ORDER BY 1, 2, 4
"""
_PG_PARTITION_FKS = """
SELECT pn.nspname, pc.relname, con.conname,
  ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n
        ORDER BY k.o),
  rn.nspname, rc.relname,
  ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n
        ORDER BY k.o),
  con.condeferrable, con.condeferred
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid AND c.relispartition
JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid
JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype = 'f' AND con.conparentid = 0 AND pn.nspname = ANY(:schemas)
ORDER BY 1, 2, 3
"""
_MYSQL_COLUMNS = sa.text(
    "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
    " WHERE TABLE_SCHEMA IN :schemas"
).bindparams(sa.bindparam("schemas", expanding=True))
_MARIADB_CHECKS = sa.text(
    "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE"
    " FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN :schemas"
).bindparams(sa.bindparam("schemas", expanding=True))
_SQLITE_COLUMNS = (
    "SELECT m.name, m.sql, p.name, p.type, p.pk FROM {s}.sqlite_master m"
    " JOIN pragma_table_info(m.name, :schema) p WHERE m.type = 'table'"
)
_SQLITE_FKS = (
    'SELECT m.name, f.id, f."table", f."from", f.on_delete FROM {s}.sqlite_master m'
    " JOIN pragma_foreign_key_list(m.name, :schema) f WHERE m.type = 'table' ORDER BY 1, 2, f.seq"
)
_SQLITE_INDEXES = (
    "SELECT tbl_name, name, sql FROM {s}.sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
)
_WITHOUT_ROWID = re.compile(r"\)\s*WITHOUT\s+ROWID\s*;?\s*$", re.I)


def _load_catalog(conn: sa.Connection, dialect: str, schemas: list[str]) -> _Catalog:
    cat = _Catalog()
    if dialect == "postgresql":
        version = conn.dialect.server_version_info or (0,)
        ispart = "c.relispartition" if version >= (10,) else "false"
        params = {"schemas": schemas}
        excluded: set[str] = set()
        for nsp, rel, kind, is_part, att, typ in conn.execute(
            sa.text(_PG_TABLES.format(ispartition=ispart)), params
        ):
            if kind == "f" or is_part:
                excluded.add(nsp)
                continue
            cat.keep_tables.setdefault(nsp, set()).add(rel)
            if att is not None:
                cat.sql_types[(nsp, rel, att)] = typ
        cat.keep_tables = {s: t for s, t in cat.keep_tables.items() if s in excluded}
        for s in excluded - set(cat.keep_tables):
            cat.keep_tables[s] = set()
        if version >= (10,):
            for nsp, rel, key, bound in conn.execute(sa.text(_PG_PARTITIONS), params):
                entry = cat.partitions.setdefault((nsp, rel), (str(key), []))
                if bound is not None:
                    entry[1].append(str(bound))
        if version >= (11,):
            for nsp, rel, con, cols, rnsp, rrel, rcols, deferrable, deferred in conn.execute(
                sa.text(_PG_PARTITION_FKS), params
            ):
                cat.partition_fks.setdefault((nsp, rel), []).append(
                    {
                        "name": con,
                        "columns": tuple(cols),
                        "ref": (rnsp, rrel),
                        "ref_columns": tuple(rcols),
                        "deferrable": bool(deferrable),
                        "deferred": bool(deferred),
                    }
                )
        toplevel = "con.conparentid = 0" if version >= (11,) else "true"
        for nsp, rel, con, ref_nsp, ref_rel in conn.execute(
            sa.text(_PG_FKS.format(toplevel=toplevel)), params
        ):
            cat.fk_refs[(nsp, rel, con)] = (ref_nsp, ref_rel)
    elif dialect == "mysql":
        for db, table, column, typ in conn.execute(_MYSQL_COLUMNS, {"schemas": schemas}):
            cat.sql_types[(db, table, column)] = str(typ)
        if getattr(conn.dialect, "is_mariadb", False):  # SQLAlchemy misses column-level CHECKs
            cat.checks = {}
            for db, table, name, clause in conn.execute(_MARIADB_CHECKS, {"schemas": schemas}):
                cat.checks.setdefault((db, table), []).append(DbCheck(name, str(clause)))
    elif dialect == "sqlite":
        for schema in schemas:
            _load_sqlite(conn, schema, cat)
    cat.triggers = load_triggers(conn, dialect, schemas)
    if dialect == "postgresql":
        cat.exclusions = load_exclusions(conn, schemas)
    return cat


def _load_sqlite(conn: sa.Connection, schema: str, cat: _Catalog) -> None:
    quoted = conn.dialect.identifier_preparer.quote(schema)
    params = {"schema": schema}
    pk_types: dict[str, list[str]] = {}
    for table, sql, _col, declared, pk in conn.execute(
        sa.text(_SQLITE_COLUMNS.format(s=quoted)), params
    ):
        if pk and not _WITHOUT_ROWID.search(sql or ""):
            pk_types.setdefault(table, []).append(str(declared or "").strip().upper())
    cat.rowid_tables |= {(schema, t) for t, types in pk_types.items() if types == ["INTEGER"]}
    fks: dict[tuple[str, int], tuple[str, list[str], str]] = {}
    for table, fk_id, ref, col, on_delete in conn.execute(
        sa.text(_SQLITE_FKS.format(s=quoted)), params
    ):
        fks.setdefault((table, fk_id), (str(ref), [], str(on_delete)))[1].append(str(col))
    for (table, _), (ref, cols, on_delete) in fks.items():
        cat.fk_actions[(schema, table, ref.lower(), tuple(cols))] = on_delete
    for table, name, sql in conn.execute(sa.text(_SQLITE_INDEXES.format(s=quoted))):
        cat.index_sql.setdefault((schema, table), []).append((str(name), str(sql)))


_CREATE_UNIQUE = re.compile(r"^\s*CREATE\s+UNIQUE\s+INDEX\b", re.I)
_ON_TABLE = re.compile(r"\bON\s+(?:\"(?:[^\"]|\"\")*\"|`[^`]*`|\[[^\]]*\]|[\w$]+)\s*\(", re.I)
_IDENTIFIER = re.compile(r"^(?:\"((?:[^\"]|\"\")*)\"|`([^`]*)`|\[([^\]]*)\]|([A-Za-z_][\w$]*))$")


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


def _sqlite_unique_index(name: str, sql: str) -> DbUnique | None:
    """Parse ``CREATE UNIQUE INDEX ... ON t (cols / expressions) [WHERE ...]`` (SQLite)."""
    match = _ON_TABLE.search(sql) if _CREATE_UNIQUE.match(sql) else None
    if match is None:
        return None
    depth, end = 0, -1
    for i in range(match.end() - 1, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[i], 0)
        if depth == 0:
            end = i
            break
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


# --------------------------------------------------------------------------- reflection


@dataclass
class _Ctx:
    conn: sa.Connection
    dialect: str
    default: str | None
    catalog: _Catalog
    domain_checks: DomainChecks | None = None


def _server_version(conn: sa.Connection) -> str | None:
    info = getattr(conn.dialect, "server_version_info", None) or ()
    version = ".".join(str(part) for part in info if isinstance(part, int))
    if version and getattr(conn.dialect, "is_mariadb", False):
        version += "-MariaDB"
    return version or None


def _reflect(conn: sa.Connection, schemas: list[str] | None) -> DbSchema:
    insp = sa.inspect(conn)
    default = insp.default_schema_name
    targets = [default] if schemas is None else list(dict.fromkeys(schemas))
    if schemas is not None:
        known = set(insp.get_schema_names())
        missing = [s for s in targets if s not in known and s != default]
        if missing:
            raise SeedspecError(f"schema not found: {', '.join(map(repr, missing))}")
    dialect = "mysql" if conn.dialect.name == "mariadb" else conn.dialect.name
    real = [s for s in targets if s is not None]
    ctx = _Ctx(conn, dialect, default, _load_catalog(conn, dialect, real))
    tables: list[DbTable] = []
    for target in targets:
        tables.extend(_reflect_one(insp, ctx, None if target == default else target))
    tables.sort(key=lambda t: t.name)
    return DbSchema(dialect, tuple(tables), default, _server_version(conn))


def _multi(call: Any, **kw: Any) -> dict[Any, Any]:
    try:
        return dict(call(**kw))
    except NotImplementedError:
        return {}


def _reflect_one(insp: Inspector, ctx: _Ctx, schema: str | None) -> list[DbTable]:
    real = schema if schema is not None else (ctx.default or "")
    kw: dict[str, Any] = {"schema": schema, "kind": ObjectKind.TABLE}
    keep = ctx.catalog.keep_tables.get(real)
    if keep is not None:  # PostgreSQL partitions / foreign tables present: name the others
        if not keep:
            return []
        kw["filter_names"] = sorted(keep)
    columns = _multi(insp.get_multi_columns, **kw)
    pks = _multi(insp.get_multi_pk_constraint, **kw)
    fks = _multi(insp.get_multi_foreign_keys, **kw)
    uniques = _multi(insp.get_multi_unique_constraints, **kw)
    indexes = _multi(insp.get_multi_indexes, **kw)
    checks = _multi(insp.get_multi_check_constraints, **kw)
    comments = _multi(insp.get_multi_table_comment, **kw)
    out: list[DbTable] = []
    for key in sorted(columns, key=lambda k: k[1]):
        name = key[1]
        if keep is not None and name not in keep:
            continue
        pk = pks.get(key) or {}
        primary_key = tuple(pk.get("constrained_columns") or ())
        if ctx.catalog.checks is not None:
            db_checks = list(ctx.catalog.checks.get((real, name), []))
        else:
            db_checks = [
                DbCheck(c.get("name"), str(c.get("sqltext", ""))) for c in checks.get(key, [])
            ]
        found: list[tuple[str, str, str]] = []  # domain checks: (constraint, column, sqltext)
        cols = [
            _column(ctx, (real, name), col, primary_key, db_checks, found) for col in columns[key]
        ]
        repeated = Counter(con for con, _, _ in found)
        db_checks += [DbCheck(f"{c}_{col}" if repeated[c] > 1 else c, t) for c, col, t in found]
        out.append(
            DbTable(
                name=name if schema is None else f"{schema}.{name}",
                schema=schema,
                columns=tuple(cols),
                primary_key=primary_key,
                foreign_keys=_foreign_keys(ctx, (real, name), fks.get(key, [])),
                uniques=_uniques(ctx, (real, name), pk, uniques.get(key, []), indexes.get(key, [])),
                checks=tuple(sorted(db_checks, key=lambda c: (c.name or "", c.sqltext))),
                comment=(comments.get(key) or {}).get("text"),
                partition_by=ctx.catalog.partitions.get((real, name), (None, []))[0],
                partitions=tuple(ctx.catalog.partitions.get((real, name), (None, []))[1]),
                triggers=tuple(ctx.catalog.triggers.get((real, name), [])),
                exclusions=tuple(ctx.catalog.exclusions.get((real, name), [])),
            )
        )
    return out


def _column(
    ctx: _Ctx,
    table: TableKey,
    col: dict[str, Any],
    primary_key: tuple[str, ...],
    table_checks: list[DbCheck],
    domain_checks: list[tuple[str, str, str]],
) -> DbColumn:
    name = str(col["name"])
    sa_type = col["type"]
    catalog_type = ctx.catalog.sql_types.get((*table, name))
    facts = classify(sa_type, catalog_type)
    nullable = bool(col.get("nullable", True))
    default = None if col.get("default") is None else str(col["default"])
    if default is not None and ctx.dialect == "mysql":
        default = _ON_UPDATE.sub("", default)
    chain = domain_chain(sa_type)
    if chain:
        nullable = nullable and not any(d.not_null for d in chain)
        if default is None:
            default = next((str(d.default) for d in chain if d.default is not None), None)
        if ctx.domain_checks is None:
            ctx.domain_checks = load_domain_checks(ctx.conn)
        quoted = ctx.conn.dialect.identifier_preparer.quote(name)
        for con, text in domain_column_checks(chain, quoted, ctx.domain_checks):
            domain_checks.append((con, name, text))
    if ctx.dialect == "mysql" and facts.type == "text" and _is_json_valid(name, table_checks):
        facts.type = "json"  # MariaDB: JSON is LONGTEXT CHECK (json_valid(col))
    identity: str | None = None
    if col.get("identity"):
        identity = "always" if col["identity"].get("always") else "by_default"
    elif default is not None and default.lower().startswith("nextval("):
        identity = "serial"
    elif ctx.dialect == "mysql" and col.get("autoincrement") is True:
        identity = "auto_increment"
    elif ctx.dialect == "sqlite" and primary_key == (name,) and table in ctx.catalog.rowid_tables:
        identity = "rowid"
    if ctx.dialect == "sqlite" and name in primary_key:
        nullable = False  # SQLite lets a PK column be NULL; a seed must never rely on it
    computed = col.get("computed") or {}
    return DbColumn(
        name=name,
        type=facts.type,
        sql_type=catalog_type or compiled_sql_type(sa_type, ctx.conn.dialect),
        nullable=nullable,
        length=facts.length,
        precision=facts.precision,
        scale=facts.scale,
        unsigned=facts.unsigned,
        default=default,
        identity=identity,
        generated=None if computed.get("sqltext") is None else str(computed["sqltext"]),
        enum_values=facts.enum_values,
        enum_name=facts.enum_name,
        item_type=facts.item_type,
        comment=col.get("comment"),
    )


def _is_json_valid(column: str, checks: list[DbCheck]) -> bool:
    pattern = re.compile(rf"^\s*json_valid\(\s*`?{re.escape(column)}`?\s*\)\s*$", re.I)
    return any(pattern.match(c.sqltext) for c in checks)


def _foreign_keys(
    ctx: _Ctx, table: TableKey, fks: list[dict[str, Any]]
) -> tuple[DbForeignKey, ...]:
    out: list[DbForeignKey] = []
    for fk in fks:
        opts = fk.get("options") or {}
        name = fk.get("name")
        columns = tuple(fk.get("constrained_columns") or ())
        ref_schema, ref_table = fk.get("referred_schema") or table[0], str(fk["referred_table"])
        if ctx.dialect == "postgresql":
            found = ctx.catalog.fk_refs.get((*table, name or ""))
            if found is None:  # internal clone of an FK that references a partitioned table
                continue
            ref_schema, ref_table = found
        on_delete = opts.get("ondelete")
        if ctx.dialect == "sqlite" and on_delete is None:
            on_delete = ctx.catalog.fk_actions.get((*table, ref_table.lower(), columns))
        on_delete = str(on_delete).upper() if on_delete else None
        out.append(
            DbForeignKey(
                name=name,
                columns=columns,
                ref_table=ref_table if ref_schema == ctx.default else f"{ref_schema}.{ref_table}",
                ref_columns=tuple(fk.get("referred_columns") or ()),
                deferrable=bool(opts.get("deferrable")),
                initially_deferred=str(opts.get("initially") or "").upper() == "DEFERRED",
                on_delete=None if on_delete == "NO ACTION" else on_delete,
            )
        )
    seen = {(f.columns, f.ref_table, f.ref_columns) for f in out}
    for fk in ctx.catalog.partition_fks.get(table, []):
        ref_schema, ref_table = fk["ref"]
        ref = ref_table if ref_schema == ctx.default else f"{ref_schema}.{ref_table}"
        if (fk["columns"], ref, fk["ref_columns"]) in seen:
            continue  # the same FK on every partition counts once
        seen.add((fk["columns"], ref, fk["ref_columns"]))
        out.append(
            DbForeignKey(
                fk["name"], fk["columns"], ref, fk["ref_columns"], fk["deferrable"], fk["deferred"]
            )
        )
    return tuple(sorted(out, key=lambda f: (f.name or "", f.columns, f.ref_table)))


def _uniques(
    ctx: _Ctx,
    table: TableKey,
    pk: dict[str, Any],
    uniques: list[dict[str, Any]],
    indexes: list[dict[str, Any]],
) -> tuple[DbUnique, ...]:
    out = [DbUnique(u.get("name"), tuple(u.get("column_names") or ())) for u in uniques]
    covered = {u.get("name") for u in uniques} | {u.get("duplicates_index") for u in uniques}
    covered |= {pk.get("name")}
    covered.discard(None)
    covered_sets = {frozenset(u.columns) for u in out}
    covered_sets.add(frozenset(pk.get("constrained_columns") or ()))
    reported = set()
    for ix in indexes:
        reported.add(ix.get("name"))
        if not ix.get("unique") or ix.get("duplicates_constraint") or ix.get("name") in covered:
            continue
        names = list(ix.get("column_names") or ())
        exprs = list(ix.get("expressions") or ())
        columns = tuple(c for c in names if c is not None)
        expressions = (
            tuple(str(e) for c, e in zip(names, exprs, strict=False) if c is None) if exprs else ()
        )
        options = ix.get("dialect_options") or {}
        where = [str(v) for k, v in options.items() if k.endswith("_where") and v is not None]
        if not where and not expressions and frozenset(columns) in covered_sets:
            continue
        out.append(
            DbUnique(ix.get("name"), columns, "index", where[0] if where else None, expressions)
        )
    for name, sql in ctx.catalog.index_sql.get(table, []):  # SQLite expression indexes
        if name not in reported and name not in covered:
            parsed = _sqlite_unique_index(name, sql)
            if parsed is not None:
                out.append(parsed)
    return tuple(sorted(out, key=lambda u: (u.name or "", u.columns, u.expressions)))
