"""Relations between FKs (issue 10), seeded with no spec through the CLI and audited by query.

1. Comparisons between two FKs to one table: CHECK (a <> b) with PK (a, b), CHECK (a < b) with
   UNIQUE (a, b), CHECK (b >= a), plain columns above / below an FK; capacity refused first.
2. Tenant-scoped self-reference: FOREIGN KEY (tenant_id, parent_id) REFERENCES node (tenant_id,
   id) beside tenant_id REFERENCES tenant: trees within each tenant; a composite FK to another
   table sharing the tenant column.
3. FKs to tables outside the seeded schemas (PostgreSQL auth.users while public is seeded; a
   table in another MariaDB database): children pick among the rows already there.

Every apply is audited: PostgreSQL / MariaDB through tests/corpus_audit.audit (each CHECK from
the catalog re-evaluated, FK anti-joins, uniques, NOT NULLs), SQLite through sqlite_violations
plus each CHECK of the DDL as `count(*) WHERE NOT (expr)`; then the shape's own promise as
queries that must return 0, exact counts, and the rows again after `--truncate` (determinism).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MYSQL_ADMIN_URL, run_sql, scalar
from corpus_audit import audit, run_apply, scratch_database, sqlite_violations
from dbcheck import counts, table_digest

PAIRS = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE follows (follower_id INTEGER NOT NULL REFERENCES users (id),
    followee_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (follower_id, followee_id), CHECK (follower_id <> followee_id));
CREATE TABLE friendships (id INTEGER PRIMARY KEY, user_low INTEGER NOT NULL REFERENCES users (id),
    user_high INTEGER NOT NULL REFERENCES users (id), CHECK (user_low < user_high),
    UNIQUE (user_low, user_high));
CREATE TABLE mentorships (id INTEGER PRIMARY KEY,
    mentor_id INTEGER NOT NULL REFERENCES users (id),
    mentee_id INTEGER NOT NULL REFERENCES users (id), CHECK (mentee_id >= mentor_id));
CREATE TABLE rankings (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
    above INTEGER NOT NULL, below INTEGER NOT NULL, CHECK (user_id < above),
    CHECK (below <= user_id))
"""
PAIR_CHECKS = (
    ("follows", "follower_id <> followee_id"),
    ("friendships", "user_low < user_high"),
    ("mentorships", "mentee_id >= mentor_id"),
    ("rankings", "user_id < above"),
    ("rankings", "below <= user_id"),
)
PAIR_ZERO = (
    "SELECT count(*) FROM follows WHERE follower_id = followee_id",
    "SELECT count(*) - count(DISTINCT follower_id * 100000 + followee_id) FROM follows",
    "SELECT count(*) FROM friendships WHERE user_low >= user_high",
    "SELECT count(*) - count(DISTINCT user_low * 100000 + user_high) FROM friendships",
    "SELECT count(*) FROM mentorships WHERE mentee_id < mentor_id",
    "SELECT count(*) FROM rankings WHERE NOT (below <= user_id AND user_id < above)",
    # the pairs spread over the parents, not a handful of them
    "SELECT CASE WHEN count(DISTINCT user_low) > 300 THEN 0 ELSE 1 END FROM friendships",
    "SELECT CASE WHEN count(DISTINCT followee_id) > 300 THEN 0 ELSE 1 END FROM follows",
)
PAIR_ROWS = {"users": 1200, "follows": 1200, "friendships": 1200, "mentorships": 1200}

TENANTS = """
CREATE TABLE tenant (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE node (tenant_id INTEGER NOT NULL REFERENCES tenant (id), id INTEGER NOT NULL,
    parent_id INTEGER, name VARCHAR(40), PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES node (tenant_id, id));
CREATE TABLE folder (tenant_id INTEGER NOT NULL REFERENCES tenant (id), id INTEGER NOT NULL,
    parent_id INTEGER NOT NULL, PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES folder (tenant_id, id));
CREATE TABLE project (tenant_id INTEGER NOT NULL REFERENCES tenant (id), id INTEGER NOT NULL,
    name VARCHAR(40), PRIMARY KEY (tenant_id, id));
CREATE TABLE task (id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL REFERENCES tenant (id),
    project_id INTEGER NOT NULL, title VARCHAR(40),
    FOREIGN KEY (tenant_id, project_id) REFERENCES project (tenant_id, id))
"""


