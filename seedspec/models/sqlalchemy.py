"""SQLAlchemy declarative models (`module[:Base]`) -> ModelFacts: each mapped table's Enum values
(native_enum=False too: a VARCHAR the database knows nothing of), String lengths, Uuid/JSON
types, UniqueConstraints, unique Indexes with a WHERE, CheckConstraints (read by sqlglot), and
what a column's `info={"seedspec": {...}}` says (choices, min, max, pattern, min_length,
max_length, meaning): a @validates function is Python, which no reader can turn into bounds."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlglot
from sqlglot import exp

from seedspec.errors import UsageError
from seedspec.models.facts import (
    MEANINGS,
    FieldModel,
    ModelCheck,
    ModelFacts,
    ModelUnique,
    TableModel,
    locate,
)
from seedspec.models.imports import import_user

_INFO_KEYS = {"choices", "min", "max", "pattern", "min_length", "max_length", "meaning"}


def read_sqlalchemy(source: str, module_name: str, attr: str) -> ModelFacts:
    """The classes mapped by `module_name`'s declarative base `attr` (default Base)."""
    module = import_user(module_name, source)
    base: Any = module
    for part in attr.split("."):
        base = getattr(base, part, None)
    registry = getattr(base, "registry", None)
    if not isinstance(registry, sa.orm.registry):
        raise UsageError(
            f"--models {source!r}: {module_name}:{attr} is not a declarative base "
            "(a class with .registry)"
        )
    tables = []
    for mapper in sorted(registry.mappers, key=lambda m: m.class_.__name__):
        table = mapper.local_table
        if isinstance(table, sa.Table):
            tables.append(_table(mapper, table))
    return ModelFacts(source, tuple(tables))


def _table(mapper: Any, table: sa.Table) -> TableModel:
    cls = mapper.class_
    keys = {
        c.name: p.key for p in mapper.column_attrs for c in p.columns if isinstance(c, sa.Column)
    }
    fields = tuple(_field(cls, keys.get(c.name, c.name), c) for c in table.columns)
    uniques: list[ModelUnique] = []
    checks: list[ModelCheck] = []
    where = locate(cls, "__table_args__") or locate(cls)
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            cols = tuple(c.name for c in constraint.columns)
            uniques.append(ModelUnique(_name(constraint), cols, location=where))
        elif isinstance(constraint, sa.CheckConstraint):
            condition = _condition(constraint.sqltext)
            if condition is not None:
                checks.append(ModelCheck(_name(constraint), condition, where))
    for index in table.indexes:
        cols = tuple(c.name for c in index.columns)
        if not index.unique or len(cols) != len(index.expressions):
            continue  # an expression index: the database's own facts have it
        predicate = next(
            (v.get("where") for v in index.dialect_options.values() if v.get("where") is not None),
            None,
        )
        condition = None if predicate is None else _condition(predicate)
        uniques.append(ModelUnique(_name(index), cols, condition, where))
    return TableModel(
        label=f"{cls.__module__}.{cls.__name__}",
        table=table.name,
        schema=table.schema,
        fields=fields,
        uniques=tuple(uniques),
        checks=tuple(checks),
        location=locate(cls),
    )


def _field(cls: type, key: str, column: sa.Column[Any]) -> FieldModel:
    facts: dict[str, Any] = {}
    kind = column.type
    if isinstance(kind, sa.Enum) and kind.enums:
        facts["choices"] = tuple(kind.enums)  # the stored strings (names, or values_callable's)
    elif isinstance(kind, sa.String) and kind.length:
        facts["max_length"] = kind.length
    if isinstance(kind, sa.Uuid):
        facts["meaning"] = "uuid"
    elif isinstance(kind, sa.JSON):
        facts["meaning"] = "json"
    info = column.info.get("seedspec") or {}
    unknown = sorted(set(info) - _INFO_KEYS)
    if unknown:
        raise UsageError(
            f"{cls.__name__}.{key}: info['seedspec'] keys {', '.join(unknown)} unknown "
            f"(known: {', '.join(sorted(_INFO_KEYS))})"
        )
    if info.get("meaning") is not None and info["meaning"] not in MEANINGS:
        raise UsageError(
            f"{cls.__name__}.{key}: meaning {info['meaning']!r} is not one of {MEANINGS}"
        )
    renamed = {"min": "minimum", "max": "maximum", "choices": "choices", "meaning": "meaning"}
    for name, value in info.items():
        if name == "pattern":
            facts["patterns"] = (str(value),)
        elif name == "choices":
            facts["choices"] = tuple(value)
        else:
            facts[renamed.get(name, name)] = value
    return FieldModel(key, column.name, location=locate(cls, key), **facts)


def _condition(clause: Any) -> exp.Expr | None:
    """A CHECK's or an index's SQL expression as sqlglot reads it (compiled by SQLAlchemy's
    generic compiler with its values inline), or None when it cannot be read."""
    try:
        text = str(clause.compile(compile_kwargs={"literal_binds": True}))
        return sqlglot.parse_one(text)
    except Exception:  # noqa: BLE001 - a construct the generic compiler or sqlglot lacks
        return None


def _name(constraint: Any) -> str | None:
    name = constraint.name
    return None if name is None or type(name).__name__ == "_NoneName" else str(name)
