"""Django models (a settings module + app labels) -> ModelFacts: each concrete model's table, its
fields' choices, validators, max_length and meaning (EmailField, SlugField, ...), unique_together
and Meta.constraints (conditions as sqlglot trees). django.setup() runs; no database is opened."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from typing import Any

from sqlglot import exp

from seedspec.errors import UsageError
from seedspec.models.facts import (
    FieldModel,
    ModelCheck,
    ModelFacts,
    ModelUnique,
    Number,
    TableModel,
    locate,
)
from seedspec.models.imports import first_line, import_user

# get_internal_type() -> what the field's values are, beyond its column's type
_MEANINGS = {
    "EmailField": "email",
    "URLField": "url",
    "SlugField": "slug",
    "IPAddressField": "ipv4",
    "UUIDField": "uuid",
    "JSONField": "json",
}
_IP_PROTOCOLS = {"both": "ip", "ipv4": "ipv4", "ipv6": "ipv6"}
_POSITIVE = ("PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField")
_COMPARISONS = {"gt": exp.GT, "gte": exp.GTE, "lt": exp.LT, "lte": exp.LTE, "exact": exp.EQ}


def read_django(source: str, settings: str, labels: tuple[str, ...]) -> ModelFacts:
    """The models of apps `labels` (none: every installed app) under settings module
    `settings`."""
    if not settings:
        raise UsageError(f"--models {source!r}: name the settings module (django:pkg.settings)")
    try:
        import django
        from django.apps import apps
    except ImportError:
        raise UsageError(
            "--models django:...: Django is not installed (pip install django)"
        ) from None
    import_user(settings, source)  # its own import errors, before Django wraps them
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    try:
        django.setup()
        configs = [apps.get_app_config(label) for label in labels] or list(apps.get_app_configs())
    except LookupError as exc:
        raise UsageError(f"--models {source!r}: {first_line(exc)}") from None
    except Exception as exc:  # noqa: BLE001 - user settings and apps may raise anything
        raise UsageError(f"--models {source!r}: django.setup() failed: {first_line(exc)}") from None
    tables = []
    for config in configs:
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or meta.swapped:
                continue
            tables.append(_table(model))
    return ModelFacts(source, tuple(tables))


def _table(model: Any) -> TableModel:
    meta = model._meta
    columns = {f.name: f.column for f in meta.concrete_fields}
    fields = tuple(_field(model, f) for f in meta.local_concrete_fields)
    uniques = [
        ModelUnique(None, tuple(columns[n] for n in names), location=locate(model, "Meta"))
        for names in meta.unique_together
    ]
    checks = []
    for constraint in meta.constraints:
        kind = type(constraint).__name__
        condition = getattr(constraint, "condition", None)
        if kind == "CheckConstraint":
            condition = condition if condition is not None else getattr(constraint, "check", None)
            read = q_condition(condition, model)
            if read is not None:
                checks.append(ModelCheck(constraint.name, read, locate(model, "Meta")))
        elif kind == "UniqueConstraint" and constraint.fields:
            cols = tuple(columns[n] for n in constraint.fields)
            # a condition not read: unique everywhere (more than the model asks; always met)
            read = None if condition is None else q_condition(condition, model)
            uniques.append(ModelUnique(constraint.name, cols, read, locate(model, "Meta")))
    return TableModel(
        label=meta.label,
        table=meta.db_table,
        fields=fields,
        uniques=tuple(uniques),
        checks=tuple(checks),
        location=locate(model),
    )


def _field(model: Any, f: Any) -> FieldModel:
    internal = f.get_internal_type()
    meaning = _MEANINGS.get(internal)
    if internal == "GenericIPAddressField":
        meaning = _IP_PROTOCOLS.get(str(getattr(f, "protocol", "both")).lower(), "ip")
    facts: dict[str, Any] = {}
    if f.is_relation:
        return FieldModel(f.name, f.column, location=locate(model, f.name))
    if f.choices:
        facts["choices"] = tuple(value for value, _ in f.flatchoices)
    if internal in _POSITIVE:
        facts["minimum"] = 0
    own = [v for v in f.validators if not any(v is d for d in f.default_validators)]
    for v in own:
        _validator(v, facts)
    if getattr(f, "max_length", None):
        facts["max_length"] = min(f.max_length, facts.get("max_length", f.max_length))
    return FieldModel(
        f.name,
        f.column,
        meaning=meaning,
        required=bool(f.null and not f.blank),
        location=locate(model, f.name),
        **facts,
    )


def _validator(v: Any, facts: dict[str, Any]) -> None:
    """One validator's bound, kept in `facts` (the tightest of several); a callable limit, an
    inverse or flagged regex, and validators of other kinds say nothing seedspec can use."""
    kind = type(v).__name__
    limit = getattr(v, "limit_value", None)
    if kind in ("MinValueValidator", "MaxValueValidator") and isinstance(
        limit, int | float | Decimal
    ):
        key, pick = ("minimum", max) if kind == "MinValueValidator" else ("maximum", min)
        facts[key] = _tightest(pick, facts.get(key), limit)
    elif kind in ("MinLengthValidator", "MaxLengthValidator") and isinstance(limit, int):
        key, pick = ("min_length", max) if kind == "MinLengthValidator" else ("max_length", min)
        facts[key] = _tightest(pick, facts.get(key), limit)
    elif kind == "RegexValidator" and not v.inverse_match and not v.regex.flags & ~re.UNICODE:
        pattern = v.regex.pattern
        # Python's end of string; the pattern languages of CHECKs know `$`, which generated
        # values (no trailing newline) meet the same way
        pattern = pattern[:-2] + "$" if pattern.endswith(r"\Z") else pattern
        facts["patterns"] = (*facts.get("patterns", ()), pattern)


def _tightest(pick: Any, old: Number | None, new: Number) -> Number:
    return new if old is None else pick(old, new)


def q_condition(q: Any, model: Any) -> exp.Expr | None:
    """A Q object as a sqlglot condition over the model's columns (exact, gt/gte/lt/lte, in,
    isnull lookups; values and F() of the model's fields), or None when any part is not
    one of those."""
    if q is None or not hasattr(q, "children"):
        return None
    parts: list[exp.Expr] = []
    for child in q.children:
        part = q_condition(child, model) if hasattr(child, "children") else _lookup(model, *child)
        if part is None:
            return None
        parts.append(exp.Paren(this=part))
    if not parts:
        return None
    joined = exp.and_(*parts) if q.connector == "AND" else exp.or_(*parts)
    return exp.Not(this=exp.Paren(this=joined)) if q.negated else joined


def _lookup(model: Any, lookup: str, value: Any) -> exp.Expr | None:
    name, _, op = lookup.partition("__")
    column = _column(model, name)
    if column is None:
        return None
    op = op or "exact"
    if op == "isnull" and isinstance(value, bool):
        test = exp.Is(this=column, expression=exp.Null())
        return test if value else exp.Not(this=test)
    if op == "exact" and value is None:
        return exp.Is(this=column, expression=exp.Null())
    if op == "in" and isinstance(value, list | tuple | set | frozenset):
        items = [_value(model, v) for v in value]
        if any(i is None for i in items):
            return None
        return exp.In(this=column, expressions=items)
    node = _COMPARISONS.get(op)
    right = _value(model, value)
    if node is None or right is None:
        return None
    return node(this=column, expression=right)


def _column(model: Any, name: str) -> exp.Column | None:
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist, or a lookup through a relation
        return None
    column = getattr(field, "column", None)
    return exp.column(column, quoted=True) if column else None


def _value(model: Any, value: Any) -> exp.Expr | None:
    if type(value).__name__ == "F":
        return _column(model, str(value.name))
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float | Decimal):
        return exp.Literal.number(str(value))
    if isinstance(value, str):
        return exp.Literal.string(value)
    return None
