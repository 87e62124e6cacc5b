"""docs/agents.md -> its client configuration snippets parse (JSON, TOML) and start the real
command (`seedspec mcp`), and the tools it lists are the server's."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from seedspec.cli import app as cli_app
from seedspec.cli.documents import command

DOC = Path(__file__).resolve().parents[2] / "docs" / "agents.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(DOC.read_text()) if lang == language]


def starts_seedspec(server: dict[str, object]) -> None:
    assert Path(str(server["command"])).name == "seedspec", server
    assert server["args"] == ["mcp"], server
    env = server.get("env", {})
    assert isinstance(env, dict) and set(env) <= {"DATABASE_URL", "SEEDSPEC_DATABASE_URL"}


def test_every_json_snippet_parses_and_starts_seedspec_mcp() -> None:
    found = blocks("json")
    assert len(found) == 4  # Claude Code .mcp.json, Claude Desktop, Cursor, VS Code
    for text in found:
        config = json.loads(text)
        servers = config.get("mcpServers") or config["servers"]  # VS Code names it "servers"
        assert list(servers) == ["seedspec"]
        starts_seedspec(servers["seedspec"])
        if "servers" in config:
            assert servers["seedspec"]["type"] == "stdio"


def test_the_toml_snippet_parses_and_starts_seedspec_mcp() -> None:
    tomllib = pytest.importorskip("tomllib")
    (text,) = blocks("toml")
    starts_seedspec(tomllib.loads(text)["mcp_servers"]["seedspec"])


def test_claude_mcp_add_lines_run_seedspec_mcp() -> None:
    lines = [
        line for text in blocks("sh") for line in text.splitlines() if line.startswith("claude")
    ]
    assert len(lines) == 3
    for line in lines:
        words = shlex.split(line)
        assert words[:3] == ["claude", "mcp", "add"]
        assert words[words.index("--") - 1] == "seedspec"  # the server's name
        assert words[words.index("--") + 1 :] == ["seedspec", "mcp"]


def test_the_command_and_tools_named_are_real() -> None:
    assert cli_app.main is not None and command("mcp").__name__ == "mcp"
    text = DOC.read_text()
    named = set(re.findall(r"`(seedspec_\w+)`", text))
    mcptools = pytest.importorskip("seedspec.cli.mcptools")
    served = {name for name in vars(mcptools) if name.startswith("seedspec_")}
    assert (
        named
        == served
        == {f"seedspec_{v}" for v in ("validate", "check", "plan", "preview", "apply")}
    )


def test_the_readme_links_the_agents_page() -> None:
    readme = (DOC.parents[1] / "README.md").read_text()
    assert "docs/agents.md" in readme
