"""What a dialect tells reflection and the MetaData reader: catalog facts and DDL column views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from seedspec.database.model import DbCheck, DbExclusion, DbTrigger, DbUnique

TableKey = tuple[str, str]  # (real schema name, table name)


@dataclass
class Catalog:
    """Facts the inspector does not give (or gives ambiguously), read in bulk by the dialect.

    Every field has a neutral default, so reflection applies them all without asking which
    database it is: an empty mapping changes nothing.
    """

    # schema -> the tables to reflect (set when partitions / foreign tables must be left out)
    keep_tables: dict[str, set[str]] = field(default_factory=dict)
    sql_types: dict[tuple[str, str, str], str] = field(default_factory=dict)  # catalog spelling
    # the type's catalog name without modifiers (an array's element type's): reflect_types._NAMED
    base_types: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # (schema, table, constraint) -> referenced (schema, table); None: trust the inspector.
    # When set, an FK missing here is an internal clone and is skipped.
    fk_refs: dict[tuple[str, str, str], TableKey] | None = None
    rowid_tables: set[TableKey] = field(default_factory=set)
    # (schema, table, lower(referenced table), columns) -> ON DELETE the inspector did not report
    fk_actions: dict[tuple[str, str, str, tuple[str, ...]], str] = field(default_factory=dict)
    # unique indexes as the dialect reads them; one named like an inspector's index replaces it
    index_uniques: dict[TableKey, list[DbUnique]] = field(default_factory=dict)
    checks: dict[TableKey, list[DbCheck]] | None = None  # replaces the inspector's CHECKs
    partitions: dict[TableKey, tuple[str, list[str]]] = field(default_factory=dict)
    # a partition -> (its partitioned parent, its bound): an FK to it references the parent
    partition_of: dict[TableKey, tuple[TableKey, str]] = field(default_factory=dict)
    # unique indexes declared on one partition only (kept over the whole root by reflection)
    partition_uniques: dict[TableKey, list[DbUnique]] = field(default_factory=dict)
    # (schema, table, column) of a range column -> its subtype (format_type; a multirange's
    # with " multirange" after it)
    range_subtypes: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # FKs declared on partitions only: they bind every row routed there, so the parent gets them
    partition_fks: dict[TableKey, list[dict[str, Any]]] = field(default_factory=dict)
    # FKs read from the catalog, added where the inspector missed them (partition_fks' shape)
    declared_fks: dict[TableKey, list[dict[str, Any]]] = field(default_factory=dict)
    # an identifier as the inspector spells it -> its real name (MySQL: SQLAlchemy keeps ``)
    names: dict[str, str] = field(default_factory=dict)
    triggers: dict[TableKey, list[DbTrigger]] = field(default_factory=dict)
    exclusions: dict[TableKey, list[DbExclusion]] = field(default_factory=dict)


@dataclass(frozen=True)
class DdlColumn:
    """One MetaData column as ``create_all`` would create it, and what is decided about it so far.

    ``key(schema, name)`` gives the DbTable key of a table name (used for sequence names).
    """

    table: Any  # sqlalchemy Table
    column: Any  # sqlalchemy Column
    primary_key: tuple[str, ...]
    compiled: str | None  # the type as the DDL compiler spells it (None: not creatable here)
    spec: str  # what follows "<name> " in CREATE TABLE: "<type> ...", "SERIAL NOT NULL" ...
    ddl: Any  # the dialect's DDLCompiler
    key: Callable[[str | None, str], str]
    default: str | None
    nullable: bool
    identity: str | None = None
    decided: bool = False  # the dialect settled the identity (the generic nextval rule is skipped)