def _reach(table: str, roots: str) -> str:
    """Rows not reached from the roots by walking parent links within a tenant: 0 = a forest."""
    return (
        f"WITH RECURSIVE walk (tenant_id, id) AS ("
        f"SELECT tenant_id, id FROM {table} WHERE {roots} UNION "
        f"SELECT c.tenant_id, c.id FROM {table} c JOIN walk w "
        f"ON c.tenant_id = w.tenant_id AND c.parent_id = w.id) "
        f"SELECT (SELECT count(*) FROM {table}) - (SELECT count(*) FROM walk)"
    )


TENANT_ZERO = (
    _reach("node", "parent_id IS NULL"),
    _reach("folder", "parent_id = id"),
    # a parent in the same tenant (the composite FK), and every tenant's first row a root
    "SELECT count(*) FROM node c WHERE c.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
    "node p WHERE p.tenant_id = c.tenant_id AND p.id = c.parent_id)",
    "SELECT CASE WHEN count(*) > 0 THEN 0 ELSE 1 END FROM node WHERE parent_id IS NOT NULL",
    "SELECT CASE WHEN count(*) > 0 THEN 0 ELSE 1 END FROM node WHERE parent_id IS NULL",
    "SELECT count(*) FROM task t WHERE NOT EXISTS (SELECT 1 FROM project p "
    "WHERE p.tenant_id = t.tenant_id AND p.id = t.project_id)",
)
TENANT_ROWS = {"tenant": 100, "node": 100, "folder": 100, "task": 100}


def _sqlite_check_failures(url: str, checks: tuple[tuple[str, str], ...]) -> list[str]:
    out = []
    for table, expr in checks:
        n = int(str(scalar(url, f"SELECT count(*) FROM {table} WHERE NOT ({expr})")))
        if n:
            out.append(f"{table}: CHECK ({expr}): {n} rows fail it")
    return out


def _applied_and_audited(
    url: str, ddl: str, tmp: Path, checks: tuple[tuple[str, str], ...], *args: str
) -> dict[str, int]:
    run_sql(url, ddl)
    run = run_apply(url, tmp, *args)
    assert run.returncode == 0, f"seedspec apply exited {run.returncode}: {run.error}"
    if url.startswith("sqlite"):
        rows = counts(url)
        bad = sqlite_violations(url) + _sqlite_check_failures(url, checks)
    else:
        result = audit(url, report=run.doc)
        assert result.checked["checks"] >= len(checks), result.summary()
        rows, bad = result.rows, result.violations
    assert not bad, "\n".join(bad)
    assert all(rows.values()), f"empty tables: {rows}"
    return rows


def _digests(url: str, tables: list[str]) -> dict[str, str]:
    return {t: table_digest(url, t) for t in tables}


@pytest.mark.parametrize("db", ["postgresql", "mysql", "sqlite"])
def test_comparisons_between_two_fks(db: str, request: pytest.FixtureRequest, tmp_path: Path):
    fixture = {"postgresql": "pg_url", "mysql": "mysql_url", "sqlite": "sqlite_url"}[db]
    if db == "mysql":
        request.applymarker(pytest.mark.mariadb)
    url = request.getfixturevalue(fixture)
    rows = _applied_and_audited(url, PAIRS, tmp_path, PAIR_CHECKS, "--scale", "60")
    for table, n in PAIR_ROWS.items():
        assert rows[table] == n, (table, rows[table], n)
    for sql in PAIR_ZERO:
        assert int(str(scalar(url, sql))) == 0, sql
    before = _digests(url, list(PAIR_ROWS))
    again = run_apply(url, tmp_path, "--scale", "60", "--truncate")
    assert again.returncode == 0, again.error
    assert _digests(url, list(PAIR_ROWS)) == before  # the same rows, byte for byte


CAPACITY_SPEC = """seedspec: 1
seed: 1
tables:
  users:
    count: {users}
  follows:
    count: 0
  friendships:
    count: 0
  mentorships:
    count: 0
  rankings:
    count: 0
"""


