"""Export: (Plan, DbSchema, Dialect, format, shard) -> part files of every table's rows, the
cycle-closing updates, for `sql` the load script, and the manifest; and `export()`, the library
verb (a spec and a database URL, or a schema snapshot offline).

The rows are the ones `apply` writes: the same model (`plan.bind`), the same chunks
(`model.arrays(table, columns, start, stop)`), the same per-dialect conversion
(`Dialect.export_values`, the values its INSERT path sends; PostgreSQL's script: the COPY
text its text path sends). Memory is one chunk per table at a time, whatever the row count."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seedspec.database.model import DbSchema, DbTable
from seedspec.database.triggers import trigger_fillers
from seedspec.deferred import deferred
from seedspec.dialects.base import Dialect
from seedspec.errors import SeedspecError, UsageError
from seedspec.export.formats import FORMATS, SUFFIX, writer_for
from seedspec.export.manifest import FileEntry, Manifest
from seedspec.export.shards import DEFAULT_PART_ROWS, Part, Shard, row_ranges, shard_parts
from seedspec.export.storage import Folder
from seedspec.generate.model import Model
from seedspec.plan.bind import bind
from seedspec.plan.model import FillDeferred, InsertRows, Plan, ResetSequences, RunSql

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

CHUNK_ROWS = 50_000  # rows generated at once (execute/run.py's chunk)
SCRIPT = "seed.sql"


def table_dir(name: str) -> str:
    """A table's folder under the export directory: its name, other characters than letters,
    digits, '.', '-' and '_' as '_'."""
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)


@dataclass
class _Export:
    plan: Plan
    model: Model
    schema: DbSchema
    dialect: Dialect
    script: Any
    out: Folder
    fmt: str
    shard: Shard
    part_rows: int
    manifest: Manifest
    fill_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def table(self, name: str) -> DbTable:
        found = self.schema.table(name)
        if found is None:
            raise SeedspecError(f"export: {name} is not in the schema")
        return found

    def write_part(
        self, kind: str, name: str, part: Part, columns: Sequence[str], nulls: set[str]
    ) -> None:
        """One part file of a table's rows (kind rows) or of its fills (kind fill)."""
        table = self.table(name)
        suffix = ".sql" if kind == "fill" else SUFFIX[self.fmt]
        rel = f"{table_dir(name)}/{'fill' if kind == 'fill' else 'part'}-{part.number:05d}{suffix}"
        out = self.out.open(rel)
        if kind == "fill":
            step_keys = self.fill_keys[name]
            cols = list(step_keys) + list(columns)
            with out:
                for _, values in chunk_values(self.model, self.dialect, table, cols, set(), part):
                    out.write(self.script.updates(table, step_keys, columns, values).encode())
        else:
            writer = writer_for(self.fmt, out, table, columns, self.script)
            try:
                for arrays, values in chunk_values(
                    self.model, self.dialect, table, columns, nulls, part
                ):
                    writer.write(arrays, values)
            finally:
                writer.close()
        self.manifest.files.append(
            FileEntry(rel, name, kind, part.start, part.stop, out.sha256, out.size)
        )


def chunk_values(
    model: Model,
    dialect: Dialect,
    table: DbTable,
    columns: Sequence[str],
    nulls: set[str],
    part: Part,
) -> Iterator[tuple[list[Any], list[list[Any]]]]:
    """A part's rows, CHUNK_ROWS at a time: the model's arrays of `columns` (those in `nulls`
    all NULL) and the values the dialect's INSERT path sends for them."""
    produced = [c for c in columns if c not in nulls]
    for start in range(part.start, part.stop, CHUNK_ROWS):
        stop = min(part.stop, start + CHUNK_ROWS)
        made = dict(zip(produced, model.arrays(table.name, produced, start, stop), strict=True))
        none = np.full(stop - start, None, dtype=object)
        arrays = [made.get(c, none) for c in columns]
        yield arrays, dialect.export_values(table, list(columns), arrays)


