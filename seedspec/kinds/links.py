"""The link kinds (ref, lookup, index_in_parent, aggregate, default): YAML <-> params, checks.

Their runtime values come from the schema's links, so compile/bind builds them, not `build`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seedspec.errors import Problem
from seedspec.kinds.base import (
    CheckContext,
    Entry,
    Kind,
    Nested,
    Params,
    Pointer,
    RenderContext,
    plain,
)
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.fit import FitContext, column_problem
from seedspec.kinds.spec import GeneratorSpec


def split_ref(target: str) -> tuple[str, str | None]:
    """users -> (users, None); users.id -> (users, id); public.users.id -> (public.users, id)."""
    if "." not in target:
        return target, None
    table, column = target.rsplit(".", 1)
    return table, column


@dataclass(frozen=True)
class RefParams:
    table: str
    column: str | None = None
    dist: str = "uniform"
    s: float = 1.0
    where: Mapping[str, str] | None = None  # {parent_column: this_row_column}
    # the tenant column the parent must share (org_id); False: none, not even an inferred one
    within: str | bool | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> RefParams:
        s = params.get("s")
        return cls(
            params["table"],
            params.get("column"),
            params.get("dist") or "uniform",
            1.0 if s is None else float(s),
            params.get("where"),
            params.get("within"),
        )


class _Link(Kind):
    link = True

    def check_column(
        self,
        spec: GeneratorSpec,
        column: ColumnShape,
        rules: ColumnRules,
        fit: FitContext,
    ) -> list[Problem]:
        return []  # reconcile checks links against the schema's foreign keys


class RefKind(_Link):
    name = "ref"
    on_fk_column = True
    params_type = RefParams
    examples = ({"ref": "parent"}, {"ref": "parent.id", "dist": "zipf", "s": 1.5})
    pattern_hint = "must look like table or table.column (e.g. users.id)"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        table, column = split_ref(entry["ref"])
        where_map = entry.get("where")
        params = {
            "table": table,
            "column": column,
            "dist": entry.get("dist", "uniform"),
            "s": float(entry.get("s", 1.0)),
            "where": dict(where_map) if where_map is not None else None,
        }
        if "within" in entry:  # only when written: plans of refs without it stay as they were
            params["within"] = entry["within"]
        return params

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        table, _ = split_ref(entry["ref"])
        if not ctx.known_table(table):
            ctx.unknown_table(pointer, "ref to", table)
        within = entry.get("within")
        if isinstance(within, str) and entry.get("where"):
            ctx.add(
                (*pointer[:-1], "within"), "`within:` and `where:` both correlate the pick; use one"
            )
        if isinstance(within, str) and within == (pointer[-2] if not ctx.nested else None):
            ctx.add((*pointer[:-1], "within"), f"`within:` names the column itself ({within})")

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = RefParams.from_params(params)
        table, column = typed.table, typed.column
        if column is None and "." in table:  # schema.table alone would read as table.column
            key = ctx.primary_key(table)
            if key is not None and len(key) == 1:
                column = key[0]
        entry: Entry = {"ref": table if column is None else f"{table}.{column}"}
        if params.get("dist") not in (None, "uniform"):
            entry["dist"] = params["dist"]
        if params.get("s") is not None and typed.s != 1.0:
            entry["s"] = plain(params["s"])
        if typed.where:
            entry["where"] = dict(typed.where)
        if typed.within is not None:
            entry["within"] = typed.within
        return entry


@dataclass(frozen=True)
class LookupParams:
    fk_column: str  # this row's FK column
    parent_column: str  # the parent's column copied
    derive: str | None = None  # `as: city`: a city of the country the parent's column names

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> LookupParams:
        return cls(params["fk_column"], params["parent_column"], params.get("as"))


class LookupKind(_Link):
    name = "lookup"
    on_fk_column = True  # an FK column it copies is reported by compile (error-fk-column-lookup)
    params_type = LookupParams
    examples = ({"lookup": "pid.id"}, {"lookup": "country_id.country", "as": "city"})
    pattern_hint = "must look like fk_column.parent_column (e.g. product_id.price_cents)"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        fk_column, parent_column = entry["lookup"].split(".", 1)
        params: Params = {"fk_column": fk_column, "parent_column": parent_column}
        if entry.get("as"):
            params["as"] = entry["as"]
        return params

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        fk_column = entry["lookup"].split(".", 1)[0]
        kind = ctx.declared_kind(fk_column)
        if kind is not None and kind != "ref":
            ctx.add(
                pointer, f"lookup goes through {fk_column!r}, whose generator is {kind}, not ref"
            )

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = self.parse(params)
        entry: Entry = {"lookup": f"{typed.fk_column}.{typed.parent_column}"}
        if typed.derive:
            entry["as"] = typed.derive
        return entry


@dataclass(frozen=True)
class IndexParams:
    start: int = 1  # the first child's number

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> IndexParams:
        return cls(int(params.get("start", 1)))


class IndexInParentKind(_Link):
    name = "index_in_parent"
    params_type = IndexParams
    examples = ({"index_in_parent": 1},)

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {"start": int(entry["index_in_parent"])}

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        if not ctx.has_per_parent_count():
            ctx.add(
                pointer,
                f"index_in_parent needs a per-parent count on table {ctx.table_name!r} "
                "(count: {per: PARENT, ...})",
            )

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"index_in_parent": self.parse(params).start}


@dataclass(frozen=True)
class AggregateParams:
    table: str  # the child table whose rows are aggregated
    fn: str = "sum"
    of: tuple[str, ...] = ()  # the child columns

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> AggregateParams:
        return cls(params["table"], params.get("fn", "sum"), tuple(params.get("of") or ()))


class AggregateKind(_Link):
    name = "aggregate"
    params_type = AggregateParams
    examples = ({"aggregate": {"table": "child", "of": "pid"}},)

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        value = entry["aggregate"]
        of = value.get("of")
        return {
            "table": value["table"],
            "fn": value.get("fn", "sum"),
            "of": [of] if isinstance(of, str) else list(of or []),
        }

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = AggregateParams.from_params(params)
        body: Entry = {"table": typed.table}
        if typed.fn != "sum":
            body["fn"] = typed.fn
        if typed.of:
            body["of"] = typed.of[0] if len(typed.of) == 1 else list(typed.of)
        return {"aggregate": body}


class DefaultKind(_Link):
    """`default: true`: the database's default fills the column (it is left out of inserts)."""

    name = "default"
    examples = ({"default": True},)

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {}

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        if ctx.nested:
            ctx.add(pointer, "default: true applies to a table column, not inside json/array")

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"default": True}

    def check_column(
        self,
        spec: GeneratorSpec,
        column: ColumnShape,
        rules: ColumnRules,
        fit: FitContext,
    ) -> list[Problem]:
        if column.has_default or column.nullable:
            return []
        return [
            column_problem(
                "no-default",
                f"{fit.where} has `default: true` but the database has no "
                "default for it and it is NOT NULL",
                "give it a generator",
            )
        ]