def _capacity_spec(users: int, table: str, count: int) -> str:
    return CAPACITY_SPEC.format(users=users).replace(
        f"{table}:\n    count: 0", f"{table}:\n    count: {count}"
    )


@pytest.mark.parametrize(
    ("table", "users", "count", "said"),
    [
        ("follows", 30, 871, "870 distinct rows"),  # 30 * 29 ordered pairs with a <> b
        ("friendships", 30, 436, "435 distinct rows"),  # 30 * 29 / 2 pairs with a < b
        ("mentorships", 1, 5, None),  # b >= a: one user pairs with itself, no limit without a key
        ("friendships", 1, 3, "needs 2 distinct 'users' rows"),
    ],
)
def test_fk_pair_capacity_checked_before_any_row(
    pg_url: str, tmp_path: Path, table: str, users: int, count: int, said: str | None
) -> None:
    run_sql(pg_url, PAIRS)
    (tmp_path / "seed.yaml").write_text(_capacity_spec(users, table, count))
    run = run_apply(pg_url, tmp_path, "seed.yaml")
    if said is None:
        assert run.returncode == 0, run.error
        assert int(str(scalar(pg_url, f"SELECT count(*) FROM {table}"))) == count
        return
    assert run.returncode == 3, f"exit {run.returncode}: {run.error}"
    assert said in run.error and f"'{table}'" in run.error, run.error
    assert "seed.yaml:" in run.stdout + run.stderr or run.doc, run.error  # located
    assert int(str(scalar(pg_url, "SELECT count(*) FROM users"))) == 0  # nothing written
    # at capacity exactly, every pair is used once
    fits = _capacity_spec(users, table, count - 1) if users > 1 else _capacity_spec(2, table, 1)
    (tmp_path / "seed.yaml").write_text(fits)
    ok = run_apply(pg_url, tmp_path, "seed.yaml")
    assert ok.returncode == 0, ok.error
    result = audit(pg_url, report=ok.doc)
    assert not result.violations, result.summary()


@pytest.mark.parametrize("db", ["postgresql", "mysql", "sqlite"])
def test_tenant_scoped_self_reference(db: str, request: pytest.FixtureRequest, tmp_path: Path):
    fixture = {"postgresql": "pg_url", "mysql": "mysql_url", "sqlite": "sqlite_url"}[db]
    if db == "mysql":
        request.applymarker(pytest.mark.mariadb)
    url = request.getfixturevalue(fixture)
    rows = _applied_and_audited(url, TENANTS, tmp_path, (), "--scale", "5")
    for table, n in TENANT_ROWS.items():
        assert rows[table] == n, (table, rows[table], n)
    for sql in TENANT_ZERO:
        assert int(str(scalar(url, sql))) == 0, sql
    before = _digests(url, list(TENANT_ROWS))
    again = run_apply(url, tmp_path, "--scale", "5", "--truncate")
    assert again.returncode == 0, again.error
    assert _digests(url, list(TENANT_ROWS)) == before


def test_tenant_tree_with_a_few_tenants_is_deep(pg_url: str, tmp_path: Path) -> None:
    """5 tenants, 2,000 nodes: trees of many levels inside each tenant, none crossing."""
    run_sql(pg_url, TENANTS)
    (tmp_path / "seed.yaml").write_text(
        "seedspec: 1\nseed: 3\ntables:\n  tenant:\n    count: 5\n  node:\n    count: 2000\n"
    )
    run = run_apply(pg_url, tmp_path, "seed.yaml")
    assert run.returncode == 0, run.error
    result = audit(pg_url, report=run.doc)
    assert not result.violations, result.summary()
    assert int(str(scalar(pg_url, _reach("node", "parent_id IS NULL")))) == 0
    roots = scalar(pg_url, "SELECT count(*) FROM node WHERE parent_id IS NULL")
    assert roots == 5  # one root per tenant
    depth = scalar(
        pg_url,
        "WITH RECURSIVE walk (tenant_id, id, depth) AS (SELECT tenant_id, id, 1 FROM node "
        "WHERE parent_id IS NULL UNION ALL SELECT c.tenant_id, c.id, w.depth + 1 FROM node c "
        "JOIN walk w ON c.tenant_id = w.tenant_id AND c.parent_id = w.id) "
        "SELECT max(depth) FROM walk",
    )
    assert int(str(depth)) >= 4


