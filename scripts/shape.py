"""The package's shape -> every breach: module lines, function lines, complexity, import cycles.

`python scripts/shape.py` prints every breach of the limits in ARCHITECTURE.md and exits 1 if any;
tests/unit/test_shape.py runs the same checks. Complexity is radon's; imports are read with `ast`,
including those under `if TYPE_CHECKING:` and inside functions.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "seedspec"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 80
MAX_COMPLEXITY = 20


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


@dataclass(frozen=True)
class Import:
    """One import statement's target: `module` absolute, `names` what a from-import takes."""

    module: str
    line: int
    names: tuple[str, ...] = ()


def imports_in(name: str, path: Path) -> list[Import]:
    """Every import in a module's file: top level, inside functions, under `if TYPE_CHECKING:`,
    and `importlib.import_module("literal")`; relative imports made absolute."""
    found: list[Import] = []
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            found.append(Import(base, node.lineno, tuple(alias.name for alias in node.names)))
        elif _is_import_module_call(node):
            assert isinstance(node, ast.Call) and isinstance(node.args[0], ast.Constant)
            found.append(Import(str(node.args[0].value), node.lineno))
    return found


def _is_import_module_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    if not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
        return False
    func = node.func
    named = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return named in ("import_module", "__import__")


def known_module(target: str, known: set[str]) -> str | None:
    """The package module a dotted name lives in (the name itself, or its nearest parent)."""
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Package modules that `name` imports anywhere (top level, functions, TYPE_CHECKING).

    `from a.b import c` counts both a.b and a.b.c (when c is a module): importing runs both."""
    found: set[str] = set()
    for imp in imports_in(name, path):
        for target in [imp.module, *(f"{imp.module}.{n}" for n in imp.names)]:
            module = known_module(target, known)
            if module and module != name:
                found.add(module)
    return found


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted.

    A package's own __init__ importing its children is not a cycle worth reporting, so edges from a
    package to its submodules are ignored."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def edges(v: str) -> list[str]:
        return sorted(w for w in graph[v] if not w.startswith(v + "."))

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def module_breaches() -> list[str]:
    """Modules over MAX_MODULE_LINES lines."""
    out = []
    for path in modules().values():
        lines = path.read_text().count("\n")
        if lines > MAX_MODULE_LINES:
            out.append(f"{path.relative_to(ROOT)}: {lines} lines (limit {MAX_MODULE_LINES})")
    return out


def function_breaches() -> list[str]:
    """Functions and methods over MAX_FUNCTION_LINES lines or radon complexity MAX_COMPLEXITY."""
    out = []
    for path in modules().values():
        # radon's flat list holds functions, methods and classes; a class is not a function
        for item in cc_visit(path.read_text()):
            if hasattr(item, "methods"):
                continue
            length = item.endline - item.lineno + 1
            where = f"{path.relative_to(ROOT)}:{item.lineno}: {item.name}"
            if item.complexity > MAX_COMPLEXITY:
                out.append(f"{where}: complexity {item.complexity} (limit {MAX_COMPLEXITY})")
            if length > MAX_FUNCTION_LINES:
                out.append(f"{where}: {length} lines (limit {MAX_FUNCTION_LINES})")
    return out


def cycle_breaches() -> list[str]:
    """Import cycles between the package's modules."""
    return ["import cycle: " + " <-> ".join(cycle) for cycle in import_cycles(import_graph())]


def breaches() -> list[str]:
    return module_breaches() + function_breaches() + cycle_breaches()


def main() -> int:
    found = breaches()
    for line in found:
        print(line)
    print(f"{len(found)} breach(es)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
