"""`seedspec mcp` driven by the MCP SDK's own client over stdio against a real PostgreSQL
database: the tools listed with their hints, each read-only tool's result equal to the CLI's
`-o json` document and nothing written, apply refused without confirm (database still empty),
applied with it (rows and FKs queried), the production guard refusing a non-local URL, and
nothing but JSON-RPC on the server's stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from conftest import REPO, query, run_sql, scalar

if not os.environ.get("CI"):  # on CI the test extra installs it: a missing SDK fails there
    pytest.importorskip("mcp", reason="the mcp extra (seedspec[mcp]) is not installed")

from mcp import ClientSession, StdioServerParameters, stdio_client  # noqa: E402

pytestmark = pytest.mark.postgres

SCHEMA = "mcp_shop"
DDL = f"""
CREATE SCHEMA {SCHEMA};
CREATE TABLE {SCHEMA}.customers (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE
);
CREATE TABLE {SCHEMA}.orders (
    id SERIAL PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES {SCHEMA}.customers (id),
    total NUMERIC(10, 2) NOT NULL CHECK (total >= 0)
)
"""
SPEC = """\
seedspec: 1
seed: 11
tables:
  customers:
    count: 12
    columns:
      email: {gen: person.email, unique: true}
  orders:
    count: {per: customers, min: 1, max: 4}
"""
READ_ONLY = ["seedspec_validate", "seedspec_check", "seedspec_plan", "seedspec_preview"]
CLEAN_ENV = ("DATABASE_URL", "SEEDSPEC_DATABASE_URL", "APP_ENV", "RAILS_ENV", "NODE_ENV")
CLEAN_ENV += ("DJANGO_ENV", "SEEDSPEC_ENV", "SEEDSPEC_ALLOW_PRODUCTION")


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra or {})
    return env


def _params(cwd: Path, env: dict[str, str] | None = None) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-m", "seedspec", "mcp"], env=_env(env), cwd=str(cwd)
    )


def session(
    cwd: Path,
    scenario: Callable[[ClientSession], Awaitable[Any]],
    env: dict[str, str] | None = None,
) -> Any:
    """Start the server with the SDK's stdio client, run `scenario` in an initialised session."""

    async def main() -> Any:
        with anyio.fail_after(300):
            async with (
                stdio_client(_params(cwd, env)) as (read, write),
                ClientSession(read, write) as client,
            ):
                await client.initialize()
                return await scenario(client)

    return anyio.run(main)


def doc_of(result: Any) -> dict[str, Any]:
    """A tool result's document: its one text content, parsed (and equal to its structured
    content)."""
    assert len(result.content) == 1 and result.content[0].type == "text"
    doc = json.loads(result.content[0].text)
    assert result.structured_content == doc
    return doc


def cli_json(cwd: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "seedspec", *args, "-o", "json"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_env(),
        timeout=300,
    )
    return done.returncode, json.loads(done.stdout)


@pytest.fixture
def shop(pg_url: str, tmp_path: Path) -> tuple[str, Path]:
    """An empty two-table FK schema of our own and the spec file that seeds it."""
    run_sql(pg_url, DDL)
    spec = tmp_path / "seed.yaml"
    spec.write_text(SPEC)
    return pg_url, spec


def counts(url: str) -> tuple[int, int]:
    customers = scalar(url, f"SELECT count(*) FROM {SCHEMA}.customers")
    orders = scalar(url, f"SELECT count(*) FROM {SCHEMA}.orders")
    return int(customers), int(orders)  # type: ignore[call-overload]


def test_lists_the_five_tools_with_their_hints(tmp_path: Path) -> None:
    async def scenario(client: ClientSession) -> Any:
        return (await client.list_tools()).tools

    tools = {t.name: t for t in session(tmp_path, scenario)}
    assert sorted(tools) == sorted([*READ_ONLY, "seedspec_apply"])
    for name in READ_ONLY:
        hints = tools[name].annotations
        assert hints is not None and hints.read_only_hint is True, name
        assert hints.destructive_hint is False and hints.open_world_hint is False, name
    apply = tools["seedspec_apply"]
    assert apply.annotations is not None
    assert apply.annotations.read_only_hint is False
    assert apply.annotations.destructive_hint is True
    assert apply.annotations.idempotent_hint is False
    assert "confirm" in apply.input_schema["properties"]
    assert "allow_remote" not in apply.input_schema["properties"]  # never offered over MCP
    for tool in tools.values():
        assert tool.description and len(tool.description) > 150, tool.name
        assert {"spec", "spec_yaml"} <= set(tool.input_schema["properties"]), tool.name
        for prop, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), (tool.name, prop)