def export_plan(
    plan: Plan,
    schema: DbSchema,
    dialect: Dialect,
    out: str | os.PathLike[str],
    fmt: str = "sql",
    shard: Shard | None = None,
    part_rows: int = DEFAULT_PART_ROWS,
    model: Model | None = None,
    *,
    manifest_file: bool = True,
    script_file: bool = True,
) -> Manifest:
    """Write this shard's part files (every part: no shard) and its manifest under `out` (a
    folder or an fsspec URL). `model`: the plan's model already bound (the CHECK oracle's
    choices made in it); `manifest_file`/`script_file` False: the manifest and seed.sql are
    returned / left to the caller (a Dask task's client writes them once)."""
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: give one of {', '.join(FORMATS)}")
    shard = shard or Shard()
    folder = Folder(out)
    dialect.schema = schema
    manifest = Manifest(fmt, schema.dialect, plan.digest(), plan.seed, shard, part_rows)
    job = _Export(
        plan,
        model or bind(plan),
        schema,
        dialect,
        dialect.script(),
        folder,
        fmt,
        shard,
        part_rows,
        manifest,
    )
    job.fill_keys = {s.table: s.key_columns for s in plan.steps if isinstance(s, FillDeferred)}
    for step in plan.steps:
        if isinstance(step, InsertRows):
            _insert(job, step)
        elif isinstance(step, FillDeferred):
            _fill(job, step)
    if fmt == "sql" and script_file:
        manifest.script = SCRIPT
        manifest.files.append(write_script(plan, schema, job.script, folder, part_rows))
    if manifest_file:
        manifest.write(folder)
    return manifest


def _insert(job: _Export, step: InsertRows) -> None:
    """A table's parts: for sql its INSERTed columns with the deferred ones NULL (as apply
    inserts them); for the data formats each row as the table holds it after the fills."""
    job.manifest.counts[step.table] = step.count
    nulls = set(step.null_columns) if job.fmt == "sql" else set()
    held = shard_parts(step.count, job.shard, job.part_rows)
    for part in held:
        job.write_part("rows", step.table, part, step.columns, nulls)
    job.manifest.tables.append(
        {
            "table": step.table,
            "rows": step.count,
            "columns": list(step.columns),
            "deferred_columns": list(step.null_columns),
            "held": row_ranges(held),
        }
    )


def _fill(job: _Export, step: FillDeferred) -> None:
    held = shard_parts(step.count, job.shard, job.part_rows)
    if job.fmt == "sql":
        for part in held:
            job.write_part("fill", step.table, part, step.columns, set())
    job.manifest.fills.append(
        {
            "table": step.table,
            "columns": list(step.columns),
            "key_columns": list(step.key_columns),
            "rows": step.count,
            "held": row_ranges(held) if job.fmt == "sql" else [],
        }
    )


def write_script(
    plan: Plan, schema: DbSchema, script: Any, out: Folder, part_rows: int
) -> FileEntry:
    """seed.sql: every part file (of every shard) included in load order, in one transaction,
    with the plan's session settings, sequence resets and after: SQL; the same bytes from every
    shard, since it names files and holds no rows."""
    refilled = set(trigger_fillers(schema)) & set(plan.tables)
    lines = [
        f"-- seedspec export of plan {plan.digest()} (seed {plan.seed}); "
        "run it from this folder with the database's own client",
        *script.opening(plan.deferred_constraints, plan.suspend_fk_checks),
    ]
    resets: list[ResetSequences] = []
    after = False
    for step in plan.steps:
        if isinstance(step, InsertRows):
            for part in shard_parts(step.count, Shard(), part_rows):
                lines.append(script.include(f"{table_dir(step.table)}/part-{part.number:05d}.sql"))
            if step.table in refilled:
                lines += script.reset_sequences(schema, [step.table])
        elif isinstance(step, FillDeferred):
            for part in shard_parts(step.count, Shard(), part_rows):
                lines.append(script.include(f"{table_dir(step.table)}/fill-{part.number:05d}.sql"))
        elif isinstance(step, ResetSequences):
            resets.append(step)
            lines += script.reset_sequences(schema, list(step.tables))
        elif isinstance(step, RunSql):
            after = True
            sql = step.sql.strip()
            lines.append(sql if sql.endswith(";") else sql + ";")
    if after:
        for reset in resets:
            lines += script.reset_sequences(schema, list(reset.tables))
    lines += script.closing(plan.suspend_fk_checks)
    written = out.write_text(SCRIPT, "\n".join(lines) + "\n")
    return FileEntry(SCRIPT, None, "script", sha256=written.sha256, bytes=written.size)
