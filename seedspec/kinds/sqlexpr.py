"""The `sql` kind: `{sql: "EXPRESSION"}` -> a column the database computes after the load.

The kind holds the expression only: compile puts a placeholder in the insert where the column
needs one (NOT NULL without a default: inference's value) and an UPDATE setting the column to
the expression after every table is loaded (compile/passes/sqlcols.py, with the target's
sqlglot dialect); it never builds a value generator of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seedspec.errors import Problem
from seedspec.kinds.base import CheckContext, Entry, Kind, Nested, Params, Pointer, RenderContext
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.fit import FitContext
from seedspec.kinds.spec import GeneratorSpec


@dataclass(frozen=True)
class SqlParams:
    expr: str

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SqlParams:
        return cls(str(params.get("expr") or ""))


class SqlKind(Kind):
    name = "sql"
    params_type = SqlParams
    examples = ({"sql": "lower('X')"},)
    builds_values = False
    on_fk_column = True  # refused there by compile (sql-on-key), with its own message
    holds_data = True

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {"expr": entry["sql"]}

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        if ctx.nested:
            ctx.add(pointer, "sql: sets a whole column after the load; it cannot be nested")

    def check_column(
        self, spec: GeneratorSpec, column: ColumnShape, rules: ColumnRules, fit: FitContext
    ) -> list[Problem]:
        """The database computes the value: no type, CHECK or length fit to judge here."""
        return []

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"sql": self.parse(params).expr}
