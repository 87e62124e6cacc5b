"""docs/testing.md's library examples: every block marked `<!-- run -->` run in order, in one
namespace, in an empty directory (a SQLite file), so the page cannot drift from the API."""

from __future__ import annotations

import os
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def _blocks(text: str) -> list[str]:
    """The python blocks that follow a `<!-- run -->` line."""
    out, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "<!-- run -->" and lines[i + 1].strip() == "```python":
            end = lines.index("```", i + 2)
            out.append("\n".join(lines[i + 2 : end]))
    return out


def test_the_examples_run(tmp_path: Path) -> None:
    blocks = _blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 3
    namespace: dict[str, object] = {}
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for block in blocks:
            exec(compile(block, str(DOC), "exec"), namespace)  # noqa: S102
    finally:
        os.chdir(here)
        engine = namespace.get("engine")
        if engine is not None:
            engine.dispose()  # type: ignore[attr-defined]
    assert (tmp_path / "app.db").is_file()
