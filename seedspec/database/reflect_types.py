"""SQLAlchemy / dialect column types -> normalised DbColumn type facts (kind, length, enum ...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import mysql
from sqlalchemy.dialects.postgresql import DOMAIN, AbstractMultiRange, AbstractRange
from sqlalchemy.engine import Dialect
from sqlalchemy.types import ARRAY, NullType, String, TypeEngine

# SQLAlchemy ``__visit_name__`` (generic and dialect classes) -> DbColumn.type kind.  The class
# MRO is walked from the most specific class, so dialect spellings win over generic parents.
_VISIT_KINDS: dict[str, str] = {
    "small_integer": "smallint",
    "SMALLINT": "smallint",
    "TINYINT": "smallint",
    "integer": "integer",
    "INTEGER": "integer",
    "INT": "integer",
    "MEDIUMINT": "integer",
    "big_integer": "bigint",
    "BIGINT": "bigint",
    "numeric": "numeric",
    "NUMERIC": "numeric",
    "DECIMAL": "numeric",
    "float": "float",
    "FLOAT": "float",
    "REAL": "float",
    "double": "float",
    "DOUBLE": "float",
    "DOUBLE_PRECISION": "float",
    "boolean": "boolean",
    "BOOLEAN": "boolean",
    "CHAR": "char",
    "NCHAR": "char",
    "string": "varchar",
    "unicode": "varchar",
    "VARCHAR": "varchar",
    "NVARCHAR": "varchar",
    "text": "text",
    "unicode_text": "text",
    "TEXT": "text",
    "CLOB": "text",
    "NTEXT": "text",
    "TINYTEXT": "text",
    "MEDIUMTEXT": "text",
    "LONGTEXT": "text",
    "CITEXT": "text",
    "date": "date",
    "DATE": "date",
    "time": "time",
    "TIME": "time",
    "datetime": "timestamp",
    "DATETIME": "timestamp",
    "TIMESTAMP": "timestamp",
    "DATETIME2": "timestamp",
    "SMALLDATETIME": "timestamp",
    "DATETIMEOFFSET": "timestamptz",
    "interval": "interval",
    "INTERVAL": "interval",
    "uuid": "uuid",
    "UUID": "uuid",
    "UNIQUEIDENTIFIER": "uuid",
    "JSON": "json",
    "JSONB": "json",
    "large_binary": "bytes",
    "BLOB": "bytes",
    "BYTEA": "bytes",
    "BINARY": "bytes",
    "VARBINARY": "bytes",
    "TINYBLOB": "bytes",
    "MEDIUMBLOB": "bytes",
    "LONGBLOB": "bytes",
    "enum": "enum",
    "ENUM": "enum",
    "SET": "set",
    "ARRAY": "array",
    "INET": "inet",
    "INET4": "inet",
    "INET6": "inet",
    "CIDR": "cidr",
    "MACADDR": "macaddr",
    "MACADDR8": "macaddr",
    "TSVECTOR": "tsvector",
    "TSQUERY": "tsvector",  # a single lexeme is both
    "OID": "bigint",
    "BIT": "bit",
    "MONEY": "money",
    "YEAR": "year",
}

# Catalog spellings (PostgreSQL format_type, MySQL COLUMN_TYPE, without modifiers) of types
# SQLAlchemy does not know (NullType) or only knows as a bare String: name -> (kind, length).
_NAMED: dict[str, tuple[str, int | None]] = {
    "xml": ("xml", None),
    "name": ("varchar", 63),
    '"char"': ("char", 1),
    "citext": ("text", None),
    "tsvector": ("tsvector", None),
    "money": ("money", None),
    "macaddr8": ("macaddr", None),
    "inet4": ("inet", None),  # MariaDB 10.10+
    "inet6": ("inet", None),  # MariaDB 10.5+
    "uuid": ("uuid", None),  # MariaDB 10.7+
    "tsquery": ("tsvector", None),  # a single lexeme is both a tsvector and a tsquery
    "pg_lsn": ("pg_lsn", None),
    "oid": ("bigint", None),  # unsigned 32-bit; the default 1..1,000,000 draws fit
    "xid": ("bigint", None),
    "geometry": ("geometry", None),  # PostGIS; shape and SRID come from the typmod (infer)
    "geography": ("geometry", None),
    "box2d": ("geometry", None),
    "point": ("geometric", None),  # PostgreSQL's built-in geometric types
    "line": ("geometric", None),
    "lseg": ("geometric", None),
    "box": ("geometric", None),
    "path": ("geometric", None),
    "polygon": ("geometric", None),
    "circle": ("geometric", None),
}

_LENGTH_KINDS = {"char", "varchar", "text", "bytes", "bit"}
_MYSQL_TINY_LENGTHS = {"TINYTEXT": 255, "TINYBLOB": 255}


@dataclass
class TypeFacts:
    """What one column type says, ready to be copied onto a DbColumn."""

    type: str = "unknown"
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    unsigned: bool = False
    enum_values: tuple[str, ...] | None = None
    enum_name: str | None = None
    item_type: str | None = None


def domain_chain(sa_type: TypeEngine[Any]) -> list[DOMAIN]:
    """The PostgreSQL domains a type is made of, outermost first (empty when not a domain)."""
    chain: list[DOMAIN] = []
    current: Any = sa_type
    while isinstance(current, DOMAIN) and len(chain) < 32:
        chain.append(current)
        current = current.data_type
    return chain


def strip_domains(sa_type: TypeEngine[Any]) -> TypeEngine[Any]:
    chain = domain_chain(sa_type)
    return chain[-1].data_type if chain else sa_type


def _visit_kind(sa_type: TypeEngine[Any]) -> str | None:
    for cls in type(sa_type).__mro__:
        name = cls.__dict__.get("__visit_name__")
        if isinstance(name, str) and name in _VISIT_KINDS:
            return _VISIT_KINDS[name]
    return None


def _enum_name(sa_type: Any) -> str | None:
    name = getattr(sa_type, "name", None)
    if not name:
        return None
    schema = getattr(sa_type, "schema", None)
    return f"{schema}.{name}" if schema else str(name)


def classify(
    sa_type: TypeEngine[Any], catalog_type: str | None = None, base_name: str | None = None
) -> TypeFacts:
    """Normalise one (possibly dialect-specific) SQLAlchemy type.

    ``catalog_type`` is the database's own spelling (PostgreSQL format_type, MySQL COLUMN_TYPE);
    ``base_name`` the catalog's name of the type without modifiers (of the element for an array:
    pg_type.typname, MySQL DATA_TYPE). It rescues types SQLAlchemy reflects as NullType (xml,
    inet4 ...) or as a bare String (name).
    """
    sa_type = strip_domains(sa_type)
    facts = TypeFacts()
    if isinstance(sa_type, (AbstractRange, AbstractMultiRange)):
        facts.type = "range"
        return facts
    if isinstance(sa_type, ARRAY):
        facts.type = "array"
        item_catalog = catalog_type[:-2] if catalog_type and catalog_type.endswith("[]") else None
        item = classify(sa_type.item_type, item_catalog, base_name)
        facts.item_type = item.type
        facts.enum_values, facts.enum_name = item.enum_values, item.enum_name
        facts.length, facts.precision, facts.scale = item.length, item.precision, item.scale
        return facts
    if base_name in _NAMED and type(sa_type) in (NullType, String):
        facts.type, facts.length = _NAMED[base_name]
        return facts
    if type(sa_type) is NullType and not catalog_type:
        # SQLite: a column declared with no type has BLOB affinity and stores any value;
        # text is the safe choice (declared names are resolved by SQLAlchemy's affinity rules)
        facts.type = "text"
        return facts
    kind = _visit_kind(sa_type)
    if kind is None:
        return facts  # "unknown"
    if isinstance(sa_type, mysql.TINYINT) and getattr(sa_type, "display_width", None) == 1:
        kind = "boolean"
    if kind == "timestamp" and getattr(sa_type, "timezone", False):
        kind = "timestamptz"
    facts.type = kind
    _sized_facts(sa_type, facts)
    return facts


def _sized_facts(sa_type: TypeEngine[Any], facts: TypeFacts) -> None:
    """Sign, precision / scale, length and members, by the kind already in ``facts``."""
    kind = facts.type
    if kind in ("smallint", "integer", "bigint", "numeric", "float"):
        facts.unsigned = bool(getattr(sa_type, "unsigned", False))
    if kind == "numeric":
        facts.precision = getattr(sa_type, "precision", None)
        facts.scale = getattr(sa_type, "scale", None)
    if kind in _LENGTH_KINDS:
        length = getattr(sa_type, "length", None)
        if length is None:
            length = _MYSQL_TINY_LENGTHS.get(type(sa_type).__name__)
        facts.length = int(length) if isinstance(length, int) else None
    if kind in ("enum", "set"):
        values = getattr(sa_type, "enums", None) or getattr(sa_type, "values", None) or ()
        facts.enum_values = tuple(str(v) for v in values)
        if kind == "enum":
            facts.enum_name = _enum_name(sa_type)


def compiled_sql_type(sa_type: TypeEngine[Any], dialect: Dialect) -> str:
    """The dialect's spelling of a reflected type, without a COLLATE clause."""
    if isinstance(sa_type, NullType):
        return ""
    target: Any = sa_type
    if getattr(sa_type, "collation", None) and not isinstance(sa_type, DOMAIN):
        try:
            target = sa_type.copy()
            target.collation = None
        except Exception:  # noqa: BLE001 - best effort; fall back to the original type
            target = sa_type
    try:
        return str(target.compile(dialect=dialect))
    except Exception:  # noqa: BLE001 - an uncompilable reflected type still needs a label
        return type(sa_type).__name__


