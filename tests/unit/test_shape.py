"""The package's shape limits (scripts/shape.py) -> a test per limit, listing every breach."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("shape", ROOT / "scripts" / "shape.py")
assert _spec and _spec.loader
shape = importlib.util.module_from_spec(_spec)
sys.modules["shape"] = shape
_spec.loader.exec_module(shape)


def _report(found: list[str]) -> str:
    return f"{len(found)} breach(es):\n" + "\n".join(found)


def test_no_module_over_450_lines() -> None:
    assert shape.MAX_MODULE_LINES == 450
    found = shape.module_breaches()
    assert not found, _report(found)


def test_no_function_over_80_lines_or_complexity_20() -> None:
    assert (shape.MAX_FUNCTION_LINES, shape.MAX_COMPLEXITY) == (80, 20)
    found = shape.function_breaches()
    assert not found, _report(found)


def test_no_import_cycles() -> None:
    found = shape.cycle_breaches()
    assert not found, _report(found)


def test_every_module_opens_with_a_docstring() -> None:
    found = []
    for name, path in shape.modules().items():
        text = path.read_text()
        if text.strip() and not text.lstrip().startswith('"""'):
            found.append(f"{path.relative_to(ROOT)}: {name} has no module docstring")
    assert not found, _report(found)


def test_cycle_finder_sees_type_checking_and_function_imports(tmp_path: Path) -> None:
    """A cycle closed only by an import under TYPE_CHECKING or inside a function is a cycle."""
    a, b, c = tmp_path / "a.py", tmp_path / "b.py", tmp_path / "c.py"
    a.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import b\n")
    b.write_text("def f():\n    import pkg.a\n")
    c.write_text("import pkg.a\n")
    known = {"pkg.a", "pkg.b", "pkg.c"}
    graph = {
        name: shape.imports_of(name, path, known)
        for name, path in (("pkg.a", a), ("pkg.b", b), ("pkg.c", c))
    }
    assert graph == {"pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": {"pkg.a"}}
    assert shape.import_cycles(graph) == [["pkg.a", "pkg.b"]]


def test_test_file_names_are_unique() -> None:
    """pytest imports tests/ folders without packages by basename: two test_x.py in two folders
    are an import-file-mismatch error at collection (tests/unit and tests/integration)."""
    seen: dict[str, Path] = {}
    clashes = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if path.name in seen:
            clashes.append(f"{seen[path.name].relative_to(ROOT)} and {path.relative_to(ROOT)}")
        seen.setdefault(path.name, path)
    assert not clashes, clashes
