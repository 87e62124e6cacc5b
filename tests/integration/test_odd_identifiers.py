"""Identifiers of every shape through every reader of SQL text -> facts reflected, rows applied.

Quotes, backticks, brackets, spaces, dots, unicode, mixed case and reserved words name the tables,
columns, CHECKs, partial and expression unique indexes, triggers (and on PostgreSQL an EXCLUDE, a
domain CHECK and a default's sequence; on MariaDB a json_valid CHECK and an ON UPDATE default) on
PostgreSQL, MariaDB and SQLite. Each reflected fact is asserted, then a no-spec apply must load
every table past every constraint, and the database is queried for what was promised.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import run_sql, scalar
from corpus_audit import run_apply
from dbcheck import violations

from seedspec.database.facts import table_facts_of
from seedspec.database.model import DbExclusion, DbTrigger, DbUnique
from seedspec.database.reflect import reflect_url

PARENT, CHILD, AUDIT = 'Odd "Parent" Tbl', "child-2", "audit log"

PG = '''
CREATE DOMAIN "Pos ""Int""" AS integer CHECK (VALUE > 0 AND VALUE < 1000000);
CREATE SEQUENCE "Odd Seq's";
CREATE TABLE "Odd ""Parent"" Tbl" (
    id integer PRIMARY KEY DEFAULT nextval('"Odd Seq''s"'),
    "Mixed Case" text NOT NULL,
    "select" integer NOT NULL CHECK ("select" BETWEEN 1 AND 5),
    "a.b" text NOT NULL CHECK ("a.b" IN ('x', 'y, z', ')')),
    "ünï côde" "Pos ""Int""" NOT NULL,
    "Where" boolean NOT NULL,
    "Sp an" int4range NOT NULL,
    CONSTRAINT "Ex ""cl""" EXCLUDE USING gist ("Sp an" WITH &&) WHERE ("Where")
);
CREATE UNIQUE INDEX "ux ""partial""" ON "Odd ""Parent"" Tbl" ("Mixed Case") WHERE "Where";
CREATE UNIQUE INDEX "ux lower" ON "Odd ""Parent"" Tbl" (lower("Mixed Case"), "a.b");
CREATE TABLE "child-2" (id serial PRIMARY KEY,
    "p id" integer NOT NULL REFERENCES "Odd ""Parent"" Tbl" (id));
CREATE TABLE "audit log" (id serial PRIMARY KEY, "what" text);
CREATE FUNCTION "log it"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "audit log" ("what") VALUES ('BEFORE UPDATE ON y');
    RETURN NEW;
END $$;
CREATE TRIGGER "after insert ON x" AFTER INSERT OR UPDATE ON "child-2"
    FOR EACH ROW EXECUTE FUNCTION "log it"();
'''

MARIADB = (
    'CREATE TABLE `Odd "Parent" Tbl` (id INT AUTO_INCREMENT PRIMARY KEY,'
    " `Mixed Case` VARCHAR(40) NOT NULL,"
    " `select` INT NOT NULL CHECK (`select` BETWEEN 1 AND 5),"
    " `a.b` VARCHAR(10) NOT NULL CHECK (`a.b` IN ('x', 'y, z', ')')),"
    " `ünï côde` INT NOT NULL,"
    " `j``son` LONGTEXT CHECK (json_valid(`j``son`)),"
    " `on update` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
    " UNIQUE KEY `ux lower` (`Mixed Case`, `a.b`))",
    "CREATE TABLE `child-2` (id INT AUTO_INCREMENT PRIMARY KEY, `p id` INT NOT NULL,"
    ' FOREIGN KEY (`p id`) REFERENCES `Odd "Parent" Tbl` (id))',
    "CREATE TABLE `audit log` (id INT AUTO_INCREMENT PRIMARY KEY, `what` VARCHAR(100))",
    "CREATE TRIGGER `after insert ON x` AFTER INSERT ON `child-2` FOR EACH ROW"
    " INSERT INTO `audit log` (`what`) VALUES ('BEFORE UPDATE ON y')",
)

SQLITE = '''
CREATE TABLE "Odd ""Parent"" Tbl" (id INTEGER PRIMARY KEY,
    "Mixed Case" TEXT NOT NULL,
    "select" INTEGER NOT NULL CHECK ("select" BETWEEN 1 AND 5),
    [a.b] TEXT NOT NULL CHECK ([a.b] IN ('x', 'y, z', ')')),
    `ünï côde` INTEGER NOT NULL,
    memo TEXT DEFAULT 'CHECK (memo IS NULL)', -- a comment: CHECK ("Where" > 5)
    "Where" INTEGER NOT NULL CONSTRAINT [is "bool"] CHECK ("Where" IN (0, 1)));
CREATE UNIQUE INDEX "ux ""partial""" ON "Odd ""Parent"" Tbl" ("Mixed Case")
    WHERE "Where" = 1;
CREATE UNIQUE INDEX "ux lower" ON "Odd ""Parent"" Tbl" (lower("Mixed Case") DESC, [a.b]);
CREATE TABLE "child-2" (id INTEGER PRIMARY KEY,
    "p id" INTEGER NOT NULL REFERENCES "Odd ""Parent"" Tbl" (id));
CREATE TABLE "audit log" (id INTEGER PRIMARY KEY, "what" TEXT);
CREATE TRIGGER "after insert ON x" AFTER INSERT ON "child-2"
BEGIN
    INSERT INTO "audit log" ("what") VALUES ('BEFORE UPDATE ON y');
