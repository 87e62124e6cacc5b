"""SQLAlchemy MetaData (or 'module:attr' path) -> DbSchema, offline.

``schema_from_metadata`` predicts what :func:`seedspec.database.reflect.reflect_schema` returns
after ``metadata.create_all()`` on the target database, without connecting: column specifications
come from the dialect's own DDL compiler (so SERIAL / AUTO_INCREMENT / rowid decisions are
SQLAlchemy's), type kinds from :func:`seedspec.database.reflect_types.classify`, the function
reflection uses, and what differs per database from ``seedspec.dialects.<name>``.
``comparable`` reduces a DbSchema from any source to the facts drift checks compare.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from operator import attrgetter
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import registry as orm_registry
from sqlalchemy.sql.compiler import DDLCompiler
from sqlalchemy.types import TypeEngine

from seedspec.database.catalog import DdlColumn
from seedspec.database.model import DbCheck, DbColumn, DbForeignKey, DbSchema, DbTable, DbUnique
from seedspec.database.reflect_types import TypeFacts, classify
from seedspec.database.sqlexprs import is_call, json_valid_column, named_columns
from seedspec.deferred import deferred
from seedspec.dialects.base import Dialect
from seedspec.dialects.capabilities import capabilities_for, family_of
from seedspec.dialects.registry import dialect_for
from seedspec.errors import UsageError

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

__all__ = ["comparable", "load_metadata", "schema_from_metadata"]

_MISSING = object()
_NAME = attrgetter("name")


# --------------------------------------------------------------------------- loading


def load_metadata(path: str) -> sa.MetaData:
    """Import ``"pkg.module:attr.sub"`` (cwd on sys.path) and return its MetaData.

    The attribute may be a MetaData, a declarative Base (its ``.metadata``) or a registry.
    Every failure is a one-line :class:`UsageError`.
    """
    module_name, sep, attr = path.partition(":")
    module_name, attr = module_name.strip(), attr.strip()
    if not sep or not module_name or not attr:
        raise UsageError(
            f"--metadata expects 'module:attribute' (e.g. myapp.models:Base.metadata), got {path!r}"
        )
    module = _import(module_name)
    obj: Any = module
    walked = module_name
    for part in attr.split("."):
        try:
            obj = getattr(obj, part, _MISSING) if part else _MISSING
        except Exception as exc:  # noqa: BLE001 - a property or module __getattr__ may raise
            raise UsageError(f"cannot load metadata {path!r}: {_first_line(exc)}") from None
        if obj is _MISSING:
            raise UsageError(f"cannot load metadata {path!r}: {walked} has no attribute {part!r}")
        walked += ("." if walked != module_name else ":") + part
    metadata = obj if isinstance(obj, sa.MetaData) else None
    if metadata is None and isinstance(obj, orm_registry | type):
        candidate = getattr(obj, "metadata", None)
        metadata = candidate if isinstance(candidate, sa.MetaData) else None
    if metadata is None:
        raise UsageError(
            f"cannot load metadata {path!r}: found {type(obj).__name__} {_short(obj)}, expected a"
            " SQLAlchemy MetaData, declarative Base or registry"
        )
    return metadata


def _import(module_name: str) -> Any:
    cwd = os.getcwd()
    added = cwd not in sys.path and "" not in sys.path
    if added:
        sys.path.insert(0, cwd)
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and (module_name == missing or module_name.startswith(missing + ".")):
            raise UsageError(
                f"cannot load metadata: no module named {missing!r} (searched from {cwd})"
            ) from None
        raise UsageError(f"cannot import {module_name!r}: {_first_line(exc)}") from None
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - user code may raise anything
        raise UsageError(f"cannot import {module_name!r}: {_first_line(exc)}") from None
    finally:
        if added and cwd in sys.path:
            sys.path.remove(cwd)


def _short(obj: Any) -> str:
    try:
        text = (repr(obj).splitlines() or [""])[0]
    except Exception:  # noqa: BLE001 - only decorates a message
        return ""
    return text if len(text) <= 60 else text[:57] + "..."


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0].strip()}" if lines else type(exc).__name__


# --------------------------------------------------------------------------- MetaData -> DbSchema


@dataclass(frozen=True)
class _Target:
    ddl: DDLCompiler  # the dialect's DDL compiler: the column specs create_all would send
    family: str  # DbSchema.dialect: MySQL and MariaDB are both "mysql"
    default: str | None  # default schema name
    rules: Dialect  # what differs per database (seedspec.dialects.<name>)

    def key(self, schema: str | None, name: str) -> str:
        return name if schema is None or schema == self.default else f"{schema}.{name}"

    def sql(self, clause: Any) -> str:
        return str(self.ddl.sql_compiler.process(clause, include_table=False, literal_binds=True))


def schema_from_metadata(
    metadata: sa.MetaData, dialect: str = "postgresql", default_schema: str | None = None
) -> DbSchema:
    """The DbSchema ``reflect_schema`` would give after ``metadata.create_all()`` on ``dialect``.

    ``dialect``: "postgresql", "mysql" (MySQL 8 DDL), "mariadb" (MariaDB 10.7+ DDL: native UUID)
    or "sqlite"; the result's ``dialect`` is "mysql" for both MySQL and MariaDB, as reflected.
    ``default_schema`` is the database's default schema (PostgreSQL "public", SQLite "main"):
    tables in it get bare keys, every other schema gives ``schema.table`` keys.
    """
    rules = dialect_for(dialect)
    d = rules.metadata_dialect()  # driver-less: driver colspecs (_PGString ...) blur the kinds
    if d is None:
        raise UsageError(f"unsupported dialect {dialect!r} (postgresql, mysql, mariadb or sqlite)")
    default = default_schema if default_schema is not None else rules.default_schema
    target = _Target(d.ddl_compiler(d, None), family_of(dialect), default, rules)  # type: ignore[arg-type]
    tables = [_table(target, t) for t in metadata.tables.values()]
    tables.sort(key=lambda t: t.name)
    return DbSchema(target.family, tuple(tables), default, None)


def _table(target: _Target, table: sa.Table) -> DbTable:
    primary_key = tuple(c.name for c in table.primary_key.columns)
    return DbTable(
        name=target.key(table.schema, table.name),
        schema=None if table.schema == target.default else table.schema,
        columns=tuple(_column(target, table, col, primary_key) for col in table.columns),
        primary_key=primary_key,
        foreign_keys=_foreign_keys(target, table),
        uniques=_uniques(target, table, primary_key),
        checks=_checks(target, table),
        comment=table.comment,
    )


def _type_facts(target: _Target, col: sa.Column[Any], compiled: str | None) -> TypeFacts:
    d = target.ddl.dialect
    declared = None if compiled is None else target.rules.declared_type_facts(d, compiled)
    if declared is not None:
        return declared
    try:
        impl: TypeEngine[Any] = col.type._unwrapped_dialect_impl(d)
    except sa.exc.SQLAlchemyError:
        impl = col.type
    if isinstance(impl, sa.Enum) and not (impl.native_enum and d.supports_native_enum):
        return TypeFacts(type="varchar", length=impl.length)  # VARCHAR(longest member)
    if isinstance(impl, sa.Uuid) and (compiled or "").upper().startswith("CHAR("):
        return TypeFacts(type="char", length=32)  # no native UUID: CHAR(32)
    facts = classify(impl)
    if facts.type == "numeric" and facts.precision is not None and facts.scale is None:
        facts.scale = 0  # NUMERIC(p) is NUMERIC(p, 0)
    return target.rules.metadata_type_facts(facts, compiled)


def _ddl_column(
    target: _Target, table: sa.Table, col: sa.Column[Any], primary_key: tuple[str, ...]
) -> DdlColumn:
    ddl = target.ddl
    try:
        compiled: str | None = str(
            ddl.dialect.type_compiler_instance.process(col.type, type_expression=col)
        )
        # what follows "<name> " in CREATE TABLE: "<type> ...", "SERIAL NOT NULL", ...
        spec = str(ddl.get_column_specification(col))
        spec = spec[len(ddl.preparer.format_column(col)) + 1 :]
    except sa.exc.SQLAlchemyError:  # a type this database cannot create: judge the type alone
        compiled, spec = None, ""
    default = ddl.get_column_default_string(col)
    nullable = bool(col.nullable) and col.name not in primary_key
    return DdlColumn(table, col, primary_key, compiled, spec, ddl, target.key, default, nullable)


def _column(
    target: _Target, table: sa.Table, col: sa.Column[Any], primary_key: tuple[str, ...]
) -> DbColumn:
    made = target.rules.metadata_column(_ddl_column(target, table, col, primary_key))
    identity, default = made.identity, made.default
    if not made.decided and default is not None and is_call(default, "nextval", "postgres"):
        identity = "serial"
    facts = _type_facts(target, col, made.compiled)
    return DbColumn(
        name=col.name,
        type=facts.type,
        sql_type=made.compiled or "",
        nullable=made.nullable,
        length=facts.length,
        precision=facts.precision,
        scale=facts.scale,
        unsigned=facts.unsigned,
        default=None if default is None else str(default),
        identity=identity,
        generated=None if col.computed is None else target.sql(col.computed.sqltext),
        enum_values=facts.enum_values,
        enum_name=facts.enum_name,
        item_type=facts.item_type,
        comment=col.comment,
    )


def _name(target: _Target, item: sa.Constraint | sa.Index) -> str | None:
    """The name the database gets (naming conventions applied, truncated), None if unnamed."""
    if item.name is None:
        return None
    try:
        name = target.ddl.preparer.format_constraint(item, _alembic_quote=False)
    except sa.exc.SQLAlchemyError:
        return None
    return str(name) if name else None


def _foreign_keys(target: _Target, table: sa.Table) -> tuple[DbForeignKey, ...]:
    out: list[DbForeignKey] = []
    for fk in table.foreign_key_constraints:
        refs = [el.target_fullname.rsplit(".", 1) for el in fk.elements]  # [schema.]table, col
        try:
            parent: sa.Table | None = fk.referred_table
        except sa.exc.SQLAlchemyError:  # target not in this MetaData: trust the spelling
            parent = None
        if parent is not None:
            ref_schema, ref_table = parent.schema, parent.name
        else:
            schema, _, ref_table = (refs[0][0] if refs else "").rpartition(".")
            ref_schema = schema or table.metadata.schema
        on_delete = fk.ondelete.upper() if fk.ondelete else None
        deferrable = target.rules.fks_keep_deferrable
        out.append(
            DbForeignKey(
                name=_name(target, fk),
                columns=tuple(c.name for c in fk.columns),
                ref_table=target.key(ref_schema, ref_table),
                ref_columns=tuple(r[-1] for r in refs),
                deferrable=deferrable and bool(fk.deferrable),
                initially_deferred=deferrable and str(fk.initially or "").upper() == "DEFERRED",
                on_delete=None if on_delete == "NO ACTION" else on_delete,
            )
        )
    return tuple(sorted(out, key=lambda f: (f.name or "", f.columns, f.ref_table)))


def _uniques(
    target: _Target, table: sa.Table, primary_key: tuple[str, ...]
) -> tuple[DbUnique, ...]:
    out = [
        DbUnique(_name(target, c), tuple(col.name for col in c.columns))
        for c in table.constraints
        if isinstance(c, sa.UniqueConstraint)
    ]
    covered = {frozenset(u.columns) for u in out} | {frozenset(primary_key)}
    for ix in table.indexes:
        if not ix.unique:
            continue
        columns = [e.name for e in ix.expressions if isinstance(e, sa.Column)]
        expressions = [target.sql(e) for e in ix.expressions if not isinstance(e, sa.Column)]
        if target.rules.unique_index_is_constraint:
            out.append(DbUnique(_name(target, ix), tuple(columns), expressions=tuple(expressions)))
            continue
        where = ix.dialect_kwargs.get(f"{target.family}_where")
        predicate = None if where is None else target.sql(where)
        if predicate is None and not expressions and frozenset(columns) in covered:
            continue  # reflection folds it into the constraint / primary key it duplicates
        out.append(
            DbUnique(_name(target, ix), tuple(columns), "index", predicate, tuple(expressions))
        )
    return tuple(sorted(out, key=lambda u: (u.name or "", u.columns, u.expressions)))


def _checks(target: _Target, table: sa.Table) -> tuple[DbCheck, ...]:
    found = [c for c in table.constraints if isinstance(c, sa.CheckConstraint)]
    for col in table.columns:
        found += [c for c in col.constraints if isinstance(c, sa.CheckConstraint)]
    out: list[DbCheck] = []
    for check in found:
        rule = getattr(check, "_create_rule", None)  # Boolean / Enum create_constraint=True
        if rule is not None and not rule(SimpleNamespace(dialect=target.ddl.dialect)):
            continue
        out.append(DbCheck(_name(target, check), target.sql(check.sqltext)))
    return tuple(sorted(out, key=lambda c: (c.name or "", c.sqltext)))


# --------------------------------------------------------------------------- comparable facts


def comparable(schema: DbSchema) -> dict[str, Any]:
    """The facts drift checks compare, canonical (sorted, JSON-able) whatever the source.

    Left out on purpose: SQL type spellings, default / CHECK / predicate texts, constraint names,
    comments, server version, and MariaDB's ``CHECK (json_valid(col))`` on JSON columns.
    """
    tables: dict[str, Any] = {}
    reader = capabilities_for(schema.dialect).sqlglot_dialect
    for table in schema.tables:
        names = [c.name for c in table.columns]
        json_columns = {c.name for c in table.columns if c.type == "json"}
        checks = []
        for check in table.checks:
            if json_valid_column(check.sqltext, reader) not in json_columns:
                # the columns it names (sqlglot): the texts differ by source, the columns do not
                checks.append(sorted(named_columns(check.sqltext, names, reader)))
        fks = {
            (fk.columns, fk.ref_table, fk.ref_columns, fk.deferrable) for fk in table.foreign_keys
        }
        uniques = {
            (tuple(sorted(u.columns)), u.predicate is not None, len(u.expressions))
            for u in table.uniques
        }
        tables[table.name] = {
            "columns": {c.name: _column_facts(c) for c in sorted(table.columns, key=_NAME)},
            "primary_key": list(table.primary_key),
            "foreign_keys": [
                {"columns": list(c), "ref_table": r, "ref_columns": list(rc), "deferrable": d}
                for c, r, rc, d in sorted(fks)
            ],
            "uniques": [
                {"columns": list(c), "partial": p, "expressions": n} for c, p, n in sorted(uniques)
            ],
            "checks": sorted(checks),
        }
    return {"tables": dict(sorted(tables.items()))}


def _column_facts(c: DbColumn) -> dict[str, Any]:
    return {
        "type": c.type,
        "nullable": c.nullable,
        "length": c.length,
        "precision": c.precision,
        "scale": c.scale,
        "enum_values": None if c.enum_values is None else list(c.enum_values),
        "identity": c.identity,
        "generated": c.generated is not None,
        "has_default": c.default is not None,
    }
