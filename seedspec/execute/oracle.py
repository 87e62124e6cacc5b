"""The CHECK oracle: (Plan, Model, connection) -> every row's chosen attempt, before any load.

For each table whose recipe has an OracleRecipe, rows are judged by the database itself, in
batches: candidates (attempt a of row i, a pure function of seed, table, column, row, attempt)
go into a temporary table with the table's column types, and one query keeps, per row, the
lowest attempt for which every listed CHECK is not false (CHECK semantics: NULL passes). Rows
are tried in rounds of attempts (0, then 1-3, then the rest of the budget), only the rows still
failing going on, so a mostly-satisfied CHECK costs one round. A row with no passing attempt is
an OracleError (exit 3) naming the CHECK and the table; nothing has been written then.
The temporary table is dropped before the load starts (MariaDB: DROP TEMPORARY, no commit).
Each table is judged inside a savepoint: if the database refuses the oracle's own SQL there, the
table is reported as not judged and loads as without the oracle (never worse than before).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from seedspec.database.model import DbColumn, DbSchema, DbTable
from seedspec.deferred import deferred
from seedspec.dialects.base import Dialect
from seedspec.errors import CompileError, Problem
from seedspec.generate.attempts import Choices
from seedspec.generate.model import Model
from seedspec.generate.random import stream_key
from seedspec.plan.bind import choices_of
from seedspec.plan.model import Plan
from seedspec.plan.oracle import OracleCheck, OracleRecipe
from seedspec.plan.recipes import TableRecipe

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

BATCH_ROWS = 5_000  # rows judged per query (times the attempts of a round)


def temp_name(table: str) -> str:
    """The temporary table of one table's candidates: one name per table, since a dialect may
    cache its load encoders by table name and columns (the hash keeps any table name short)."""
    return f"seedspec_oracle_{stream_key('oracle', table) & 0xFFFFFFFF:08x}"


ROW, ATTEMPT = "seedspec_row", "seedspec_attempt"
SAVEPOINT = "seedspec_oracle"


class OracleError(CompileError):
    """No candidate of some row passes a CHECK within the attempt budget (exit 3)."""


@dataclass
class _Judge:
    """One group of a table's CHECKs being judged: the table's recipe, the group's CHECKs, the
    temporary table, the group's attempt choices (None: nothing varies), the condition."""

    recipe: TableRecipe
    checks: tuple[OracleCheck, ...]
    temp: DbTable
    choices: Choices | None
    condition: str


@dataclass
class OracleResult:
    """What the oracle did: rows moved off attempt 0, and the tables it could not judge (the
    database refused the temporary table or a CHECK's text there; their rows load as attempt
    0, as without the oracle, and the load itself still enforces every CHECK)."""

    moved: int = 0
    skipped: list[str] = field(default_factory=list)


