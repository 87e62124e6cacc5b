"""Every example spec (specs/*.yaml) applied through the CLI on SQLite, PostgreSQL and MariaDB.

For each spec and database: load specs/schemas/<name>.<dialect>.sql into a fresh database, run
`python -m seedspec.cli.app apply` as a user would, then check by query that every constraint the
schema declares holds (discovered with SQLAlchemy's inspector, not hard-coded), that every table
was seeded, that cycle and tree columns were filled, and that the application's next plain INSERT
still gets a fresh key (sequences and identity counters were moved).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import REPO, run_sql_file
from ruamel.yaml import YAML

from seedspec.database.ledgers import DEFAULT_LEDGER

SPECS_DIR = REPO / "specs"
SCHEMAS_DIR = SPECS_DIR / "schemas"
SPECS = sorted(SPECS_DIR.glob("*.yaml"))

# dialect name used in schema file names -> (url fixture, pytest marks)
DIALECTS: dict[str, tuple[str, tuple[pytest.MarkDecorator, ...]]] = {
    "sqlite": ("sqlite_url", ()),
    "postgresql": ("pg_url", (pytest.mark.postgres,)),
    "mysql": ("mysql_url", (pytest.mark.mariadb,)),
}

# (spec stem, dialect) -> reason: known seedspec bugs, expected to fail until fixed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}

# A cycle or tree column the spec always fills must be non-NULL in more than this share of rows.
FILLED_SHARE = 0.9

CHECK_IN_LIST = re.compile(r"CHECK\s*\(\s*(\w+)\s+IN\s*\(([^()]*)\)\s*\)", re.IGNORECASE)
CREATE_TABLE = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[`\"]?(\w+)", re.IGNORECASE)


def _cases() -> Iterator[Any]:
    for spec in SPECS:
        for dialect, (_, marks) in DIALECTS.items():
            all_marks = list(marks)
            reason = KNOWN_BUGS.get((spec.stem, dialect))
            if reason:
                all_marks.append(pytest.mark.xfail(reason=reason, strict=True))
            yield pytest.param(spec, dialect, marks=all_marks, id=f"{spec.stem}-{dialect}")


# --------------------------------------------------------------------------- the database


@dataclass
class Db:
    """One scratch database: an engine, its inspector and a few query helpers."""

    engine: sa.Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def inspector(self) -> sa.Inspector:
        return sa.inspect(self.engine)

    def q(self, ident: str) -> str:
        return self.engine.dialect.identifier_preparer.quote(ident)

    def scalar(self, sql: str) -> Any:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(sql).scalar()

    def rows(self, sql: str, **params: Any) -> list[tuple]:
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params)]

    def count(self, table: str, where: str = "") -> int:
        sql = f"SELECT count(*) FROM {self.q(table)}" + (f" WHERE {where}" if where else "")
        return int(self.scalar(sql))


@pytest.fixture
def make_db() -> Iterator[Any]:
    engines: list[sa.Engine] = []

    def make(url: str) -> Db:
        engines.append(sa.create_engine(url))
        return Db(engines[-1])

    yield make
    for engine in engines:
        engine.dispose()


# --------------------------------------------------------------------------- the spec


def load_spec(path: Path) -> dict[str, Any]:
    return YAML(typ="safe").load(path.read_text())


def spec_table(spec: dict[str, Any], profile: str | None, table: str) -> dict[str, Any]:
    """The spec's entry for a table with the profile's overrides applied ({} when not named)."""
    base = dict((spec.get("tables") or {}).get(table) or {})
    over = ((spec.get("profiles") or {}).get(profile or "") or {}).get("tables") or {}
    if table in over:
        columns = {**(base.get("columns") or {}), **(over[table].get("columns") or {})}
        base.update({k: v for k, v in over[table].items() if k != "columns"})
        base["columns"] = columns
    return base


def apply_spec(spec_path: Path, url: str, profile: str | None) -> dict[str, Any]:
    """Run `seedspec apply` as a user would; it must exit 0 and print exactly one JSON document."""
    cmd = [sys.executable, "-m", "seedspec.cli.app", "apply", str(spec_path), "--db", url,
           "-o", "json"] + (["--profile", profile] if profile else [])  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=600)
    assert proc.returncode == 0, (
        f"seedspec apply {spec_path.name} exited {proc.returncode}\n"
        f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    try:
        doc = json.loads(proc.stdout)  # rejects anything after the first document
    except json.JSONDecodeError as err:
        pytest.fail(f"stdout is not exactly one JSON document ({err}):\n{proc.stdout}")
    assert isinstance(doc, dict) and doc.get("ok") is True, f"apply reported failure: {doc}"
    assert doc.get("command") == "apply", f"unexpected command in output: {doc.get('command')}"
    return doc


# --------------------------------------------------------------------------- schema facts


def foreign_keys(db: Db, table: str) -> list[dict[str, Any]]:
    return db.inspector().get_foreign_keys(table)


def unique_sets(db: Db, table: str) -> list[tuple[str, ...]]:
    """The primary key and every UNIQUE constraint / unique index, as column tuples."""
    insp = db.inspector()
    sets: list[tuple[str, ...]] = []
    pk = tuple(insp.get_pk_constraint(table).get("constrained_columns") or ())
    if pk:
        sets.append(pk)
    for u in insp.get_unique_constraints(table):
        sets.append(tuple(u["column_names"]))
    for ix in insp.get_indexes(table):
        if ix.get("unique") and ix.get("column_names") and None not in ix["column_names"]:
            sets.append(tuple(ix["column_names"]))
    return list(dict.fromkeys(sets))


def check_constraints(db: Db, table: str) -> list[str]:
    """The SQL text of every CHECK constraint on the table."""
    if db.dialect in ("mysql", "mariadb"):
        # SQLAlchemy's MySQL inspector does not see MariaDB's CHECKs; ask the catalog.
        rows = db.rows(
            "SELECT check_clause FROM information_schema.check_constraints "
            "WHERE constraint_schema = DATABASE() AND table_name = :t",
            t=table,
        )
        return [str(r[0]) for r in rows]
    return [c["sqltext"] for c in db.inspector().get_check_constraints(table)]


def declared_in_lists(ddl: str) -> list[tuple[str, str, str]]:
    """(table, column, "'a', 'b'") for every `CHECK (col IN ('a', 'b'))` in a DDL file."""
    out = []
    tables = list(CREATE_TABLE.finditer(ddl))
    for i, m in enumerate(tables):
        end = tables[i + 1].start() if i + 1 < len(tables) else len(ddl)
        for check in CHECK_IN_LIST.finditer(ddl, m.end(), end):
            out.append((m.group(1), check.group(1), check.group(2)))
    return out


def auto_key(db: Db, table: str) -> str | None:
    """The table's auto-increment / serial / identity key column, if it has one."""
    insp = db.inspector()
    pk = insp.get_pk_constraint(table).get("constrained_columns") or []
    if len(pk) != 1:
        return None
    col = next(c for c in insp.get_columns(table) if c["name"] == pk[0])
    if db.dialect == "sqlite":  # INTEGER PRIMARY KEY is the rowid: SQLite assigns it
        return pk[0] if str(col["type"]).upper() == "INTEGER" else None
    if db.dialect == "postgresql":
        serial = "nextval(" in str(col.get("default") or "")
        return pk[0] if col.get("identity") or serial else None
    return pk[0] if col.get("autoincrement") is True else None


