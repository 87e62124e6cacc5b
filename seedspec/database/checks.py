"""CHECK reader: DbCheck SQL text -> a sqlglot tree -> clauses of per-column facts.

A CHECK is read as a conjunction of clauses (its top-level ANDs); each clause is a disjunction of
alternatives (its ORs, with ANDs inside distributed); each alternative a set of per-column facts
(allowed / excluded values, range, lengths, IS [NOT] NULL, date bounds, a later-than or differs-
from column). `num_nonnulls(a, b) = 1`, `num_nulls(...)` and `(a IS NULL) <> (b IS NULL)` expand
to their alternatives. Anything else makes the whole CHECK "not understood" (no fact of it is
kept): the database then judges rows against it (the oracle). sqlglot reads the text in the
schema's dialect; no regular expression reads SQL here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import sqlglot
from sqlglot import exp

from seedspec.database.constraints import Alternative, Clause, ColumnFacts, merge_alternative

NOW_REFERENCE = "2025-12-31"
MAX_ALTERNATIVES = 64  # a CHECK whose ORs expand past this is left to the oracle
_READERS = ("postgres", "mysql", "sqlite")  # sqlglot dialects tried when none is given
_INT_TYPES = {"INT", "BIGINT", "SMALLINT", "TINYINT", "MEDIUMINT", "UBIGINT", "UINT", "USMALLINT"}
_NUM_TYPES = {"DECIMAL", "DOUBLE", "FLOAT", "MONEY", "BIGDECIMAL", "UDECIMAL"}
_DATE_TYPES = {"DATE", "TIMESTAMP", "TIMESTAMPTZ", "DATETIME", "TIMESTAMPLTZ", "TIME"}
_LENGTH_FUNCS = {"char_length", "character_length", "length", "octet_length", "len"}


@dataclass(frozen=True)
class CheckReading:
    clauses: tuple[Clause, ...]
    understood: bool
    columns: tuple[str, ...] = ()  # every column the CHECK names (sqlglot's Column nodes)
    why: str = ""  # for a CHECK not understood: the part that was not

    @property
    def facts(self) -> dict[str, ColumnFacts]:
        """Facts every row must meet: the clauses with one alternative, merged."""
        out: dict[str, ColumnFacts] = {}
        for clause in self.clauses:
            if len(clause) == 1:
                out = merge_alternative(out, clause[0])
        return out


class _Unread(Exception):
    pass


def parse(sqltext: str, dialect: str | None = None) -> exp.Expr | None:
    """The sqlglot tree of an SQL expression, in sqlglot dialect `dialect` when known
    (Capabilities.sqlglot_dialect), else the first of _READERS that reads it (a DbTable does not
    carry its dialect)."""
    for name in [dialect] if dialect else _READERS:
        try:
            return sqlglot.parse_one(sqltext, read=name)
        except (sqlglot.errors.SqlglotError, ValueError):
            continue
    return None


def read_check(sqltext: str, dialect: str | None = None) -> CheckReading:
    tree = parse(sqltext, dialect)
    if tree is None:
        return CheckReading((), False, why="not parsed")
    columns = tuple(dict.fromkeys(c.name for c in tree.find_all(exp.Column)))
    try:
        clauses = tuple(_simplify(tuple(_alternatives(c))) for c in _conjuncts(tree))
    except _Unread as err:
        return CheckReading((), False, columns, str(err))
    return CheckReading(clauses, True, columns)


def literal(text: str, dialect: str | None = None) -> Any:
    """The value of one SQL literal (`'-1'::integer` -> -1); raises ValueError if not one."""
    tree = parse(text, dialect)
    if tree is None:
        raise ValueError(f"not an SQL literal: {text!r}")
    try:
        return _value(tree)
    except _Unread as err:
        raise ValueError(f"not an SQL literal: {text!r}") from err


def value_of(node: exp.Expr) -> Any:
    """The value of a literal node (typed by its cast); raises ValueError if not one."""
    try:
        return _value(node)
    except _Unread as err:
        raise ValueError(f"not an SQL literal: {node.sql()[:80]}") from err


def _unparen(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _conjuncts(node: exp.Expr) -> list[exp.Expr]:
    node = _unparen(node)
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


def _alternatives(node: exp.Expr) -> list[Alternative]:
    """The expression in disjunctive normal form: each alternative a conjunction of facts."""
    node = _unparen(node)
    if isinstance(node, exp.Or):
        out = _alternatives(node.this) + _alternatives(node.expression)
    elif isinstance(node, exp.And):
        left, right = _alternatives(node.this), _alternatives(node.expression)
        out = [MappingProxyType(merge_alternative(a, b)) for a, b in itertools.product(left, right)]
    else:
        out = [MappingProxyType(dict(a)) for a in _atom(node)]
    if len(out) > MAX_ALTERNATIVES:
        raise _Unread("too many alternatives")
    return out


def _simplify(clause: Clause) -> Clause:
    """`a = 'x' OR a = 'y'` (alternatives naming only one column, by values): one IN list."""
    if len(clause) < 2 or any(len(a) != 1 for a in clause):
        return clause
    names = {n for a in clause for n in a}
    facts = [f for a in clause for f in a.values()]
    if len(names) != 1 or any(f != ColumnFacts(allowed=f.allowed) or not f.allowed for f in facts):
        return clause
    values = tuple(dict.fromkeys(v for f in facts for v in f.allowed or ()))
    return (MappingProxyType({names.pop(): ColumnFacts(allowed=values)}),)


def _one(name: str, **facts: Any) -> list[Alternative]:
    return [{name: ColumnFacts(**facts)}]


def _atom(node: exp.Expr) -> list[Alternative]:
    if isinstance(node, exp.Boolean):
        return [{}] if node.this else []  # CHECK (true) always holds, (false) never
    if isinstance(node, exp.Not):
        return _negated(_unparen(node.this))
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        return _one(_column(node.this), null=not node.args.get("negate"))
    if isinstance(node, exp.In) and not node.args.get("query"):
        return _one(_column(node.this), allowed=tuple(_value(v) for v in node.expressions))
    if isinstance(node, exp.Between):
        name, lo, hi = _column(node.this), _value(node.args["low"]), _value(node.args["high"])
        return _between(name, lo, hi)
    if isinstance(node, exp.Column):
        return _one(node.name, allowed=(True,))
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "json_valid":
        return _one(_column(node.expressions[0]), is_json=True)
    if isinstance(node, (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)):
        return _comparison(node)
    raise _Unread(node.sql()[:80])


def _between(name: str, lo: Any, hi: Any) -> list[Alternative]:
    return [merge_alternative(_cmp(name, ">=", lo)[0], _cmp(name, "<=", hi)[0])]


def _negated(node: exp.Expr) -> list[Alternative]:
    if isinstance(node, exp.In) and not node.args.get("query"):
        return _one(_column(node.this), excluded=tuple(_value(v) for v in node.expressions))
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        return _one(_column(node.this), null=bool(node.args.get("negate")))
    if isinstance(node, exp.Column):
        return _one(node.name, allowed=(False,))
    if isinstance(node, (exp.EQ, exp.NEQ)):
        flipped = exp.NEQ if isinstance(node, exp.EQ) else exp.EQ
        return _comparison(flipped(this=node.this, expression=node.expression))
    raise _Unread(f"NOT {node.sql()[:80]}")


_OPS: dict[type, str] = {
    exp.EQ: "=",
    exp.NEQ: "<>",
    exp.GT: ">",
    exp.GTE: ">=",
    exp.LT: "<",
    exp.LTE: "<=",
}
_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "=": "=", "<>": "<>"}


def _comparison(node: exp.Expr) -> list[Alternative]:
    op = _OPS[type(node)]
    left, right = _unparen(node.this), _unparen(node.expression)
    if (found := _special(op, left, right)) is not None:
        return found
    if (found := _special(_FLIP[op], right, left)) is not None:
        return found
    if _is_column(left) and _is_column(right):
        return _columns(_column(left), op, _column(right))
    if _is_column(left):
        return _cmp(_column(left), op, _value(right))
    if _is_column(right):
        return _cmp(_column(right), _FLIP[op], _value(left))
    raise _Unread(node.sql()[:80])


def _special(op: str, left: exp.Expr, right: exp.Expr) -> list[Alternative] | None:
    """Comparisons whose left side is a function of columns: lengths, counts of NULLs,
    (a IS NULL) <> (b IS NULL), x = ANY (ARRAY[...]), col <= now() - interval."""
    fname = _func_name(left)
    if fname in _LENGTH_FUNCS and _is_column(_args(left)[0]):
        return _length(_column(_args(left)[0]), op, _value(right))
    if fname in ("num_nonnulls", "num_nulls") and op == "=":
        names = [_column(a) for a in _args(left)]
        k = int(_value(right))
        k = k if fname == "num_nonnulls" else len(names) - k
        return [
            {n: ColumnFacts(null=n not in chosen) for n in names}
            for chosen in itertools.combinations(names, k)
        ]
    if isinstance(left, exp.Is) and isinstance(right, (exp.Is, exp.Not)) and op in ("=", "<>"):
        a, b = _is_null(left), _is_null(right)
        same = op == "="
        return [
            {a[0]: ColumnFacts(null=va == a[1]), b[0]: ColumnFacts(null=vb == b[1])}
            for va, vb in ((True, True), (False, False), (True, False), (False, True))
            if (va == vb) == same
        ]
    if _is_column(left) and fname is None and isinstance(right, exp.Any | exp.Anonymous):
        return _any_all(_column(left), op, right)
    if _is_column(left) and _moment(right) is not None:
        if op not in ("<", "<="):
            raise _Unread("a lower bound on the clock moves with it")
        return _one(_column(left), latest=_moment(right))
    return None


def _any_all(name: str, op: str, node: exp.Expr) -> list[Alternative] | None:
    word = "ANY" if isinstance(node, exp.Any) else str(node.this).upper()
    inner = _unparen(node.this if isinstance(node, exp.Any) else node.expressions[0])
    if isinstance(inner, exp.Cast):
        inner = _unparen(inner.this)
    if not isinstance(inner, exp.Array):
        return None
    values = tuple(_value(v) for v in inner.expressions)
    if word == "ANY" and op == "=":
        return _one(name, allowed=values)
    if word == "ALL" and op == "<>":
        return _one(name, excluded=values)
    raise _Unread(f"{op} {word}")


def _is_null(node: exp.Expr) -> tuple[str, bool]:
    """(column, whether the predicate is true when the column is NULL)."""
    negate = isinstance(node, exp.Not)
    node = _unparen(node.this) if negate else node
    if not isinstance(node, exp.Is) or not isinstance(node.expression, exp.Null):
        raise _Unread(node.sql()[:80])
    return _column(node.this), not (negate or node.args.get("negate"))


def _func_name(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    if isinstance(node, exp.Length):
        return "length"
    return None


def _args(node: exp.Expr) -> list[exp.Expr]:
    return list(node.expressions) if isinstance(node, exp.Anonymous) else [node.this]


def _is_column(node: exp.Expr) -> bool:
    node = _unparen(node)
    while isinstance(node, exp.Cast):
        node = _unparen(node.this)
    return isinstance(node, exp.Column)


def _column(node: exp.Expr) -> str:
    node = _unparen(node)
    while isinstance(node, exp.Cast):  # (channel_type)::text reads the column itself
        node = _unparen(node.this)
    if not isinstance(node, exp.Column):
        raise _Unread(f"not a column: {node.sql()[:80]}")
    return str(node.name)


def _value(node: exp.Expr) -> Any:
    """A literal's value, typed by its cast: `'-1'::integer` is -1, `'x'::text` is 'x'."""
    node = _unparen(node)
    if isinstance(node, exp.Neg):
        v = _value(node.this)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _Unread(node.sql())
        return -v
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Cast):
        return _cast(_value(node.this), node.to)
    if isinstance(node, exp.Literal):
        text = str(node.this)
        return text if node.is_string else _number(text)
    raise _Unread(f"not a literal: {node.sql()[:80]}")


