"""The package's shape, measured: module lines, function lines, cyclomatic complexity, import cycles.

`python scripts/shape.py` prints every breach of the limits in ARCHITECTURE.md and exits 1 if any;
tests/unit/test_shape.py runs the same checks. Complexity is radon's; imports are read with `ast`,
including those under `if TYPE_CHECKING:` and inside functions.
"""

from __future__ import annotations

import ast
import sys
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


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Package modules that `name` imports anywhere in its file (top level, functions, TYPE_CHECKING)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
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


def breaches() -> list[str]:
    problems = []
    for name, path in modules().items():
        rel = path.relative_to(ROOT)
        text = path.read_text()
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            problems.append(f"{rel}: {lines} lines (limit {MAX_MODULE_LINES})")
        # radon's flat list holds functions, methods and classes; a class is not a function
        for item in cc_visit(text):
            if hasattr(item, "methods"):
                continue
            length = item.endline - item.lineno + 1
            where = f"{rel}:{item.lineno}: {item.name}"
            if item.complexity > MAX_COMPLEXITY:
                problems.append(f"{where}: complexity {item.complexity} (limit {MAX_COMPLEXITY})")
            if length > MAX_FUNCTION_LINES:
                problems.append(f"{where}: {length} lines (limit {MAX_FUNCTION_LINES})")
    for cycle in import_cycles(import_graph()):
        problems.append("import cycle: " + " <-> ".join(cycle))
    return problems


def main() -> int:
    found = breaches()
    for line in found:
        print(line)
    print(f"{len(found)} breach(es)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
