"""Schema-valid document -> effective view (profile applied) + every semantic problem in it."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from seedspec.errors import Problem, SourceLocation
from seedspec.kinds import KINDS, kind_of
from seedspec.kinds.links import split_ref as split_ref  # re-exported: it lives with ref
from seedspec.spec.frameworks import bookkeeping
from seedspec.spec.locales import locale_problem
from seedspec.spec.source import Document, Pointer

if TYPE_CHECKING:
    from seedspec.spec.aftersql import Refusal

# Values there are data, not parameters (no finite-number check).
_NOT_FINITE_OK = {name for name, kind in KINDS.items() if kind.holds_data} | {"args"}


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
    excluded: tuple[str, ...] = ()  # tables.exclude globs: tables a ref/per may name unlisted


def where(pointer: Pointer) -> str:
    """A readable path: tables.users.columns.email, after[0].sql."""
    out = ""
    for part in pointer:
        out += f"[{part}]" if isinstance(part, int) and not isinstance(part, bool) else f".{part}"
    return out.lstrip(".") or "spec"


def generator_kind(entry: dict[str, Any]) -> str:
    """The generator kind a (schema-valid) column entry names."""
    return kind_of(entry)


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
        if not is_selection(name, table)
    }
    exclude = (data.get("tables") or {}).get("exclude")
    globs = tuple(str(g) for g in exclude) if isinstance(exclude, list) else ()
    view = SpecView(_at(data, ("seed",)), _at(data, ("scale",)), tables, globs)
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


SELECTION_KEYS = ("include", "exclude")


def is_selection(name: str, value: Any) -> bool:
    """`tables: {include: [...]}` / `exclude: [...]`: a list of globs, not a table entry."""
    return name in SELECTION_KEYS and isinstance(value, list)


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
    """What a kind's check sees of the spec (seedspec.kinds.CheckContext)."""

    doc: Document
    view: SpecView
    table: TableView
    problems: list[Problem]
    nested: bool = False  # the entry being checked sits inside a json field / array item

    @property
    def table_name(self) -> str:
        return self.table.name

    def add(self, pointer: Pointer, message: str) -> None:
        self.problems.append(Problem(f"{where(pointer)}: {message}", self.doc.location(pointer)))

    def known_table(self, name: str) -> bool:
        return _known_table(self.view, name)

    def unknown_table(self, pointer: Pointer, what: str, name: str) -> None:
        _unknown_table(self, pointer, what, name)

    def has_per_parent_count(self) -> bool:
        count = self.table.count
        return count is not None and isinstance(count.value, dict)

    def declared_kind(self, column: str) -> str | None:
        declared = self.table.columns.get(column)
        return None if declared is None else generator_kind(declared.value)

    def check_min_max(self, params: Any, pointer: Pointer) -> None:
        _check_min_max(self, params, pointer)


def check_view(doc: Document, view: SpecView) -> list[Problem]:
    """Every semantic problem of the effective spec (the schema has passed)."""
    problems = _finite_problems(doc, doc.data, ())
    locale = doc.data.get("locale")  # else found only by the first gen: pool, with no location
    if locale is not None and (why := locale_problem(str(locale))) is not None:
        problems.append(Problem(f"locale: {why}", doc.location(("locale",))))
    for table in view.tables.values():
        ctx = _Ctx(doc, view, table, problems)
        _check_count(ctx)
        _check_tree(ctx)
        for name, column in table.columns.items():
            _check_unique(ctx, name, column.value, column.pointer)
            for entry, pointer, nested in _entries(column.value, column.pointer, False):
                _check_entry(ctx, entry, pointer, nested)
    for i, step in enumerate(doc.data.get("after") or []):
        from seedspec.spec.aftersql import first_statement_refusal  # sqlglot: start-up

        where = doc.location(("after", i, "sql"))
        if not step["sql"].strip():
            problems.append(Problem(f"after[{i}].sql: the SQL is empty", where))
        elif (refused := first_statement_refusal(step["sql"])) is not None:
            problems.append(after_problem(i, refused, where))
    return problems


def after_problem(index: int, refused: Refusal, where: SourceLocation | None) -> Problem:
    """The Problem for an after: statement that would end the apply's transaction."""
    return Problem(
        f"after[{index}].sql: `{refused.statement}` refused: {refused.reason}",
        where,
        code="after-ends-transaction",
        fix=refused.fix,
    )


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
    for sub, sub_pointer in KINDS[generator_kind(entry)].nested_entries(entry, pointer):
        yield from _entries(sub, sub_pointer, True)


def _check_entry(ctx: _Ctx, entry: dict[str, Any], pointer: Pointer, nested: bool) -> None:
    kind = generator_kind(entry)
    ctx.nested = nested
    KINDS[kind].check(entry, (*pointer, kind), ctx)


def _known_table(view: SpecView, name: str) -> bool:
    """Named under tables:, or a table seedspec leaves alone (excluded, framework bookkeeping),
    whose existing rows a ref or a per-parent count may point at."""
    bare = name.rsplit(".", 1)[1] if "." in name else name
    if name in view.tables or bare in view.tables or bookkeeping(bare) is not None:
        return True
    return any(fnmatchcase(n.lower(), g.lower()) for g in view.excluded for n in (name, bare))


def _unknown_table(ctx: _Ctx, pointer: Pointer, what: str, name: str) -> None:
    ctx.add(
        pointer,
        f"{what} table {name!r} which this spec does not name; add it under tables: "
        f"({name}: {{}} lets it be inferred){suggest(name, list(ctx.view.tables))}",
    )


def _check_min_max(ctx: _Ctx, params: Any, pointer: Pointer, what: str = "min") -> None:
    if not isinstance(params, dict) or params.get("min") is None or params.get("max") is None:
        return
    if params["min"] > params["max"]:
        message = f"{what} ({params['min']}) is greater than max ({params['max']})"
        ctx.add((*pointer, "max"), message)


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
    return KINDS[kind].distinct_count(entry[kind])