def _number(text: str) -> int | float:
    number = float(text)
    try:
        return int(text)
    except ValueError:
        return number


def _cast(value: Any, to: exp.DataType) -> Any:
    kind = to.this.name if hasattr(to.this, "name") else str(to.this)
    if kind in _INT_TYPES:
        return int(_number(str(value)))
    if kind in _NUM_TYPES:
        return _number(str(value))
    if kind == "BOOLEAN":
        return str(value).lower() in ("t", "true", "1", "yes", "on")
    return value  # text and date types: the literal's own text


def _moment(node: exp.Expr) -> str | None:
    """now() / CURRENT_DATE +- 'N unit'::interval, read at NOW_REFERENCE (determinism)."""
    node = _unparen(node)
    if isinstance(node, (exp.CurrentTimestamp, exp.CurrentDate)):
        return NOW_REFERENCE
    if isinstance(node, (exp.Add, exp.Sub)) and _moment(node.this) is not None:
        n, unit = _interval(node.expression)
        return _shift(NOW_REFERENCE, -n if isinstance(node, exp.Sub) else n, unit)
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "now":
        return NOW_REFERENCE
    return None


def _interval(node: exp.Expr) -> tuple[int, str]:
    node = _unparen(node)
    if isinstance(node, exp.Interval):
        amount, unit = str(_value(node.this)), node.unit.name if node.unit else ""
        text = f"{amount} {unit}"
    elif isinstance(node, exp.Cast):
        text = str(_value(node.this))
    else:
        raise _Unread(node.sql()[:80])
    # the interval literal is data, not SQL: '18 years' is a count and a unit
    parts = text.split()
    if len(parts) != 2 or not parts[0].isdigit():
        raise _Unread(f"interval {text!r}")
    unit = parts[1].lower().rstrip("s")
    if unit not in ("year", "mon", "month", "day", "week"):
        raise _Unread(f"interval {text!r}")
    return int(parts[0]), unit


