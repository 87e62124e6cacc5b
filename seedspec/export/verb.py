"""The export verb: a spec and a database URL (or a schema snapshot, offline) -> the plan
compiled as `apply` compiles it, exported (export/run.py), and the result."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from seedspec import api
from seedspec.compile import compile_plan
from seedspec.database import snapshot as snap
from seedspec.database.model import DbSchema
from seedspec.database.target import Database
from seedspec.database.waits import DEFAULT_LOCK_TIMEOUT
from seedspec.dialects.base import Dialect
from seedspec.dialects.registry import dialect_for
from seedspec.errors import UsageError
from seedspec.execute.oracle import resolve
from seedspec.export.formats import FORMATS
from seedspec.export.manifest import Manifest, manifest_name
from seedspec.export.run import export_plan
from seedspec.export.shards import DEFAULT_PART_ROWS, Shard
from seedspec.export.storage import Folder
from seedspec.generate.model import Model
from seedspec.plan.bind import bind
from seedspec.plan.model import Plan


@dataclass
class ExportResult:
    out: str
    manifest: Manifest
    plan: Plan
    dask: dict[str, Any] | None = None  # {address, workers, shards} when run on a Dask cluster

    def to_dict(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "out": self.out,
            "manifest": Folder.url_of(self.out, manifest_name(m.shard)),
            "format": m.format,
            "plan_digest": m.plan_digest,
            "seed": m.seed,
            "shard": {"index": m.shard.index, "count": m.shard.count},
            "rows": m.rows,
            "counts": m.counts,
            "files": len(m.files),
            "script": m.script,
            "dask": self.dask,
        }


@dataclass
class _Run:
    out: str | os.PathLike[str]
    fmt: str
    shard: Shard
    part_rows: int
    dask: Any
    dask_shards: int | None


def _write(
    run: _Run,
    plan: Plan,
    schema: DbSchema,
    dialect: Dialect,
    model: Model | None = None,
    judged: bool = False,
) -> ExportResult:
    """The export, in this process or (`run.dask`) as tasks on a Dask cluster."""
    out, fmt = run.out, run.fmt
    if run.dask is None:
        manifest = export_plan(plan, schema, dialect, out, fmt, run.shard, run.part_rows, model)
        return ExportResult(os.fspath(out), manifest, plan)
    from seedspec.export.distributed import export_on_dask

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: give one of {', '.join(FORMATS)}")
    ran = export_on_dask(
        plan,
        schema,
        dialect,
        out,
        fmt,
        dask=run.dask,
        shards=run.dask_shards,
        part_rows=run.part_rows,
        model=model if judged else None,
    )
    return ExportResult(os.fspath(out), ran.manifest, plan, ran.info())


def export(
    spec_path: api.SpecSource = None,
    db: Database | None = None,
    *,
    out: str | os.PathLike[str] = "seed-export",
    fmt: str = "sql",
    schema_file: str | os.PathLike[str] | None = None,
    shard: Shard | str | None = None,
    part_rows: int = DEFAULT_PART_ROWS,
    scale: float | None = None,
    profile: str | None = None,
    strict: bool = False,
    schemas: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    dask: Any = None,
    dask_shards: int | None = None,
    models: str | None = None,
) -> ExportResult:
    """Compile the spec as `apply` would and write the rows it would load under `out`, as
    `fmt` (sql | csv | jsonl | parquet); `shard` (`K/N`): only the K-th of N parts. Nothing
    is written to the database: a CHECK the database judges is judged in a transaction rolled
    back. `schema_file` instead of `db` compiles against a snapshot (`seedspec snapshot`).
    `dask` (a scheduler address, `local:N` or a dask.distributed Client): the shards run as
    tasks on that cluster (`dask_shards` of them; default two per worker), the client writing
    manifest.json (export/distributed.py)."""
    part = shard if isinstance(shard, Shard) else Shard.parse(shard)
    if dask is not None and not part.whole:
        raise UsageError("give --dask or --shard, not both")
    run = _Run(out, fmt, part, part_rows, dask, dask_shards)

    spec = api.with_tables(api.load_or_infer(spec_path, profile), include, exclude)
    spec = api.with_models(spec, models)
    if schema_file is not None:
        if db is not None:
            raise UsageError("give --db or --schema-file, not both")
        schema = snap.read(os.fspath(schema_file))
        plan = compile_plan(spec, api.known_schema(spec, schema), scale, strict=strict)
        judged = [r.name for r in plan.recipes if r.oracle is not None and r.count > 0]
        if judged:
            raise UsageError(
                f"{', '.join(judged)}: a CHECK only the database can judge; export with --db"
            )
        return _write(run, plan, schema, dialect_for(schema.dialect))
    plan, target = api.plan(
        spec, db, scale=scale, strict=strict, schemas=schemas, bulk=False, lock_timeout=lock_timeout
    )
    try:
        dialect = dialect_for(target.engine.dialect.name)
        dialect.schema = target.schema
        model = bind(plan)
        oracle = any(r.oracle is not None and r.count > 0 for r in plan.recipes)
        if oracle:
            with target.connection() as conn:
                tx = conn.begin_nested() if conn.in_transaction() else conn.begin()
                try:
                    resolve(plan, model, conn, dialect, target.schema)
                finally:
                    tx.rollback()
        return _write(run, plan, target.schema, dialect, model, oracle)
    finally:
        target.close()
