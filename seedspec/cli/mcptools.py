"""The MCP server's tools: an agent's tool call -> the verb's `-o json` document as its result
(read-only validate, check, plan, preview; apply only with confirm: true, behind the guard)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from seedspec import __version__, api
from seedspec.cli import documents
from seedspec.errors import GuardRefused, Problem, SeedspecError, UsageError
from seedspec.spec.limits import MAX_SCALE

INLINE = "<spec_yaml>"  # how a spec given as text is named in the documents' locations

INSTRUCTIONS = """\
seedspec fills a database with valid, connected, deterministic rows from a seed spec (seed.yaml)
and the live schema. The usual order: seedspec_validate (offline) -> seedspec_check (does the spec
fit the database?) -> seedspec_plan (what would be written) -> seedspec_preview (sample rows) ->
seedspec_apply with confirm: true (writes every row in one transaction, or none).
Every tool returns the JSON document `seedspec VERB -o json` prints. On failure it has ok: false,
exit_code (1 error, 2 usage, 3 drift: the spec does not fit the schema, 4 refused by the
production guard) and errors[], each with message, fix and, for a spec problem, file/line/col:
act on `fix`. Give the spec as a path (spec) or as YAML text (spec_yaml); without either, the
server's ./seed.yaml is used, else every table is inferred from the schema. The database is `db`,
else the server's SEEDSPEC_DATABASE_URL or DATABASE_URL. seedspec_apply writes only to local
databases (SQLite, a unix socket, 127.0.0.0/8, ::1, localhost) or hosts the spec file lists in
target.allow_hosts; a refusal (exit 4) cannot be overridden from here: tell the user."""

SpecPath = Annotated[
    str | None,
    Field(
        description="Path of the spec file (YAML), absolute or relative to the server's working "
        "directory. Default: ./seed.yaml there, else an all-inferred spec."
    ),
]
SpecYaml = Annotated[
    str | None,
    Field(
        description="The spec as YAML text, instead of a path (e.g. a draft you are editing). "
        f"Problems in it are located in file {INLINE!r}."
    ),
]
Db = Annotated[
    str | None,
    Field(
        description="Database URL, e.g. postgresql://user@127.0.0.1:5432/app, "
        "mysql://root@127.0.0.1/app or sqlite:///dev.db. Default: the server's "
        "SEEDSPEC_DATABASE_URL or DATABASE_URL."
    ),
]
Scale = Annotated[
    float | None,
    Field(ge=0, le=MAX_SCALE, description="Multiply every row count (overrides the spec's scale)."),
]
Profile = Annotated[str | None, Field(description="Apply the spec's profiles.NAME first.")]
Schema = Annotated[
    str | None,
    Field(
        description="Database schema(s) to seed: a, a,b or * (default: the default schema, or "
        "all when it has no tables)."
    ),
]
Include = Annotated[
    list[str] | None,
    Field(description="Seed only the tables matching these globs (added to tables.include)."),
]
Exclude = Annotated[
    list[str] | None,
    Field(description="Leave the tables matching these globs alone (added to tables.exclude)."),
]
Strict = Annotated[bool, Field(description="Treat drift warnings as errors.")]

READ_ONLY = {
    "read_only_hint": True,
    "destructive_hint": False,
    "idempotent_hint": True,
    "open_world_hint": False,
}
_ONE_AT_A_TIME = threading.Lock()  # tool calls run in worker threads; stdout is redirected


def seedspec_validate(spec: SpecPath = None, spec_yaml: SpecYaml = None) -> Any:
    """Check a seed spec offline: YAML syntax, the JSON Schema and meaning (profiles,
    references, each generator's parameters). Needs no database; writes nothing. Returns
    {ok: true, command: "validate", result: {files}} or ok: false with errors[] located by
    file/line/col.
    Use it after every edit of a spec, before seedspec_check."""
    return _run("validate", spec, spec_yaml, lambda path: {"specs": [path or "seed.yaml"]})


def seedspec_check(
    spec: SpecPath = None,
    spec_yaml: SpecYaml = None,
    db: Db = None,
    schema: Schema = None,
    strict: Strict = False,
    include: Include = None,
    exclude: Exclude = None,
) -> Any:
    """Reconcile the spec with the live database schema (reads the catalog, writes nothing): the
    same compile that seedspec_plan and seedspec_apply run, so a clean check means apply will not
    refuse the spec. Returns {ok, command: "check", result: {drift: {findings: [...]}}}; ok:
    false with exit_code 3 means error-level drift (a column the spec names is missing, a
    generator that cannot satisfy a constraint ...): fix the spec as each finding's `fix` says,
    then check again."""

    def arguments(path: str | None) -> dict[str, Any]:
        specs = [path] if path else None
        return {
            "specs": specs,
            "db": db,
            "db_schema": schema,
            "strict": strict,
            **_tables(include, exclude),
        }

    return _run("check", spec, spec_yaml, arguments)


def seedspec_plan(
    spec: SpecPath = None,
    spec_yaml: SpecYaml = None,
    db: Db = None,
    scale: Scale = None,
    profile: Profile = None,
    schema: Schema = None,
    strict: Strict = False,
    include: Include = None,
    exclude: Exclude = None,
) -> Any:
    """Compile the spec against the live schema and return the ordered plan without writing
    anything: which tables get how many rows and why, insert order, FK cycles broken, CHECKs the
    database judges, tables left alone, and drift findings. Returns {ok, command: "plan",
    result: {plan, drift}}. Show its summary to the user before calling seedspec_apply."""

    def arguments(path: str | None) -> dict[str, Any]:
        return {
            "spec": path,
            "db": db,
            "scale": scale,
            "profile": profile,
            "schema": schema,
            "strict": strict,
            **_tables(include, exclude),
        }

    return _run("plan", spec, spec_yaml, arguments)


def seedspec_preview(
    spec: SpecPath = None,
    spec_yaml: SpecYaml = None,
    db: Db = None,
    rows: Annotated[int, Field(ge=0, le=1000, description="Rows per table.")] = 5,
    tables: Annotated[
        list[str] | None, Field(description="Only these tables (default: every seeded table).")
    ] = None,
    scale: Scale = None,
    profile: Profile = None,
    schema: Schema = None,
    include: Include = None,
    exclude: Exclude = None,
) -> Any:
    """Compile the spec and return the first rows seedspec_apply would insert into each table,
    exactly (rows are deterministic), without writing anything. Returns {ok, command:
    "preview", result: {tables: {table: [row, ...]}}} in insert order; on failure the usual
    {ok: false, errors}. Use it to check that values look
    right (names, emails, dates, how children spread over parents) before applying."""

    def arguments(path: str | None) -> dict[str, Any]:
        return {
            "spec": path,
            "db": db,
            "rows": rows,
            "table": tables or None,
            "scale": scale,
            "profile": profile,
            "schema": schema,
            **_tables(include, exclude),
        }

    return _run("preview", spec, spec_yaml, arguments)


def seedspec_apply(
    confirm: Annotated[
        bool,
        Field(
            description="Must be true: the user agreed to write these rows to this database. "
            "Without it nothing is opened and the call is refused (exit_code 2)."
        ),
    ] = False,
    spec: SpecPath = None,
    spec_yaml: SpecYaml = None,
    db: Db = None,
    scale: Scale = None,
    profile: Profile = None,
    reset: Annotated[
        bool,
        Field(
            description="Delete the rows already in the seeded tables first (and in the tables "
            "referencing them) and seed them again, in the same transaction, whatever the "
            "ledger says. Destroys data: only when the user asked for it."
        ),
    ] = False,
    schema: Schema = None,
    strict: Strict = False,
    include: Include = None,
    exclude: Exclude = None,
    lock_timeout: Annotated[
        float,
        Field(ge=0, description="Seconds any lock wait may last before giving up (0: forever)."),
    ] = 5.0,
) -> Any:
    """WRITES to the database: compiles the spec and inserts every planned row in one
    transaction (all rows or none; counters reset past the seeded keys). Call seedspec_plan
    first and apply only after the user agreed, with confirm: true. The production guard holds:
    only local databases (SQLite, a unix socket, 127.0.0.0/8, ::1, localhost) or hosts listed in
    the spec file's target.allow_hosts are written, and never when APP_ENV/RAILS_ENV/NODE_ENV/
    DJANGO_ENV/SEEDSPEC_ENV says production; a refusal is exit_code 4 and cannot be overridden
    from an MCP call (tell the user). Returns {ok, command: "apply", result: {report: rows and
    seconds per table, drift}}. Re-runs converge: a ledger table records each apply, so the same
    plan applied again to tables it seeded is a no-op (result.report.noop true, exit_code 0); a
    different plan on seeded tables is refused (error code "seeded", the ledger entry shown)
    unless reset is true."""
    if not confirm:
        return _result(*documents.failure("apply", UsageError(_UNCONFIRMED)))

    def arguments(path: str | None) -> dict[str, Any]:
        return {
            "spec": path,
            "db": db,
            "scale": scale,
            "profile": profile,
            "reset": reset,
            "schema": schema,
            "strict": strict,
            "lock_timeout": lock_timeout,
            **_tables(include, exclude),
        }

    inline = spec_yaml is not None
    return _run("apply", spec, spec_yaml, arguments, lambda p: _no_inline_hosts(inline, p, profile))


_UNCONFIRMED = (
    "seedspec_apply writes rows to the database and needs confirm: true; nothing was opened. "
    "Show the user what seedspec_plan (and seedspec_preview) say will be written, and call "
    "seedspec_apply again with confirm: true once they agree"
)


def _tables(include: list[str] | None, exclude: list[str] | None) -> dict[str, Any]:
    return {"include": include or None, "exclude": exclude or None}


def _no_inline_hosts(inline: bool, path: str | None, profile: str | None) -> None:
    """A spec given as text may not widen the guard: target.allow_hosts must come from a file."""
    if not inline:
        return
    try:
        spec = api.load_or_infer(path, profile)
    except SeedspecError:
        return  # apply reports the spec's problems itself
    if spec.target.allow_hosts:
        message = (
            "refusing an inline spec_yaml that sets target.allow_hosts: hosts allowed to be "
            "written must come from a spec file the user keeps; nothing was written (no "
            "connection was opened)"
        )
        fix = "pass the spec as a file (spec: PATH) whose target.allow_hosts lists the host"
        raise GuardRefused([Problem(message, code="guard-remote", fix=fix)])


def _run(
    verb: str,
    spec: str | None,
    spec_yaml: str | None,
    arguments: Callable[[str | None], dict[str, Any]],
    before: Callable[[str | None], None] | None = None,
) -> Any:
    """One tool call: the spec put in a file when given as text, the verb's document made with
    stdout sent to stderr (nothing but the protocol may reach the real stdout)."""
    with _ONE_AT_A_TIME, contextlib.redirect_stdout(sys.stderr):
        try:
            with _spec_file(spec, spec_yaml) as path:
                if before is not None:
                    before(path)
                code, doc = documents.document(verb, **arguments(path))
                if spec_yaml is not None and path is not None:
                    doc = _renamed(doc, path)
        except SeedspecError as err:
            code, doc = documents.failure(verb, err)
    return _result(code, doc)


@contextlib.contextmanager
def _spec_file(spec: str | None, spec_yaml: str | None) -> Iterator[str | None]:
    if spec_yaml is None:
        yield spec
        return
    if spec is not None:
        raise UsageError("give spec (a path) or spec_yaml (the spec's text), not both")
    with tempfile.TemporaryDirectory(prefix="seedspec-mcp-") as folder:
        path = os.path.join(folder, "seed.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(spec_yaml)
        yield path


def _renamed(doc: dict[str, Any], path: str) -> dict[str, Any]:
    """The document with the temporary file of an inline spec named INLINE."""
    quoted = json.dumps(path)[1:-1]
    return dict(json.loads(json.dumps(doc).replace(quoted, INLINE)))


def _result(code: int, doc: dict[str, Any]) -> CallToolResult:
    text = json.dumps(doc, indent=2)
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=doc, is_error=code != 0
    )


def build_server() -> MCPServer:
    """The MCP server with seedspec's five tools."""
    server = MCPServer(
        "seedspec", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING"
    )
    tools: list[tuple[Callable[..., Any], str, dict[str, bool]]] = [
        (seedspec_validate, "Validate a seed spec (offline)", READ_ONLY),
        (seedspec_check, "Check a seed spec against the database", READ_ONLY),
        (seedspec_plan, "Plan the rows a seed spec would write", READ_ONLY),
        (seedspec_preview, "Preview the first seeded rows", READ_ONLY),
        (
            seedspec_apply,
            "Seed the database (writes)",
            {
                "read_only_hint": False,
                "destructive_hint": True,
                "idempotent_hint": False,
                "open_world_hint": False,
            },
        ),
    ]
    for fn, title, hints in tools:
        annotations = ToolAnnotations(title=title, **hints)
        server.add_tool(fn, title=title, annotations=annotations, structured_output=False)
    return server


def serve() -> None:
    """Serve the tools over stdio until the client closes the connection."""
    from seedspec.startgc import resume

    resume()  # a long-lived process: the collector runs as always (seedspec/startgc.py)
    build_server().run("stdio")
