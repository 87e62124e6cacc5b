"""SQL expression texts (defaults, CHECKs, index expressions) -> what they call or name:
`json_valid(col)`, a call of nextval(), the table columns an expression names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from seedspec.database.checks import parse
from seedspec.database.sqlvalues import unparen
from seedspec.deferred import deferred

if TYPE_CHECKING:
    from sqlglot import exp
else:
    exp = deferred("sqlglot.expressions")


def json_valid_column(sqltext: str, dialect: str | None = None) -> str | None:
    """The column of a CHECK that is exactly ``json_valid(column)`` (MariaDB's JSON), or None."""
    tree = parse(sqltext, dialect)
    node = None if tree is None else unparen(tree)
    if not (isinstance(node, exp.Anonymous) and str(node.this).lower() == "json_valid"):
        return None
    arg = unparen(node.expressions[0]) if len(node.expressions) == 1 else None
    return str(arg.name) if isinstance(arg, exp.Column) and not arg.table else None


def is_call(sqltext: str, function: str, dialect: str | None = None) -> bool:
    """Whether an SQL expression (a column default) is a call of ``function``, named in lower
    case: ``nextval('s'::regclass)`` is a call of nextval, ``'nextval(x)'`` a string."""
    if function not in sqltext.lower():
        return False  # no need to parse: every column default of a schema passes here
    tree = parse(sqltext, dialect)
    node = None if tree is None else unparen(tree)
    return isinstance(node, exp.Anonymous) and str(node.this).lower() == function


def named_columns(sqltext: str, columns: Iterable[str], dialect: str | None = None) -> list[str]:
    """The ``columns`` an SQL expression names (its sqlglot Column nodes), each once: a quoted
    name matches exactly, a bare one also case-insensitively (as databases fold it).
    Function names, casts and string literals are not columns; [] when it cannot be parsed."""
    tree = parse(sqltext, dialect)
    if tree is None:
        return []
    exact = set(columns)
    folded = {c.lower(): c for c in exact}
    found: list[str] = []
    for node in tree.find_all(exp.Column):
        name, quoted = str(node.name), bool(node.this.args.get("quoted"))
        match = name if name in exact else None if quoted else folded.get(name.lower())
        if match is not None and match not in found:
            found.append(match)
    return found
