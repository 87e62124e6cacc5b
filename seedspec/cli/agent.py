"""`seedspec mcp`: argv -> the MCP server for AI agents on stdio (cli/mcptools.py), or a clear
message when the mcp extra is not installed."""

from __future__ import annotations

from typing import Any

from seedspec.cli.base import Output, app, run_verb
from seedspec.errors import SeedspecError

MISSING = (
    "`seedspec mcp` needs the MCP SDK (seedspec's `mcp` extra): pip install 'mcp>=2.3,<3' "
    "into the environment seedspec runs in"
)


@app.command("mcp")
def mcp() -> None:
    """Serve validate, check, plan, preview and apply to an AI agent over MCP (stdio).

    Nothing but the protocol is written to stdout; apply needs confirm: true and keeps the
    production guard. Needs the extra seedspec[mcp]; client setup: docs/agents.md."""

    def body() -> dict[str, Any] | None:
        try:
            from seedspec.cli import mcptools
        except ImportError as err:
            raise SeedspecError(f"{MISSING} ({err})") from None
        mcptools.serve()
        return None

    run_verb(Output.text, "mcp", body)
