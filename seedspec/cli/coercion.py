"""A command-line parameter's annotation + the text given -> its Python value, for the plain types
seedspec's options use (str, int, float, bool, Enum, X | None, list[X]), without pydantic.

Hand-written for start-up time: typer 0.29 coerces every parameter through a pydantic
TypeAdapter, and importing pydantic costs ~0.2 s on every call (`seedspec validate` in a
pre-commit hook included). Any other annotation, or a parameter typer would open as a file, goes
to typer's own coercion (`build_runtime_param`), which is then imported as before.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass
from typing import Any

from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam, TypeDescriptor

_SCALARS = (str, int, float, bool)


def _leaf(annotation: Any) -> Any:
    """The scalar an annotation holds (X for X | None), or None when it is not a plain one."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        return _leaf(kept[0]) if len(kept) == 1 else None
    if annotation in _SCALARS or (
        isinstance(annotation, type) and issubclass(annotation, enum.Enum)
    ):
        return annotation
    return None


def plain_annotation(annotation: Any) -> tuple[Any, bool] | None:
    """(the scalar type, whether a list of it) for the annotations handled here, else None."""
    inner = annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kept = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(kept) != 1:
            return None
        inner = kept[0]
    if typing.get_origin(inner) is list:
        leaf = _leaf(typing.get_args(inner)[0]) if typing.get_args(inner) else None
        return (leaf, True) if leaf is not None else None
    leaf = _leaf(inner)
    return (leaf, False) if leaf is not None else None


_TRUE = ("1", "true", "yes", "on", "y", "t")
_FALSE = ("0", "false", "no", "off", "n", "f")


def _scalar(kind: Any, value: Any) -> Any:
    """One value as `kind` (ValueError with click's wording when it is not one)."""
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        names = [str(m.value) for m in kind]
        if str(value) not in names:
            raise ValueError(f"{value!r} is not one of {', '.join(map(repr, names))}.")
        return kind(str(value))
    if kind is bool:
        text = str(value).strip().lower()
        if text not in _TRUE + _FALSE:
            raise ValueError(f"{value!r} is not a valid boolean.")
        return text in _TRUE
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a valid {kind.__name__}.") from None


def _ranged(out: Any, info: Any) -> Any:
    """A number checked against the parameter's min/max (click's IntRange/FloatRange rules)."""
    lo, hi = info.min, info.max
    if getattr(info, "clamp", False):
        out = max(lo, out) if lo is not None else out
        return min(hi, out) if hi is not None else out
    if (lo is not None and out < lo) or (hi is not None and out > hi):
        low = f"{lo}<=" if lo is not None else ""
        high = f"<={hi}" if hi is not None else ""
        raise ValueError(f"{out} is not in the range {low}x{high}.")
    return out


def _convert(kind: Any, value: Any, descriptor: TypeDescriptor) -> Any:
    """One value as `kind`, checked against the parameter's min/max."""
    out = _scalar(kind, value)
    info = descriptor.parameter_info
    if kind in (int, float) and (info.min is not None or info.max is not None):
        return _ranged(out, info)
    return out


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """Coercion of the plain annotations (`plain_annotation`), with typer's error type."""

    kind: Any = None
    many: bool = False

    def _coerce_value(self, value: Any, param: Any, ctx: Context) -> Any:
        try:
            if self.many:
                items = value if isinstance(value, (list, tuple)) else [value]
                return [_convert(self.kind, v, self.descriptor) for v in items]
            return _convert(self.kind, value, self.descriptor)
        except ValueError as err:
            raise BadParameter(str(err), ctx=ctx, param=param) from None

    @property
    def descriptor(self) -> TypeDescriptor:
        return TypeDescriptor(self.annotation, self.parameter_info, None)


def plain_runtime_param(descriptor: TypeDescriptor) -> RuntimeParam | None:
    """The light coercion for a plain annotation, else None (typer's own is used)."""
    if descriptor.file_annotation is not None:
        return None
    found = plain_annotation(descriptor.annotation)
    if found is None:
        return None
    kind, many = found
    return PlainRuntimeParam(descriptor.parameter_info, descriptor.annotation, kind, many)
