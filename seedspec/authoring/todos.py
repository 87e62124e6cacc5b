"""`init` on a schema the compiler cannot fully decide: TODO placeholders instead of no file.

The compiler stops at its errors; `init` must still write the spec those errors ask the user to
edit. Each error the compiler pins on a column (no generator for its type ...) gets a placeholder
`const: null` there; each error pinned on a table (unsatisfiable CHECKs, a cycle, a UNIQUE it
cannot number ...) gets `count: 0` there; the compile is retried until it passes. The rendered
file carries `# TODO: <the error>` on exactly those lines, and `todo_error` turns them into one
located error (exit 3) once the file is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from seedspec.compile.resolved import ResolvedTable, resolve
from seedspec.database.model import DbSchema
from seedspec.errors import CompileError, Problem, SourceLocation
from seedspec.plan.recipes import ExistingRows
from seedspec.spec.model import ColumnSpec, CountSpec, GeneratorSpec, Spec, TableSpec

# Each round pins at least one new TODO, so the loop ends; the bound only caps pathological
# schemas (a table-level error per table, one table at a time).
MAX_ROUNDS = 200
MARK = "# TODO:"


@dataclass
class Todos:
    columns: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, column) -> why
    tables: dict[str, str] = field(default_factory=dict)  # table -> why

    def __bool__(self) -> bool:
        return bool(self.columns or self.tables)

    def column_note(self, table: str, column: str) -> str | None:
        why = self.columns.get((table, column))
        return None if why is None else f"TODO: {why}"

    def table_note(self, table: str) -> str | None:
        why = self.tables.get(table)
        return None if why is None else f"TODO: {why}"


def resolve_with_todos(
    spec: Spec, schema: DbSchema, existing: Mapping[str, ExistingRows] | None = None
) -> tuple[list[ResolvedTable], Todos]:
    """resolve(), with a placeholder for every error the compiler pins on a column or table."""
    todos = Todos()
    patched = spec
    for _ in range(MAX_ROUNDS):
        try:
            return resolve(patched, schema, scale=1.0, existing=existing), todos
        except CompileError as err:
            problems = [_pinned(p, schema) for p in err.problems]
            patched, progressed = _patch(patched, problems, todos)
            if not progressed:
                raise
    return resolve(patched, schema, scale=1.0, existing=existing), todos


def _pinned(problem: Problem, schema: DbSchema) -> Problem:
    """The problem with its table filled in when the compiler left it out.

    Fallback for messages that only name the table in their text ("child.fk needs rows in
    'parent' ...", "table 'x': ..."): the table the message starts with, a diagnostic's own
    wording, not SQL. Several compile passes do not set Problem.table yet.
    """
    if problem.table or problem.severity != "error":
        return problem
    text = problem.message
    for table in sorted(schema.tables, key=lambda t: -len(t.name)):
        if text.startswith((f"{table.name}.", f"table {table.name!r}")):
            return replace(problem, table=table.name)
    return problem


def _patch(spec: Spec, problems: list[Problem], todos: Todos) -> tuple[Spec, bool]:
    progressed = False
    for p in problems:
        if p.severity != "error" or not p.table:
            continue
        why = p.text
        column = p.column if p.code == "no-generator" else None  # a placeholder fits there
        if column is not None:
            if (p.table, column) not in todos.columns:
                todos.columns[(p.table, column)] = why
                spec = _with_column(spec, p.table, column)
                progressed = True
        elif p.table not in todos.tables:
            todos.tables[p.table] = why
            spec = _with_count(spec, p.table, CountSpec(fixed=0))
            progressed = True
    return spec, progressed


def _table(spec: Spec, name: str) -> tuple[TableSpec, bool]:
    found = spec.table(name)
    return (found, True) if found is not None else (TableSpec(name), False)


def _put(spec: Spec, table: TableSpec, existed: bool) -> Spec:
    if existed:
        tables = tuple(table if t.name == table.name else t for t in spec.tables)
    else:
        tables = (*spec.tables, table)
    return replace(spec, tables=tables)


def _with_column(spec: Spec, table: str, column: str) -> Spec:
    ts, existed = _table(spec, table)
    placeholder = ColumnSpec(column, GeneratorSpec("const", {"value": None}))
    columns = tuple(c for c in ts.columns if c.name != column) + (placeholder,)
    return _put(spec, replace(ts, columns=columns), existed)


def _with_count(spec: Spec, table: str, count: CountSpec) -> Spec:
    ts, existed = _table(spec, table)
    return _put(spec, replace(ts, count=count), existed)


def todo_error(path: str, text: str, todos: Todos) -> CompileError:
    """One problem per `# TODO:` line of the written file, located at it (exit 3)."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        col = line.find(MARK)
        if col < 0 or line.lstrip().startswith("#"):
            continue
        why = line[col + len(MARK) :].strip()
        problems.append(
            Problem(
                f"{path} written with a TODO to edit: {why}",
                SourceLocation(path, number, col + 1),
                code="init-todo",
            )
        )
    if not problems:  # the TODOs sit on lines merged elsewhere: still say there are some
        problems.append(
            Problem(
                f"{path} written with {len(todos.columns) + len(todos.tables)} TODOs to edit",
                SourceLocation(path, 1, 1),
                code="init-todo",
            )
        )
    return CompileError(problems)
