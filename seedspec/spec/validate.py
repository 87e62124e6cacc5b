"""Document -> Spec, or every problem at once with its file:line:col."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedspec.errors import Problem, SpecError
from seedspec.kinds import KINDS
from seedspec.spec import verdicts
from seedspec.spec.model import (
    GENERATOR_KINDS,
    AfterSql,
    ColumnSpec,
    CountSpec,
    GeneratorSpec,
    Spec,
    TableGlob,
    TableSelection,
    TableSpec,
    TargetSpec,
    TreeSpec,
)
from seedspec.spec.semantics import (
    At,
    SpecView,
    TableView,
    check_view,
    generator_kind,
    is_selection,
    make_view,
    suggest,
    where,
)
from seedspec.spec.source import Document, Pointer, from_data, load_document, load_text
from seedspec.timing import timed

if TYPE_CHECKING:  # jsonschema is imported only when a spec is validated (start-up cost)
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).parent.parent / "schemas" / "seedspec-1.schema.json"

_COLUMN_KEYS = {*GENERATOR_KINDS, "null", "unique", "args", "dist", "s", "where"}
_COUNT_KEYS = ("min", "max", "mean", "sigma", "mu", "s", "p", "lambda")
_TYPE_WORDS = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
    "null": "null",
}
_BOUNDS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}


@timed("read the spec")
def load_spec(path: str, profile: str | None = None) -> Spec:
    """Read, check and normalise one spec file (with the named profile applied)."""
    return validate_document(load_document(path), profile)


def load_spec_text(text: str, profile: str | None = None, *, name: str = "<yaml>") -> Spec:
    """A spec held in a YAML string (problems located `name:line:col`); its `path` is None."""
    return replace(validate_document(load_text(text, name), profile), path=None)


def load_spec_data(
    data: Mapping[str, Any], profile: str | None = None, *, name: str = "<dict>"
) -> Spec:
    """A spec given as a mapping (problems located by JSON pointer); its `path` is None."""
    return replace(validate_document(from_data(data, name), profile), path=None)


def validate_document(doc: Document, profile: str | None = None) -> Spec:
    """Check `doc` against the JSON Schema, then semantically; raise `SpecError` with all."""
    problems = schema_problems(doc)
    if problems:
        raise SpecError(problems)
    view, problems = make_view(doc, profile)
    problems += check_view(doc, view)
    if problems:
        raise SpecError(_dedupe(problems))
    return build_spec(doc, view)


@functools.lru_cache(maxsize=1)
def _schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def spec_schema() -> dict[str, Any]:
    """The JSON Schema of the spec format (shipped with the package)."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


@functools.lru_cache(maxsize=1)
def _validator() -> Draft7Validator:
    from jsonschema import Draft7Validator

    return Draft7Validator(spec_schema())


# -- JSON Schema errors -> problems ----------------------------------------------------------


def schema_problems(doc: Document) -> list[Problem]:
    """The document's JSON Schema problems ([]: valid; a valid one is remembered on disk and
    not checked again: spec/verdicts.py)."""
    if verdicts.known_valid(_schema_text(), doc.data):
        return []
    errors = list(_validator().iter_errors(doc.data))
    problems = _dedupe([p for err in _prune(errors) for p in _translate(doc, err)])
    if not errors:
        verdicts.remember_valid(_schema_text(), doc.data)
    return problems


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _is_key_error(err: ValidationError) -> bool:
    return "propertyNames" in err.absolute_schema_path


def _is_column_choice(err: ValidationError) -> bool:
    return err.validator == "oneOf" and err.schema.get("title") == "column"


def _rank(err: ValidationError) -> int:
    if err.validator == "type" and not _is_key_error(err):
        return 0
    return 1 if _is_column_choice(err) else 2


def _prune(errors: list[ValidationError]) -> list[ValidationError]:
    """Drop the errors that follow from another one (a wrong type, a column's generators)."""
    dominant = [(tuple(e.absolute_path), _rank(e), e) for e in errors if _rank(e) < 2]

    def shadowed(err: ValidationError) -> bool:
        path, rank = tuple(err.absolute_path), _rank(err)
        return any(
            other is not err
            and path[: len(dpath)] == dpath
            and (len(path) > len(dpath) or drank < rank)
            for dpath, drank, other in dominant
        )

    return [err for err in errors if not shadowed(err)]