def resolve(
    plan: Plan, model: Model, conn: sa.Connection, dialect: Dialect, schema: DbSchema
) -> OracleResult:
    """Every oracle table's attempts chosen, each inside a savepoint."""
    result = OracleResult()
    for recipe in plan.recipes:
        table = schema.table(recipe.name)
        if recipe.oracle is None or recipe.count <= 0 or table is None:
            continue
        dialect.execute_raw(conn, f"SAVEPOINT {SAVEPOINT}")
        try:
            result.moved += _resolve_table(recipe, recipe.oracle, table, model, conn, dialect)
        except OracleError:
            dialect.oracle_drop(conn, temp_name(recipe.name))
            raise
        except Exception as err:
            if not _is_database_error(err):
                raise
            dialect.execute_raw(conn, f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
            dialect.oracle_drop(
                conn, temp_name(recipe.name)
            )  # IF EXISTS: MariaDB keeps it past the rollback
            for choices in choices_of(model, recipe.name).values():
                choices.chosen = None
            first = str(getattr(err, "orig", err)).strip().splitlines()
            result.skipped.append(f"{recipe.name}: {first[0] if first else type(err).__name__}")
        else:
            dialect.execute_raw(conn, f"RELEASE SAVEPOINT {SAVEPOINT}")
    return result


def _is_database_error(err: BaseException) -> bool:
    """An error the database raised (through SQLAlchemy or a raw driver cursor)."""
    if isinstance(err, sa.exc.DBAPIError):
        return True
    return type(err).__module__.split(".")[0] in ("psycopg", "pymysql", "sqlite3")


def rounds(attempts: int) -> list[range]:
    """The attempt ranges tried in turn: 0 alone, then 1..3, then the rest of the budget."""
    edges = sorted({0, 1, min(4, attempts), attempts})
    return [range(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a]


def _resolve_table(
    recipe: TableRecipe,
    oracle: OracleRecipe,
    table: DbTable,
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
) -> int:
    """Each group of the table's CHECKs judged in turn; returns the rows moved off attempt 0."""
    cols = [c for name in oracle.evaluated if (c := table.column(name)) is not None]
    extra = (DbColumn(ROW, "bigint", "bigint"), DbColumn(ATTEMPT, "bigint", "bigint"))
    temp = DbTable(temp_name(recipe.name), columns=(*cols, *extra))
    groups = choices_of(model, recipe.name)
    moved = np.zeros(recipe.count, dtype=bool)
    dialect.oracle_create(conn, table, temp.name, [c.name for c in cols], (ROW, ATTEMPT))
    for group in oracle.groups:
        checks = tuple(c for c in oracle.checks if c.group == group)
        condition = " AND ".join(dialect.oracle_passes(c.sql) for c in checks)
        judge = _Judge(recipe, checks, temp, groups.get(group), condition)
        _judge_group(judge, model, conn, dialect)
        if judge.choices is not None and judge.choices.chosen is not None:
            moved |= judge.choices.chosen != 0
    dialect.oracle_drop(conn, temp.name)
    return int(np.count_nonzero(moved))


def _judge_group(judge: _Judge, model: Model, conn: sa.Connection, dialect: Dialect) -> None:
    """Every row of the table judged for one group of CHECKs, in batches and rounds."""
    budget = rounds(judge.choices.attempts if judge.choices is not None else 1)
    count = judge.recipe.count
    failing: list[np.ndarray] = []
    for start in range(0, count, BATCH_ROWS):
        left = np.arange(start, min(count, start + BATCH_ROWS), dtype=np.int64)
        for attempts in budget:
            if len(left) == 0:
                break
            left = _round(judge, model, conn, dialect, left, attempts)
        failing.append(left)
    bad = np.concatenate(failing)
    if len(bad):
        raise _failure(judge, model, conn, dialect, bad, budget)


def _round(
    judge: _Judge,
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    rows: np.ndarray,
    attempts: range,
) -> np.ndarray:
    """Candidates of `attempts` for `rows` judged; returns the rows none of them passes (the
    others keep their lowest passing attempt)."""
    _candidates(judge, model, conn, dialect, rows, attempts)
    q = dialect.quote
    sql = (
        f"SELECT {q(conn, ROW)}, MIN({q(conn, ATTEMPT)}) FROM {q(conn, judge.temp.name)} "
        f"WHERE {judge.condition} GROUP BY {q(conn, ROW)}"
    )
    found = _fetch(conn, dialect, sql)
    dialect.execute_raw(conn, f"DELETE FROM {q(conn, judge.temp.name)}")
    passed = np.array([int(str(r[0])) for r in found], dtype=np.int64)
    if judge.choices is not None:
        judge.choices.set(rows, 0)
        if len(passed):
            judge.choices.set(passed, np.array([int(str(r[1])) for r in found], dtype=np.int64))
    return np.setdiff1d(rows, passed, assume_unique=True)


def _candidates(
    judge: _Judge,
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    rows: np.ndarray,
    attempts: range,
) -> None:
    """Attempt a of every row in `rows`, for every a in `attempts`, into the temporary table."""
    names = [c.name for c in judge.temp.columns]
    for attempt in attempts:
        if judge.choices is not None:
            judge.choices.set(rows, attempt)
        arrays = [model.values(judge.recipe.name, n, rows) for n in names[:-2]]
        arrays += [rows, np.full(len(rows), attempt, dtype=np.int64)]
        # the dialect's own load path (PostgreSQL COPY, MariaDB LOAD DATA, SQLite executemany)
        dialect.load(conn, judge.temp, names, dialect.prepare(judge.temp, names, arrays))


def _failure(
    judge: _Judge,
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    bad: np.ndarray,
    budget: list[range],
) -> OracleError:
    """The error for rows no attempt passes, naming the CHECKs that reject them."""
    sample = bad[:20]
    for attempts in budget:
        _candidates(judge, model, conn, dialect, sample, attempts)
    culprits = [c for c in judge.checks if _rejects(conn, dialect, judge.temp.name, c, len(sample))]
    checks = culprits or list(judge.checks)
    names = ", ".join(f"{c.name} ({c.sql})" for c in checks)
    tried = budget[-1].stop
    message = (
        f"table {judge.recipe.name!r}: {len(bad):,} of {judge.recipe.count:,} rows have no "
        f"candidate that passes CHECK {names} within {tried} attempts (the database judged "
        f"them; first row {int(bad[0])}); nothing was written"
    )
    fix = "give the CHECK's columns a generator in the spec whose values satisfy it"
    return OracleError([Problem(message, code="check-oracle", table=judge.recipe.name, fix=fix)])


def _rejects(
    conn: sa.Connection, dialect: Dialect, temp: str, check: OracleCheck, rows: int
) -> bool:
    """Whether this CHECK alone rejects every candidate of some sampled row."""
    q = dialect.quote
    sql = (
        f"SELECT {q(conn, ROW)} FROM {q(conn, temp)} GROUP BY {q(conn, ROW)} HAVING "
        f"SUM(CASE WHEN {dialect.oracle_passes(check.sql)} THEN 1 ELSE 0 END) = 0"
    )
    return rows > 0 and bool(_fetch(conn, dialect, sql))


def _fetch(conn: sa.Connection, dialect: Dialect, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query on the raw DBAPI cursor, without parameters: a CHECK's `%` (LIKE
    'a%') must reach the database as written, not as a placeholder."""
    cur = dialect.raw(conn).cursor()
    try:
        cur.execute(sql)
        return [tuple(r) for r in cur.fetchall()]
    finally:
        cur.close()