def test_tenant_tree_without_a_root_is_refused(pg_url: str, tmp_path: Path) -> None:
    run_sql(
        pg_url,
        "CREATE TABLE tenant (id int PRIMARY KEY, name text NOT NULL);"
        "CREATE TABLE node (tenant_id int NOT NULL REFERENCES tenant, id int NOT NULL, "
        "parent_id int NOT NULL, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, "
        "parent_id) REFERENCES node (tenant_id, id), CHECK (parent_id <> id))",
    )
    run = run_apply(pg_url, tmp_path)
    assert run.returncode == 3, f"exit {run.returncode}: {run.error}"
    assert "parent_id is NOT NULL and CHECK (parent_id <> id)" in run.error, run.error
    assert scalar(pg_url, "SELECT count(*) FROM tenant") == 0


OUTSIDE = """
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
CREATE TABLE auth.sessions (id bigint PRIMARY KEY);
CREATE TABLE public.profile (id serial PRIMARY KEY,
    user_id uuid NOT NULL UNIQUE REFERENCES auth.users (id), bio text);
CREATE TABLE public.post (id serial PRIMARY KEY,
    author_id uuid NOT NULL REFERENCES auth.users (id),
    session_id bigint REFERENCES auth.sessions (id), body text);
"""
USERS = "INSERT INTO auth.users SELECT gen_random_uuid(), 'u' || g FROM generate_series(1, 7) g"


