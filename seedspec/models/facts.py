"""ModelFacts: what application models (Django, SQLAlchemy) say of tables and columns, as plain
frozen values that know no framework and no database dialect (conditions are sqlglot trees)."""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlglot import exp

from seedspec.errors import SourceLocation

Number = int | float | Decimal

# What a field's type says of its values, beyond the column's type (DbColumn.meaning):
MEANINGS = ("email", "url", "slug", "ip", "ipv4", "ipv6", "uuid", "json")


@dataclass(frozen=True)
class FieldModel:
    """One model field stored in one column."""

    name: str  # the model's attribute
    column: str  # the column it is stored in
    meaning: str | None = None  # one of MEANINGS
    choices: tuple[Any, ...] = ()  # the only values it takes (choices, an enum's values)
    minimum: Number | None = None  # validators: MinValueValidator, Positive*Field, ...
    maximum: Number | None = None
    max_length: int | None = None
    min_length: int | None = None
    patterns: tuple[str, ...] = ()  # Python regexes each value is searched for (RegexValidator)
    required: bool = False  # never NULL, even where the column allows it (blank=False)
    location: SourceLocation | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ModelUnique:
    """A set of columns no two rows share (within `condition`, when given)."""

    name: str | None
    columns: tuple[str, ...]
    condition: exp.Expr | None = field(default=None, compare=False)
    location: SourceLocation | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ModelCheck:
    """A condition every row meets (a Meta.constraints CheckConstraint)."""

    name: str | None
    condition: exp.Expr = field(compare=False)
    location: SourceLocation | None = field(default=None, compare=False)


@dataclass(frozen=True)
class TableModel:
    """One model class and the table it is stored in."""

    label: str  # e.g. shop.Customer
    table: str  # the table's bare name
    schema: str | None = None
    fields: tuple[FieldModel, ...] = ()
    uniques: tuple[ModelUnique, ...] = ()
    checks: tuple[ModelCheck, ...] = ()
    location: SourceLocation | None = field(default=None, compare=False)

    def field_of(self, column: str) -> FieldModel | None:
        for f in self.fields:
            if f.column == column:
                return f
        return None


@dataclass(frozen=True)
class ModelFacts:
    """Every model of one --models source."""

    source: str  # the --models argument
    tables: tuple[TableModel, ...] = ()

    def table(self, name: str) -> TableModel | None:
        """The model of table `name` (a DbTable's name or bare name; case-insensitive, as
        MySQL's table names on some systems and PostgreSQL's folding may differ)."""
        bare = name.rsplit(".", 1)[-1].lower()
        for t in self.tables:
            if t.table.lower() == bare:
                return t
        return None


def locate(cls: type, attribute: str | None = None) -> SourceLocation | None:
    """Where a model class (or one of its class-level attributes) is written: file, line and
    column from the class's own source, read with ast (None when it has no source file)."""
    try:
        path = inspect.getsourcefile(cls)
        lines, start = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return None
    if path is None:
        return None
    if attribute is None:
        return SourceLocation(path, start, 1)
    try:
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except SyntaxError:
        return SourceLocation(path, start, 1)
    indent = len(lines[0]) - len(lines[0].lstrip())
    for node in ast.walk(tree):
        if _names(node, attribute) and node is not tree.body[0]:
            line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
            return SourceLocation(path, start + line - 1, col + indent + 1)
    return SourceLocation(path, start, 1)


def _names(node: ast.AST, attribute: str) -> bool:
    """Whether a statement of a class body binds `attribute` (`x = ...`, `x: T = ...`,
    `class Meta:`)."""
    if isinstance(node, ast.ClassDef):
        return node.name == attribute
    targets = node.targets if isinstance(node, ast.Assign) else []
    targets = [node.target] if isinstance(node, ast.AnnAssign) else targets
    return any(isinstance(t, ast.Name) and t.id == attribute for t in targets)
