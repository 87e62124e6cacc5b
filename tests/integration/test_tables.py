"""Which tables are seeded, on schemas real frameworks made: Django's own `migrate` (SQLite and
PostgreSQL) and an Alembic-managed schema (MariaDB). Framework bookkeeping tables stay
byte-identical through apply and `apply --truncate`, their rows are the parents seeded FKs
pick, `migrate` still has nothing to do afterwards; tables.include/exclude and the
--include/--exclude flags choose tables; a glob matching nothing is a located warning; `init`
writes the left-alone tables as a comment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import query, run_sql

pytestmark = [pytest.mark.postgres, pytest.mark.mariadb]

BOOKKEEPING = [
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "django_session",
    "django_admin_log",
]
APP_TABLES = [
    "auth_user",
    "auth_group",
    "auth_user_groups",
    "auth_group_permissions",
    "auth_user_user_permissions",
]
SETTINGS = """
import os
SECRET_KEY = "test"
INSTALLED_APPS = [
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.admin", "django.contrib.messages",
]
DATABASES = {"default": json_db}
USE_TZ = True
SILENCED_SYSTEM_CHECKS = ["admin.E403", "admin.E408", "admin.E409", "admin.E410"]
"""


def seedspec(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    return subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def django_db(url: str) -> dict[str, object]:
    u = sa.make_url(url)
    if u.get_backend_name() == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": u.database}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": u.database,
        "USER": u.username or "postgres",
        "HOST": u.host or "127.0.0.1",
        "PORT": u.port or 5432,
    }


def migrate(url: str, folder: Path) -> str:
    """`django-admin migrate` of auth, contenttypes, sessions and admin; its stdout."""
    try:
        import django  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("django is not installed (pip install -e .[test])", pytrace=False)
        pytest.skip("django is not installed")
    settings = folder / "djsettings.py"
    settings.write_text(f"json_db = {django_db(url)!r}\n" + SETTINGS, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(folder), "DJANGO_SETTINGS_MODULE": "djsettings"}
    proc = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--no-input"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def rows_of(url: str, tables: list[str]) -> dict[str, list[tuple]]:
    return {t: query(url, f"SELECT * FROM {t} ORDER BY 1") for t in tables}


def counts(url: str, tables: list[str]) -> dict[str, int]:
    return {t: int(query(url, f"SELECT COUNT(*) FROM {t}")[0][0]) for t in tables}


def constraints(url: str) -> list[tuple]:
    """Every constraint of the database (PostgreSQL): name, table and definition (but the
    apply ledger's own key: seedspec's table, made by the first apply)."""
    rows = query(
        url,
        "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
    )
    return [r for r in rows if r[1] != "seedspec_ledger"]


@pytest.fixture(params=["sqlite", "postgresql"])
def django_url(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    migrate(url, tmp_path)
    return url, tmp_path


def test_django_migrated_schema_seeds_app_tables_and_keeps_bookkeeping(
    django_url: tuple[str, Path],
) -> None:
    url, folder = django_url
    before = rows_of(url, BOOKKEEPING)
    assert len(before["django_migrations"]) >= 15 and len(before["auth_permission"]) >= 20
    pg = url.startswith("postgresql")
    shape = constraints(url) if pg else []

    plan = seedspec("plan", "--db", url, "-o", "json", cwd=folder)
    assert plan.returncode == 0, plan.stderr
    doc = json.loads(plan.stdout)["result"]["plan"]
    left = {a["table"]: a["reason"] for a in doc["left_alone"]}
    assert set(left) == set(BOOKKEEPING)
    assert left["django_migrations"] == "Django bookkeeping: migration history"
    assert {s["table"] for s in doc["steps"] if s["step"] == "insert"} == set(APP_TABLES)
    existing = {e["name"]: e["count"] for e in doc["existing"]}
    assert existing == {"auth_permission": len(before["auth_permission"])}
    text = seedspec("plan", "--db", url, cwd=folder)
    assert "left alone (not seeded, never cleared, not even by --reset):" in text.stdout
    assert "auth_permission: Django bookkeeping: permissions written by migrate; " in text.stdout
    assert (
        "it references auth_user: --reset empties it but never django_admin_log, and refuses "
        "while django_admin_log holds rows" in text.stdout
    )
    admin_log = next(a for a in doc["left_alone"] if a["table"] == "django_admin_log")
    assert admin_log["references"] == ["auth_user"]

    for attempt in ("apply", "apply --truncate"):
        done = seedspec(*attempt.split(), "--db", url, cwd=folder)
        assert done.returncode == 0, done.stderr
        assert "left alone (not written, not cleared): auth_permission" in done.stdout
        assert rows_of(url, BOOKKEEPING) == before, attempt  # byte-identical
        assert all(n > 0 for n in counts(url, APP_TABLES).values()), attempt
        permissions = {r[0] for r in before["auth_permission"]}
        picked = query(url, "SELECT permission_id FROM auth_group_permissions")
        picked += query(url, "SELECT permission_id FROM auth_user_user_permissions")
        assert picked and {r[0] for r in picked} <= permissions
        assert len({r[0] for r in picked}) > 1  # spread over the existing rows
        if pg:
            assert constraints(url) == shape  # the bulk path restored every FK, also theirs
        again = migrate(url, folder)
        assert "No migrations to apply." in again, attempt


def test_django_include_a_bookkeeping_table_and_children_of_content_types(
    sqlite_url: str, tmp_path: Path
) -> None:
    """`--include auth_permission` (exact) seeds it; its content_type_id picks the existing
    content types (left alone); with --truncate the rest of the bookkeeping is untouched."""
    migrate(sqlite_url, tmp_path)
    types = {r[0] for r in query(sqlite_url, "SELECT id FROM django_content_type")}
    others = [t for t in BOOKKEEPING if t != "auth_permission"]
    before = rows_of(sqlite_url, others)
    refused = seedspec("apply", "--db", sqlite_url, "--include", "*,auth_permission")
    assert refused.returncode == 1
    assert "already hold rows: auth_permission" in refused.stderr
    done = seedspec(
        "apply", "--db", sqlite_url, "--include", "*", "--include", "auth_permission", "--truncate"
    )
    assert done.returncode == 0, done.stderr
    assert rows_of(sqlite_url, others) == before
    assert counts(sqlite_url, ["auth_permission"]) == {"auth_permission": 20}
    chosen = {r[0] for r in query(sqlite_url, "SELECT content_type_id FROM auth_permission")}
    assert chosen <= types and len(chosen) > 1
    assert query(sqlite_url, "PRAGMA foreign_key_check") == []


def test_empty_left_alone_parent_is_exit_3_before_any_row(sqlite_url: str, tmp_path: Path) -> None:
    migrate(sqlite_url, tmp_path)
    run_sql(sqlite_url, "DELETE FROM auth_permission;")
    done = seedspec("apply", "--db", sqlite_url, "--exclude", "auth_permission")
    assert done.returncode == 3, done.stderr
    assert "need rows in 'auth_permission', which seedspec leaves alone" in done.stderr
    assert "--include auth_permission" in done.stderr and "insert its rows first" in done.stderr
    assert all(n == 0 for n in counts(sqlite_url, APP_TABLES).values())


def test_empty_bookkeeping_parent_is_seeded_with_a_warning(sqlite_url: str, tmp_path: Path) -> None:
    """A schema-only database (migrate's tables exist, its rows do not): the bookkeeping tables
    the app's NOT NULL FKs need are seeded after all (nothing in them to keep), the others are
    left alone, and the output says so."""
    migrate(sqlite_url, tmp_path)
    history = rows_of(sqlite_url, ["django_migrations"])
    run_sql(sqlite_url, "DELETE FROM auth_permission; DELETE FROM django_content_type;")
    done = seedspec("apply", "--db", sqlite_url, "-o", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    doc = json.loads(done.stdout)
    found = doc["result"]["drift"]["findings"]
    warned = {w["table"] for w in found if w["kind"] == "bookkeeping-seeded"}
    assert warned == {"auth_permission", "django_content_type"}, found
    have = counts(sqlite_url, ["auth_permission", "django_content_type", *APP_TABLES])
    assert all(n > 0 for n in have.values()), have
    assert rows_of(sqlite_url, ["django_migrations"]) == history  # left alone, byte for byte
    left = set(doc["result"]["report"]["left_alone"])
    assert "django_migrations" in left and "auth_permission" not in left


def test_globs_from_spec_and_flags(sqlite_url: str, tmp_path: Path) -> None:
    migrate(sqlite_url, tmp_path)
    spec = tmp_path / "seed.yaml"
    spec.write_text(
        "seedspec: 1\n"
        "tables:\n"
        "  exclude: ['auth_user_*', 'nothing_like_this_*']\n"
        "  auth_user: {count: 4}\n",
        encoding="utf-8",
    )
    check = seedspec("check", str(spec), "--db", sqlite_url, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert (
        f"{spec}:3:28: warning: exclude glob 'nothing_like_this_*' matches no table" in check.stdout
    )
    done = seedspec(
        "apply", str(spec), "--db", sqlite_url, "--exclude", "auth_group_permissions", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    got = counts(sqlite_url, APP_TABLES)
    assert got == {
        "auth_user": 4,
        "auth_group": 20,
        "auth_user_groups": 0,  # auth_user_* (spec)
        "auth_group_permissions": 0,  # --exclude
        "auth_user_user_permissions": 0,  # auth_user_* (spec)
    }
    flag = seedspec("plan", "--db", sqlite_url, "--exclude", "zzz*", "--include", "auth_g*")
    assert flag.returncode == 0, flag.stderr
    assert "warning: --exclude exclude glob 'zzz*' matches no table" in flag.stderr
    inserts = [line for line in flag.stdout.splitlines() if " rows into " in line]
    assert [line.split(" rows into ")[1].split()[0] for line in inserts] == [
        "auth_group",
        "auth_group_permissions",
    ]
    assert "auth_user: not matched by tables.include / --include" in flag.stdout


def test_init_writes_left_alone_tables_as_a_comment(sqlite_url: str, tmp_path: Path) -> None:
    migrate(sqlite_url, tmp_path)
    before = rows_of(sqlite_url, BOOKKEEPING)
    spec = tmp_path / "seed.yaml"
    done = seedspec("init", str(spec), "--db", sqlite_url, "--exclude", "auth_group_permissions")
    assert done.returncode == 0, done.stderr
    text = spec.read_text(encoding="utf-8")
    assert "# Left alone: never seeded nor cleared" in text
    assert "#   django_migrations: Django bookkeeping: migration history" in text
    assert "#   auth_group_permissions: excluded by 'auth_group_permissions' (--exclude)" in text
    assert "  exclude: [auth_group_permissions]" in text
    for name in [*BOOKKEEPING, "auth_group_permissions"]:
        assert f"\n  {name}:" not in text  # a comment, not a table entry
    assert "\n  auth_user:" in text
    applied = seedspec("apply", str(spec), "--db", sqlite_url, cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert rows_of(sqlite_url, BOOKKEEPING) == before
    assert counts(sqlite_url, ["auth_group_permissions"]) == {"auth_group_permissions": 0}
    assert counts(sqlite_url, ["auth_user"])["auth_user"] > 0


ALEMBIC_ENV = """
from alembic import context
from sqlalchemy import create_engine

engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.connect() as conn:
    context.configure(connection=conn, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
"""
FIRST = """
from alembic import op

revision = "3f2a9c1e7b44"
down_revision = None


def upgrade():
    op.execute(
        "CREATE TABLE countries (code CHAR(2) NOT NULL PRIMARY KEY, name VARCHAR(60) NOT NULL)"
    )
    op.execute("INSERT INTO countries VALUES ('de', 'Germany'), ('fr', 'France'), ('jp', 'Japan')")
    op.execute(
        "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(120) NOT NULL UNIQUE,"
        " country_code CHAR(2) NOT NULL, FOREIGN KEY (country_code) REFERENCES countries (code))"
    )
    op.execute(
        "CREATE TABLE posts (id INT AUTO_INCREMENT PRIMARY KEY, author_id INT NOT NULL,"
        " title VARCHAR(200) NOT NULL, FOREIGN KEY (author_id) REFERENCES users (id))"
    )
    op.execute(
        "CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, user_id INT NULL,"
        " note VARCHAR(100) NOT NULL, FOREIGN KEY (user_id) REFERENCES users (id))"
    )
"""
SECOND = """
from alembic import op

revision = "9b1d0c2e4f10"
down_revision = "3f2a9c1e7b44"


def upgrade():
    op.execute("ALTER TABLE posts ADD COLUMN views INT NOT NULL DEFAULT 0")
"""


def alembic(url: str, folder: Path, *revisions: str) -> object:
    """`alembic upgrade head` with these revision files (Alembic's own command API)."""
    try:
        from alembic import command
        from alembic.config import Config
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("alembic is not installed (pip install -e .[test])", pytrace=False)
        pytest.skip("alembic is not installed")
    scripts = folder / "migrations"
    (scripts / "versions").mkdir(parents=True, exist_ok=True)
    (scripts / "env.py").write_text(ALEMBIC_ENV, encoding="utf-8")
    for i, text in enumerate(revisions):
        (scripts / "versions" / f"r{i}.py").write_text(text, encoding="utf-8")
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "head")
    return cfg


@pytest.mark.parametrize("bulk", [True, False])
def test_alembic_schema_on_mariadb(mysql_url: str, tmp_path: Path, bulk: bool) -> None:
    """Alembic's own `upgrade head` made the schema; seeded (and re-seeded with --truncate) with
    an excluded lookup table, alembic_version is untouched and the next migration applies."""
    alembic(mysql_url, tmp_path, FIRST)
    kept = ["alembic_version", "countries", "audit_log"]
    before = rows_of(mysql_url, kept)
    assert before["alembic_version"] == [("3f2a9c1e7b44",)]
    spec = tmp_path / "seed.yaml"
    spec.write_text(
        "seedspec: 1\ntables:\n  exclude: [countries, audit_*]\n  users: {count: 30}\n",
        encoding="utf-8",
    )
    flags = [] if bulk else ["--no-bulk"]
    for attempt in (["apply"], ["apply", "--truncate"]):
        done = seedspec(*attempt, str(spec), "--db", mysql_url, *flags, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert rows_of(mysql_url, kept) == before, attempt
        assert counts(mysql_url, ["users", "posts"]) == {"users": 30, "posts": 20}
        codes = {r[0] for r in query(mysql_url, "SELECT country_code FROM users")}
        assert codes <= {"de", "fr", "jp"} and len(codes) > 1
    plan = json.loads(seedspec("plan", str(spec), "--db", mysql_url, "-o", "json").stdout)
    left = {a["table"]: a["reason"] for a in plan["result"]["plan"]["left_alone"]}
    assert left["alembic_version"] == "Alembic bookkeeping: migration version"
    assert left["audit_log"].startswith("excluded by 'audit_*' (tables.exclude at ")

    # a left-alone table holding rows that reference a seeded one: --truncate refuses, names it
    users = query(mysql_url, "SELECT MIN(id) FROM users")[0][0]
    run_sql(mysql_url, f"INSERT INTO audit_log (user_id, note) VALUES ({users}, 'login')")
    snapshot = rows_of(mysql_url, [*kept, "users", "posts"])
    refused = seedspec("apply", str(spec), "--db", mysql_url, "--truncate", *flags, cwd=tmp_path)
    assert refused.returncode == 1
    assert "--reset would empty users, which rows of audit_log reference" in refused.stderr
    assert "--reset never clears it" in refused.stderr
    assert "nothing was written" in refused.stderr
    assert rows_of(mysql_url, [*kept, "users", "posts"]) == snapshot

    # the application's next migration still applies on the seeded database
    alembic(mysql_url, tmp_path, FIRST, SECOND)
    assert query(mysql_url, "SELECT version_num FROM alembic_version") == [("9b1d0c2e4f10",)]
    assert counts(mysql_url, ["posts"]) == {"posts": 20}
