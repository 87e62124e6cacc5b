"""SQLAlchemy Engine/Connection -> DbSchema (plain values).

One ``reflect_schema`` call runs a fixed number of bulk inspector queries per database schema
(``Inspector.get_multi_*``) plus a few catalog queries, so thousands of tables reflect in seconds.
Only plain tables and partitioned parents are recorded: views, foreign tables and the partitions
of a partitioned table are left out.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.reflection import Inspector, ObjectKind

from seedspec.database.catalog import Catalog, TableKey
from seedspec.database.connect import (
    connect,
    dbapi_errors,
    error_line,
    is_permission_denied,
    make_engine,
    password_of,
)
from seedspec.database.ledgers import without_ledgers
from seedspec.database.model import (
    DbCheck,
    DbColumn,
    DbForeignKey,
    DbSchema,
    DbTable,
    DbUnique,
)
from seedspec.database.reflect_partitions import partition_target, partition_uniques
from seedspec.database.reflect_types import (
    DomainChecks,
    classify,
    compiled_sql_type,
    domain_chain,
    domain_column_checks,
    range_item_type,
)
from seedspec.database.sqlexprs import is_call
from seedspec.database.waits import DEFAULT_LOCK_TIMEOUT, bound_reads, read_lock_error
from seedspec.dialects.base import Dialect
from seedspec.dialects.capabilities import family_of
from seedspec.dialects.registry import dialect_for
from seedspec.errors import ConnectionFailed, DatabaseFailed, PermissionDenied, SeedspecError
from seedspec.timing import timed

__all__ = ["fingerprint", "reflect_connection", "reflect_schema", "reflect_url", "user_schemas"]


def reflect_schema(conn: sa.Connection | sa.Engine, schemas: list[str] | None = None) -> DbSchema:
    """Reflect the tables of ``schemas`` (None: the connection's default schema only).

    Table keys are the bare name in the default schema and ``schema.table`` elsewhere; seedspec's
    own ledger tables are left out (database/ledgers.py).
    Any database or driver failure becomes a one-line :class:`SeedspecError`
    (:class:`ConnectionFailed` when an Engine cannot connect); the message never has a password.
    """
    password = password_of(conn)
    failures: tuple[type[BaseException], ...] = (sa.exc.SQLAlchemyError, *dbapi_errors(conn))
    if isinstance(conn, sa.Engine):
        try:
            connection = conn.connect()
        except failures as exc:
            raise ConnectionFailed(error_line(exc, password, "cannot connect")) from exc
        with connection:
            return reflect_schema(connection, schemas)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Did not recognize type", sa.exc.SAWarning)
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
            return without_ledgers(_reflect(conn, schemas))
    except SeedspecError:
        raise
    except failures as exc:
        if dialect_for(conn.dialect.name).is_lock_timeout(exc):  # DDL or LOCK TABLE elsewhere
            raise read_lock_error(exc, conn) from None
        kind = PermissionDenied if is_permission_denied(exc) else DatabaseFailed
        raise kind(error_line(exc, password)) from exc


@timed("reflect the schema")
def reflect_url(
    url: str, schemas: list[str] | None = None, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
) -> tuple[sa.Engine, DbSchema]:
    """An engine for ``url`` and its reflected schemas; none chosen: the default one, or every
    non-system schema when the default one has no tables (e.g. AdventureWorks: person, sales ...).
    ``["*"]``: every non-system schema. Every lock wait of the engine's connections lasts at
    most ``lock_timeout`` seconds (0: unbounded): a DDL lock held elsewhere is an error."""
    everything = schemas == ["*"]
    names = None if everything or not schemas else schemas
    # one schema named: it becomes the connection's default (PG search_path), so its tables keep
    # bare names; several: none is the default, every table is named schema.table
    engine = make_engine(url, names[0] if names and len(names) == 1 else None)
    bound_reads(engine, lock_timeout)
    conn = connect(engine)
    try:
        schema = reflect_connection(conn, schemas)
    finally:
        conn.close()
    return engine, schema


def reflect_connection(conn: sa.Connection, schemas: list[str] | None = None) -> DbSchema:
    """The schemas of an open connection, chosen as `reflect_url` chooses them."""
    everything = schemas == ["*"]
    names = None if everything or not schemas else schemas
    # names given are checked to exist (one on MySQL is a database other than the URL's)
    schema = reflect_schema(conn, names) if names else reflect_schema(conn)
    if everything or (not names and not schema.tables):
        others = user_schemas(conn)
        if others:
            schema = reflect_schema(conn, others)
    return schema


def fingerprint(schema: DbSchema) -> str:
    """blake2b hex digest of the schema's canonical JSON (sorted keys, no whitespace)."""
    canonical = json.dumps(
        schema.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.blake2b(canonical.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- reflection


@dataclass
class _Ctx:
    conn: sa.Connection
    dialect: Dialect
    default: str | None
    catalog: Catalog
    domain_checks: DomainChecks | None = None


def user_schemas(conn: sa.Connection) -> list[str]:
    """Every schema of the database that is not its own ([] where schemas are databases)."""
    return dialect_for(conn.dialect.name).user_schemas(conn)


def _server_version(conn: sa.Connection) -> str | None:
    info = getattr(conn.dialect, "server_version_info", None) or ()
    version = ".".join(str(part) for part in info if isinstance(part, int))
    if version and getattr(conn.dialect, "is_mariadb", False):
        version += "-MariaDB"
    return version or None


def _reflect(conn: sa.Connection, schemas: list[str] | None) -> DbSchema:
    insp = sa.inspect(conn)
    dialect = dialect_for(conn.dialect.name)
    current = getattr(dialect, "current_schema", None)  # PostgreSQL: search_path decides
    default = (current(conn) if current is not None else None) or insp.default_schema_name
    targets = [default] if schemas is None else list(dict.fromkeys(schemas))
    if schemas is not None:
        known = set(insp.get_schema_names())
        missing = [s for s in targets if s not in known and s != default]
        if missing:
            raise SeedspecError(f"schema not found: {', '.join(map(repr, missing))}")
    real = [s for s in targets if s is not None]
    ctx = _Ctx(conn, dialect, default, dialect.read_catalog(conn, real))
    tables: list[DbTable] = []
    for target in targets:
        tables.extend(_reflect_one(insp, ctx, None if target == default else target))
    name_of = partial(_qualified, ctx)
    tables = partition_uniques(sorted(tables, key=lambda t: t.name), ctx.catalog, name_of)
    return DbSchema(family_of(conn.dialect.name), tuple(tables), default, _server_version(conn))


def _multi(call: Any, **kw: Any) -> dict[Any, Any]:
    try:
        return dict(call(**kw))
    except NotImplementedError:
        return {}


@dataclass
class _Inspected:
    """One schema's inspector answers, keyed by (schema, table) as the inspector gives them."""

    columns: dict[Any, Any]
    pks: dict[Any, Any]
    fks: dict[Any, Any]
    uniques: dict[Any, Any]
    indexes: dict[Any, Any]
    checks: dict[Any, Any]
    comments: dict[Any, Any]

    @classmethod
    def read(cls, insp: Inspector, **kw: Any) -> _Inspected:
        return cls(
            _multi(insp.get_multi_columns, **kw),
            _multi(insp.get_multi_pk_constraint, **kw),
            _multi(insp.get_multi_foreign_keys, **kw),
            _multi(insp.get_multi_unique_constraints, **kw),
            _multi(insp.get_multi_indexes, **kw),
            _multi(insp.get_multi_check_constraints, **kw),
            _multi(insp.get_multi_table_comment, **kw),
        )


def _reflect_one(insp: Inspector, ctx: _Ctx, schema: str | None) -> list[DbTable]:
    real = schema if schema is not None else (ctx.default or "")
    kw: dict[str, Any] = {"schema": schema, "kind": ObjectKind.TABLE}
    keep = ctx.catalog.keep_tables.get(real)
    if keep is not None:  # partitions / foreign tables present: name the others
        if not keep:
            return []
        kw["filter_names"] = sorted(keep)
    found = _Inspected.read(insp, **kw)
    return [
        _table(ctx, found, key, schema, real)
        for key in sorted(found.columns, key=lambda k: k[1])
        if keep is None or key[1] in keep
    ]


def _table(ctx: _Ctx, found: _Inspected, key: Any, schema: str | None, real: str) -> DbTable:
    name = key[1]
    table = (real, name)
    pk = found.pks.get(key) or {}
    primary_key = _real(ctx, pk.get("constrained_columns"))
    if ctx.catalog.checks is not None:
        db_checks = list(ctx.catalog.checks.get(table, []))
    else:
        db_checks = [
            DbCheck(c.get("name"), str(c.get("sqltext", ""))) for c in found.checks.get(key, [])
        ]
    domain: list[tuple[str, str, str]] = []  # domain checks: (constraint, column, sqltext)
    cols = [_column(ctx, table, c, primary_key, db_checks, domain) for c in found.columns[key]]
    repeated = Counter(con for con, _, _ in domain)
    db_checks += [DbCheck(f"{c}_{col}" if repeated[c] > 1 else c, t) for c, col, t in domain]
    partition_by, partitions = ctx.catalog.partitions.get(table, (None, []))
    return DbTable(
        name=name if schema is None else f"{schema}.{name}",
        schema=schema,
        columns=tuple(cols),
        primary_key=primary_key,
        foreign_keys=_foreign_keys(ctx, table, found.fks.get(key, [])),
        uniques=_uniques(ctx, table, pk, found.uniques.get(key, []), found.indexes.get(key, [])),
        checks=tuple(sorted(db_checks, key=lambda c: (c.name or "", c.sqltext))),
        comment=(found.comments.get(key) or {}).get("text"),
        partition_by=partition_by,
        partitions=tuple(partitions),
        triggers=tuple(ctx.catalog.triggers.get(table, [])),
        exclusions=tuple(ctx.catalog.exclusions.get(table, [])),
    )


def _column(
    ctx: _Ctx,
    table: TableKey,
    col: dict[str, Any],
    primary_key: tuple[str, ...],
    table_checks: list[DbCheck],
    domain_checks: list[tuple[str, str, str]],
) -> DbColumn:
    name = ctx.catalog.names.get(str(col["name"]), str(col["name"]))
    sa_type = col["type"]
    catalog_type = ctx.catalog.sql_types.get((*table, name))
    facts = classify(sa_type, catalog_type, ctx.catalog.base_types.get((*table, name)))
    subtype = ctx.catalog.range_subtypes.get((*table, name))
    if subtype is not None and facts.type == "unknown":  # CREATE TYPE ... AS RANGE
        facts.type, facts.item_type = "range", range_item_type(subtype)
    nullable = bool(col.get("nullable", True))
    default = (
        None if col.get("default") is None else ctx.dialect.column_default(str(col["default"]))
    )
    chain = domain_chain(sa_type)
    if chain:
        nullable = nullable and not any(d.not_null for d in chain)
        if default is None:
            default = next((str(d.default) for d in chain if d.default is not None), None)
        domain_checks += [(con, name, text) for con, text in _domain_checks(ctx, chain, name)]
    facts.type = ctx.dialect.column_kind(facts.type, name, table_checks)
    if name in primary_key and not ctx.dialect.primary_key_nullable:
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
        identity=_identity(ctx, table, col, primary_key, default),
        generated=None if computed.get("sqltext") is None else str(computed["sqltext"]),
        enum_values=facts.enum_values,
        enum_name=facts.enum_name,
        item_type=facts.item_type,
        comment=col.get("comment"),
    )


def _domain_checks(ctx: _Ctx, chain: list[Any], column: str) -> list[tuple[str, str]]:
    if ctx.domain_checks is None:
        ctx.domain_checks = ctx.dialect.domain_checks(ctx.conn)
    quoted = ctx.conn.dialect.identifier_preparer.quote(column)
    return domain_column_checks(chain, quoted, ctx.domain_checks)


def _identity(
    ctx: _Ctx,
    table: TableKey,
    col: dict[str, Any],
    primary_key: tuple[str, ...],
    default: str | None,
) -> str | None:
    if col.get("identity"):
        return "always" if col["identity"].get("always") else "by_default"
    if default is not None and is_call(default, "nextval", "postgres"):
        return "serial"
    return ctx.dialect.implicit_identity(col, table, primary_key, ctx.catalog)


def _real(ctx: _Ctx, names: Any) -> tuple[str, ...]:
    """Column names as the database has them (the catalog's fixes of the inspector's)."""
    return tuple(ctx.catalog.names.get(str(n), str(n)) for n in names or ())


def _qualified(ctx: _Ctx, schema: str, table: str) -> str:
    return table if schema == ctx.default else f"{schema}.{table}"


def _foreign_keys(
    ctx: _Ctx, table: TableKey, fks: list[dict[str, Any]]
) -> tuple[DbForeignKey, ...]:
    out: list[DbForeignKey] = []
    for fk in fks:
        opts = fk.get("options") or {}
        name = fk.get("name")
        columns = _real(ctx, fk.get("constrained_columns"))
        ref_schema, ref_table = fk.get("referred_schema") or table[0], str(fk["referred_table"])
        if ctx.catalog.fk_refs is not None:
            found = ctx.catalog.fk_refs.get((*table, name or ""))
            if found is None:  # internal clone of an FK that references a partitioned table
                continue
            ref_schema, ref_table = found
        ref_schema, ref_table, bound = partition_target(ctx.catalog, (ref_schema, ref_table))
        on_delete = opts.get("ondelete")
        if on_delete is None:
            on_delete = ctx.catalog.fk_actions.get((*table, ref_table.lower(), columns))
        on_delete = str(on_delete).upper() if on_delete else None
        out.append(
            DbForeignKey(
                name=name,
                columns=columns,
                ref_table=_qualified(ctx, ref_schema, ref_table),
                ref_columns=_real(ctx, fk.get("referred_columns")),
                deferrable=bool(opts.get("deferrable")),
                initially_deferred=str(opts.get("initially") or "").upper() == "DEFERRED",
                on_delete=None if on_delete == "NO ACTION" else on_delete,
                ref_partition=bound,
            )
        )
    seen = {(f.columns, f.ref_table, f.ref_columns) for f in out}
    out += _partition_fks(ctx, ctx.catalog.partition_fks.get(table, []), seen)
    out += _partition_fks(ctx, ctx.catalog.declared_fks.get(table, []), seen)
    return tuple(sorted(out, key=lambda f: (f.name or "", f.columns, f.ref_table)))


def _partition_fks(
    ctx: _Ctx, fks: list[dict[str, Any]], seen: set[tuple[tuple[str, ...], str, tuple[str, ...]]]
) -> list[DbForeignKey]:
    """FKs the catalog read (declared only on the partitions; ones the inspector could not
    parse), once each, unless the table has the same one."""
    out = []
    for fk in fks:
        ref_schema, ref_table, bound = partition_target(ctx.catalog, fk["ref"])
        ref = _qualified(ctx, ref_schema, ref_table)
        if (fk["columns"], ref, fk["ref_columns"]) in seen:
            continue  # the same FK on every partition counts once
        seen.add((fk["columns"], ref, fk["ref_columns"]))
        out.append(
            DbForeignKey(
                fk["name"],
                fk["columns"],
                ref,
                fk["ref_columns"],
                fk["deferrable"],
                fk["deferred"],
                ref_partition=bound,
            )
        )
    return out


def _uniques(
    ctx: _Ctx,
    table: TableKey,
    pk: dict[str, Any],
    uniques: list[dict[str, Any]],
    indexes: list[dict[str, Any]],
) -> tuple[DbUnique, ...]:
    out = [DbUnique(u.get("name"), _real(ctx, u.get("column_names"))) for u in uniques]
    covered = _covered_names(pk, uniques)
    covered_sets = {frozenset(u.columns) for u in out}
    covered_sets.add(frozenset(pk.get("constrained_columns") or ()))
    read = ctx.catalog.index_uniques.get(table, [])
    skip = covered | {u.name for u in read}  # the dialect's own reading of an index wins
    for ix in indexes:
        if not ix.get("unique") or ix.get("duplicates_constraint") or ix.get("name") in skip:
            continue
        unique = _index_unique(ix, ctx.catalog.names)
        plain = unique.predicate is None and not unique.expressions
        if not (plain and frozenset(unique.columns) in covered_sets):
            out.append(unique)
    for parsed in read:
        plain = parsed.predicate is None and not parsed.expressions
        if plain and frozenset(parsed.columns) in covered_sets | {
            frozenset(u.columns) for u in out
        }:
            continue  # an inline UNIQUE the inspector reported already
        if parsed.name not in covered:
            out.append(parsed)
    return tuple(sorted(out, key=lambda u: (u.name or "", u.columns, u.expressions)))


def _covered_names(pk: dict[str, Any], uniques: list[dict[str, Any]]) -> set[Any]:
    """Index names that are the primary key or a unique constraint (reported once, as those)."""
    covered = {u.get("name") for u in uniques} | {u.get("duplicates_index") for u in uniques}
    covered |= {pk.get("name")}
    covered.discard(None)
    return covered


def _index_unique(ix: dict[str, Any], real: dict[str, str]) -> DbUnique:
    """A unique index as the inspector reports it: columns, expressions, partial predicate."""
    names = [None if c is None else real.get(c, c) for c in ix.get("column_names") or ()]
    exprs = list(ix.get("expressions") or ())
    columns = tuple(c for c in names if c is not None)
    expressions = (
        tuple(str(e) for c, e in zip(names, exprs, strict=False) if c is None) if exprs else ()
    )
    options = ix.get("dialect_options") or {}
    where = [str(v) for k, v in options.items() if k.endswith("_where") and v is not None]
    return DbUnique(ix.get("name"), columns, "index", where[0] if where else None, expressions)