def test_read_only_tools_return_the_cli_documents_and_write_nothing(
    shop: tuple[str, Path],
) -> None:
    url, spec = shop
    cwd = spec.parent
    args = {"spec": str(spec), "db": url, "schema": SCHEMA}

    async def scenario(client: ClientSession) -> dict[str, Any]:
        return {
            "validate": await client.call_tool("seedspec_validate", {"spec": str(spec)}),
            "validate_inline": await client.call_tool("seedspec_validate", {"spec_yaml": SPEC}),
            "check": await client.call_tool("seedspec_check", args),
            "plan": await client.call_tool("seedspec_plan", args),
            "preview": await client.call_tool("seedspec_preview", {**args, "rows": 3}),
            "preview_one": await client.call_tool(
                "seedspec_preview", {**args, "rows": 2, "tables": ["customers"]}
            ),
        }

    results = session(cwd, scenario)
    for name, result in results.items():
        assert result.is_error is False, (name, result.content)
    docs = {name: doc_of(r) for name, r in results.items()}

    assert docs["validate"] == cli_json(cwd, "validate", str(spec))[1]
    inline = docs["validate_inline"]
    assert (inline["ok"], inline["command"], inline["exit_code"]) == (True, "validate", 0)
    assert inline["result"] == {"files": ["<spec_yaml>"]}
    db = ["--db", url]
    assert docs["check"] == cli_json(cwd, "check", str(spec), *db, "--db-schema", SCHEMA)[1]
    assert docs["plan"] == cli_json(cwd, "plan", str(spec), *db, "--schema", SCHEMA)[1]
    assert (
        docs["preview"]
        == cli_json(cwd, "preview", str(spec), *db, "--schema", SCHEMA, "-n", "3")[1]
    )

    steps = docs["plan"]["result"]["plan"]["steps"]
    inserted = {s["table"]: s["count"] for s in steps if s["step"] == "insert"}
    assert inserted == {"customers": 12, "orders": inserted["orders"]}, inserted
    assert 12 <= inserted["orders"] <= 48
    previewed = docs["preview"]["result"]["tables"]
    assert [len(rows) for rows in previewed.values()] == [3, 3]
    assert list(docs["preview_one"]["result"]["tables"]) == [next(iter(previewed))]
    assert counts(url) == (0, 0)  # nothing written by any read-only tool


def test_read_only_tool_failures_are_error_documents(shop: tuple[str, Path]) -> None:
    url, spec = shop
    broken = SPEC.replace("count: 12", "count: twelve")
    drifted = SPEC.replace("email: {gen", "mail: {gen")

    async def scenario(client: ClientSession) -> list[Any]:
        return [
            await client.call_tool("seedspec_validate", {"spec_yaml": broken}),
            await client.call_tool(
                "seedspec_check", {"spec_yaml": drifted, "db": url, "schema": SCHEMA}
            ),
            await client.call_tool("seedspec_plan", {"spec": str(spec), "spec_yaml": SPEC}),
        ]

    invalid, drift, both = session(spec.parent, scenario)
    assert all(r.is_error is True for r in (invalid, drift, both))
    doc = doc_of(invalid)
    assert (doc["ok"], doc["command"], doc["exit_code"]) == (False, "validate", 1)
    assert doc["errors"][0]["file"] == "<spec_yaml>" and doc["errors"][0]["line"] == 5
    doc = doc_of(drift)
    assert (doc["ok"], doc["exit_code"]) == (False, 3)
    findings = doc["result"]["drift"]["findings"]
    assert any("mail" in f["message"] and f["severity"] == "error" for f in findings)
    doc = doc_of(both)
    assert doc["exit_code"] == 2 and "not both" in doc["errors"][0]["message"]


def test_apply_needs_confirm_then_seeds(shop: tuple[str, Path]) -> None:
    url, spec = shop
    args = {"spec": str(spec), "db": url, "schema": SCHEMA}

    async def refused(client: ClientSession) -> list[Any]:
        return [
            await client.call_tool("seedspec_apply", args),
            await client.call_tool("seedspec_apply", {**args, "confirm": False}),
        ]

    for result in session(spec.parent, refused):
        assert result.is_error is True
        doc = doc_of(result)
        assert (doc["ok"], doc["command"], doc["exit_code"]) == (False, "apply", 2)
        assert "confirm: true" in doc["errors"][0]["message"]
    assert counts(url) == (0, 0)

    async def applied(client: ClientSession) -> Any:
        return await client.call_tool("seedspec_apply", {**args, "confirm": True})

    result = session(spec.parent, applied)
    assert result.is_error is False, result.content
    doc = doc_of(result)
    assert doc["ok"] is True and doc["command"] == "apply"
    customers, orders = counts(url)
    assert customers == 12 and 12 <= orders <= 48
    report = doc["result"]["report"]
    assert report["rows"] == customers + orders
    assert {t["table"]: t["rows"] for t in report["tables"]} == {
        "customers": customers,
        "orders": orders,
    }
    # the plan it applied is the one the CLI plans for this spec and database
    planned = cli_json(spec.parent, "plan", str(spec), "--db", url, "--schema", SCHEMA)[1]
    assert report["plan_digest"] == planned["result"]["plan"]["digest"]
    orphans = f"""SELECT count(*) FROM {SCHEMA}.orders o
        LEFT JOIN {SCHEMA}.customers c ON c.id = o.customer_id WHERE c.id IS NULL"""
    assert scalar(url, orphans) == 0
    per = query(url, f"SELECT customer_id, count(*) FROM {SCHEMA}.orders GROUP BY customer_id")
    assert len(per) == 12 and all(1 <= n <= 4 for _, n in per)
    emails = query(url, f"SELECT count(DISTINCT email) FROM {SCHEMA}.customers")
    assert emails == [(12,)]


