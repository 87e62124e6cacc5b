"""No branch on a database's name outside seedspec/dialects/: every such decision is a dialect
method, a dialect attribute or a Capabilities flag (issue 9, item 5).

Scans every module with ``ast`` for comparisons (==, !=, in, not in) whose other side is one of
the literals "postgresql", "mysql", "mariadb", "sqlite" (alone or inside a tuple/list/set), for
``match`` cases on them, and for dict literals keyed by them (a lookup table is a branch too).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "seedspec"
NAMES = {"postgresql", "mysql", "mariadb", "sqlite"}
ALLOWED_DIRS = ("dialects",)


def _named(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in NAMES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_named(e) for e in node.elts)
    return False


def branches(source: str) -> list[tuple[int, str]]:
    """(line, what) for every comparison / match case / dict key on a database name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(
            _named(side) for side in [node.left, *node.comparators]
        ):
            found.append((node.lineno, "comparison"))
        elif isinstance(node, ast.match_case) and any(
            _named(n.value) for n in ast.walk(node.pattern) if isinstance(n, ast.MatchValue)
        ):
            found.append((node.pattern.lineno, "match case"))
        elif isinstance(node, ast.Dict) and any(k is not None and _named(k) for k in node.keys):
            found.append((node.lineno, "dict keyed by dialect name"))
    return found


def test_the_scanner_sees_each_form() -> None:
    src = (
        'a = d == "sqlite"\nb = d in ("mysql", "mariadb")\nc = {"postgresql": 1}\n'
        'match d:\n    case "mysql":\n        pass\nok = d == "other"\n'
    )
    assert [what for _, what in branches(src)] == [
        "comparison",
        "comparison",
        "dict keyed by dialect name",
        "match case",
    ]


def test_no_dialect_name_branches_outside_dialects() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in ALLOWED_DIRS:
            continue
        for line, what in branches(path.read_text()):
            offenders.append(f"seedspec/{rel}:{line}: {what}")
    assert not offenders, "branches on a dialect name outside seedspec/dialects/:\n" + "\n".join(
        offenders
    )
