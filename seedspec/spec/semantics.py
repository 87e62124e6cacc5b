"""Schema-valid document -> effective view (profile applied) + every semantic problem in it."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from seedspec.errors import Problem
from seedspec.spec.model import GENERATOR_KINDS
from seedspec.spec.source import Document, Pointer

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NOT_FINITE_OK = {"const", "choice", "args"}  # values there are data, not parameters


@dataclass(frozen=True)
class At:
    """A value of the document and the pointer it was written at (for its location)."""

    value: Any
    pointer: Pointer


@dataclass
class TableView:
    name: str
    pointer: Pointer
    count: At | None = None
    tree: At | None = None
    columns: dict[str, At] = field(default_factory=dict)


@dataclass
class SpecView:
    """The spec as it applies: the chosen profile's overrides already in place."""

    seed: At | None
    scale: At | None
    tables: dict[str, TableView]


def where(pointer: Pointer) -> str:
    """A readable path: tables.users.columns.email, after[0].sql."""
    out = ""
    for part in pointer:
        out += f"[{part}]" if isinstance(part, int) and not isinstance(part, bool) else f".{part}"
    return out.lstrip(".") or "spec"


def generator_kind(entry: dict[str, Any]) -> str:
    return next(kind for kind in GENERATOR_KINDS if kind in entry)


def split_ref(target: str) -> tuple[str, str | None]:
    """users -> (users, None); users.id -> (users, id); public.users.id -> (public.users, id)."""
    if "." not in target:
        return target, None
    table, column = target.rsplit(".", 1)
    return table, column


def suggest(word: Any, choices: list[str]) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# -- the effective view ----------------------------------------------------------------------


def make_view(doc: Document, profile: str | None) -> tuple[SpecView, list[Problem]]:
    data = doc.data
    tables = {
        name: _table_view(table or {}, ("tables", name))
        for name, table in (data.get("tables") or {}).items()
    }
    view = SpecView(_at(data, ("seed",)), _at(data, ("scale",)), tables)
    problems = _profile_table_problems(doc, view)
    if profile is None:
        return view, problems
    profiles = data.get("profiles") or {}
    if profile not in profiles:
        known = ", ".join(profiles) or "none"
        message = f"unknown profile {profile!r} (profiles in this spec: {known})"
        problems.append(
            Problem(message + suggest(profile, list(profiles)), doc.location(("profiles",)))
        )
        return view, problems
    _apply_profile(view, profiles[profile], ("profiles", profile))
    return view, problems


def _at(data: dict[str, Any], pointer: Pointer) -> At | None:
    key = pointer[-1]
    return At(data[key], pointer) if key in data else None


def _table_view(table: dict[str, Any], pointer: Pointer) -> TableView:
    columns = table.get("columns") or {}
    return TableView(
        name=str(pointer[-1]),
        pointer=pointer,
        count=_at(table, (*pointer, "count")),
        tree=_at(table, (*pointer, "tree")),
        columns={name: At(col, (*pointer, "columns", name)) for name, col in columns.items()},
    )


def _profile_table_problems(doc: Document, view: SpecView) -> list[Problem]:
    problems = []
    for pname, prof in (doc.data.get("profiles") or {}).items():
        for tname in (prof or {}).get("tables") or {}:
            if tname not in view.tables:
                problems.append(
                    Problem(
                        f"profile {pname!r} overrides table {tname!r} which this spec does not "
                        f"name under tables{suggest(tname, list(view.tables))}",
                        doc.location_of_key(("profiles", pname, "tables", tname)),
                    )
                )
    return problems


def _apply_profile(view: SpecView, prof: dict[str, Any], pointer: Pointer) -> None:
    prof = prof or {}
    view.seed = _at(prof, (*pointer, "seed")) or view.seed
    view.scale = _at(prof, (*pointer, "scale")) or view.scale
    for tname, over in (prof.get("tables") or {}).items():
        table = view.tables.get(tname)
        if table is None:
            continue
        patch = _table_view(over or {}, (*pointer, "tables", tname))
        table.count = patch.count or table.count
        table.tree = patch.tree or table.tree
        table.columns.update(patch.columns)


# -- checks ----------------------------------------------------------------------------------


@dataclass
class _Ctx:
    doc: Document
    view: SpecView
    table: TableView
    problems: list[Problem]

    def add(self, pointer: Pointer, message: str) -> None:
        self.problems.append(Problem(f"{where(pointer)}: {message}", self.doc.location(pointer)))


