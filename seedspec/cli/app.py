"""The `seedspec` command: argv -> a verb's output on stdout, problems on stderr, an exit code.

The verbs validate, check, snapshot, plan, apply and version live here; init and preview in
cli/authoring.py; the typer app, options and the one way a verb ends (run_verb) in cli/base.py."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from seedspec import __version__
from seedspec.cli import exits, render
from seedspec.cli.base import (
    DbOption,
    ExcludeOption,
    IncludeOption,
    LockTimeoutOption,
    ModelsOption,
    Output,
    OutputOption,
    ProfileOption,
    ScaleOption,
    SchemaOption,
    SpecArg,
    StrictOption,
    app,
    lazy_module,
    masked_stderr,
    run_verb,
)
from seedspec.errors import Problem, SeedspecError, StaleSnapshot, UsageError

api = lazy_module("seedspec.api")  # imported by the first verb that calls it: start-up


def _drift_of(compiled: Any) -> dict[str, Any]:
    """A compiled plan's drift, as `-o json` writes it (analysis.drift: imported here, start-up:
    `validate` needs none of it)."""
    from seedspec.analysis.drift import drift_document

    return drift_document([compiled.drift])


@app.command()
def validate(
    specs: Annotated[list[str], typer.Argument(help="Spec files to validate.")],
    output: OutputOption = Output.text,
) -> None:
    """Check spec files: YAML, JSON Schema and meaning. Offline; no database needed."""

    def body() -> dict[str, Any]:
        from seedspec.spec.validate import load_spec  # not seedspec.api: start-up

        problems: list[Problem] = []
        for path in specs:
            try:
                load_spec(path)
            except SeedspecError as err:
                problems.extend(err.problems)
        if problems:
            raise _Many(problems)
        if output is Output.text:
            for path in specs:
                sys.stdout.write(f"{path}: ok\n")
        return {"files": specs}

    run_verb(output, "validate", body)


class _Many(SeedspecError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message, problems[0].location)
        self._problems = problems

    @property
    def problems(self) -> list[Problem]:
        return self._problems


@app.command()
def plan(
    spec: SpecArg = None,
    db: DbOption = None,
    output: OutputOption = Output.text,
    scale: ScaleOption = None,
    profile: ProfileOption = None,
    strict: StrictOption = False,
    schema: SchemaOption = None,
    no_bulk: Annotated[
        bool, typer.Option("--no-bulk", help="Plan the default path (constraints in place).")
    ] = False,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    lock_timeout: LockTimeoutOption = 5.0,
    models: ModelsOption = None,
) -> None:
    """Compile the spec against the live schema and show the ordered plan. Writes nothing."""

    def body() -> dict[str, Any]:
        compiled, target = api.plan(
            spec,
            db,
            scale=scale,
            profile=profile,
            strict=strict,
            schemas=schema,
            bulk=not no_bulk,
            include=include or (),
            exclude=exclude or (),
            lock_timeout=lock_timeout,
            models=models,
        )
        target.engine.dispose()
        if output is not Output.json:
            render.findings_stderr(compiled.drift.findings)
            sys.stdout.write(render.plan_text(compiled) + "\n")
        return {"plan": compiled.to_dict(), "drift": _drift_of(compiled)}

    run_verb(output, "plan", body)


ResetOption = Annotated[
    bool,
    typer.Option(
        "--reset",
        help="Empty the seeded tables (and the unseeded tables referencing them) and seed "
        "them again, in the same transaction, whatever the ledger says.",
    ),
]
TruncateOption = Annotated[
    bool, typer.Option("--truncate", hidden=True, help="The old name of --reset.")
]
LedgerOption = Annotated[
    str | None,
    typer.Option(
        "--ledger",
        help="Table recording each apply (default: the spec's target.ledger, else "
        "seedspec_ledger), in the target schema.",
    ),
]

PlanFileOption = Annotated[
    str | None,
    typer.Option("--plan", help="Apply this plan (`seedspec plan -o json` output) instead."),
]
ShardOption = Annotated[
    str | None,
    typer.Option(
        "--shard",
        help="Load shard K of N (K/N): the rows `export --shard K/N` writes, in a transaction "
        "of its own, FK checks off for its session; run every shard, then --finish.",
    ),
]
FinishOption = Annotated[
    bool,
    typer.Option(
        "--finish",
        help="End a sharded load once every shard is in: prove every FK and UNIQUE, move the "
        "sequences, run after:, in one transaction (refused, naming them, while shards miss).",
    ),
]
PartRowsOption = Annotated[
    int | None,
    typer.Option("--part-rows", help="With --shard: rows per part, as export cuts (100000)."),
]

AllowRemoteOption = Annotated[
    bool,
    typer.Option(
        "--allow-remote",
        help="Write to a database that is not local (SQLite, unix socket, loopback) nor in "
        "the spec's target.allow_hosts.",
    ),
]


@app.command()
def apply(
    spec: SpecArg = None,
    db: DbOption = None,
    output: OutputOption = Output.text,
    scale: ScaleOption = None,
    profile: ProfileOption = None,
    reset: ResetOption = False,
    truncate: TruncateOption = False,
    ledger: LedgerOption = None,
    strict: StrictOption = False,
    schema: SchemaOption = None,
    no_bulk: Annotated[
        bool,
        typer.Option("--no-bulk", help="Load with every constraint in place (the default path)."),
    ] = False,
    plan_file: PlanFileOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    allow_remote: AllowRemoteOption = False,
    lock_timeout: LockTimeoutOption = 5.0,
    shard: ShardOption = None,
    finish: FinishOption = False,
    part_rows: PartRowsOption = None,
    models: ModelsOption = None,
) -> None:
    """Seed the database in one transaction: all rows or none (or shard by shard: --shard).

    Only local databases (a SQLite file, a unix socket, 127.0.0.0/8, ::1, localhost) and the
    spec's target.allow_hosts are written without --allow-remote; APP_ENV, RAILS_ENV, NODE_ENV,
    DJANGO_ENV or SEEDSPEC_ENV set to production/prod refuse any target unless
    SEEDSPEC_ALLOW_PRODUCTION=1 (exit 4, before any connection).

    A ledger table records each apply: the same plan applied again to the tables it seeded is
    a no-op (exit 0); other rows in them are refused, showing the entry, unless --reset."""
    from seedspec.cli.progress import shown

    def load(progress: Any) -> tuple[Any, Any]:
        both: dict[str, Any] = {
            "reset": reset or truncate,
            "ledger": ledger,
            "schemas": schema,
            "bulk": not no_bulk,
            "allow_remote": allow_remote,
            "lock_timeout": lock_timeout,
            "progress": progress,
            **dict(shard=shard, finish=finish, part_rows=part_rows),
        }
        if plan_file is None:
            return api.apply(
                spec,
                db,
                scale=scale,
                profile=profile,
                strict=strict,
                include=include or (),
                exclude=exclude or (),
                models=models,
                **both,
            )
        if spec is not None:
            raise UsageError("give a SPEC or --plan, not both")
        if models:
            raise UsageError("--models informs planning; a --plan file was planned already")
        if include or exclude:
            raise UsageError(
                "--include/--exclude choose tables when planning; a --plan "
                "file already holds its tables (give them to `seedspec plan`)"
            )
        return api.apply_plan(plan_file, db, **both)

    def body() -> dict[str, Any]:
        with shown(output.value) as progress:  # on a terminal, after 1 s; erased at the end
            report, compiled = load(progress)
        if output is not Output.json:
            render.findings_stderr(compiled.drift.findings)
            sys.stdout.write(render.apply_text(report) + "\n")
        return {"report": report.to_dict(), "drift": _drift_of(compiled)}

    run_verb(output, "apply", body)


@app.command()
def check(
    specs: Annotated[
        list[str] | None, typer.Argument(help="Spec files (or their .schema.json snapshots).")
    ] = None,
    db: DbOption = None,
    snapshot_file: Annotated[
        str | None,
        typer.Option("--snapshot", help="Check against this snapshot file (offline)."),
    ] = None,
    metadata: Annotated[
        str | None,
        typer.Option("--metadata", help="Check against a SQLAlchemy MetaData: module:attribute."),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Check each spec against its committed snapshot.")
    ] = False,
    dialect: Annotated[
        str | None,
        typer.Option("--dialect", help="With --metadata: postgresql, mysql, mariadb or sqlite."),
    ] = None,
    strict: StrictOption = False,
    db_schema: SchemaOption = None,
    output: OutputOption = Output.text,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    lock_timeout: LockTimeoutOption = 5.0,
    models: ModelsOption = None,
) -> None:
    """Reconcile specs with the schema: exit 0 clean, 3 on error-level drift, 1 on other errors."""
    from seedspec.database.snapshot import spec_for_snapshot

    paths = list(dict.fromkeys(spec_for_snapshot(p) for p in specs)) if specs else [None]
    source = api.SchemaSource(
        db=db,
        snapshot=snapshot_file,
        metadata=metadata,
        offline=offline,
        dialect=dialect,
        schemas=db_schema,
        lock_timeout=lock_timeout,
        models=models,
    )

    def body() -> dict[str, Any]:
        from seedspec.analysis.drift import DriftError, DriftReport, drift_document

        reports = [
            api.check(p, source, strict=strict, include=include or (), exclude=exclude or ())
            for p in paths
        ]
        findings = [f for r in reports for f in r.findings]
        errors = sum(len(r.errors) for r in reports)
        if output is Output.text:
            render.findings_stdout(findings)
        elif output is Output.github:
            render.github_problems(findings)
        result = {"drift": drift_document(reports)}
        if errors:
            merged = DriftReport(tuple(f for r in reports for f in r.errors))
            raise exits.Reported(DriftError(merged), result)
        return result

    run_verb(output, "check", body)


@app.command()
def snapshot(
    spec: SpecArg = None,
    db: DbOption = None,
    out: Annotated[
        str | None, typer.Option("--out", help="Snapshot file (default: SPEC.schema.json).")
    ] = None,
    verify: Annotated[
        bool,
        typer.Option("--check", help="Exit 3 with a diff when the committed snapshot is stale."),
    ] = False,
    schema: SchemaOption = None,
    output: OutputOption = Output.text,
    lock_timeout: LockTimeoutOption = 5.0,
) -> None:
    """Write the reflected schema next to the spec, for offline checks (commit it)."""

    def body() -> dict[str, Any]:
        result = api.snapshot(spec, db, out, verify, schema, lock_timeout=lock_timeout)
        stale = bool(result.diff)
        if output is not Output.json:
            if verify and stale:
                sys.stdout.write(result.diff)
                sys.stderr.write(f"{result.path}: stale; refresh it with `seedspec snapshot`\n")
            elif verify:
                sys.stdout.write(f"{result.path}: up to date\n")
            else:
                sys.stdout.write(f"wrote {result.path}\n")
        doc = {
            "path": str(result.path),
            "written": result.written,
            "stale": stale,
            "diff": result.diff,
        }
        if stale:
            raise exits.Reported(StaleSnapshot(f"{result.path}: stale"), doc)
        return doc

    run_verb(output, "snapshot", body)


@app.command()
def version(output: OutputOption = Output.text) -> None:
    """Print the seedspec version (also: seedspec --version)."""

    def body() -> dict[str, Any]:
        if output is not Output.json:
            sys.stdout.write(f"seedspec {__version__}\n")
        return {"version": __version__}

    run_verb(output, "version", body)


def main() -> None:
    with masked_stderr():
        app(prog_name="seedspec")


def run() -> None:
    """The `seedspec` process: main(), then an exit that skips the interpreter's teardown."""
    from seedspec.cli.hardexit import exit_code, hard_exit
    from seedspec.startgc import pause

    pause()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exit_code(exc)
    hard_exit(code)


# init, preview and mcp register themselves on the same app (cli/base.py), also under `python -m`
from seedspec.cli import agent, authoring, exporting  # noqa: E402, F401

if __name__ == "__main__":
    main()
