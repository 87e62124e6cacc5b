"""The `from` kind (a value built from other columns of the row: an email from the name parts,
a slug from a title): YAML entry <-> params <-> Generator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec.kinds.base import (
    BuildContext,
    CheckContext,
    Entry,
    Kind,
    Nested,
    Params,
    Pointer,
    RenderContext,
)
from seedspec.kinds.column import ColumnShape
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # generators are imported only to build (start-up: validate needs none)
    from seedspec.generate.base import Generator

# the forms `as:` names (seedspec/generate/derived.py FORMS; kept here so validate needs no numpy)
FORMS = ("email", "username", "full_name", "slug")


@dataclass(frozen=True)
class FromParams:
    columns: tuple[str, ...]  # the row's columns it reads, in order (first name, last name)
    form: str  # `as`: email | username | full_name | slug
    domain: str | None = None  # email only: one domain instead of example.com/.org/.net

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> FromParams:
        return cls(tuple(params["columns"]), params["as"], params.get("domain"))


class FromKind(Kind):
    name = "from"
    params_type = FromParams
    examples = (
        {"from": ["first_name", "last_name"], "as": "email", "unique": True},
        {"from": "title", "as": "slug"},
        {"from": ["given", "family"], "as": "email", "domain": "acme.test"},
    )
    unique_capable = True
    value_class = "str"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        columns = entry["from"]
        columns = [columns] if isinstance(columns, str) else list(columns)
        return {"columns": columns, "as": entry["as"], "domain": entry.get("domain")}

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        columns = entry["from"]
        columns = [columns] if isinstance(columns, str) else list(columns)
        column = pointer[-2] if len(pointer) >= 2 and not ctx.nested else None
        if column in columns:
            ctx.add(pointer, f"`from:` names the column itself ({column}); name other columns")
        if len(set(columns)) < len(columns):
            ctx.add(pointer, "`from:` names a column twice")
        if entry.get("domain") is not None and entry["as"] != "email":
            ctx.add((*pointer[:-1], "domain"), f"`domain:` is for `as: email`, not {entry['as']}")

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = FromParams.from_params(params)
        columns: Any = typed.columns[0] if len(typed.columns) == 1 else list(typed.columns)
        entry: Entry = {"from": columns, "as": typed.form}
        if typed.domain:
            entry["domain"] = typed.domain
        return entry

    def resolve_column(self, params: Params, column: ColumnShape) -> Params:
        if column.length and column.type in ("char", "varchar"):
            current = params.get("max_length")  # a CHECK's length(x) <= n, from inference
            params["max_length"] = min(current or column.length, column.length)
        return params

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        from seedspec.generate.derived import Derived  # at build: start-up

        max_length = params.pop("max_length", None)
        return Derived(key, params, ctx.table, spec.unique, max_length)


def from_spec(columns: list[str], form: str) -> GeneratorSpec:
    """A value built from other columns of the row (inference: email from the name parts)."""
    return GeneratorSpec("from", {"columns": list(columns), "as": form, "domain": None})