def test_guard_refuses_a_remote_database_over_mcp(tmp_path: Path) -> None:
    spec = tmp_path / "seed.yaml"
    spec.write_text("seedspec: 1\ntables:\n  t: {count: 3}\n")
    allow = SPEC + "target:\n  allow_hosts: [db.invalid]\n"

    async def scenario(client: ClientSession) -> list[Any]:
        remote = {"db": "postgresql://u@db.invalid/x", "confirm": True}
        return [
            await client.call_tool("seedspec_apply", {**remote, "spec": str(spec)}),
            await client.call_tool("seedspec_apply", {**remote, "spec_yaml": allow}),
            await client.call_tool("seedspec_apply", {**remote, "allow_remote": True}),
        ]

    remote, inline_hosts, forced = session(tmp_path, scenario)
    for result in (remote, inline_hosts):
        assert result.is_error is True
        doc = doc_of(result)
        assert (doc["ok"], doc["command"], doc["exit_code"]) == (False, "apply", 4)
        assert doc["errors"][0]["kind"] == "guard-remote"
        assert "nothing was written" in doc["errors"][0]["message"]
    assert "db.invalid" in doc_of(remote)["errors"][0]["message"]
    assert "allow_hosts" in doc_of(inline_hosts)["errors"][0]["message"]
    # allow_remote is not an argument of the tool: passing it changes nothing (./seed.yaml)
    assert forced.is_error is True
    doc = doc_of(forced)
    assert doc["exit_code"] == 4 and doc["errors"][0]["kind"] == "guard-remote"


def test_guard_refuses_in_a_production_environment(shop: tuple[str, Path]) -> None:
    url, spec = shop

    async def scenario(client: ClientSession) -> Any:
        args = {"spec": str(spec), "db": url, "schema": SCHEMA, "confirm": True}
        return await client.call_tool("seedspec_apply", args)

    result = session(spec.parent, scenario, env={"APP_ENV": "production"})
    doc = doc_of(result)
    assert result.is_error is True and doc["exit_code"] == 4
    assert doc["errors"][0]["kind"] == "guard-production"
    assert counts(url) == (0, 0)


def test_stdout_carries_nothing_but_json_rpc(tmp_path: Path) -> None:
    """Raw JSON-RPC over a pipe: every line the server writes to stdout is a JSON-RPC message,
    also while tools fail and while seedspec writes warnings (to stderr)."""
    spec = tmp_path / "seed.yaml"
    spec.write_text("seedspec: 1\ntables:\n  t: {count: 3}\n")
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "test", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        _call(3, "seedspec_validate", {"spec": str(spec)}),
        _call(4, "seedspec_validate", {"spec_yaml": "seedspec: 2\n"}),
        _call(5, "seedspec_plan", {"spec": str(spec), "db": f"sqlite:///{tmp_path / 'x.db'}"}),
        _call(6, "seedspec_apply", {"db": "postgresql://u@db.invalid/x", "confirm": True}),
    ]
    lines, stderr = _exchange(messages, tmp_path, replies=6)
    replies = [json.loads(line) for line in lines]  # every line parses
    assert all(r.get("jsonrpc") == "2.0" for r in replies)
    by_id = {r["id"]: r for r in replies if "id" in r}
    assert sorted(by_id) == [1, 2, 3, 4, 5, 6], stderr
    assert len(lines) == len(replies) == len(by_id)  # nothing but the six replies
    assert by_id[3]["result"]["isError"] is False
    assert by_id[4]["result"]["isError"] is True
    assert json.loads(by_id[6]["result"]["content"][0]["text"])["exit_code"] == 4


def _exchange(messages: list[dict[str, Any]], cwd: Path, replies: int) -> tuple[list[str], str]:
    """Send the messages to a server, read stdout until `replies` answers came (stdin stays
    open meanwhile: a closed stdin ends the session), then close it: (stdout lines, stderr)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "seedspec", "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=_env(),
    )
    assert server.stdin is not None and server.stdout is not None
    timer = threading.Timer(120, server.kill)  # a hung server fails the test, never hangs it
    timer.start()
    try:
        server.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
        server.stdin.flush()
        lines: list[str] = []
        while sum(_is_reply(line) for line in lines) < replies:
            line = server.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
        rest, stderr = server.communicate()  # closes stdin: the server ends
    finally:
        timer.cancel()
    return lines + rest.splitlines(), stderr


def _is_reply(line: str) -> bool:
    try:
        return "id" in json.loads(line)
    except ValueError:
        return False  # asserted by the caller: every line must parse


def _call(n: int, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": n,
        "method": "tools/call",
        "params": {"name": name, "arguments": arguments},
    }


def test_a_clear_message_without_the_mcp_extra(tmp_path: Path) -> None:
    code = "import sys; sys.modules['mcp'] = None; from seedspec.cli.app import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "mcp"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "pip install 'mcp>=2.3,<3'" in done.stderr
    assert "Traceback" not in done.stderr
