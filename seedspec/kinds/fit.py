"""GeneratorSpec + database column facts -> Problems without a location: type, CHECK, length fit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from seedspec.errors import Problem, SeedspecError
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.spec import GeneratorSpec

# What each column type kind accepts, by the class of value a generator produces.
_ANY = {"int", "float", "decimal", "bool", "str", "date", "datetime", "time", "uuid", "json"}
_ANY |= {"interval"}  # a duration's text
ACCEPTS: dict[str, set[str]] = {
    **{k: {"int"} for k in ("smallint", "integer", "bigint", "year")},
    **{k: {"int", "float", "decimal"} for k in ("numeric", "float", "money")},
    "boolean": {"bool", "int"},
    **{k: _ANY | {"array"} for k in ("char", "varchar", "text")},
    "date": {"date", "str"},
    "timestamp": {"datetime", "date", "str"},
    "timestamptz": {"datetime", "date", "str"},
    "time": {"time", "str"},
    "interval": {"interval", "str"},
    "uuid": {"uuid", "str"},
    "json": {"json", "array"},
    "enum": {"str"},
    "set": {"str"},
    "array": {"array"},
    "bytes": {"bytes", "str"},
}
_PY_CLASS = {bool: "bool", int: "int", float: "float", str: "str", dict: "json", list: "array"}


@dataclass(frozen=True)
class FitContext:
    """What a fit check needs beyond the spec and the column: how to name the column in a
    message (`where`, e.g. users.email) and the spec's locale and seed (a `gen` kind's values)."""

    where: str
    locale: str
    seed: int


def column_problem(code: str, message: str, fix: str) -> Problem:
    """A generator that does not fit its database column: the one diagnostic type, without a
    location yet (reconcile adds the spec's location, table and column).

    `code` is one of: bad-generator, type-mismatch, choice-outside-check, value-too-long,
    value-too-short, range-outside-check, no-default, null-into-not-null. `message` starts
    with the column's `where`.
    """
    return Problem(message, code=code, fix=fix)


class KindFacts(Protocol):
    """The per-kind answers the fit checks need (every `seedspec.kinds.base.Kind` has them)."""

    @property
    def name(self) -> str: ...

    @property
    def made_up(self) -> bool: ...

    def value_classes(self, spec: GeneratorSpec, locale: str, seed: int) -> set[str]: ...

    def literal_values(self, spec: GeneratorSpec) -> list[Any] | None: ...

    def bounds(self, spec: GeneratorSpec) -> tuple[Any, Any]: ...


def class_of(value: Any) -> str:
    """The value class (int, str, json ...) of one Python value."""
    if value is None:
        return "null"
    return _PY_CLASS.get(type(value), "str")


def column_problems(
    kind: KindFacts,
    spec: GeneratorSpec,
    column: ColumnShape,
    rules: ColumnRules,
    fit: FitContext,
) -> list[Problem]:
    """Type mismatch, then values outside the CHECK / enum, too long, range outside the CHECK."""
    where = fit.where
    out = type_problems(kind, spec, column, fit)
    values = kind.literal_values(spec)
    out += _allowed_problems(values, column, rules, where)
    if values is None and kind.made_up and not out:
        out += _made_up_problems(kind.name, column, rules, where)
    if values is not None and column.length and column.type in ("char", "varchar"):
        long = [v for v in values if isinstance(v, str) and len(v) > column.length]
        if long:
            message = f"{where} is {column.sql_type or column.type}: "
            out.append(
                column_problem(
                    "value-too-long",
                    message + f"{', '.join(map(repr, long))} too long",
                    "shorten the values",
                )
            )
    out += range_problems(kind.bounds(spec), rules, where)
    return out


def type_problems(
    kind: KindFacts, spec: GeneratorSpec, column: ColumnShape, fit: FitContext
) -> list[Problem]:
    """The generator produces a class of values the column's type does not accept."""
    where = fit.where
    accepted = ACCEPTS.get(column.type)
    if accepted is None:
        return []
    try:
        produced = kind.value_classes(spec, fit.locale, fit.seed) - {"null"}
    except SeedspecError as e:
        fix = "use an existing mimesis provider"
        return [column_problem("bad-generator", f"{where}: {e.message}", fix)]
    if column.type == "json" and produced == {"str"} and spec.kind == "const":
        try:
            json.loads(str(spec.params.get("value")))
            return []
        except ValueError:
            pass
    wrong = sorted(produced - accepted)
    if not wrong:
        return []
    name = spec.params.get("provider") if spec.kind == "gen" else spec.kind
    return [
        column_problem(
            "type-mismatch",
            f"{where} is {column.sql_type or column.type} but `{name}` "
            f"produces {', '.join(wrong)} values",
            f"use a generator of {'/'.join(sorted(accepted))} values",
        )
    ]


def _allowed_problems(
    values: list[Any] | None, column: ColumnShape, rules: ColumnRules, where: str
) -> list[Problem]:
    allowed, label = rules.allowed, "CHECK"
    if allowed is None and column.enum_values:
        allowed, label = list(column.enum_values), f"{column.type} type"
    banned = [v for v in values or () if v in rules.excluded]
    if banned:
        return [
            column_problem(
                "choice-outside-check",
                f"{where}: {', '.join(map(repr, banned))} excluded by its CHECK (<> / NOT IN)",
                "remove those values or change the constraint",
            )
        ]
    if values is None or allowed is None:
        return []
    outside = [v for v in values if v not in allowed and str(v) not in map(str, allowed)]
    if not outside:
        return []
    return [
        column_problem(
            "choice-outside-check",
            f"{where}: {', '.join(map(repr, outside))} "
            f"not allowed by its {label} ({', '.join(map(repr, allowed))})",
            "remove those values or change the constraint",
        )
    ]


def _made_up_problems(
    name: str, column: ColumnShape, rules: ColumnRules, where: str
) -> list[Problem]:
    """A kind that makes its values up (uuid, interval) on a column whose CHECK lists the
    values it takes (`IN (...)`), or of an enum type: no row it makes would load."""
    allowed, label = rules.allowed, "CHECK"
    if allowed is None and column.enum_values:
        allowed, label = list(column.enum_values), f"{column.type} type"
    if allowed is None:
        return []
    listed = ", ".join(map(repr, allowed))
    return [
        column_problem(
            "choice-outside-check",
            f"{where}: `{name}` values are not among those its {label} allows ({listed})",
            "use `choice:` of those values",
        )
    ]


def _past(low: Any, high: Any, inclusive: bool) -> bool:
    return bool(low > high or (low == high and not inclusive))


def range_problems(bounds: tuple[Any, Any], rules: ColumnRules, where: str) -> list[Problem]:
    """The generator's min / max fall outside the column's CHECK range, or one side is written
    past the CHECK's other side (`min: 200` alone, CHECK <= 150: no room for the open max)."""
    low, high = rules.lower, rules.upper
    ge = ">=" if rules.lower_inclusive else ">"
    le = "<=" if rules.upper_inclusive else "<"
    lo, hi = bounds
    bad = []
    if lo is not None and low is not None and _past(low, lo, rules.lower_inclusive):
        bad.append(f"min {lo} but CHECK requires {ge} {low:g}")
    if hi is not None and high is not None and _past(hi, high, rules.upper_inclusive):
        bad.append(f"max {hi} but CHECK requires {le} {high:g}")
    if (
        hi is None
        and lo is not None
        and high is not None
        and _past(lo, high, rules.upper_inclusive)
    ):
        bad.append(f"min {lo} but CHECK requires {le} {high:g}")
    if lo is None and hi is not None and low is not None and _past(low, hi, rules.lower_inclusive):
        bad.append(f"max {hi} but CHECK requires {ge} {low:g}")
    if not bad:
        return []
    fix = "narrow the generator's range to what the CHECK admits"
    return [column_problem("range-outside-check", f"{where}: {'; '.join(bad)}", fix)]