def check_view(doc: Document, view: SpecView) -> list[Problem]:
    """Every semantic problem of the effective spec (the schema has passed)."""
    problems = _finite_problems(doc, doc.data, ())
    for table in view.tables.values():
        ctx = _Ctx(doc, view, table, problems)
        _check_count(ctx)
        _check_tree(ctx)
        for name, column in table.columns.items():
            _check_unique(ctx, name, column.value, column.pointer)
            for entry, pointer, nested in _entries(column.value, column.pointer, False):
                _check_entry(ctx, entry, pointer, nested)
    for i, step in enumerate(doc.data.get("after") or []):
        if not step["sql"].strip():
            problems.append(
                Problem(f"after[{i}].sql: the SQL is empty", doc.location(("after", i, "sql")))
            )
    return problems


def _finite_problems(doc: Document, value: Any, pointer: Pointer) -> list[Problem]:
    if isinstance(value, float) and not math.isfinite(value):
        return [Problem(f"{where(pointer)}: must be a finite number", doc.location(pointer))]
    items: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        items = [(k, v) for k, v in value.items() if k not in _NOT_FINITE_OK]
    elif isinstance(value, list):
        items = list(enumerate(value))
    return [p for k, v in items for p in _finite_problems(doc, v, (*pointer, k))]


def _entries(
    entry: dict[str, Any], pointer: Pointer, nested: bool
) -> Iterator[tuple[dict[str, Any], Pointer, bool]]:
    yield entry, pointer, nested
    for name, sub in (entry.get("json") or {}).items():
        yield from _entries(sub, (*pointer, "json", name), True)
    if "array" in entry:
        yield from _entries(entry["array"]["of"], (*pointer, "array", "of"), True)


def _check_entry(ctx: _Ctx, entry: dict[str, Any], pointer: Pointer, nested: bool) -> None:
    kind = generator_kind(entry)
    if nested and kind == "default":
        ctx.add((*pointer, kind), "default: true applies to a table column, not inside json/array")
    check = _CHECKS.get(kind)
    if check is not None:
        check(ctx, entry, (*pointer, kind))


def _known_table(view: SpecView, name: str) -> bool:
    return name in view.tables or ("." in name and name.rsplit(".", 1)[1] in view.tables)


def _unknown_table(ctx: _Ctx, pointer: Pointer, what: str, name: str) -> None:
    ctx.add(
        pointer,
        f"{what} table {name!r} which this spec does not name; add it under tables: "
        f"({name}: {{}} lets it be inferred){suggest(name, list(ctx.view.tables))}",
    )


def _check_ref(ctx: _Ctx, entry: dict[str, Any], pointer: Pointer) -> None:
    table, _ = split_ref(entry["ref"])
    if not _known_table(ctx.view, table):
        _unknown_table(ctx, pointer, "ref to", table)


def _check_min_max(ctx: _Ctx, params: Any, pointer: Pointer, what: str = "min") -> None:
    if not isinstance(params, dict) or params.get("min") is None or params.get("max") is None:
        return
    if params["min"] > params["max"]:
        message = f"{what} ({params['min']}) is greater than max ({params['max']})"
        ctx.add((*pointer, "max"), message)


def _check_numbers(ctx: _Ctx, entry: dict[str, Any], pointer: Pointer) -> None:
    _check_min_max(ctx, entry[pointer[-1]], pointer)


def _check_array(ctx: _Ctx, entry: dict[str, Any], pointer: Pointer) -> None:
    _check_min_max(ctx, entry["array"].get("length"), (*pointer, "length"))


def _check_choice(ctx: _Ctx, entry: dict[str, Any], pointer: Pointer) -> None:
    choice = entry["choice"]
    if isinstance(choice, dict) and not any(w > 0 for w in choice.values()):
        ctx.add(pointer, "every choice weight is 0; at least one must be > 0")


_PARSERS: dict[str, Callable[[str], Any]] = {
    "date": dt.date.fromisoformat,
    "datetime": lambda s: dt.datetime.fromisoformat(re.sub(r"[Zz]$", "+00:00", s)),
    "time": lambda s: dt.time.fromisoformat(re.sub(r"[Zz]$", "+00:00", s)),
}


def _check_dates(ctx: _Ctx, entry: dict[str, Any], pointer: Pointer) -> None:
    kind = pointer[-1]
    parsed = {}
    for end in ("from", "to"):
        text = entry[kind].get(end)
        if text is None:
            continue
        try:
            parsed[end] = _PARSERS[kind](text)
        except ValueError:
            ctx.add((*pointer, end), f"{text!r} is not an ISO 8601 {kind}")
    if len(parsed) == 2 and _later(parsed["from"], parsed["to"]):
        ctx.add((*pointer, "to"), f"from ({entry[kind]['from']}) is after to ({entry[kind]['to']})")


def _later(first: Any, second: Any) -> bool:
    if isinstance(first, dt.datetime | dt.time) and (first.tzinfo is None) != (
        second.tzinfo is None
    ):
        first, second = (v.replace(tzinfo=v.tzinfo or dt.timezone.utc) for v in (first, second))
    return bool(first > second)


