"""Distributed: a compiled Plan and its DbSchema -> the export's shards run as tasks on a Dask
cluster (`dask.distributed`; each worker writes its part files under a folder or fsspec URL, the
client writes `manifest.json` and `seed.sql`), and a table's rows as a Dask DataFrame.

Compiled once, on the client; the plan and the schema are scattered to the workers once, and
each task binds the model itself (a plan the CHECK oracle judged ships its bound model, which
carries the choices). Every part file is the same bytes whichever shard writes it, so the
folder, manifest included, is the one a single process writes. Needs the `dask` extra."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from seedspec.database.model import DbSchema
from seedspec.dialects.base import Dialect
from seedspec.dialects.registry import dialect_for
from seedspec.errors import ConnectionFailed, SeedspecError, UsageError
from seedspec.export.formats import arrow_schema, arrow_table
from seedspec.export.manifest import FileEntry, Manifest
from seedspec.export.run import SCRIPT, chunk_values, export_plan, write_script
from seedspec.export.shards import DEFAULT_PART_ROWS, Part, Shard, parts
from seedspec.export.storage import Folder, is_url
from seedspec.generate.model import Model
from seedspec.plan.bind import bind
from seedspec.plan.model import FillDeferred, InsertRows, Plan

CONNECT_TIMEOUT = 30  # seconds to reach a scheduler


def _distributed() -> Any:
    try:
        import dask.distributed as dd
    except ImportError:
        raise UsageError("--dask needs dask.distributed: pip install 'seedspec[dask]'") from None
    return dd


@contextmanager
def connect(address: Any) -> Iterator[Any]:
    """A Dask Client: `address` one already (left open), a scheduler address, or `local:N` (a
    LocalCluster of N single-threaded worker processes on this machine, closed after)."""
    dd = _distributed()
    if isinstance(address, dd.Client):
        yield address
        return
    text = str(address)
    if text.startswith("local:") or text == "local":
        count = text.partition(":")[2] or "2"
        if not count.isdigit() or int(count) < 1:
            raise UsageError(f"--dask {text!r}: give local:N with N >= 1 workers, e.g. local:2")
        with (
            dd.LocalCluster(
                n_workers=int(count),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            ) as cluster,
            dd.Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = dd.Client(text, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as err:
        raise ConnectionFailed(f"--dask {text}: cannot reach the scheduler ({err})") from None
    try:
        yield client
    finally:
        client.close()


def _shard_task(
    plan: Plan, schema: DbSchema, out: str, fmt: str, shard: Shard, part_rows: int, model: Any
) -> Manifest:
    """One shard on a worker: its part files, its manifest returned (not written)."""
    dialect = dialect_for(schema.dialect)
    return export_plan(
        plan,
        schema,
        dialect,
        out,
        fmt,
        shard,
        part_rows,
        model,
        manifest_file=False,
        script_file=False,
    )


def default_shards(plan: Plan, workers: int, part_rows: int) -> int:
    """Two shards per worker, no more than the largest table has parts (at least one)."""
    most = max(
        (len(parts(s.count, part_rows)) for s in plan.steps if isinstance(s, InsertRows)), default=1
    )
    return max(1, min(2 * workers, most))


@dataclass
class DaskRun:
    manifest: Manifest
    address: str
    workers: int
    shards: int

    def info(self) -> dict[str, Any]:
        return {"address": self.address, "workers": self.workers, "shards": self.shards}


def export_on_dask(
    plan: Plan,
    schema: DbSchema,
    dialect: Dialect,
    out: str | os.PathLike[str],
    fmt: str = "sql",
    *,
    dask: Any = "local:2",
    shards: int | None = None,
    part_rows: int = DEFAULT_PART_ROWS,
    model: Model | None = None,
) -> DaskRun:
    """The export of `plan` with its shards as tasks on the cluster `dask` (a Client, a
    scheduler address, or `local:N`); `out` a folder the workers can reach (shared storage)
    or an fsspec URL; `shards` (default: two per worker) tasks of `K/shards`; `model`: the
    plan's bound model when the CHECK oracle judged it. Writes manifest.json (and seed.sql)
    from the client; returns the whole export's manifest and where it ran."""
    if shards is not None and shards < 1:
        raise UsageError(f"--dask shards {shards}: give at least 1")
    target = os.fspath(out) if is_url(out) else os.path.abspath(os.fspath(out))
    folder = Folder(target)
    with connect(dask) as client:
        workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
        count = shards or default_shards(plan, workers, part_rows)
        shipped = client.scatter([plan, schema, model], broadcast=True)
        futures = [
            client.submit(
                _shard_task,
                shipped[0],
                shipped[1],
                target,
                fmt,
                Shard(k, count),
                part_rows,
                shipped[2],
                key=f"seedspec-export-{plan.digest()}-{k}-of-{count}",
                pure=False,
            )
            for k in range(1, count + 1)
        ]
        manifests = client.gather(futures)
        address = str(client.scheduler.address)
    manifest = combine(plan, schema, fmt, part_rows, manifests)
    if fmt == "sql":
        manifest.script = SCRIPT
        manifest.files.append(write_script(plan, schema, dialect.script(), folder, part_rows))
    manifest.write(folder)
    return DaskRun(manifest, address, workers, count)