def _shift(day: str, n: int, unit: str) -> str:
    base = dt.date.fromisoformat(day)
    if unit == "year":
        return base.replace(year=base.year + n).isoformat()
    if unit in ("mon", "month"):
        months = base.year * 12 + base.month - 1 + n
        return base.replace(
            year=months // 12, month=months % 12 + 1, day=min(base.day, 28)
        ).isoformat()
    return (base + dt.timedelta(days=n * (7 if unit == "week" else 1))).isoformat()


def _columns(left: str, op: str, right: str) -> list[Alternative]:
    """end_date > start_date: the later column follows the earlier; a <> b: b differs."""
    if op == "<>":
        return _one(right, differs_from=left)
    if op == "=":
        raise _Unread(f"{left} = {right}")
    later, earlier = (left, right) if op in (">", ">=") else (right, left)
    return _one(later, after=(earlier, op in (">", "<")))


def _is_date(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


def _cmp(name: str, op: str, value: Any) -> list[Alternative]:
    if value is None:
        raise _Unread(f"{name} {op} NULL")
    if op == "=":
        return _one(name, allowed=(value,))
    if op == "<>":
        return _one(name, excluded=(value,))
    if isinstance(value, str):
        if _is_date(value):
            return _one(name, **({"earliest": value} if ">" in op else {"latest": value}))
        try:
            value = _number(value.strip())
        except ValueError:
            raise _Unread(f"{name} {op} {value!r}") from None
    if isinstance(value, bool):
        raise _Unread(f"{name} {op} {value}")
    if op in (">", ">="):
        return [{name: ColumnFacts().with_lower(float(value), op == ">=")}]
    return [{name: ColumnFacts().with_upper(float(value), op == "<=")}]


def _length(name: str, op: str, n: Any) -> list[Alternative]:
    if not isinstance(n, int) or isinstance(n, bool):
        raise _Unread(f"length of {name} {op} {n!r}")
    if op in ("<", "<="):
        return _one(name, max_length=n - (op == "<"))
    if op in (">", ">="):
        return _one(name, min_length=n + (op == ">"))
    if op == "=":
        return _one(name, min_length=n, max_length=n)
    raise _Unread(f"length of {name} <> {n}")


__all__ = [
    "Alternative",
    "CheckReading",
    "Clause",
    "ColumnFacts",
    "literal",
    "merge_alternative",
    "parse",
    "read_check",
    "value_of",
]