def test_fk_to_a_table_outside_the_seeded_schemas_reuses_its_rows(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(pg_url, OUTSIDE + USERS)
    run = run_apply(pg_url, tmp_path, "--scale", "10")
    assert run.returncode == 0, run.error
    result = audit(pg_url, ["public"], report=run.doc)
    assert not result.violations, result.summary()
    assert result.rows == {"profile": 7, "post": 200}  # one profile per existing user
    zero = (
        "SELECT count(*) FROM post p LEFT JOIN auth.users u ON u.id = p.author_id "
        "WHERE u.id IS NULL",
        "SELECT 7 - count(DISTINCT author_id) FROM post",  # all seven users are picked
        "SELECT count(*) FROM post WHERE session_id IS NOT NULL",  # no sessions: NULL
        "SELECT 7 - count(*) FROM auth.users",  # the outside table is left as it was
    )
    for sql in zero:
        assert int(str(scalar(pg_url, sql))) == 0, sql
    warned = [f["message"] for f in run.doc["drift"]["findings"] if f["severity"] == "warning"]
    assert any("post.session_id is left NULL" in w for w in warned), run.doc
    before = _digests(pg_url, ["profile", "post"])
    assert run_apply(pg_url, tmp_path, "--scale", "10", "--truncate").returncode == 0
    assert _digests(pg_url, ["profile", "post"]) == before


def test_plan_names_existing_row_parents(pg_url: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    run_sql(pg_url, OUTSIDE + USERS)
    cmd = [sys.executable, "-m", "seedspec.cli.app", "plan", "--db", pg_url]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "auth.users: outside the seeded schemas; --schema public,auth" in done.stdout
    assert "7 existing rows are FK parents" in done.stdout


def test_not_null_fk_to_an_empty_outside_table_is_refused(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, OUTSIDE)
    run = run_apply(pg_url, tmp_path)
    assert run.returncode == 3, f"exit {run.returncode}: {run.error}"
    assert "need rows in 'auth.users'" in run.error, run.error
    assert "--schema public,auth" in run.stdout + run.stderr, run.stdout
    assert scalar(pg_url, "SELECT count(*) FROM profile") == 0
    # seeding both schemas fills auth.users too
    ok = run_apply(pg_url, tmp_path, "--schema", "public,auth")
    assert ok.returncode == 0, ok.error
    result = audit(pg_url, ["public", "auth"], report=ok.doc)
    assert not result.violations and not result.empty, result.summary()


@pytest.mark.mariadb
def test_fk_to_a_table_in_another_mariadb_database(mysql_url: str, tmp_path: Path) -> None:
    with scratch_database(MYSQL_ADMIN_URL, "seedspec_x_") as other:
        name = other.rsplit("/", 1)[1]
        run_sql(other, "CREATE TABLE account (id INT PRIMARY KEY, email VARCHAR(40))")
        run_sql(other, "INSERT INTO account VALUES (3, 'a'), (7, 'b'), (9, 'c')")
        run_sql(
            mysql_url,
            "CREATE TABLE profile (id INT AUTO_INCREMENT PRIMARY KEY, account_id INT NOT NULL, "
            f"bio VARCHAR(40), FOREIGN KEY (account_id) REFERENCES `{name}`.account (id))",
        )
        try:
            run = run_apply(mysql_url, tmp_path, "--scale", "5")
            assert run.returncode == 0, run.error
            result = audit(mysql_url, report=run.doc)
            assert not result.violations, result.summary()
            assert result.rows == {"profile": 100}
            picked = scalar(mysql_url, "SELECT count(DISTINCT account_id) FROM profile")
            assert picked == 3
            stray = "SELECT count(*) FROM profile WHERE account_id NOT IN (3, 7, 9)"
            assert scalar(mysql_url, stray) == 0
        finally:  # the other database cannot be dropped while this FK points into it
            run_sql(mysql_url, "DROP TABLE profile")


PARTITION_PAIRS = """
CREATE TABLE uploads (id bigint NOT NULL, model_type text NOT NULL, path text NOT NULL,
    PRIMARY KEY (id, model_type)) PARTITION BY LIST (model_type);
CREATE TABLE report_uploads PARTITION OF uploads FOR VALUES IN ('Report');
CREATE TABLE image_uploads PARTITION OF uploads FOR VALUES IN ('Image', 'Avatar');
CREATE UNIQUE INDEX report_uploads_id ON report_uploads (id);
CREATE TABLE report_links (a_id bigint NOT NULL REFERENCES report_uploads (id),
    b_id bigint NOT NULL REFERENCES report_uploads (id), PRIMARY KEY (a_id, b_id),
    CHECK (a_id <> b_id));
CREATE TABLE report_pairs (id bigserial PRIMARY KEY,
    a_id bigint NOT NULL REFERENCES report_uploads (id),
    b_id bigint NOT NULL REFERENCES report_uploads (id), CHECK (a_id <> b_id))
"""


def test_different_fks_to_one_partition(pg_url: str, tmp_path: Path) -> None:
    """CHECK (a <> b) between two FKs to one partition: both pick only the rows routed there
    (one in two of uploads), never the same one; keyed, the n*(n-1) ordered pairs are the
    capacity (18 report rows: at most 306 links)."""
    run_sql(pg_url, PARTITION_PAIRS)
    (tmp_path / "seed.yaml").write_text(
        "seedspec: 1\nseed: 5\ntables:\n  uploads: {count: 36}\n  report_pairs: {count: 400}\n"
    )
    run = run_apply(pg_url, tmp_path, "seed.yaml")
    assert run.returncode == 0, run.error
    result = audit(pg_url, report=run.doc)
    assert not result.violations, result.summary()
    assert scalar(pg_url, "SELECT count(*) FROM report_uploads") == 18
    assert scalar(pg_url, "SELECT count(*) FROM report_pairs") == 400
    links = int(str(scalar(pg_url, "SELECT count(*) FROM report_links")))
    assert 0 < links <= 18 * 17, links
    for table in ("report_links", "report_pairs"):
        same = f"SELECT count(*) FROM {table} WHERE a_id = b_id"
        assert scalar(pg_url, same) == 0, table
        outside = (
            f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM report_uploads r "
            "WHERE r.id = t.a_id) OR NOT EXISTS (SELECT 1 FROM report_uploads r "
            "WHERE r.id = t.b_id)"
        )
        assert scalar(pg_url, outside) == 0, table
    used = "SELECT count(DISTINCT a_id) + count(DISTINCT b_id) FROM report_pairs"
    assert int(str(scalar(pg_url, used))) > 18  # spread over the partition's rows