def _merged(ranges: list[list[int]]) -> list[list[int]]:
    out: list[list[int]] = []
    for start, stop in sorted(ranges):
        if out and out[-1][1] == start:
            out[-1][1] = stop
        else:
            out.append([start, stop])
    return out


def combine(
    plan: Plan, schema: DbSchema, fmt: str, part_rows: int, manifests: list[Manifest]
) -> Manifest:
    """The shards' manifests -> the whole export's (files in the one-process order)."""
    whole = Manifest(fmt, schema.dialect, plan.digest(), plan.seed, Shard(), part_rows)
    first = manifests[0]
    whole.counts = dict(first.counts)
    for key in ("tables", "fills"):
        entries: list[dict[str, Any]] = getattr(whole, key)
        for i, entry in enumerate(getattr(first, key)):
            held = [r for m in manifests for r in getattr(m, key)[i]["held"]]
            entries.append({**entry, "held": _merged(held)})
    order: dict[tuple[str, str | None], int] = {}
    for i, step in enumerate(plan.steps):
        if isinstance(step, InsertRows):
            order[("rows", step.table)] = i
        elif isinstance(step, FillDeferred):
            order[("fill", step.table)] = i
    files: list[FileEntry] = [f for m in manifests for f in m.files]
    whole.files = sorted(files, key=lambda f: (order[(f.kind, f.table)], f.start))
    return whole


_MODELS: dict[str, Model] = {}  # a worker's bound models, by plan digest (table_frame)


def _model_of(plan: Plan) -> Model:
    digest = plan.digest()
    if digest not in _MODELS:
        _MODELS.clear()
        _MODELS[digest] = bind(plan)
    return _MODELS[digest]


def _partition(part: Part, plan: Plan, schema: DbSchema, table: str, columns: list[str]) -> Any:
    """One part's rows as a pandas DataFrame of Arrow-backed columns (`pd.ArrowDtype`, the
    Parquet part file's types): the values of its Parquet part file."""
    import pandas as pd

    found = schema.table(table)
    assert found is not None
    dialect = dialect_for(schema.dialect)
    dialect.schema = schema
    arrow = arrow_schema(found, columns)
    chunks = [
        arrow_table(arrow, values)
        for _, values in chunk_values(_model_of(plan), dialect, found, columns, set(), part)
    ]
    import pyarrow as pa

    whole = pa.concat_tables(chunks) if chunks else arrow.empty_table()
    frame: pd.DataFrame = whole.to_pandas(types_mapper=pd.ArrowDtype)
    frame.index = pd.RangeIndex(part.start, part.stop)
    return frame


def table_frame(
    plan: Plan, schema: DbSchema, table: str, part_rows: int = DEFAULT_PART_ROWS
) -> Any:
    """A Dask DataFrame of `table`'s rows as the export writes them (the values of its Parquet
    parts, each row as the table holds it after the fills), one partition per part, each made
    on demand from the model; the index is the row number. Nothing runs until computed."""
    import dask.dataframe as ddf

    step = next((s for s in plan.steps if isinstance(s, InsertRows) and s.table == table), None)
    if step is None:
        raise SeedspecError(f"table_frame: the plan inserts no rows into {table}")
    if any(r.name == table and r.oracle is not None and r.count > 0 for r in plan.recipes):
        raise UsageError(f"table_frame: {table} has a CHECK only the database can judge")
    columns = list(step.columns)
    pieces = parts(step.count, part_rows) or [Part(0, 0, 0)]
    meta = _partition(Part(0, 0, 0), plan, schema, table, columns)
    divisions = [p.start for p in pieces] + [max(pieces[-1].stop - 1, 0)]
    return ddf.from_map(
        _partition,
        pieces,
        plan=plan,
        schema=schema,
        table=table,
        columns=columns,
        meta=meta,
        divisions=divisions if step.count else None,
        enforce_metadata=False,
    )
