"""The layering contract of docs/ARCHITECTURE.md, read from every module's AST -> one test per rule.

Every import counts: top level, inside functions, under `if TYPE_CHECKING:`, and
`importlib.import_module("literal")` (scripts/shape.py reads them). `from a.b import c` counts as
importing a.b.c when c is a module, else a.b. A failure lists each offending import with its line.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("shape", ROOT / "scripts" / "shape.py")
assert _spec and _spec.loader
shape = importlib.util.module_from_spec(_spec)
sys.modules["shape"] = shape
_spec.loader.exec_module(shape)

MODULES: dict[str, Path] = shape.modules()
KNOWN = set(MODULES)

# The packages and top-level modules of seedspec, bottom to top.
UPPER = ("seedspec.authoring", "seedspec.cli", "seedspec.api")
DB_DRIVERS = ("sqlalchemy", "psycopg", "psycopg2", "pymysql", "MySQLdb", "sqlite3")


@dataclass(frozen=True)
class Rule:
    """Modules under `scope` (but not under `except_in`) may import of seedspec only `allow`
    (when given), never `forbid` unless it is under `but`, and of other libraries never
    `forbid_external` (top-level names)."""

    id: str
    scope: tuple[str, ...]
    allow: tuple[str, ...] | None = None
    forbid: tuple[str, ...] = ()
    but: tuple[str, ...] = ()
    forbid_external: tuple[str, ...] = ()
    except_in: tuple[str, ...] = ()


RULES = [
    Rule(
        "generate-is-runtime-only",
        scope=("seedspec.generate",),
        allow=("seedspec.deferred", "seedspec.errors", "seedspec.generate"),
        forbid_external=DB_DRIVERS,
    ),
    Rule(
        "kinds-import-generate-and-errors",
        scope=("seedspec.kinds",),
        allow=("seedspec.deferred", "seedspec.errors", "seedspec.generate", "seedspec.kinds"),
        forbid_external=DB_DRIVERS,
    ),
    Rule(
        "spec-never-imports-database",
        scope=("seedspec.spec",),
        forbid=(
            "seedspec.database",
            "seedspec.analysis",
            "seedspec.compile",
            "seedspec.plan",
            "seedspec.dialects",
            "seedspec.execute",
            *UPPER,
        ),
        forbid_external=DB_DRIVERS,
    ),
    Rule(
        "database-below-analysis-and-compile",
        scope=("seedspec.database",),
        forbid=(
            "seedspec.analysis",
            "seedspec.compile",
            "seedspec.plan",
            "seedspec.execute",
            *UPPER,
        ),
    ),
    Rule(
        "analysis-imports-spec-database-kinds",
        scope=("seedspec.analysis",),
        allow=(
            "seedspec.deferred",
            "seedspec.errors",
            "seedspec.spec",
            "seedspec.database",
            "seedspec.kinds",
            "seedspec.analysis",
        ),
        forbid_external=DB_DRIVERS,
    ),
    Rule(
        "plan-below-compile",
        scope=("seedspec.plan",),
        forbid=(
            "seedspec.compile",
            "seedspec.dialects",
            "seedspec.execute",
            "seedspec.database",
            *UPPER,
        ),
        forbid_external=DB_DRIVERS,
    ),
    Rule(
        "compile-knows-dialects-only-by-capabilities",
        scope=("seedspec.compile",),
        forbid=("seedspec.dialects", "seedspec.execute", *UPPER),
        but=("seedspec.dialects.capabilities",),
        forbid_external=DB_DRIVERS,
    ),
    Rule(
        "only-database-dialects-execute-api-touch-sqlalchemy",
        scope=("seedspec",),
        except_in=(
            "seedspec.database",
            "seedspec.dialects",
            "seedspec.execute",
            "seedspec.api",
            "seedspec.testing",  # the pytest plugin creates, copies and drops databases
            "seedspec.models.sqlalchemy",  # reads declarative models (never a connection)
        ),
        forbid_external=DB_DRIVERS,
    ),
    Rule(
        "models-read-models-and-layer-facts",
        scope=("seedspec.models",),
        allow=(
            "seedspec.errors",
            "seedspec.database.model",
            "seedspec.dialects.capabilities",
            "seedspec.analysis.drift",
            "seedspec.spec.model",
            "seedspec.models",
        ),
        forbid_external=("psycopg", "psycopg2", "pymysql", "MySQLdb", "sqlite3"),
    ),
    Rule(
        "errors-imports-nothing-of-seedspec",
        scope=("seedspec.errors",),
        allow=(),
    ),
]


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _targets(name: str, path: Path) -> list[tuple[str, int]]:
    """(imported module, line): seedspec modules resolved to the most specific one."""
    out = []
    for imp in shape.imports_in(name, path):
        if imp.module.split(".")[0] != "seedspec":
            out.append((imp.module, imp.line))
            continue
        subs = [f"{imp.module}.{n}" for n in imp.names if f"{imp.module}.{n}" in KNOWN]
        if subs and len(subs) == len(imp.names):
            out.extend((s, imp.line) for s in subs)
        else:
            out.append((shape.known_module(imp.module, KNOWN) or imp.module, imp.line))
    return out


def breaks(rule: Rule) -> list[str]:
    """Every import that breaks `rule`, as `path:line: module imports target`."""
    found = []
    for name, path in MODULES.items():
        if not _under(name, rule.scope) or _under(name, rule.except_in):
            continue
        for target, line in _targets(name, path):
            if _breaks(rule, name, target):
                found.append(f"{path.relative_to(ROOT)}:{line}: {name} imports {target}")
    return sorted(set(found))


def _breaks(rule: Rule, name: str, target: str) -> bool:
    if target.split(".")[0] != "seedspec":
        return _under(target, rule.forbid_external)
    if target == name or _under(target, rule.but):
        return False
    if target == "seedspec":  # `import seedspec` (the version) is the package's root
        return False
    if rule.allow is not None and not _under(target, rule.allow):
        return True
    return _under(target, rule.forbid)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_layering(rule: Rule) -> None:
    found = breaks(rule)
    assert not found, f"{rule.id}: {len(found)} import(s) break it:\n" + "\n".join(found)


def test_rules_see_every_kind_of_import(tmp_path: Path) -> None:
    """Imports inside functions, under TYPE_CHECKING and through importlib all count."""
    src = tmp_path / "m.py"
    src.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from seedspec.database.model import DbSchema\n"
        "def f():\n"
        "    import sqlalchemy\n"
        "    from . import sibling\n"
        "importlib.import_module('seedspec.execute.run')\n"
    )
    got = {i.module for i in shape.imports_in("seedspec.spec.m", src)}
    assert {"seedspec.database.model", "sqlalchemy", "seedspec.spec", "seedspec.execute.run"} <= got
    rule = next(r for r in RULES if r.id == "spec-never-imports-database")
    assert _breaks(rule, "seedspec.spec.m", "seedspec.database.model")
    assert _breaks(rule, "seedspec.spec.m", "sqlalchemy")
    assert not _breaks(rule, "seedspec.spec.m", "seedspec.kinds.spec")
    compile_rule = next(r for r in RULES if r.id.startswith("compile-"))
    assert not _breaks(compile_rule, "seedspec.compile.x", "seedspec.dialects.capabilities")
    assert _breaks(compile_rule, "seedspec.compile.x", "seedspec.dialects.registry")