def _translate(doc: Document, err: ValidationError) -> list[Problem]:
    path = tuple(err.absolute_path)
    if _is_key_error(err):
        key = err.instance
        text = f"{where(path)}: the name {key!r} must be a string (quote it: '{key}')"
        return [Problem(text, doc.location_of_key((*path, key)))]
    handler = _HANDLERS.get(str(err.validator))
    if handler is not None:
        return handler(doc, err, path)
    return [Problem(f"{where(path)}: {_simple_message(err, path)}", doc.location(path))]


def _unknown_keys(doc: Document, err: ValidationError, path: Pointer) -> list[Problem]:
    allowed = sorted(err.schema.get("properties", {}))
    return [
        Problem(
            f"{where(path)}: unknown key {key!r}{suggest(key, allowed) or _expected(allowed)}",
            doc.location_of_key((*path, key)),
        )
        for key in err.instance
        if key not in allowed
    ]


def _expected(allowed: list[str]) -> str:
    return f" (expected one of: {', '.join(allowed)})" if len(allowed) <= 12 else ""


def _missing_keys(doc: Document, err: ValidationError, path: Pointer) -> list[Problem]:
    hint = " (write seedspec: 1 at the top)" if path == () else ""
    return [
        Problem(f"{where(path)}: missing required key {key!r}{hint}", doc.location(path))
        for key in err.validator_value
        if key not in err.instance
    ]


def _one_of(doc: Document, err: ValidationError, path: Pointer) -> list[Problem]:
    if _is_column_choice(err):
        return [_column_problem(doc, err, path)]
    branches = [_resolve(b) for b in err.validator_value]
    fits = [i for i, b in enumerate(branches) if _type_fits(err.instance, b)]
    subs = [e for e in err.context if fits and e.relative_schema_path[0] == fits[0]]
    if len(fits) == 1 and subs:
        return [p for sub in _prune(subs) for p in _translate(doc, sub)]
    wanted = " or ".join(b.get("title", "valid") for b in branches)
    message = f"{where(path)}: must be {wanted}; got {_describe(err.instance)}"
    return [Problem(message, doc.location(path))]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    resolved: dict[str, Any] = spec_schema()["definitions"][ref.rsplit("/", 1)[1]]
    return resolved


def _type_fits(instance: Any, schema: dict[str, Any]) -> bool:
    wanted = schema.get("type")
    if wanted is None:
        return True
    types = wanted if isinstance(wanted, list) else [wanted]
    return any(_validator().is_type(instance, t) for t in types)


def _column_problem(doc: Document, err: ValidationError, path: Pointer) -> Problem:
    label = "array item" if path[-1:] == ("of",) else f"column {path[-1]!r}"
    found = [kind for kind in GENERATOR_KINDS if kind in err.instance]
    if len(found) > 1:
        message = f"{label} must name exactly one generator; found {len(found)}: "
        return Problem(
            f"{where(path)}: {message}{', '.join(found)}", doc.location_of_key((*path, found[1]))
        )
    unknown = [key for key in err.instance if key not in _COLUMN_KEYS]
    message = f"{where(path)}: {label} names no generator (one of {', '.join(GENERATOR_KINDS)})"
    if not unknown:
        return Problem(message, doc.location(path))
    hint = suggest(unknown[0], list(GENERATOR_KINDS))
    return Problem(
        f"{message}; unknown key {unknown[0]!r}{hint}", doc.location_of_key((*path, unknown[0]))
    )


_HANDLERS: dict[str, Callable[[Document, ValidationError, Pointer], list[Problem]]] = {
    "additionalProperties": _unknown_keys,
    "required": _missing_keys,
    "oneOf": _one_of,
    "anyOf": _one_of,
}


def _simple_message(err: ValidationError, path: Pointer) -> str:
    kind, value, instance = str(err.validator), err.validator_value, err.instance
    if kind == "const" and path == ("seedspec",):
        return f"unsupported format version {_show(instance)}; this seedspec reads seedspec: 1"
    if kind == "type":
        types = value if isinstance(value, list) else [value]
        return f"must be {' or '.join(_TYPE_WORDS[t] for t in types)}; got {_describe(instance)}"
    if kind == "const":
        return f"must be {_show(value)}; got {_show(instance)}"
    if kind == "enum":
        options = ", ".join(str(v) for v in value)
        return f"must be one of {options}; got {_show(instance)}{suggest(instance, value)}"
    if kind in _BOUNDS:
        return f"must be {_BOUNDS[kind]} {value}; got {_show(instance)}"
    if kind in ("minItems", "minProperties", "minLength"):
        return "must not be empty"
    if kind == "maxProperties":
        return "takes no parameters; write {}"
    if kind == "pattern":
        return f"{_pattern_hint(path[-1])}; got {_show(instance)}"
    if kind == "not":
        return f"must not be {_show(instance)}"
    return str(err.message)


