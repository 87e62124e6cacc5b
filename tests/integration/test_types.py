"""Every type a real schema uses gets a NOT NULL-safe generator (issue 10, family 5).

Each test creates NOT NULL columns of the types, runs `seedspec apply` with no spec, and reads
the rows back by query: the database's own input functions and PostGIS's ST_IsValid / ST_SRID
judge the literals. A corpus test draws 100 rows of every inferred generator (preview), so a
generator that would crash at load fails here, before any apply.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CORPUS, query, run_sql, run_sql_file, scalar
from corpus_audit import audit, run_apply
from dbcheck import violations

from seedspec.authoring.preview import preview_rows
from seedspec.errors import CompileError

BUILT_IN = """
CREATE TYPE mood AS ENUM ('calm', 'busy', 'away');
CREATE TABLE things (
    id serial PRIMARY KEY,
    p point NOT NULL, l line NOT NULL, ls lseg NOT NULL, b box NOT NULL,
    pa path NOT NULL, po polygon NOT NULL, c circle NOT NULL,
    tq tsquery NOT NULL, tv tsvector NOT NULL, lsn pg_lsn NOT NULL UNIQUE,
    m macaddr NOT NULL, m8 macaddr8 NOT NULL, mo money NOT NULL, x xml NOT NULL,
    mr int4multirange NOT NULL, dmr datemultirange NOT NULL, nr numrange NOT NULL,
    nmr nummultirange NOT NULL, tsr tstzrange NOT NULL,
    moods mood[] NOT NULL, ints integer[] NOT NULL, o oid NOT NULL
);
"""


def _apply(url: str, tmp_path: Path, *args: str) -> None:
    run = run_apply(url, tmp_path, *args)
    assert run.returncode == 0, f"seedspec apply exited {run.returncode}: {run.error}"
    if url.startswith("sqlite"):
        found = violations(url)
    else:
        found = audit(url, None, report=run.doc).violations
    assert not found, "\n".join(found[:20])


def _none(url: str, sql: str) -> None:
    assert int(str(scalar(url, f"SELECT count(*) FROM ({sql}) AS bad"))) == 0, sql


@pytest.mark.postgres
def test_built_in_geometric_range_enum_array_and_text_search_types(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql_file_text(pg_url, tmp_path, BUILT_IN)
    _apply(pg_url, tmp_path)
    assert scalar(pg_url, "SELECT count(*) FROM things") == 20
    # read back through each type's own functions: the literals are real values of the type
    _none(pg_url, "SELECT 1 FROM things WHERE NOT (radius(c) > 0) OR NOT (area(b) > 0)")
    _none(
        pg_url,
        "SELECT 1 FROM things WHERE NOT (area(box(po)) > 0) OR npoints(pa) < 4 OR npoints(po) < 4",
    )
    _none(pg_url, "SELECT 1 FROM things WHERE length(ls) <= 0 OR numnode(tq) < 1")
    # line's input function itself rejects A = B = 0, so reading it back proves A or B is not 0
    assert len(query(pg_url, "SELECT DISTINCT l::text FROM things")) == 20
    _none(pg_url, "SELECT 1 FROM things WHERE isempty(nr) OR isempty(tsr) OR lower(nr) IS NULL")
    _none(pg_url, "SELECT 1 FROM things WHERE isempty(mr) OR isempty(dmr) OR isempty(nmr)")
    _none(pg_url, "SELECT 1 FROM things WHERE cardinality(moods) > 3 OR cardinality(ints) > 3")
    members = query(pg_url, "SELECT DISTINCT unnest(moods)::text FROM things")
    assert {m for (m,) in members} <= {"calm", "busy", "away"}
    assert len(members) >= 2
    assert scalar(pg_url, "SELECT count(DISTINCT lsn) FROM things") == 20


@pytest.mark.postgres
def test_unknown_type_is_a_clear_compile_error_naming_the_one_line_fix(
    pg_url: str, tmp_path: Path
) -> None:
    """A type with no generator (here regclass) stops before any row, naming the spec line."""
    run_sql(pg_url, "CREATE TABLE t (id serial PRIMARY KEY, rel regclass NOT NULL)")
    run = run_apply(pg_url, tmp_path)
    assert run.returncode == 3, run.stdout + run.stderr
    text = run.stdout + run.stderr
    assert "t.rel (regclass) is NOT NULL" in text
    assert 'rel: {const: \\"...\\"}' in text or 'rel: {const: "..."}' in text
    assert scalar(pg_url, "SELECT count(*) FROM t") == 0


def run_sql_file_text(url: str, tmp_path: Path, sql: str) -> None:
    path = tmp_path / "schema.sql"
    path.write_text(sql, encoding="utf-8")
    run_sql_file(url, path)


def _postgis(url: str) -> None:
    if not query(url, "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"):
        reason = "PostGIS is not installed (apt-get install postgresql-15-postgis-3)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI is set", pytrace=False)
        pytest.skip(reason)


POSTGIS = """
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE places (
    id bigserial PRIMARY KEY,
    zone geometry(Polygon, 4326) NOT NULL,
    spot geography(Point) NOT NULL,
    anything geometry NOT NULL,
    parcels geometry(MultiPolygonZ, 3857) NOT NULL,
    track geometry(LineStringM, 4326) NOT NULL,
    bag geometry(GeometryCollection, 4326) NOT NULL,
    roads geometry(MultiLineString) NOT NULL,
    stops geometry(MultiPoint, 4326) NOT NULL
);
"""

# column -> (GeometryType, SRID, dimensions)
SHAPES = {
    "zone": ("POLYGON", 4326, 2),
    "anything": ("POINT", 0, 2),
    "parcels": ("MULTIPOLYGON", 3857, 3),
    "track": ("LINESTRINGM", 4326, 3),
    "bag": ("GEOMETRYCOLLECTION", 4326, 2),
    "roads": ("MULTILINESTRING", 0, 2),
    "stops": ("MULTIPOINT", 4326, 2),
}


@pytest.mark.postgres
def test_postgis_geometry_from_the_type_modifier(pg_url: str, tmp_path: Path) -> None:
    _postgis(pg_url)
    run_sql_file_text(pg_url, tmp_path, POSTGIS)
    _apply(pg_url, tmp_path)
    assert scalar(pg_url, "SELECT count(*) FROM places") == 20
    for column, (kind, srid, dims) in SHAPES.items():
        _none(
            pg_url,
            f"SELECT 1 FROM places WHERE NOT ST_IsValid({column}) OR ST_SRID({column}) <> {srid} "
            f"OR GeometryType({column}) <> '{kind}' OR ST_NDims({column}) <> {dims}",
        )
    _none(pg_url, "SELECT 1 FROM places WHERE ST_SRID(spot::geometry) <> 4326")
    _none(pg_url, "SELECT 1 FROM places WHERE ST_NPoints(zone) < 5 OR ST_Area(zone) <= 0")
    assert scalar(pg_url, "SELECT count(DISTINCT ST_AsText(zone)) FROM places") == 20


SQLITE_AFFINITY = """
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    anything NOT NULL,
    code VARCHAR2(20) NOT NULL,
    created DATETIME NOT NULL,
    done BOOLEAN NOT NULL,
    amount NUMERIC NOT NULL,
    ratio DOUBLE PRECISION NOT NULL,
    blobby BLOB NOT NULL
);
"""


def test_sqlite_declared_type_affinities(sqlite_url: str, tmp_path: Path) -> None:
    run_sql(sqlite_url, SQLITE_AFFINITY)
    _apply(sqlite_url, tmp_path)
    assert scalar(sqlite_url, "SELECT count(*) FROM notes") == 20
    types = query(
        sqlite_url,
        "SELECT DISTINCT typeof(code), typeof(done), typeof(ratio), typeof(blobby) FROM notes",
    )
    assert types == [("text", "integer", "real", "blob")]
    _none(sqlite_url, "SELECT 1 FROM notes WHERE length(code) > 20 OR done NOT IN (0, 1)")
    _none(sqlite_url, "SELECT 1 FROM notes WHERE anything IS NULL OR created IS NULL")


# -- every inferred generator of the corpus draws 100 rows -----------------------------------------

SQLITE_CORPUS = sorted(p.parent.name for p in CORPUS.glob("*/schema.sqlite.sql"))
PG_CORPUS = ["chinook", "northwind", "pagila", "roundcube", "kanboard"]


def _draw(url: str) -> None:
    try:
        rows = preview_rows(None, url, rows=100, scale=5.0, schemas="*")
    except CompileError as err:  # not a generator crash: another family's compile error
        pytest.xfail(f"does not compile yet: {err.message[:200]}")
    assert rows and any(len(r) == 100 for r in rows.values())


@pytest.mark.parametrize("name", SQLITE_CORPUS)
def test_corpus_sqlite_inferred_generators_draw_100_rows(sqlite_url: str, name: str) -> None:
    run_sql_file(sqlite_url, CORPUS / name / "schema.sqlite.sql")
    _draw(sqlite_url)


@pytest.mark.postgres
@pytest.mark.parametrize("name", PG_CORPUS)
def test_corpus_postgresql_inferred_generators_draw_100_rows(pg_url: str, name: str) -> None:
    path = CORPUS / name / "schema.sql"
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    run_sql_file(pg_url, path)
    _draw(pg_url)


# -- capacity before load: an explicit count a small integer key cannot number -----------------


def _over_capacity(url: str, tmp_path: Path, count: int, top: int) -> None:
    (tmp_path / "seed.yaml").write_text(
        f"seedspec: 1\ntables:\n  tag:\n    count: {count}\n", encoding="utf-8"
    )
    run = run_apply(url, tmp_path, "seed.yaml")
    assert run.returncode == 3, run.stdout + run.stderr
    text = run.stdout + run.stderr
    assert f"count {count} is more rows than its key id" in text and f"at most {top}" in text
    assert '"line": 4' in text or "seed.yaml:4:" in text  # located at the count
    assert scalar(url, "SELECT count(*) FROM tag") == 0


@pytest.mark.postgres
def test_explicit_count_over_a_smallint_key_is_a_compile_error(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, "CREATE TABLE tag (id smallserial PRIMARY KEY, name text NOT NULL)")
    _over_capacity(pg_url, tmp_path, 40_000, 32_767)


@pytest.mark.mariadb
def test_explicit_count_over_a_tinyint_key_is_a_compile_error(
    mysql_url: str, tmp_path: Path
) -> None:
    run_sql(
        mysql_url,
        "CREATE TABLE tag (id TINYINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, "
        "name varchar(20) NOT NULL)",
    )
    _over_capacity(mysql_url, tmp_path, 300, 255)