def _check_template(ctx: _Ctx, entry: dict[str, Any], pointer: Pointer) -> None:
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(entry["template"])]
    except ValueError as exc:
        ctx.add(pointer, f"malformed template: {exc}")
        return
    for name, spec in fields:
        if name is None:
            continue
        if not _NAME.fullmatch(name):
            ctx.add(pointer, f"template placeholder {{{name}}} must be row or a column name")
        elif spec and "{" in spec:
            ctx.add(pointer, f"template placeholder {{{name}:{spec}}}: nested placeholders")
        elif name == "row" and spec and not _formats_int(spec):
            ctx.add(pointer, f"template placeholder {{row:{spec}}}: bad format spec for a number")


def _formats_int(spec: str) -> bool:
    try:
        format(0, spec)
    except ValueError:
        return False
    return True


def _check_index(ctx: _Ctx, entry: dict[str, Any], pointer: Pointer) -> None:
    count = ctx.table.count
    if count is None or not isinstance(count.value, dict):
        ctx.add(
            pointer,
            f"index_in_parent needs a per-parent count on table {ctx.table.name!r} "
            "(count: {per: PARENT, ...})",
        )


def _check_lookup(ctx: _Ctx, entry: dict[str, Any], pointer: Pointer) -> None:
    fk_column = entry["lookup"].split(".", 1)[0]
    declared = ctx.table.columns.get(fk_column)
    if declared is not None and "ref" not in declared.value:
        kind = generator_kind(declared.value)
        ctx.add(pointer, f"lookup goes through {fk_column!r}, whose generator is {kind}, not ref")


_CHECKS: dict[str, Callable[[_Ctx, dict[str, Any], Pointer], None]] = {
    "ref": _check_ref,
    "int": _check_numbers,
    "float": _check_numbers,
    "decimal": _check_numbers,
    "array": _check_array,
    "choice": _check_choice,
    "date": _check_dates,
    "datetime": _check_dates,
    "time": _check_dates,
    "template": _check_template,
    "index_in_parent": _check_index,
    "lookup": _check_lookup,
}


def _check_count(ctx: _Ctx) -> None:
    count = ctx.table.count
    if count is None or not isinstance(count.value, dict):
        return
    per, pointer = count.value["per"], count.pointer
    if per == ctx.table.name:
        ctx.add((*pointer, "per"), "a table cannot be counted per itself; use tree: instead")
    elif not _known_table(ctx.view, per):
        _unknown_table(ctx, (*pointer, "per"), "count per", per)
    _check_min_max(ctx, count.value, pointer, "count min")
    via = count.value.get("via")
    declared = ctx.table.columns.get(via) if via else None
    if declared is not None and split_ref(declared.value.get("ref", ""))[0] != per:
        ctx.add((*pointer, "via"), f"count via {via!r}: that column is not a ref to {per!r}")


def _check_tree(ctx: _Ctx) -> None:
    tree = ctx.table.tree
    if tree is None:
        return
    parent = tree.value["parent"]
    declared = ctx.table.columns.get(parent)
    if declared is None:
        return
    target = declared.value.get("ref")
    if target is None:
        kind = generator_kind(declared.value)
        ctx.add((*tree.pointer, "parent"), f"tree parent {parent!r} has generator {kind}, not ref")
    elif split_ref(target)[0] != ctx.table.name:
        ctx.add(
            (*tree.pointer, "parent"),
            f"tree parent {parent!r} must ref this table ({ctx.table.name!r}), not {target!r}",
        )


def _check_unique(ctx: _Ctx, name: str, entry: dict[str, Any], pointer: Pointer) -> None:
    rows = _fixed_rows(ctx)
    distinct = _distinct_values(entry)
    if entry.get("unique") and rows is not None and distinct is not None and distinct < rows:
        ctx.add(
            (*pointer, "unique"),
            f"unique column {name!r} can take only {distinct} distinct value(s) but table "
            f"{ctx.table.name!r} has {rows} rows",
        )


def _fixed_rows(ctx: _Ctx) -> int | None:
    count = ctx.table.count
    if count is None or isinstance(count.value, dict):
        return None
    scale = ctx.view.scale.value if ctx.view.scale else 1.0
    return int(math.floor(count.value * scale + 0.5))


def _distinct_values(entry: dict[str, Any]) -> int | None:
    kind = generator_kind(entry)
    value = entry[kind]
    if kind == "const":
        return 1
    if kind == "bool":
        return 1 if value in (0, 1) else 2
    if kind == "choice":
        values = [k for k, w in value.items() if w > 0] if isinstance(value, dict) else value
        return len({repr(v) for v in values})
    if kind == "int" and value.get("min") is not None and value.get("max") is not None:
        return int(value["max"]) - int(value["min"]) + 1
    return None
