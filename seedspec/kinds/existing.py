"""The `existing` kind: `{existing: {table, column, where}}` -> a value picked among the rows
already in a table (read when the plan is made, kept in the plan as `values`), by seed.

The values are read by `database/picks.py` (distinct, non-NULL, ordered by the column, at most
EXISTING_LIMIT, filtered by `where`) and filled into the params before compile; offline they
are not read (`values` None: assumed to exist, and such a plan cannot be applied).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec.errors import Problem
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
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.fit import FitContext, class_of, column_problem, column_problems
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:
    from seedspec.generate.base import Generator

EXISTING_LIMIT = 10_000  # as many keys as a left-alone parent's (api.EXISTING_ROWS_LIMIT)


@dataclass(frozen=True)
class ExistingParams:
    table: str
    column: str | None = None  # None: the FK's referenced column, else the primary key
    where: str | None = None
    values: tuple[Any, ...] | None = None  # read from the database; None: not read (offline)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ExistingParams:
        values = params.get("values")
        return cls(
            str(params.get("table")),
            params.get("column"),
            params.get("where"),
            None if values is None else tuple(values),
        )


class ExistingKind(Kind):
    name = "existing"
    params_type = ExistingParams
    examples = (
        {"existing": {"table": "parent"}},
        {"existing": {"table": "parent", "column": "id", "where": "id > 1"}},
    )
    unique_capable = True
    on_fk_column = True  # picks among the rows the FK's table already holds
    holds_data = True

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        value = entry["existing"]
        return {
            "table": value["table"],
            "column": value.get("column"),
            "where": value.get("where"),
            "values": None,
        }

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        if ctx.nested:
            ctx.add(pointer, "existing: picks a whole column's values; it cannot be nested")
        where = entry["existing"].get("where")
        if where is not None and not where.strip():
            ctx.add((*pointer, "where"), "existing where: is empty; leave it out to pick any row")

    def finite_values(self, spec: GeneratorSpec) -> list[Any] | None:
        values = self.parse(spec.params).values
        return None if values is None else list(values)

    def value_classes(self, spec: GeneratorSpec, locale: str, seed: int) -> set[str]:
        return {class_of(v) for v in self.parse(spec.params).values or ()}

    def check_column(
        self, spec: GeneratorSpec, column: ColumnShape, rules: ColumnRules, fit: FitContext
    ) -> list[Problem]:
        """No row to pick from is an error before any row is written (rows not read: none)."""
        typed = self.parse(spec.params)
        if typed.values is not None and not typed.values:
            where = f" WHERE {typed.where}" if typed.where else ""
            return [
                column_problem(
                    "existing-empty",
                    f"{fit.where}: no existing rows in {typed.table!r}{where} to pick from",
                    f"insert matching {typed.table} rows first, or change `where:`",
                )
            ]
        return column_problems(self, spec, column, rules, fit)

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = self.parse(params)
        body: dict[str, Any] = {"table": typed.table}
        if typed.column is not None:
            body["column"] = typed.column
        if typed.where is not None:
            body["where"] = typed.where
        return {"existing": body}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        from seedspec.generate.pycall import Unavailable
        from seedspec.generate.values import Choice

        typed = self.parse(params)
        if typed.values is None:
            why = (
                f"{ctx.table}.{ctx.column}: `existing:` rows of {typed.table!r} were not read "
                "(compiled offline); plan against the database to apply or export"
            )
            return Unavailable(key, params, why)
        return Choice(key, {"values": list(typed.values), "weights": None}, spec.unique)
