"""(spec path, database) -> an explicit, commented spec: written fresh, or merged into the file."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import seedspec
from seedspec import api
from seedspec.analysis.drift import DriftError
from seedspec.analysis.reconcile import reconcile
from seedspec.analysis.selection import select_tables
from seedspec.authoring import merge
from seedspec.authoring.todos import Todos, resolve_with_todos, todo_error
from seedspec.authoring.yamlgen import (
    column_entry,
    count_entry,
    entry_lines,
    scalar,
    tree_entry,
)
from seedspec.compile.resolved import ResolvedColumn, ResolvedTable
from seedspec.database.connect import safe_url
from seedspec.database.model import DbSchema, DbTable
from seedspec.database.partitions import partition_rule
from seedspec.database.waits import DEFAULT_LOCK_TIMEOUT
from seedspec.errors import SeedspecError
from seedspec.execute.existing import read_existing
from seedspec.spec.model import Spec, TableSelection
from seedspec.spec.validate import load_spec

if TYPE_CHECKING:
    from seedspec.database.connect import URL

SCHEMA_FILE = Path(seedspec.__file__).parent / "schemas" / "seedspec-1.schema.json"
DEFAULT_SEED = 1


@dataclass
class InitResult:
    path: str
    text: str
    created: bool  # a new file (else: merged into the existing one)
    written: bool  # the file was (re)written
    tables: int
    added_tables: list[str] = field(default_factory=list)
    added_columns: list[str] = field(default_factory=list)  # "table.column"
    left_alone: dict[str, str] = field(default_factory=dict)  # table -> why (not written)


class Layout:
    """What the compiler decided, as YAML lines for any table or column at any indentation."""

    def __init__(
        self,
        resolved: list[ResolvedTable],
        schema: DbSchema,
        todos: Todos | None = None,
        left_alone: Mapping[str, str] | None = None,
    ) -> None:
        self.schema = schema
        self.todos = todos or Todos()
        self.resolved = {t.name: t for t in resolved}
        self.left_alone = dict(left_alone or {})  # written as a comment, not as tables
        self.unseeded = {
            t.name: _unseeded_note(t, schema)
            for t in schema.tables
            if t.name not in self.resolved and t.name not in self.left_alone
        }
        self.order = [t.name for t in resolved] + list(self.unseeded)

    def table_lines(self, name: str, pad: int, unit: int) -> list[str]:
        inner = pad + unit
        out = [f"{' ' * pad}{scalar(name)}:"]
        todo = self.todos.table_note(name)
        if name in self.unseeded:
            return out + entry_lines("count", 0, inner, todo or self.unseeded[name], unit)
        rt = self.resolved[name]
        out += entry_lines(
            "count", count_entry(rt.count, rt.count_spec), inner, todo or rt.count_note, unit
        )
        if rt.tree is not None:
            note = "self-reference: rows form a tree, parents first"
            out += entry_lines("tree", tree_entry(rt.tree), inner, note, unit)
        inserted = any(c.generator is not None for c in rt.columns)
        if inserted:
            out.append(f"{' ' * inner}columns:")
        for col in rt.columns:
            out += self._column(name, col, inner + unit if inserted else inner, unit)
        return out

    def column_lines(self, table: str, column: str, pad: int, unit: int) -> list[str]:
        col = next(c for c in self.resolved[table].columns if c.name == column)
        return self._column(table, col, pad, unit)

    def _column(self, table: str, col: ResolvedColumn, pad: int, unit: int) -> list[str]:
        note = col.note.strip().rstrip(";").strip()
        if col.generator is None and col.origin == "branched":
            return [f"{' ' * pad}# {col.name}: inferred row by row ({note})"]
        if col.generator is None:
            return [f"{' ' * pad}# {col.name}: not inserted ({note})"]
        if col.generator.kind == "partition":
            note = f"{note}; values inside the table's partitions".lstrip("; ")
        entry = column_entry(col.generator, self.schema)
        todo = self.todos.column_note(table, col.name)
        return entry_lines(col.name, entry, pad, todo or note, unit)

    def missing(self, spec: Spec) -> merge.Missing:
        out = merge.Missing(self.order, [n for n in self.order if spec.table(n) is None])
        for ts in spec.tables:
            rt = self.resolved.get(ts.name)
            if rt is None:
                continue
            names = [c.name for c in rt.columns]
            wanted = [
                (c.name, names)
                for c in rt.columns
                if c.generator is not None and ts.column(c.name) is None
            ]
            if wanted:
                out.columns[ts.name] = wanted
        return out


def _unseeded_note(table: DbTable, schema: DbSchema) -> str:
    bare = table.bare_name.lower()
    for other in schema.tables:
        for trigger in other.triggers if other.name != table.name else ():
            if "INSERT" in trigger.events and bare in trigger.writes:
                return (
                    f"filled by trigger {other.name}.{trigger.name}; seedspec inserts none itself"
                )
    if partition_rule(table).empty:
        return "partitioned, but no partition can hold rows"
    return "the compiler seeds no rows here"


def init_spec(
    path: str,
    db: str | None,
    *,
    schemas: str | None = None,
    write: bool = True,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    models: str | None = None,
) -> InitResult:
    """Resolve the spec (or an empty one) against the live schema and write it out explicitly;
    the tables it leaves alone are written as a comment (and --include/--exclude, on a new
    file, as tables.include / tables.exclude)."""
    exists = os.path.exists(path)
    spec = load_spec(path) if exists else Spec(seed=DEFAULT_SEED)
    spec = api.with_models(api.with_tables(spec, include, exclude), models)
    target = api.open_target(spec, db, schemas, lock_timeout)
    try:
        existing = read_existing(spec, target.engine, target.schema)
    finally:
        target.engine.dispose()
    schema = api.known_schema(spec, target.schema)  # with --models: the models' facts too
    report = reconcile(spec, schema)
    if report.errors:
        raise DriftError(report)
    resolved, todos = resolve_with_todos(spec, schema, existing)
    left_alone = select_tables(spec, schema).left_alone
    layout = Layout(resolved, schema, todos, left_alone)
    if exists:
        original = Path(path).read_text(encoding="utf-8")
        missing = layout.missing(spec)
        text = _merged(original, missing, layout)
        result = InitResult(path, text, False, text != original, len(layout.order))
        result.added_tables = list(missing.tables)
        result.added_columns = [f"{t}.{c}" for t, cols in missing.columns.items() for c, _ in cols]
    else:
        text = render_new(layout, path, target.engine.url, spec.select)
        result = InitResult(path, text, True, True, len(layout.order), list(layout.order))
    result.left_alone = dict(left_alone)
    result.written = result.written and write
    _checked_write(path, text, write=result.written)
    if todos:  # written; what the compiler could not decide waits at the TODO lines
        raise todo_error(path, text, todos)
    return result


def render_new(layout: Layout, path: str, url: URL, select: TableSelection | None = None) -> str:
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    out = [
        f"# yaml-language-server: $schema={schema_ref(path)}",
        f"# Generated by `seedspec init` from {safe_url(url)} on {today}.",
        "# Every table and column seedspec fills is written out: edit freely. Running",
        "# `seedspec init` again adds what the schema gained and keeps your edits.",
        "seedspec: 1",
        f"seed: {DEFAULT_SEED}  # change it for different (still deterministic) rows",
        "",
        *_left_alone_comment(layout.left_alone),
        "tables:",
        *_selection_lines(select or TableSelection()),
    ]
    for i, name in enumerate(layout.order):
        out += ([""] if i else []) + layout.table_lines(name, 2, 2)
    return "\n".join(out) + "\n"


def _left_alone_comment(left: Mapping[str, str]) -> list[str]:
    """The tables seedspec leaves alone, as comment lines (they are not tables to edit)."""
    if not left:
        return []
    out = ["# Left alone: never seeded nor cleared; their rows are the parents FKs pick."]
    out += [f"#   {name}: {why}" for name, why in left.items()]
    out += ["# To seed one, list it under tables.include (or pass --include NAME).", ""]
    return out


def _selection_lines(select: TableSelection) -> list[str]:
    out = []
    for key, globs in (("include", select.include), ("exclude", select.exclude)):
        if globs:
            out.append(f"  {key}: [{', '.join(scalar(g.pattern) for g in globs)}]")
    return out + ([""] if out else [])


def _merged(original: str, missing: merge.Missing, layout: Layout) -> str:
    if not missing.tables and not missing.columns:
        return original
    try:
        return merge.splice(original, missing, layout.table_lines, layout.column_lines)
    except merge.NotSpliceable:
        return merge.redump(original, missing, layout.table_lines, layout.column_lines)


def schema_ref(path: str) -> str:
    """The spec format's JSON Schema for the editor modeline: a relative path that exists when
    the spec's folder is inside a git checkout holding schemas/seedspec-1.schema.json (this
    repository, or one that vendors the schema), else the schema's public URL (its `$id`).
    Never a path into the installed package (site-packages, a virtualenv)."""
    folder = Path(path).resolve().parent
    for root in (folder, *folder.parents):
        if (root / ".git").exists():  # the checkout's top (a worktree's .git is a file)
            local = root / "schemas" / SCHEMA_FILE.name
            if local.is_file() and _schema_id(local) == _schema_id(SCHEMA_FILE):
                try:
                    return Path(os.path.relpath(local, folder)).as_posix()
                except ValueError:  # another drive (Windows)
                    break
            break
    return str(_schema_id(SCHEMA_FILE))


def _schema_id(file: Path) -> object:
    try:
        return json.loads(file.read_text(encoding="utf-8")).get("$id")
    except (OSError, ValueError, AttributeError):
        return None


def _checked_write(path: str, text: str, *, write: bool) -> None:
    """Validate `text` as a spec; when `write`, replace `path` with it atomically."""
    folder = Path(path).resolve().parent
    if write:
        folder.mkdir(parents=True, exist_ok=True)
    tmp_dir = folder if write else None
    fd, tmp = tempfile.mkstemp(prefix=".seedspec-init-", suffix=".yaml", dir=tmp_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            load_spec(tmp)
        except SeedspecError as err:
            raise SeedspecError(
                f"init produced a spec that does not validate ({err.message}); please report it"
            ) from None
        if write:
            if os.path.exists(path):
                shutil.copymode(path, tmp)
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
