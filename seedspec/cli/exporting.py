"""The `seedspec export` command: argv -> the rows apply would write, as part files and a
manifest under --out (export/verb.py), a summary on stdout or the -o json result."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from seedspec.cli.base import (
    DbOption,
    ExcludeOption,
    IncludeOption,
    ModelsOption,
    Output,
    OutputOption,
    ProfileOption,
    ScaleOption,
    SchemaOption,
    SpecArg,
    StrictOption,
    app,
    run_verb,
)


@app.command()
def export(
    spec: SpecArg = None,
    db: DbOption = None,
    out: Annotated[
        str, typer.Option("--out", help="Folder the part files and manifest are written in.")
    ] = "seed-export",
    fmt: Annotated[
        str, typer.Option("--format", help="sql, csv, jsonl or parquet (needs seedspec[parquet]).")
    ] = "sql",
    schema_file: Annotated[
        str | None,
        typer.Option("--schema-file", help="Compile against this snapshot instead (offline)."),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option("--shard", help="K/N: write only the K-th of N disjoint parts of the rows."),
    ] = None,
    part_rows: Annotated[
        int, typer.Option("--part-rows", min=1, help="Rows per part file (default 100000).")
    ] = 100_000,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="Run the shards as tasks on this Dask scheduler (tcp://host:8786), or on "
            "local:N, a cluster of N worker processes here (needs seedspec[dask]).",
        ),
    ] = None,
    dask_shards: Annotated[
        int | None,
        typer.Option("--dask-shards", min=1, help="Tasks for --dask (default two per worker)."),
    ] = None,
    output: OutputOption = Output.text,
    scale: ScaleOption = None,
    profile: ProfileOption = None,
    strict: StrictOption = False,
    schema: SchemaOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    lock_timeout: Annotated[
        float, typer.Option("--lock-timeout", min=0, help="Seconds a schema read may wait.")
    ] = 5.0,
    models: ModelsOption = None,
) -> None:
    """Write the rows `apply` would load, without loading them: one folder of part files per
    table, a manifest, and for --format sql a seed.sql loading them in one transaction."""

    def body() -> dict[str, Any]:
        from seedspec.export.verb import export as run

        result = run(
            spec,
            db,
            out=out,
            fmt=fmt,
            schema_file=schema_file,
            shard=shard,
            part_rows=part_rows,
            scale=scale,
            profile=profile,
            strict=strict,
            schemas=schema,
            include=include or (),
            exclude=exclude or (),
            lock_timeout=lock_timeout,
            dask=dask,
            dask_shards=dask_shards,
            models=models,
        )
        doc = result.to_dict()
        if output is not Output.json:
            ran = doc["dask"]
            where = f" in {ran['shards']} tasks on {ran['workers']} Dask workers" if ran else ""
            sys.stdout.write(
                f"exported {doc['rows']} rows of {len(doc['counts'])} tables as {fmt} "
                f"to {out}{where} (manifest {doc['manifest']})\n"
            )
        return doc

    run_verb(output, "export", body)
