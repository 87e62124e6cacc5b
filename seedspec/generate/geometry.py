"""Geometry literals: PostGIS (E)WKT and PostgreSQL's built-in geometric types, as text.

Each row draws a centre (lon in [-170, 170], lat in [-80, 80]) and a size in [0.001, 0.5]
from its own stream; every shape is built around that centre so it is valid by construction:
rings are convex, counter-clockwise and closed, multi-members sit side by side without touching,
a line has B = -1 (never A = B = 0) and a circle's radius is the size (> 0). Hand-written
because no library in the stack writes WKT (shapely would be a GEOS dependency for strings).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.base import Generator, objects
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.random import integers, uniform

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

EWKT_SHAPES = (
    "point",
    "linestring",
    "polygon",
    "multipoint",
    "multilinestring",
    "multipolygon",
    "geometrycollection",
)
PG_SHAPES = ("point", "line", "lseg", "box", "path", "polygon", "circle")

Pt = tuple[float, float]


def _fmt(v: float) -> str:
    return f"{v:.6f}".rstrip("0").rstrip(".")


def _ring(cx: float, cy: float, size: float, sides: int) -> list[Pt]:
    """A convex counter-clockwise ring of `sides` vertices around (cx, cy), closed."""
    pts = [
        (
            cx + size * math.cos(2 * math.pi * k / sides),
            cy + size * math.sin(2 * math.pi * k / sides),
        )
        for k in range(sides)
    ]
    return [*pts, pts[0]]


class _Row:
    """One row's drawn centre, size and vertex count, plus its extra (Z/M) coordinates."""

    def __init__(self, cx: float, cy: float, size: float, sides: int, dims: str) -> None:
        self.cx, self.cy, self.size, self.sides, self.dims = cx, cy, size, sides, dims

    def coords(self, pts: list[Pt]) -> str:
        extra = "".join(f" {_fmt(10.0 * (i + 1))}" for i, _ in enumerate(self.dims))
        return ",".join(f"{_fmt(x)} {_fmt(y)}{extra}" for x, y in pts)

    def shifted(self, n: int) -> _Row:
        """The n-th member of a multi-geometry: the same shape 3 sizes further east."""
        return _Row(self.cx + 3 * self.size * n, self.cy, self.size, self.sides, self.dims)

    def body(self, shape: str) -> str:
        """The WKT text after the type name: (x y), ((ring)) ..."""
        ring = _ring(self.cx, self.cy, self.size, self.sides)
        if shape == "point":
            return f"({self.coords([(self.cx, self.cy)])})"
        if shape == "linestring":
            return f"({self.coords(ring[: max(2, self.sides - 1)])})"
        if shape == "polygon":
            return f"(({self.coords(ring)}))"
        if shape.startswith("multi"):
            part = shape[len("multi") :]
            return "(" + ",".join(self.shifted(n).body(part) for n in range(2)) + ")"
        point = self.wkt("point")
        line = self.shifted(1).wkt("linestring")
        return f"({point},{line})"

    def wkt(self, shape: str) -> str:
        dims = f" {self.dims} " if self.dims else ""
        return f"{shape.upper()}{dims}{self.body(shape)}"

    def pg(self, shape: str) -> str:
        """A built-in geometric literal (point, line, lseg, box, path, polygon, circle)."""
        x, y, s = self.cx, self.cy, self.size
        pts = _ring(x, y, s, self.sides)[:-1]
        pairs = ",".join(f"({_fmt(px)},{_fmt(py)})" for px, py in pts)
        if shape == "point":
            return f"({_fmt(x)},{_fmt(y)})"
        if shape == "line":  # Ax + By + C = 0 through (x, y) with slope s: B = -1 never 0
            return f"{{{_fmt(s)},-1,{_fmt(y - s * x)}}}"
        if shape == "lseg":
            return f"[({_fmt(x)},{_fmt(y)}),({_fmt(x + s)},{_fmt(y + s)})]"
        if shape == "box":
            return f"(({_fmt(x + s)},{_fmt(y + s)}),({_fmt(x)},{_fmt(y)}))"
        if shape == "path":
            return f"[{pairs}]"
        if shape == "polygon":
            return f"({pairs})"
        return f"<({_fmt(x)},{_fmt(y)}),{_fmt(s)}>"


class Geometry(Generator):
    """`geometry`: params shape, srid (None: plain WKT), dims ("", Z, M, ZM), format ewkt|pg."""

    kind = "geometry"

    def rows(self, idx: np.ndarray) -> list[_Row]:
        dims = str(self.params.get("dims") or "")
        lon = (uniform(self.key, idx, 0) * 340.0 - 170.0).tolist()
        lat = (uniform(self.key, idx, 1) * 160.0 - 80.0).tolist()
        size = (0.001 + uniform(self.key, idx, 2) * 0.499).tolist()
        sides = integers(self.key, idx, 4, 6, draw=3).tolist()
        return [
            _Row(x, y, s, int(n), dims) for x, y, s, n in zip(lon, lat, size, sides, strict=True)
        ]

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        shape = str(self.params.get("shape") or "point")
        if self.params.get("format") == "pg":
            return objects([row.pg(shape) for row in self.rows(idx)])
        srid: Any = self.params.get("srid")
        prefix = f"SRID={int(srid)};" if srid is not None else ""
        return objects([prefix + row.wkt(shape) for row in self.rows(idx)])
