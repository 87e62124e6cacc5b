"""DbSchema: what the database is, as plain frozen dataclasses that round-trip through JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# Normalised column type kinds (DbColumn.type). Dialect spellings stay in DbColumn.sql_type.
TYPE_KINDS = (
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "float",
    "boolean",
    "char",
    "varchar",
    "text",
    "date",
    "time",
    "timestamp",
    "timestamptz",
    "interval",
    "uuid",
    "json",
    "bytes",
    "enum",
    "set",
    "array",
    "inet",
    "cidr",
    "macaddr",
    "xml",
    "tsvector",
    "bit",
    "money",
    "year",
    "range",
    "geometry",
    "geometric",
    "pg_lsn",
    "unknown",
)


@dataclass(frozen=True)
class DbColumn:
    name: str
    type: str  # one of TYPE_KINDS
    sql_type: str = ""  # the database's own spelling, e.g. "character varying(40)"
    nullable: bool = True
    length: int | None = None  # char/varchar/bit length
    precision: int | None = None  # numeric precision (digits)
    scale: int | None = None  # numeric scale
    unsigned: bool = False  # MySQL unsigned integers
    default: str | None = None  # server default expression, as SQL text
    identity: str | None = None  # "always" | "by_default" | "serial" | "auto_increment" | "rowid"
    generated: str | None = None  # expression of a generated (computed) column
    enum_values: tuple[str, ...] | None = None  # enum / set members, in order
    enum_name: str | None = None  # PostgreSQL enum type name
    # array element kind; a user-defined range's subtype kind ("float", "float multirange")
    item_type: str | None = None
    comment: str | None = None
    # what the application's model says its values are (email, url, slug, ip, ipv4, ipv6, uuid,
    # json; "bounded": validators give both ends of a number's range, which then replaces a
    # name rule's guess: seedspec/models/), layered on by --models; never reflected or snapshot
    meaning: str | None = None

    @property
    def has_default(self) -> bool:
        return self.default is not None or self.identity is not None


@dataclass(frozen=True)
class DbForeignKey:
    name: str | None
    columns: tuple[str, ...]
    ref_table: str  # DbTable.name of the parent (qualified when not in the default schema)
    ref_columns: tuple[str, ...]
    deferrable: bool = False
    initially_deferred: bool = False
    on_delete: str | None = None
    # the FK references one partition of ref_table (PostgreSQL): that partition's bound, e.g.
    # "FOR VALUES IN ('Report')"; only parent rows routed there may be referenced
    ref_partition: str | None = None


@dataclass(frozen=True)
class DbUnique:
    name: str | None
    columns: tuple[str, ...]
    kind: str = "constraint"  # "constraint" | "index"
    predicate: str | None = None  # partial unique index WHERE clause
    expressions: tuple[str, ...] = ()  # expression unique index parts, e.g. "lower(name)"


@dataclass(frozen=True)
class DbCheck:
    name: str | None
    sqltext: str


@dataclass(frozen=True)
class DbExclusion:
    """PostgreSQL EXCLUDE constraint: no two rows may match on every (column, operator) pair."""

    name: str | None
    elements: tuple[tuple[str, str], ...]  # (column or expression, operator), e.g. ("during", "&&")
    predicate: str | None = None


@dataclass(frozen=True)
class DbTrigger:
    name: str
    timing: str  # BEFORE | AFTER | INSTEAD OF
    events: tuple[str, ...]  # INSERT, UPDATE, DELETE, TRUNCATE
    writes: tuple[str, ...] = ()  # lower-cased bare names of the tables its body INSERTs into
    sets: tuple[str, ...] = ()  # lower-cased "table.column" its body's UPDATEs assign (counters)


@dataclass(frozen=True)
class DbTable:
    name: str  # key used everywhere: "table", or "schema.table" outside the default schema
    schema: str | None = None  # the database schema it lives in (None = default)
    columns: tuple[DbColumn, ...] = ()
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[DbForeignKey, ...] = ()
    uniques: tuple[DbUnique, ...] = ()
    checks: tuple[DbCheck, ...] = ()
    comment: str | None = None
    partition_by: str | None = None  # PostgreSQL partition key, e.g. "RANGE (payment_date)"
    partitions: tuple[str, ...] = ()  # each bound: "FOR VALUES FROM (...) TO (...)"
    triggers: tuple[DbTrigger, ...] = ()
    exclusions: tuple[DbExclusion, ...] = ()

    @property
    def bare_name(self) -> str:
        return self.name.rsplit(".", 1)[-1] if self.schema else self.name

    def column(self, name: str) -> DbColumn | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None


@dataclass(frozen=True)
class DbSchema:
    dialect: str  # "postgresql" | "mysql" | "sqlite" | other SQLAlchemy dialect name
    tables: tuple[DbTable, ...] = ()
    default_schema: str | None = None
    server_version: str | None = None
    _index: dict[str, DbTable] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({t.name: t for t in self.tables})

    def table(self, name: str) -> DbTable | None:
        return self._index.get(name)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("_index", None)
        for table in out["tables"]:  # a trigger's `sets` is left out while empty, so snapshots
            for trigger in table["triggers"]:  # (and fingerprints) from before it stay the same
                if not trigger["sets"]:
                    del trigger["sets"]
            for column in table["columns"]:  # a model's meaning (--models) is no database fact
                if column["meaning"] is None:
                    del column["meaning"]
            for fk in table["foreign_keys"]:  # the same for an FK's ref_partition
                if fk["ref_partition"] is None:
                    del fk["ref_partition"]
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DbSchema:
        return _build(cls, data)

    @classmethod
    def from_json(cls, text: str) -> DbSchema:
        return cls.from_dict(json.loads(text))


_NESTED: dict[tuple[type, str], type] = {
    (DbSchema, "tables"): DbTable,
    (DbTable, "columns"): DbColumn,
    (DbTable, "foreign_keys"): DbForeignKey,
    (DbTable, "uniques"): DbUnique,
    (DbTable, "checks"): DbCheck,
    (DbTable, "triggers"): DbTrigger,
    (DbTable, "exclusions"): DbExclusion,
}


def _build(cls: type, data: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name.startswith("_") or f.name not in data:
            continue
        value = data[f.name]
        nested = _NESTED.get((cls, f.name))
        if nested is not None:
            value = tuple(_build(nested, item) for item in value)
        elif f.name == "elements":
            value = tuple(tuple(pair) for pair in value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)