def cycle_fks(db: Db, tables: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """(table, fk) for every FK that lies on a cycle of the FK graph (self-references too)."""
    fks = {t: foreign_keys(db, t) for t in tables}
    parents = {t: {fk["referred_table"] for fk in fks[t]} for t in tables}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            t = todo.pop()
            if t == goal:
                return True
            if t not in seen:
                seen.add(t)
                todo.extend(parents.get(t, ()))
        return False

    return [(t, fk) for t in tables for fk in fks[t] if reaches(fk["referred_table"], t)]


# --------------------------------------------------------------------------- assertions


def assert_report_matches(db: Db, doc: dict[str, Any], tables: list[str]) -> None:
    reported = [t["table"] for t in doc["result"]["report"]["tables"]]
    assert len(reported) == len(set(reported)), f"a table is reported twice: {reported}"
    assert sorted(reported) == sorted(tables), (
        f"report tables {sorted(reported)} != database tables {sorted(tables)}"
    )
    for entry in doc["result"]["report"]["tables"]:
        table = entry["table"]
        actual = db.count(table)
        assert entry["rows"] == actual, f"{table}: report says {entry['rows']} rows, has {actual}"
        assert actual > 0, f"{table}: table is empty"


def assert_foreign_keys(db: Db, table: str) -> None:
    for fk in foreign_keys(db, table):
        child, parent = fk["constrained_columns"], fk["referred_columns"]
        on = " AND ".join(
            f"p.{db.q(pc)} = c.{db.q(cc)}" for cc, pc in zip(child, parent, strict=True)
        )
        present = " AND ".join(f"c.{db.q(cc)} IS NOT NULL" for cc in child)
        bad = db.scalar(
            f"SELECT count(*) FROM {db.q(table)} c WHERE {present} AND NOT EXISTS "
            f"(SELECT 1 FROM {db.q(fk['referred_table'])} p WHERE {on})"
        )
        assert bad == 0, (
            f"{table}.{'+'.join(child)} -> {fk['referred_table']}: {bad} rows point at no parent"
        )


def assert_unique(db: Db, table: str) -> None:
    sets = unique_sets(db, table)
    assert sets, f"{table}: no primary key or unique constraint found"
    for cols in sets:
        names = ", ".join(db.q(c) for c in cols)
        present = " AND ".join(f"{db.q(c)} IS NOT NULL" for c in cols)  # NULLs never collide
        dupes = db.scalar(
            f"SELECT count(*) FROM (SELECT 1 AS x FROM {db.q(table)} WHERE {present} "
            f"GROUP BY {names} HAVING count(*) > 1) d"
        )
        assert dupes == 0, f"{table}({', '.join(cols)}): {dupes} duplicated values"


def assert_not_null(db: Db, table: str) -> None:
    insp = db.inspector()
    pk = set(insp.get_pk_constraint(table).get("constrained_columns") or ())
    for col in insp.get_columns(table):
        if col["nullable"] and col["name"] not in pk:
            continue
        nulls = db.count(table, f"{db.q(col['name'])} IS NULL")
        assert nulls == 0, f"{table}.{col['name']}: NOT NULL column has {nulls} NULLs"


def assert_checks(db: Db, table: str) -> None:
    """Every CHECK the database reports: no row where it is false (NULL passes, as in SQL)."""
    for sqltext in check_constraints(db, table):
        bad = db.count(table, f"NOT ({sqltext})")
        assert bad == 0, f"{table}: {bad} rows violate CHECK ({sqltext})"


def assert_in_lists(db: Db, ddl: str) -> None:
    """Each `CHECK (col IN (...))` of the schema file, asserted directly."""
    for table, column, values in declared_in_lists(ddl):
        bad = db.count(table, f"{db.q(column)} NOT IN ({values})")
        assert bad == 0, f"{table}.{column}: {bad} rows outside CHECK IN ({values})"


def min_filled_share(spec: dict[str, Any], profile: str | None, table: str, col: str) -> float:
    """How full a cycle / self-reference column must be, from what the spec asks for."""
    tspec = spec_table(spec, profile, table)
    tree = tspec.get("tree") or {}
    if tree.get("parent") == col:
        roots = tree.get("roots")
        return FILLED_SHARE if roots is None else min(FILLED_SHARE, 1 - roots - 0.05)
    entry = (tspec.get("columns") or {}).get(col) or {}
    if "null" in entry:
        return max(0.0, 1 - float(entry["null"]) - 0.1)
    if "where" in entry:
        return 0.0  # correlated: rows without a matching parent stay NULL
    return FILLED_SHARE  # `ref:` or inferred: always filled


def assert_cycles_filled(
    db: Db, spec: dict[str, Any], profile: str | None, tables: list[str]
) -> None:
    for table, fk in cycle_fks(db, tables):
        total = db.count(table)
        for col in fk["constrained_columns"]:
            share = db.count(table, f"{db.q(col)} IS NOT NULL") / total
            want = min_filled_share(spec, profile, table, col)
            assert share > want and share > 0, (
                f"{table}.{col} (cycle/self-reference -> {fk['referred_table']}): only "
                f"{share:.1%} of rows filled, expected more than {want:.0%}"
            )


def fresh_value(conn: sa.Connection, tbl: sa.Table, col: str, value: Any) -> Any:
    """A value for a UNIQUE column that no seeded row has, of the column's type."""
    column = tbl.c[col]
    if isinstance(value, bool):
        pytest.fail(f"{tbl.name}.{col}: cannot make a fresh value for a unique boolean")
    if isinstance(value, int):
        return int(conn.execute(sa.select(sa.func.max(column))).scalar() or 0) + 1
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if isinstance(value, str):
        length = getattr(column.type, "length", None)
        suffix = "~nx"
        return (value[: length - len(suffix)] if length else value) + suffix
    pytest.fail(f"{tbl.name}.{col}: no fresh value for a unique {type(value).__name__} column")


def assert_next_insert(db: Db, table: str) -> None:
    """The application's next INSERT, key left out, succeeds and gets a key past the seeded ones.

    The row is a copy of a seeded row (so CHECKs and FKs hold) with fresh values in its UNIQUE
    columns; it is rolled back afterwards.
    """
    key = auto_key(db, table)
    if key is None:
        return
    fk_cols = {c for fk in foreign_keys(db, table) for c in fk["constrained_columns"]}
    with db.engine.connect() as conn:
        tbl = sa.Table(table, sa.MetaData(), autoload_with=conn)
        seeded_max = conn.execute(sa.select(sa.func.max(tbl.c[key]))).scalar()
        row = dict(conn.execute(sa.select(tbl).limit(1)).mappings().one())
        values = {c: v for c, v in row.items() if c != key}
        for cols in unique_sets(db, table):
            if cols == (key,):
                continue
            mine = [c for c in cols if c not in fk_cols and c != key]
            if not mine:
                pytest.fail(f"{table}({', '.join(cols)}): unique over FKs only; no fresh row")
            values[mine[0]] = fresh_value(conn, tbl, mine[0], values[mine[0]])
        try:  # in the transaction the reads above began; rolled back below
            result = conn.execute(sa.insert(tbl).values(**values))
            new_key = result.inserted_primary_key[0]
        except sa.exc.DBAPIError as err:
            pytest.fail(f"{table}: the next INSERT without {key} failed: {err.orig}")
        finally:
            conn.rollback()
    assert new_key is not None and new_key > seeded_max, (
        f"{table}.{key}: next INSERT got key {new_key}, seeded keys go up to {seeded_max}"
    )


# --------------------------------------------------------------------------- the test


@pytest.mark.parametrize(("spec_path", "dialect"), list(_cases()))
def test_spec_applies_and_holds(
    spec_path: Path, dialect: str, request: pytest.FixtureRequest, make_db: Any
) -> None:
    schema_file = SCHEMAS_DIR / f"{spec_path.stem}.{dialect}.sql"
    assert schema_file.exists(), f"{spec_path.name}: missing schema file {schema_file}"
    url = request.getfixturevalue(DIALECTS[dialect][0])
    run_sql_file(url, schema_file)
    spec = load_spec(spec_path)
    profile = "ci" if "ci" in (spec.get("profiles") or {}) else None

    doc = apply_spec(spec_path, url, profile)

    db = make_db(url)
    tables = sorted(t for t in db.inspector().get_table_names() if t != DEFAULT_LEDGER)
    assert tables, f"{schema_file.name} created no tables"
    assert_report_matches(db, doc, tables)
    for table in tables:
        assert_foreign_keys(db, table)
        assert_unique(db, table)
        assert_not_null(db, table)
        assert_checks(db, table)
    assert_in_lists(db, schema_file.read_text())
    assert_cycles_filled(db, spec, profile, tables)
    for table in tables:
        assert_next_insert(db, table)
