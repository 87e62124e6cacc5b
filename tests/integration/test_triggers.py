"""Triggers read per verb (issue 10 family 3), on PostgreSQL, MariaDB and SQLite.

Only the tables a trigger INSERTs into count as filled by it; a trigger that UPDATEs a counter
leaves that table seeded normally and the counter to its default, so after the apply the
counter equals the number of child rows. A trigger-filled table another table needs is seeded
too, before the trigger's table, with its sequence moved past the seeded ids. Every promise is
checked by query after a real apply through the CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import run_sql, scalar
from corpus_audit import ApplyRun, run_apply

from seedspec.database.reflect import reflect_url


def _n(url: str, sql: str) -> int:
    return int(str(scalar(url, sql) or 0))


def _ok(run: ApplyRun) -> None:
    assert run.returncode == 0, f"exit {run.returncode}: {run.error} {run.stderr[-1500:]}"


COUNTER = {
    "postgresql": """
CREATE TABLE tag (id serial PRIMARY KEY, name text NOT NULL UNIQUE,
                  ref_count integer NOT NULL DEFAULT 0);
CREATE TABLE song (id serial PRIMARY KEY, title text NOT NULL);
CREATE TABLE song_tag (song_id integer NOT NULL REFERENCES song (id),
                       tag_id integer NOT NULL REFERENCES tag (id),
                       PRIMARY KEY (song_id, tag_id));
CREATE FUNCTION bump_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.tag_id IS NOT NULL THEN
        UPDATE tag SET ref_count = ref_count + 1 WHERE id = NEW.tag_id;
    END IF;
    DELETE FROM song WHERE false;
    RETURN NULL;
END $$;
CREATE TRIGGER song_tag_count AFTER INSERT ON song_tag
    FOR EACH ROW EXECUTE FUNCTION bump_tag();
""",
    "mysql": """
