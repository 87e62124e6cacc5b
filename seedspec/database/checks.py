"""CHECK reader: DbCheck SQL text -> a sqlglot tree -> clauses of per-column facts.

A CHECK is read as a conjunction of clauses (its top-level ANDs); each clause is a disjunction of
alternatives (its ORs, with ANDs inside distributed); each alternative a set of per-column facts
(allowed / excluded values, range (a fixed interval as its seconds), lengths, IS [NOT] NULL, date
bounds, a later-than or differs-from column). num_nonnulls / num_nulls and (a IS NULL) <> (b IS
NULL) expand to alternatives. Anything else makes the CHECK "not understood" (no fact kept): the
database judges rows against it (the oracle). sqlglot reads it; no regular expression reads SQL.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from seedspec.database.checkfuncs import (
    array_size,
    chain_comparison,
    chain_in,
    json_type,
    length_target,
)
from seedspec.database.constraints import Alternative, Clause, ColumnFacts, merge_alternative
from seedspec.database.patterns import read_pattern
from seedspec.database.sqlvalues import (
    Unread,
    column_name,
    duration,
    is_column,
    is_date,
    moment,
    number,
    unparen,
    value,
)
from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlglot
    from sqlglot import exp
else:
    sqlglot = deferred("sqlglot")
    exp = deferred("sqlglot.expressions")

MAX_ALTERNATIVES = 64  # a CHECK whose ORs expand past this is left to the oracle
_READERS = ("postgres", "mysql", "sqlite")  # sqlglot dialects tried when none is given
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


def parse(sqltext: str, dialect: str | None = None) -> exp.Expr | None:
    """The sqlglot tree of an SQL expression, in sqlglot dialect `dialect` when known
    (Capabilities.sqlglot_dialect), else the first of _READERS that reads it (a DbTable does not
    carry its dialect)."""
    for name in [dialect] if dialect else _READERS:
        try:
            tree = sqlglot.parse_one(sqltext, read=name)
        except (sqlglot.errors.SqlglotError, ValueError):
            continue
        # whether the reader's strings escape with a backslash (MySQL's do, and its LIKE's
        # default escape is the backslash): patterns.read_pattern
        escapes = sqlglot.Dialect.get_or_raise(name).tokenizer_class.STRING_ESCAPES
        tree.meta["backslash"] = "\\" in escapes
        return tree
    return None


_READINGS: dict[tuple[str, str | None], CheckReading] = {}  # kept by database/factcache.py


def read_check(sqltext: str, dialect: str | None = None) -> CheckReading:
    """What one CHECK says (a pure function of its text and dialect: read once per process,
    and from the facts cache when its snapshot was read before)."""
    key = (sqltext, dialect)
    found = _READINGS.get(key)
    if found is None:
        found = _READINGS[key] = _read_check(sqltext, dialect)
    return found


def readings() -> dict[tuple[str, str | None], CheckReading]:
    """Every CHECK read in this process (for the facts cache)."""
    return dict(_READINGS)


def remember_readings(known: dict[tuple[str, str | None], CheckReading]) -> None:
    """Take readings from the facts cache."""
    _READINGS.update(known)


def _read_check(sqltext: str, dialect: str | None) -> CheckReading:
    tree = parse(sqltext, dialect)
    if tree is None:
        return CheckReading((), False, why="not parsed")
    columns = tuple(dict.fromkeys(c.name for c in tree.find_all(exp.Column)))
    try:
        clauses = tuple(_simplify(tuple(_alternatives(c))) for c in _conjuncts(tree))
    except Unread as err:
        return CheckReading((), False, columns, str(err))
    return CheckReading(clauses, True, columns)


def literal(text: str, dialect: str | None = None) -> Any:
    """The value of one SQL literal (`'-1'::integer` -> -1); raises ValueError if not one."""
    tree = parse(text, dialect)
    if tree is None:
        raise ValueError(f"not an SQL literal: {text!r}")
    try:
        return value(tree)
    except Unread as err:
        raise ValueError(f"not an SQL literal: {text!r}") from err


def value_of(node: exp.Expr) -> Any:
    """The value of a literal node (typed by its cast); raises ValueError if not one."""
    try:
        return value(node)
    except Unread as err:
        raise ValueError(f"not an SQL literal: {node.sql()[:80]}") from err


def _conjuncts(node: exp.Expr) -> list[exp.Expr]:
    node = unparen(node)
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


def _alternatives(node: exp.Expr) -> list[Alternative]:
    """The expression in disjunctive normal form: each alternative a conjunction of facts."""
    node = unparen(node)
    if isinstance(node, exp.Or):
        out = _alternatives(node.this) + _alternatives(node.expression)
    elif isinstance(node, exp.And):
        left, right = _alternatives(node.this), _alternatives(node.expression)
        out = [MappingProxyType(merge_alternative(a, b)) for a, b in itertools.product(left, right)]
    else:
        out = [MappingProxyType(dict(a)) for a in _atom(node)]
    if len(out) > MAX_ALTERNATIVES:
        raise Unread("too many alternatives")
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
        return _negated(unparen(node.this))
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        return _one(_column(node.this), null=not node.args.get("negate"))
    if isinstance(node, exp.In) and not node.args.get("query"):
        if (found := chain_in(node, negated=False)) is not None:
            return found
        return _one(_column(node.this), allowed=tuple(value(v) for v in node.expressions))
    if isinstance(node, exp.Between):  # x BETWEEN a AND b: x >= a AND x <= b, any x
        low = _comparison(exp.GTE(this=node.this, expression=node.args["low"]))
        high = _comparison(exp.LTE(this=node.this, expression=node.args["high"]))
        return [merge_alternative(a, b) for a in low for b in high]
    if isinstance(node, exp.Column):
        return _one(node.name, allowed=(True,))
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "json_valid":
        return _one(_column(node.expressions[0]), is_json=True)
    if isinstance(node, (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)):
        return _comparison(node)
    if (found := _pattern(node, False)) is not None:
        return found
    raise Unread(node.sql()[:80])


def _ci_possible(node: exp.Expr) -> bool:
    return not isinstance(node, exp.Glob)  # GLOB is case-sensitive everywhere


def _pattern(node: exp.Expr, negated: bool) -> list[Alternative] | None:
    """x LIKE / GLOB / SIMILAR TO / ~ / REGEXP 'pattern' (and NOT): a pattern fact."""
    found = read_pattern(node, bool(node.root().meta.get("backslash")))
    if found is None:
        return None
    target, pattern, negate = found
    why = pattern.unsupported
    if why is not None and (negated == negate or "Python" in why):
        raise Unread(f"pattern {pattern.source}: {why}")  # a NOT pattern is only tested
    if negated != negate:  # NOT (x LIKE p) and x NOT LIKE p: a value must not match
        # it as written nor ignoring case (LIKE and REGEXP ignore it in MySQL and SQLite, by
        # their ci collations; excluding more values than the database does is safe); both,
        # as `(?i)[^a-z]` refuses the 'A' that `[^a-z]` matches
        ci = type(pattern)("(?i)" + pattern.regex, pattern.source)
        cased = pattern.regex.startswith("(?i)") or not _ci_possible(node)
        return _one(_column(target), not_patterns=(pattern,) if cased else (pattern, ci))
    return _one(_column(target), patterns=(pattern,))


def _negated(node: exp.Expr) -> list[Alternative]:
    if isinstance(node, exp.In) and not node.args.get("query"):
        if (found := chain_in(node, negated=True)) is not None:
            return found
        return _one(_column(node.this), excluded=tuple(value(v) for v in node.expressions))
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        return _one(_column(node.this), null=bool(node.args.get("negate")))
    if isinstance(node, exp.Column):
        return _one(node.name, allowed=(False,))
    if type(node).__name__ in _NEGATED:
        negated = getattr(exp, _NEGATED[type(node).__name__])
        return _comparison(negated(this=node.this, expression=node.expression))
    if isinstance(node, exp.And):  # NOT (a AND b): NOT a OR NOT b (De Morgan)
        return _alternatives(
            exp.Or(this=exp.Not(this=node.this), expression=exp.Not(this=node.expression))
        )
    if isinstance(node, exp.Or):  # NOT (a OR b): NOT a AND NOT b
        return _alternatives(
            exp.And(this=exp.Not(this=node.this), expression=exp.Not(this=node.expression))
        )
    if isinstance(node, exp.Not):
        return _alternatives(node.this)
    if isinstance(node, exp.Boolean):
        return _atom(exp.Boolean(this=not node.this))
    if (found := _pattern(node, True)) is not None:
        return found
    raise Unread(f"NOT {node.sql()[:80]}")


# NOT (a op b) as one comparison (NULL stays NULL either way, as a CHECK reads it)
# (keyed by sqlglot class name, not class: importing this module does not import sqlglot)
_NEGATED = {"EQ": "NEQ", "NEQ": "EQ", "GT": "LTE", "GTE": "LT", "LT": "GTE", "LTE": "GT"}


_OPS = {"EQ": "=", "NEQ": "<>", "GT": ">", "GTE": ">=", "LT": "<", "LTE": "<="}
_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "=": "=", "<>": "<>"}


def _comparison(node: exp.Expr) -> list[Alternative]:
    op = _OPS[type(node).__name__]
    left, right = unparen(node.this), unparen(node.expression)
    for a, b, o in ((left, right, op), (right, left, _FLIP[op])):
        if (found := chain_comparison(o, a, b)) is not None:
            return found
        if (found := json_type(o, a, b)) is not None:
            return found
    if (found := _special(op, left, right)) is not None:
        return found
    if (found := _special(_FLIP[op], right, left)) is not None:
        return found
    if is_column(left) and is_column(right):
        return _columns(_column(left), op, _column(right))
    if is_column(left):
        return _cmp(_column(left), op, _value(right))
    if is_column(right):
        return _cmp(_column(right), _FLIP[op], _value(left))
    raise Unread(node.sql()[:80])


def _value(node: exp.Expr) -> Any:  # d <= '01:00:00'::interval: its seconds
    return seconds if (seconds := duration(node)) is not None else value(node)


def _special(op: str, left: exp.Expr, right: exp.Expr) -> list[Alternative] | None:
    """Comparisons whose left side is a function of columns: lengths, counts of NULLs,
    (a IS NULL) <> (b IS NULL), x = ANY (ARRAY[...]), col <= now() - interval."""
    fname = _func_name(left)
    if (found := _sizes(fname, op, left, right)) is not None:
        return found
    if fname in ("num_nonnulls", "num_nulls") and op == "=":
        names = [_column(a) for a in _args(left)]
        k = int(value(right))
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
    if is_column(left) and fname is None and isinstance(right, exp.Any | exp.Anonymous):
        return _any_all(_column(left), op, right)
    if is_column(left) and moment(right) is not None:
        if op not in ("<", "<="):
            raise Unread("a lower bound on the clock moves with it")
        return [{_column(left): ColumnFacts.instant(op, str(moment(right)))}]
    return None


def _sizes(fname: str | None, op: str, left: exp.Expr, right: exp.Expr) -> list[Alternative] | None:
    """length(x) / length(trim(x)) / cardinality(a) / array_length(a, 1) compared with n."""
    if fname in _LENGTH_FUNCS and (target := length_target(_args(left)[0])) is not None:
        name, shape = target
        return [
            {name: ColumnFacts(**shape).merged(f)}
            for a in _length(name, op, value(right))
            for f in a.values()
        ]
    if (array := array_size(fname, left)) is not None:
        return _length(array, op, value(right))
    return None


def _any_all(name: str, op: str, node: exp.Expr) -> list[Alternative] | None:
    word = "ANY" if isinstance(node, exp.Any) else str(node.this).upper()
    inner = unparen(node.this if isinstance(node, exp.Any) else node.expressions[0])
    if isinstance(inner, exp.Cast):
        inner = unparen(inner.this)
    if not isinstance(inner, exp.Array):
        return None
    values = tuple(value(v) for v in inner.expressions)
    if word == "ANY" and op == "=":
        return _one(name, allowed=values)
    if word == "ALL" and op == "<>":
        return _one(name, excluded=values)
    raise Unread(f"{op} {word}")


def _is_null(node: exp.Expr) -> tuple[str, bool]:
    """(column, whether the predicate is true when the column is NULL)."""
    negate = isinstance(node, exp.Not)
    node = unparen(node.this) if negate else node
    if not isinstance(node, exp.Is) or not isinstance(node.expression, exp.Null):
        raise Unread(node.sql()[:80])
    return _column(node.this), not (negate or node.args.get("negate"))


def _func_name(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    if isinstance(node, exp.Length):
        return "length"
    return None


def _args(node: exp.Expr) -> list[exp.Expr]:
    return list(node.expressions) if isinstance(node, exp.Anonymous) else [node.this]


_column = column_name  # (channel_type)::text reads the column itself


def _columns(left: str, op: str, right: str) -> list[Alternative]:
    """end_date > start_date: the later column follows the earlier; a <> b: b differs."""
    if op == "<>":
        return _one(right, differs_from=left)
    if op == "=":
        raise Unread(f"{left} = {right}")
    later, earlier = (left, right) if op in (">", ">=") else (right, left)
    return _one(later, after=(earlier, op in (">", "<")))


def _cmp(name: str, op: str, value: Any) -> list[Alternative]:
    if value is None:
        raise Unread(f"{name} {op} NULL")
    if op == "=":
        return _one(name, allowed=(value,))
    if op == "<>":
        return _one(name, excluded=(value,))
    if isinstance(value, str):
        if is_date(value):
            return [{name: ColumnFacts.instant(op, value)}]
        try:
            value = number(value.strip())
        except ValueError:
            raise Unread(f"{name} {op} {value!r}") from None
    if isinstance(value, bool):
        raise Unread(f"{name} {op} {value}")
    if op in (">", ">="):
        return [{name: ColumnFacts().with_lower(float(value), op == ">=")}]
    return [{name: ColumnFacts().with_upper(float(value), op == "<=")}]


def _length(name: str, op: str, n: Any) -> list[Alternative]:
    if not isinstance(n, int) or isinstance(n, bool):
        raise Unread(f"length of {name} {op} {n!r}")
    if op in ("<", "<="):
        return _one(name, max_length=n - (op == "<"))
    if op in (">", ">="):
        return _one(name, min_length=n + (op == ">"))
    if op == "=":
        return _one(name, min_length=n, max_length=n)
    raise Unread(f"length of {name} <> {n}")


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
