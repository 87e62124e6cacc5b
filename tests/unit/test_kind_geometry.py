"""The geometry kind: EWKT / built-in geometric literals that are valid by construction.

The PostgreSQL side (ST_IsValid, ST_SRID, the built-in types' input functions) is proved in
tests/integration/test_types.py; here the text itself, row by row, and compile-time rejection.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_kinds import ROWS, build

from seedspec.errors import SeedspecError
from seedspec.spec.source import load_document
from seedspec.spec.validate import validate_document

_NUM = r"-?\d+(?:\.\d+)?"


def _ring(text: str) -> list[tuple[float, ...]]:
    return [tuple(float(v) for v in pt.split()) for pt in text.split(",")]


def _signed_area(pts: list[tuple[float, ...]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(pts, pts[1:], strict=False)) / 2


def test_geometry_polygons_are_closed_counter_clockwise_rings_with_their_srid() -> None:
    values = build({"geometry": {"shape": "polygon", "srid": 4326}})(ROWS)
    for text in values:
        m = re.fullmatch(r"SRID=4326;POLYGON\(\((.*)\)\)", text)
        assert m, text
        ring = _ring(m.group(1))
        assert len(ring) >= 5 and ring[0] == ring[-1]  # at least 4 corners, closed
        assert _signed_area(ring) > 0  # counter-clockwise, not degenerate
        assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring)
    assert len(set(values)) == len(values)


def test_geometry_z_and_m_variants_carry_one_coordinate_per_dimension() -> None:
    z = build({"geometry": {"shape": "multipolygon", "dims": "Z"}})(range(50))
    assert all(v.startswith("MULTIPOLYGON Z (((") for v in z)
    assert all(len(p.split()) == 3 for v in z for p in v[len("MULTIPOLYGON Z ") :].split(","))
    m = build({"geometry": {"shape": "linestring", "srid": 3857, "dims": "M"}})(range(50))
    assert all(v.startswith("SRID=3857;LINESTRING M (") for v in m)
    bare = build({"geometry": {}})(range(50))
    assert all(re.fullmatch(rf"POINT\({_NUM} {_NUM}\)", v) for v in bare)


def test_geometry_built_in_types_are_well_formed() -> None:
    circles = build({"geometry": {"shape": "circle", "format": "pg"}})(ROWS)
    for text in circles:
        m = re.fullmatch(rf"<\(({_NUM}),({_NUM})\),({_NUM})>", text)
        assert m and float(m.group(3)) > 0, text
    lines = build({"geometry": {"shape": "line", "format": "pg"}})(ROWS)
    for text in lines:
        a, b, _ = (float(v) for v in text.strip("{}").split(","))
        assert a != 0 or b != 0
    for shape, head in (("box", "(("), ("lseg", "[("), ("path", "[("), ("polygon", "((")):
        values = build({"geometry": {"shape": shape, "format": "pg"}})(range(100))
        assert all(v.startswith(head) for v in values), shape


def _spec(tmp_path: Path, entry: str) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(
        f"seedspec: 1\ntables:\n  t:\n    count: 3\n    columns:\n      g: {entry}\n",
        encoding="utf-8",
    )
    validate_document(load_document(str(path)))


@pytest.mark.parametrize(
    "entry",
    [
        "{geometry: {shape: circle}}",  # a built-in shape written as EWKT
        "{geometry: {shape: linestring, format: pg}}",  # an EWKT shape as a built-in type
        "{geometry: {shape: box, format: pg, srid: 4326}}",
        "{geometry: {shape: blob}}",  # not a shape at all (the JSON Schema)
    ],
)
def test_geometry_parameters_the_generator_cannot_draw_are_rejected_at_compile(
    tmp_path: Path, entry: str
) -> None:
    with pytest.raises(SeedspecError):
        _spec(tmp_path, entry)
    _spec(tmp_path, "{geometry: {shape: polygon, srid: 4326}}")  # and a good one passes