def _pattern_hint(key: Any) -> str:
    kind = KINDS.get(str(key))
    return (kind.pattern_hint if kind else None) or "has the wrong form"


def _show(value: Any) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({_show(value)})"
    for name in ("integer", "number", "string", "object", "array"):
        if _validator().is_type(value, name):
            words = _TYPE_WORDS[name]
            return words if name in ("object", "array") else f"{words} ({_show(value)})"
    return _show(value)


# -- the Spec IR -----------------------------------------------------------------------------


def build_spec(doc: Document, view: SpecView) -> Spec:
    data = doc.data
    target = data.get("target") or {}
    after = data.get("after") or []
    return Spec(
        version=1,
        seed=int(view.seed.value) if view.seed else 0,
        locale=str(data.get("locale", "en")),
        scale=float(view.scale.value) if view.scale else 1.0,
        target=TargetSpec(
            url_env=target.get("url_env"),
            schema=target.get("schema"),
            allow_hosts=tuple(target.get("allow_hosts") or ()),
            ledger=target.get("ledger"),
        ),
        profiles={name: dict(p or {}) for name, p in (data.get("profiles") or {}).items()},
        tables=tuple(_table(doc, t) for t in view.tables.values()),
        select=_selection(doc),
        after=tuple(
            AfterSql(step["sql"], doc.location(("after", i, "sql"))) for i, step in enumerate(after)
        ),
        path=doc.path,
        location=doc.location(()),
    )


def _selection(doc: Document) -> TableSelection:
    tables = doc.data.get("tables") or {}

    def globs(key: str) -> tuple[TableGlob, ...]:
        value = tables.get(key)
        if not isinstance(value, list) or not is_selection(key, value):
            return ()
        return tuple(
            TableGlob(str(g), doc.location(("tables", key, i))) for i, g in enumerate(value)
        )

    return TableSelection(globs("include"), globs("exclude"))


def _table(doc: Document, table: TableView) -> TableSpec:
    return TableSpec(
        name=table.name,
        count=_count(doc, table.count) if table.count else None,
        columns=tuple(
            ColumnSpec(
                name, generator(doc, col.value, col.pointer), doc.location_of_key(col.pointer)
            )
            for name, col in table.columns.items()
        ),
        tree=_tree(doc, table.tree) if table.tree else None,
        location=doc.location_of_key(table.pointer),
    )


def _count(doc: Document, count: At) -> CountSpec:
    where_at = doc.location(count.pointer)
    value = count.value
    if not isinstance(value, dict):
        return CountSpec(fixed=int(value), location=where_at)
    return CountSpec(
        per=value["per"],
        via=value.get("via"),
        dist=value.get("dist", "uniform"),
        params={key: value.get(key) for key in _COUNT_KEYS},
        location=where_at,
    )


def _tree(doc: Document, tree: At) -> TreeSpec:
    roots = tree.value.get("roots")
    return TreeSpec(
        parent=tree.value["parent"],
        max_depth=int(tree.value.get("max_depth", 4)),
        roots=None if roots is None else float(roots),
        location=doc.location(tree.pointer),
    )


def generator(doc: Document, entry: dict[str, Any], pointer: Pointer) -> GeneratorSpec:
    """One (schema-valid) column entry -> its normalised GeneratorSpec (the kind's normalise)."""
    kind = generator_kind(entry)

    def nested(sub: dict[str, Any], sub_pointer: Pointer) -> GeneratorSpec:
        return generator(doc, sub, sub_pointer)

    return GeneratorSpec(
        kind=kind,
        params=KINDS[kind].normalise(entry, (*pointer, kind), nested),
        null=float(entry.get("null", 0.0)),
        unique=bool(entry.get("unique", False)),
        location=doc.location_of_key((*pointer, kind)),
    )