END;
'''


def _exec(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _n(url: str, sql: str) -> int:
    return int(str(scalar(url, sql) or 0))


def _quote(url: str) -> sa.sql.compiler.IdentifierPreparer:
    engine = sa.create_engine(url)
    try:
        return engine.dialect.identifier_preparer
    finally:
        engine.dispose()


def _create(db: str, url: str) -> None:
    if db == "postgresql":  # the function body holds semicolons: statements split by hand
        head, function, trigger = PG.partition('CREATE FUNCTION "log it"')
        body, _, trigger = trigger.partition("END $$;")
        _exec(url, *[s for s in head.split(";") if s.strip()], function + body + "END $$", trigger)
    elif db == "mysql":
        _exec(url, *MARIADB)
    else:
        run_sql(url, SQLITE)


@pytest.mark.parametrize(
    "db",
    [
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mysql", marks=pytest.mark.mariadb),
        "sqlite",
    ],
)
def test_odd_names_through_checks_indexes_and_triggers(
    request: pytest.FixtureRequest, db: str, tmp_path: Path
) -> None:
    url = str(
        request.getfixturevalue(
            {"postgresql": "pg_url", "mysql": "mysql_url"}.get(db, "sqlite_url")
        )
    )
    _create(db, url)
    _, schema = reflect_url(url)
    parent, child, audit = (schema.table(n) for n in (PARENT, CHILD, AUDIT))
    assert parent is not None and child is not None and audit is not None

    # CHECKs: the facts name the odd columns (sqlglot Column nodes), values with commas and ')'
    facts = table_facts_of(parent)
    assert facts.columns["a.b"].allowed is not None
    assert set(facts.columns["a.b"].allowed) == {"x", "y, z", ")"}
    assert (facts.columns["select"].lower, facts.columns["select"].upper) == (1, 5)
    # the unique over lower("Mixed Case") and "a.b": both columns read out of the expression
    uniques = {u.unique.name: u for u in facts.uniques}
    assert set(uniques["ux lower"].columns) == {"Mixed Case", "a.b"}
    assert uniques["ux lower"].understood
    # the trigger: its timing and event from the catalog / the head, its INSERT target from the body
    trigger = child.triggers[0]
    assert (trigger.name, trigger.timing, trigger.events[0]) == (
        "after insert ON x",
        "AFTER",
        "INSERT",
    )
    assert trigger.writes == ("audit log",)

    if db == "postgresql":
        assert trigger == DbTrigger(
            "after insert ON x", "AFTER", ("INSERT", "UPDATE"), ("audit log",)
        )
        assert parent.exclusions == (DbExclusion('Ex "cl"', (("Sp an", "&&"),), '"Where"'),)
        partial = {u.name: u for u in parent.uniques}['ux "partial"']
        assert (partial.columns, partial.predicate) == (("Mixed Case",), '"Where"')
        assert {u.name: u for u in parent.uniques}["ux lower"].expressions == (
            'lower("Mixed Case")',
        )
        domain = [
            c.sqltext for c in parent.checks if "VALUE" not in c.sqltext and "ünï" in c.sqltext
        ]
        assert domain == ['"ünï côde" > 0 AND "ünï côde" < 1000000']
        id_col = parent.column("id")
        assert id_col is not None and id_col.identity == "serial"
    if db == "mysql":
        cols = {c.name: c for c in parent.columns}
        assert cols["j`son"].type == "json"
        assert cols["on update"].default is not None
        assert "update" not in cols["on update"].default.lower()
    if db == "sqlite":  # a CHECK spelled in a string default or a comment is none; [a.b] is "a.b"
        assert sorted((c.name or "", c.sqltext) for c in parent.checks) == [
            ("", "\"a.b\" IN ('x', 'y, z', ')')"),
            ("", '"select" BETWEEN 1 AND 5'),
            ('is "bool"', '"Where" IN (0, 1)'),
        ]
        by_name = {u.name: u for u in parent.uniques}
        assert by_name['ux "partial"'] == DbUnique(
            'ux "partial"', ("Mixed Case",), "index", '"Where" = 1'
        )
        assert by_name["ux lower"] == DbUnique(
            "ux lower", ("a.b",), "index", None, ('lower("Mixed Case")',)
        )
        id_col = parent.column("id")
        assert id_col is not None and id_col.identity == "rowid"

    run = run_apply(url, tmp_path)
    assert run.returncode == 0, f"exit {run.returncode}: {run.error} {run.stderr[-1500:]}"
    assert violations(url) == []
    q = _quote(url).quote
    assert _n(url, f"SELECT count(*) FROM {q(PARENT)}") == 20
    assert _n(url, f"SELECT count(DISTINCT {q('Mixed Case')}) FROM {q(PARENT)}") == 20
    assert _n(url, f"SELECT count(*) FROM {q(CHILD)}") == 20
    # the trigger filled the audit log: one row per child row, none seeded besides
    assert _n(url, f"SELECT count(*) FROM {q(AUDIT)}") == 20
    assert (
        _n(url, f"SELECT count(*) FROM {q(AUDIT)} WHERE {q('what')} <> 'BEFORE UPDATE ON y'") == 0
    )
    orphans = (
        f"SELECT count(*) FROM {q(CHILD)} c WHERE NOT EXISTS "
        f"(SELECT 1 FROM {q(PARENT)} p WHERE p.id = c.{q('p id')})"
    )
    assert _n(url, orphans) == 0
    if db == "postgresql":  # the default's sequence (owned by no column) moved past the keys
        assert _n(url, "SELECT nextval('\"Odd Seq''s\"')") > _n(
            url, f"SELECT max(id) FROM {q(PARENT)}"
        )
