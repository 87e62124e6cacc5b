"""`seedspec init` and `seedspec preview`: argv -> an explicit spec file / sample rows on stdout."""

from __future__ import annotations

import shutil
import sys
from typing import Annotated, Any

import typer

from seedspec.cli.base import (
    DbOption,
    ExcludeOption,
    IncludeOption,
    LockTimeoutOption,
    ModelsOption,
    Output,
    ProfileOption,
    ScaleOption,
    SchemaOption,
    SpecArg,
    app,
    run_verb,
)
from seedspec.errors import UsageError

AuthoringOutput = Annotated[Output, typer.Option("--output", "-o", help="text or json")]


def _command(func: Any) -> Any:
    """Register a verb on the one typer app (cli/base.py)."""
    app.command()(func)
    return func


@_command
def init(
    spec: Annotated[
        str, typer.Argument(help="Spec file to write or complete (default ./seed.yaml).")
    ] = "seed.yaml",
    db: DbOption = None,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the spec instead of writing the file.")
    ] = False,
    schema: SchemaOption = None,
    output: AuthoringOutput = Output.text,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    lock_timeout: LockTimeoutOption = 5.0,
    models: ModelsOption = None,
) -> None:
    """Write an explicit, commented spec from the live schema (or complete an existing one).

    On an existing spec only the tables and columns it lacks are added; every edit and comment
    is kept."""
    from seedspec.authoring.initspec import init_spec

    def body() -> dict[str, Any]:
        _text_or_json(output)
        result = init_spec(
            spec,
            db,
            schemas=schema,
            write=not stdout,
            include=include or (),
            exclude=exclude or (),
            lock_timeout=lock_timeout,
            models=models,
        )
        if stdout and output is Output.text:
            sys.stdout.write(result.text)
        _report(result)
        doc: dict[str, Any] = {
            "path": result.path,
            "created": result.created,
            "written": result.written,
            "tables": result.tables,
            "added_tables": result.added_tables,
            "added_columns": result.added_columns,
            "left_alone": result.left_alone,
        }
        if stdout:
            doc["spec"] = result.text
        return doc

    run_verb(output, "init", body)


def _report(result: Any) -> None:
    if result.created:
        verb = "wrote" if result.written else "generated"
        sys.stderr.write(f"{verb} {result.path}: {result.tables} tables\n")
        return
    for name in result.added_tables:
        sys.stderr.write(f"{result.path}: added table {name}\n")
    for name in result.added_columns:
        sys.stderr.write(f"{result.path}: added column {name}\n")
    if not result.added_tables and not result.added_columns:
        sys.stderr.write(f"{result.path}: up to date with the schema; nothing added\n")


@_command
def preview(
    spec: SpecArg = None,
    db: DbOption = None,
    rows: Annotated[int, typer.Option("--rows", "-n", min=0, help="Rows per table.")] = 5,
    table: Annotated[
        list[str] | None, typer.Option("--table", "-t", help="Only this table (repeatable).")
    ] = None,
    scale: ScaleOption = None,
    profile: ProfileOption = None,
    schema: SchemaOption = None,
    output: AuthoringOutput = Output.text,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    lock_timeout: LockTimeoutOption = 5.0,
    models: ModelsOption = None,
) -> None:
    """Compile the spec and show the first rows of each table. Writes nothing."""
    from seedspec.authoring.preview import cell, jsonable, preview_rows

    def body() -> dict[str, Any] | None:
        _text_or_json(output)
        data = preview_rows(
            spec,
            db,
            rows=rows,
            tables=table,
            scale=scale,
            profile=profile,
            schemas=schema,
            include=include or (),
            exclude=exclude or (),
            lock_timeout=lock_timeout,
            models=models,
        )
        if output is Output.json:
            return {"tables": {name: jsonable(rs) for name, rs in data.items()}}
        from rich.console import Console

        width = shutil.get_terminal_size((200, 24)).columns if sys.stdout.isatty() else 200
        console = Console(file=sys.stdout, width=width, highlight=False)
        for name, table_rows in data.items():
            _print_rows(console, name, table_rows, cell)
        return None

    run_verb(output, "preview", body)


def _print_rows(console: Any, name: str, rows: list[dict[str, Any]], cell: Any) -> None:
    """One rich table per seeded table; wide tables are shown transposed (a column per row)."""
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"{name}: first {len(rows)} rows", style="bold"))
    columns = list(rows[0]) if rows else []
    cells = [[cell(row[c]) for c in columns] for row in rows]
    need = sum(max([len(c), *(len(r[i]) for r in cells)]) + 3 for i, c in enumerate(columns))
    grid = Table()
    if need <= console.width:
        for column in columns:
            grid.add_column(column, overflow="fold")
        for values in cells:
            grid.add_row(*values)
    else:
        grid.add_column("column", style="bold")
        for i in range(len(rows)):
            grid.add_column(f"row {i + 1}", overflow="fold")
        for j, column in enumerate(columns):
            grid.add_row(column, *(values[j] for values in cells))
    console.print(grid)


def _text_or_json(output: Output) -> None:
    if output is Output.github:
        raise UsageError("-o github is for check and validate; use text or json")
