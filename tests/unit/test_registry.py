"""One registry drives every generator kind: seedspec.kinds.KINDS against the schema and the code.

- the JSON Schema's generator list (the `column` oneOf) and KINDS name the same kinds, in order;
- every kind's examples validate, render back to YAML (`init`) and validate to an equal spec;
- no module outside seedspec/kinds/ holds a per-kind table (an AST scan of literals).
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from seedspec.authoring.yamlgen import column_entry, entry_lines
from seedspec.database.model import TYPE_KINDS
from seedspec.kinds import GENERATOR_KINDS, KINDS, Kind, kind_of
from seedspec.kinds.spec import GeneratorSpec
from seedspec.spec.model import GENERATOR_KINDS as SPEC_GENERATOR_KINDS
from seedspec.spec.source import load_document
from seedspec.spec.validate import spec_schema, validate_document

PACKAGE = Path(__file__).resolve().parents[2] / "seedspec"


def schema_kinds() -> list[str]:
    """The generator keys of the JSON Schema's `column` (one oneOf branch per kind)."""
    column = spec_schema()["definitions"]["column"]
    return [branch["required"][0] for branch in column["oneOf"]]


def test_schema_and_registry_name_the_same_kinds_in_the_same_order() -> None:
    assert schema_kinds() == list(KINDS)
    assert GENERATOR_KINDS == tuple(KINDS) == SPEC_GENERATOR_KINDS


def test_every_kind_is_one_kind_object_named_by_its_key() -> None:
    for name, kind in KINDS.items():
        assert isinstance(kind, Kind)
        assert kind.name == name
        assert kind.examples, f"{name}: give the kind at least one example entry"
        for example in kind.examples:
            assert kind_of(example) == name


# -- examples round-trip: entry -> GeneratorSpec -> YAML (init) -> GeneratorSpec -------------------

_HEAD = (
    "seedspec: 1\n"
    "tables:\n"
    "  parent:\n"
    "    count: 3\n"
    "  child:\n"
    "    count: {per: parent, max: 3}\n"
    "    columns:\n"
    "      pid: {ref: parent}\n"
)


def _load(tmp_path: Path, name: str, lines: list[str]) -> dict[str, GeneratorSpec]:
    path = tmp_path / f"{name}.yaml"
    path.write_text(_HEAD + "".join(line + "\n" for line in lines), encoding="utf-8")
    spec = validate_document(load_document(str(path)))
    child = spec.table("child")
    assert child is not None
    return {c.name: c.generator for c in child.columns}


def _cases() -> list[tuple[str, int, dict[str, Any]]]:
    return [(name, i, ex) for name, k in KINDS.items() for i, ex in enumerate(k.examples)]


@pytest.mark.parametrize(("name", "i", "example"), _cases(), ids=lambda v: str(v)[:40])
def test_every_kind_renders_yaml_that_validates_back_to_an_equal_spec(
    tmp_path: Path, name: str, i: int, example: dict[str, Any]
) -> None:
    written = _load(tmp_path, "written", entry_lines("x", example, 6))
    first = written["x"]
    assert first.kind == name
    rendered = column_entry(first)
    again = _load(tmp_path, "rendered", entry_lines("x", rendered, 6))["x"]
    assert again == first  # location takes no part in equality
    assert column_entry(again) == rendered


@pytest.mark.parametrize(("name", "i", "example"), _cases(), ids=lambda v: str(v)[:40])
def test_every_kind_parses_its_params_into_a_frozen_dataclass(
    tmp_path: Path, name: str, i: int, example: dict[str, Any]
) -> None:
    spec = _load(tmp_path, "written", entry_lines("x", example, 6))["x"]
    typed = KINDS[name].parse(spec.params)
    assert dataclasses.is_dataclass(typed)
    fields = dataclasses.fields(typed)
    if fields:  # frozen: assigning a field raises
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(typed, fields[0].name, None)


def test_location_does_not_take_part_in_equality() -> None:
    from seedspec.errors import SourceLocation

    a = GeneratorSpec("int", {"min": 1}, location=SourceLocation("a.yaml", 1, 1))
    b = GeneratorSpec("int", {"min": 1}, location=SourceLocation("b.yaml", 9, 9))
    assert a == b


# -- no per-kind tables outside seedspec/kinds/ ----------------------------------------------------

# Kind names that are not also column type names (date, json, uuid, cidr ... are both): a
# literal naming three of these is a per-kind table, not a per-type one.
KIND_ONLY_NAMES = frozenset(KINDS) - frozenset(TYPE_KINDS)


def per_kind_literals(source: str) -> list[tuple[int, list[str]]]:
    """(line, kind names) of each dict/tuple/list/set literal naming 3+ kinds as keys/items."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            items: list[ast.expr | None] = list(node.keys)
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = list(node.elts)
        else:
            continue
        names = {
            item.value
            for item in items
            if isinstance(item, ast.Constant) and item.value in KIND_ONLY_NAMES
        }
        if len(names) >= 3:
            found.append((node.lineno, sorted(names)))
    return found


def test_the_scan_sees_a_per_kind_table() -> None:
    assert per_kind_literals('T = {"int": 1, "choice": 2, "gen": 3}') == [
        (1, ["choice", "gen", "int"])
    ]
    assert per_kind_literals('U = ("date", "json", "uuid", "int")') == []  # column types


def test_no_module_outside_kinds_holds_a_per_kind_table() -> None:
    breaches = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {', '.join(names)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "kinds" not in path.relative_to(PACKAGE).parts[:1]
        for line, names in per_kind_literals(path.read_text(encoding="utf-8"))
    ]
    assert not breaches, "per-kind tables outside seedspec/kinds/:\n" + "\n".join(breaches)