# --------------------------------------------------------------------------- PostgreSQL domains
# (the catalog query is seedspec.dialects.postgresql.catalog.domain_checks)

DomainChecks = dict[tuple[str | None, str], list[tuple[str, str]]]


def domain_column_checks(
    chain: list[DOMAIN], column_sql: str, checks: DomainChecks
) -> list[tuple[str, str]]:
    """The CHECKs of every domain in ``chain``, with VALUE replaced by the (quoted) column."""
    out: list[tuple[str, str]] = []
    for domain in chain:
        for conname, body in checks.get((domain.schema, str(domain.name)), []):
            out.append((conname, _value_replaced(body, column_sql)))
    return out


def _value_replaced(body: str, column_sql: str) -> str:
    """A domain CHECK with each VALUE keyword replaced by ``column_sql``. PostgreSQL's own lexer
    (pglast) finds the keyword: 'VALUE' in a string and a quoted "VALUE" stay as they are."""
    from pglast import parser  # imported here: only PostgreSQL domains need it (start-up time)

    try:
        tokens = parser.scan(body)
    except Exception:  # noqa: BLE001 - text PostgreSQL printed but pglast cannot scan: as is
        return body
    parts, last = [], 0
    for token in tokens:
        if token.name == "VALUE_P":
            parts += [body[last : token.start], column_sql]
            last = token.end + 1
    return "".join(parts) + body[last:]


_RANGE_SUBTYPES = {
    "smallint": "smallint",
    "integer": "integer",
    "bigint": "bigint",
    "numeric": "numeric",
    "real": "float",
    "double precision": "float",
    "date": "date",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
}


def range_item_type(subtype: str) -> str:
    """A user-defined range's subtype (format_type, " multirange" after a multirange's) -> the
    column's item kind: ``double precision multirange`` -> ``float multirange``; a subtype
    seedspec has no range values for keeps its own name (``text``, ``inet``)."""
    multi = subtype.endswith(" multirange")
    # format_type(subtype, NULL): no type modifier, maybe schema-qualified (public.mytype)
    base = subtype.removesuffix(" multirange").strip().lower()
    if not base.startswith('"'):
        base = base.rsplit(".", 1)[-1]
    kind = _RANGE_SUBTYPES.get(base, base)
    return f"{kind} multirange" if multi else kind
