"""The geometry kind (PostGIS geometry/geography, built-in geometric types): entry <-> params."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seedspec.kinds.base import (
    CheckContext,
    Entry,
    Kind,
    Nested,
    Params,
    Pointer,
    RenderContext,
)
from seedspec.kinds.spec import GeneratorSpec


@dataclass(frozen=True)
class GeometryParams:
    shape: str = "point"
    srid: int | None = None
    dims: str = ""  # "", Z, M or ZM
    format: str = "ewkt"  # ewkt (PostGIS, WKT when srid is None) | pg (built-in types)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> GeometryParams:
        srid = params.get("srid")
        return cls(
            str(params.get("shape") or "point"),
            None if srid is None else int(srid),
            str(params.get("dims") or ""),
            str(params.get("format") or "ewkt"),
        )


class GeometryKind(Kind):
    name = "geometry"
    runtime = "seedspec.generate.geometry:Geometry"
    params_type = GeometryParams
    examples = (
        {"geometry": {"shape": "polygon", "srid": 4326}},
        {"geometry": {}},
        {"geometry": {"shape": "multipolygon", "srid": 3857, "dims": "Z"}},
        {"geometry": {"shape": "circle", "format": "pg"}},
    )
    value_class = "str"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        typed = GeometryParams.from_params(entry["geometry"])
        return {
            "shape": typed.shape,
            "srid": typed.srid,
            "dims": typed.dims,
            "format": typed.format,
        }

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        """Reject at compile time what the generator could not draw (a shape of the other
        format, Z/M coordinates on a built-in type)."""
        typed = GeometryParams.from_params(entry["geometry"])
        from seedspec.generate.geometry import EWKT_SHAPES, PG_SHAPES  # start-up

        shapes = PG_SHAPES if typed.format == "pg" else EWKT_SHAPES
        if typed.shape not in shapes:
            ctx.add(
                pointer,
                f"geometry shape {typed.shape!r} is not a {typed.format} shape "
                f"(one of {', '.join(shapes)})",
            )
        if typed.format == "pg" and (typed.dims or typed.srid is not None):
            ctx.add(pointer, "geometry with format: pg takes no srid or dims")

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = GeometryParams.from_params(params)
        body: Entry = {}
        if typed.shape != "point":
            body["shape"] = typed.shape
        if typed.srid is not None:
            body["srid"] = typed.srid
        if typed.dims:
            body["dims"] = typed.dims
        if typed.format != "ewkt":
            body["format"] = typed.format
        return {"geometry": body}


def geometry_spec(
    shape: str, srid: int | None = None, dims: str = "", fmt: str = "ewkt"
) -> GeneratorSpec:
    """Geometry literals of one shape (EWKT with an SRID, WKT, or a built-in geometric type)."""
    return GeneratorSpec("geometry", {"shape": shape, "srid": srid, "dims": dims, "format": fmt})


def __getattr__(name: str) -> Any:
    """EWKT_SHAPES / PG_SHAPES, the shapes the generator draws, read from it when first asked
    (inference asks; validating a spec never imports the generators: start-up)."""
    if name in ("EWKT_SHAPES", "PG_SHAPES"):
        from seedspec.generate import geometry

        return getattr(geometry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