CREATE TABLE tag (id INTEGER PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL UNIQUE,
                  ref_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE song (id INTEGER PRIMARY KEY AUTO_INCREMENT, title VARCHAR(40) NOT NULL);
CREATE TABLE song_tag (song_id INTEGER NOT NULL, tag_id INTEGER NOT NULL,
                       PRIMARY KEY (song_id, tag_id),
                       FOREIGN KEY (song_id) REFERENCES song (id),
                       FOREIGN KEY (tag_id) REFERENCES tag (id));
CREATE TRIGGER song_tag_count AFTER INSERT ON song_tag FOR EACH ROW
BEGIN
    IF NEW.tag_id IS NOT NULL THEN
        UPDATE tag SET ref_count = ref_count + 1 WHERE id = NEW.tag_id;
    END IF;
END;
""",
    "sqlite": """
CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                  ref_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE song (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE song_tag (song_id INTEGER NOT NULL REFERENCES song (id),
                       tag_id INTEGER NOT NULL REFERENCES tag (id),
                       PRIMARY KEY (song_id, tag_id));
CREATE TRIGGER song_tag_count AFTER INSERT ON song_tag
BEGIN
    UPDATE tag SET ref_count = ref_count + 1 WHERE id = NEW.tag_id;
END;
""",
}

FILLED = {
    "postgresql": """
CREATE TABLE attribute_type (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE instrument (id serial PRIMARY KEY, name text NOT NULL);
CREATE FUNCTION instrument_attr() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
    WITH made AS (INSERT INTO "attribute_type" (name) VALUES (NEW.name) RETURNING id)
    SELECT count(*) INTO n FROM made;
    RETURN NEW;
END $$;
CREATE TRIGGER a_ins_instrument AFTER INSERT ON instrument
    FOR EACH ROW EXECUTE FUNCTION instrument_attr();
CREATE TABLE attribute_link (id serial PRIMARY KEY,
    attribute_type_id integer NOT NULL REFERENCES attribute_type (id), note text);
""",
    "mysql": """
CREATE TABLE attribute_type (id INTEGER PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL);
CREATE TABLE instrument (id INTEGER PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL);
CREATE TRIGGER a_ins_instrument AFTER INSERT ON instrument FOR EACH ROW
    INSERT INTO `attribute_type` (name) VALUES (NEW.name);
CREATE TABLE attribute_link (id INTEGER PRIMARY KEY AUTO_INCREMENT,
    attribute_type_id INTEGER NOT NULL, note VARCHAR(40),
    FOREIGN KEY (attribute_type_id) REFERENCES attribute_type (id));
""",
    "sqlite": """
CREATE TABLE attribute_type (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE instrument (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TRIGGER a_ins_instrument AFTER INSERT ON instrument
BEGIN
    INSERT INTO attribute_type (name) VALUES (NEW.name);
END;
CREATE TABLE attribute_link (id INTEGER PRIMARY KEY,
    attribute_type_id INTEGER NOT NULL REFERENCES attribute_type (id), note TEXT);
""",
}

ORPHAN_LINKS = (
    "SELECT count(*) FROM attribute_link l WHERE NOT EXISTS "
    "(SELECT 1 FROM attribute_type a WHERE a.id = l.attribute_type_id)"
)


def _url(request: pytest.FixtureRequest, db: str) -> str:
    fixture = {"postgresql": "pg_url", "mysql": "mysql_url", "sqlite": "sqlite_url"}[db]
    return str(request.getfixturevalue(fixture))


DBS = [
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mysql", marks=pytest.mark.mariadb),
    "sqlite",
]


def _statements(ddl: str) -> list[str]:
    """Trigger bodies hold `;`: each CREATE (up to the next) is one statement."""
    parts: list[list[str]] = []
    for line in ddl.strip().splitlines():
        if line.startswith("CREATE") or not parts:
            parts.append([])
        parts[-1].append(line)
    return ["\n".join(p).rstrip().rstrip(";") for p in parts]


def _load(url: str, db: str, ddl: str) -> None:
    if db == "sqlite":
        run_sql(url, ddl)  # executescript reads trigger bodies itself
        return
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in _statements(ddl):
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


@pytest.mark.parametrize("db", DBS)
def test_update_only_trigger_leaves_table_seeded(
    request: pytest.FixtureRequest, db: str, tmp_path: Path
) -> None:
    url = _url(request, db)
    _load(url, db, COUNTER[db])
    _, schema = reflect_url(url)
    song_tag = schema.table("song_tag")
    assert song_tag is not None
    trigger = song_tag.triggers[0]
    assert trigger.writes == () and trigger.sets == ("tag.ref_count",)
    _ok(run_apply(url, tmp_path))
    assert _n(url, "SELECT count(*) FROM tag") == 20
    assert _n(url, "SELECT count(*) FROM song_tag") == 20
    orphans = (
        "SELECT count(*) FROM song_tag s WHERE NOT EXISTS "
        "(SELECT 1 FROM tag t WHERE t.id = s.tag_id)"
    )
    assert _n(url, orphans) == 0
    # the counter was left to its default and the trigger kept it: exactly the children
    wrong = (
        "SELECT count(*) FROM tag t WHERE t.ref_count <> "
        "(SELECT count(*) FROM song_tag s WHERE s.tag_id = t.id)"
    )
    assert _n(url, wrong) == 0
    assert _n(url, "SELECT sum(ref_count) FROM tag") == 20


@pytest.mark.parametrize("db", DBS)
def test_trigger_filled_table_that_others_need(
    request: pytest.FixtureRequest, db: str, tmp_path: Path
) -> None:
    url = _url(request, db)
    _load(url, db, FILLED[db])
    _, schema = reflect_url(url)
    instrument = schema.table("instrument")
    assert instrument is not None and instrument.triggers[0].writes == ("attribute_type",)
    run = run_apply(url, tmp_path)
    _ok(run)
    # 20 seeded + one per instrument row made by the trigger, keys all distinct
    assert _n(url, "SELECT count(*) FROM instrument") == 20
    assert _n(url, "SELECT count(*) FROM attribute_type") == 40
    assert _n(url, "SELECT count(DISTINCT id) FROM attribute_type") == 40
    assert _n(url, "SELECT count(*) FROM attribute_link") == 20
    assert _n(url, ORPHAN_LINKS) == 0
    # the trigger's rows came after the seeded ids: the names it copied sit above id 20
    made = (
        "SELECT count(*) FROM attribute_type a WHERE a.id > 20 AND a.name IN "
        "(SELECT name FROM instrument)"
    )
    assert _n(url, made) == 20


@pytest.mark.postgres
def test_spec_count_on_trigger_filled_table_is_honoured(pg_url: str, tmp_path: Path) -> None:
    _load(pg_url, "postgresql", FILLED["postgresql"])
    spec = tmp_path / "seed.yaml"
    spec.write_text(
        "seedspec: 1\ntables:\n  attribute_type: {count: 5}\n  instrument: {count: 7}\n"
    )
    _ok(run_apply(pg_url, tmp_path, str(spec)))
    assert _n(pg_url, "SELECT count(*) FROM attribute_type") == 12
    assert _n(pg_url, "SELECT count(*) FROM attribute_type WHERE id <= 5") == 5
    assert _n(pg_url, ORPHAN_LINKS) == 0
    assert _n(pg_url, "SELECT count(*) FROM attribute_link WHERE attribute_type_id > 5") == 0
    # the sequence is ahead of every key: the next insert does not collide
    run_sql(pg_url, "INSERT INTO attribute_type (name) VALUES ('next')")
    assert _n(pg_url, "SELECT count(DISTINCT id) FROM attribute_type") == 13


@pytest.mark.postgres
def test_count_zero_leaves_table_to_trigger(pg_url: str, tmp_path: Path) -> None:
    _load(pg_url, "postgresql", FILLED["postgresql"])
    spec = tmp_path / "seed.yaml"
    spec.write_text(
        "seedspec: 1\ntables:\n  attribute_type: {count: 0}\n  attribute_link: {count: 0}\n"
    )
    _ok(run_apply(pg_url, tmp_path, str(spec)))
    assert _n(pg_url, "SELECT count(*) FROM instrument") == 20
    assert _n(pg_url, "SELECT count(*) FROM attribute_type") == 20  # the trigger's rows only
    assert _n(pg_url, "SELECT min(id) FROM attribute_type") == 1
