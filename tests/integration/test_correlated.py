"""Correlated values (issue 15 part 3), applied through the CLI and audited by query on SQLite,
PostgreSQL and MariaDB.

1. Inferred (a spec with counts only): email / username / full_name built from first_name and
   last_name (a UNIQUE email stays unique), a slug from the title; CHECK (status <> 'paused' OR
   paused_reason IS NOT NULL) read as a reason exactly on the paused rows; a manager in the
   employee's own org, a post's author in the post's org, a task's parent in its project.
2. Written: `from:` with a domain, template filters, `when:`, `ref: ... within:`.
Each apply is audited (every constraint), each promise is a query that must return 0, and a
second apply (`--reset`) gives the same rows byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_sql, scalar
from corpus_audit import audit, run_apply, sqlite_violations
from dbcheck import counts, table_digest

DDL = """
CREATE TABLE orgs (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL);
CREATE TABLE employees (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs (id),
    manager_id INTEGER REFERENCES employees (id), first_name VARCHAR(40) NOT NULL,
    last_name VARCHAR(40) NOT NULL, email VARCHAR(80) NOT NULL UNIQUE, username VARCHAR(80),
    full_name VARCHAR(90),
    status VARCHAR(10) NOT NULL CHECK (status IN ('active', 'paused', 'gone')),
    paused_reason VARCHAR(200), CHECK (status <> 'paused' OR paused_reason IS NOT NULL));
CREATE TABLE users (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs (id),
    first_name VARCHAR(40) NOT NULL, last_name VARCHAR(40) NOT NULL, email VARCHAR(80) NOT NULL,
    handle VARCHAR(90) NOT NULL, kind VARCHAR(10) NOT NULL, note VARCHAR(200));
CREATE TABLE posts (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs (id),
    author_id INTEGER NOT NULL REFERENCES users (id), title VARCHAR(200) NOT NULL,
    slug VARCHAR(220) NOT NULL UNIQUE);
CREATE TABLE projects (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL);
CREATE TABLE tasks (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects (id),
    parent_id INTEGER REFERENCES tasks (id), name VARCHAR(80) NOT NULL)
"""
COUNTS = """seedspec: 1
seed: 15
tables:
  orgs: {count: 6}
  employees: {count: 400}
  posts: {count: 300}
  projects: {count: 8}
  tasks: {count: 300}
"""
USERS = """  users:
    count: 120
    columns:
      email: {from: [first_name, last_name], as: email, domain: acme.test}
      handle: {template: "{first_name|initial|lower}{last_name|slug}{row}"}
      kind: {choice: [admin, member]}
      note: {when: "kind = 'admin' AND id > 10", then: {gen: text.sentence}, else: null}
"""
INFERRED_ZERO = (
    # every email and username starts with lower(first_name); the full name is the parts
    "SELECT count(*) FROM employees WHERE substr(email, 1, length(first_name) + 1)"
    " <> lower(first_name) || '.'",
    "SELECT count(*) FROM employees WHERE substr(username, 1, length(first_name))"
    " <> lower(first_name)",
    "SELECT count(*) FROM employees WHERE substr(full_name, 1, length(first_name)) <> first_name"
    " OR substr(full_name, length(full_name) - length(last_name) + 1) <> last_name",
    "SELECT count(*) - count(DISTINCT email) FROM employees",
    # a reason exactly on the paused rows
    "SELECT count(*) FROM employees WHERE status = 'paused' AND paused_reason IS NULL",
    "SELECT count(*) FROM employees WHERE status <> 'paused' AND paused_reason IS NOT NULL",
    # references inside their tenant
    "SELECT count(*) FROM employees e JOIN employees m ON m.id = e.manager_id"
    " WHERE m.org_id <> e.org_id",
    "SELECT count(*) FROM posts p JOIN users u ON u.id = p.author_id WHERE u.org_id <> p.org_id",
    "SELECT count(*) FROM tasks t JOIN tasks p ON p.id = t.parent_id"
    " WHERE p.project_id <> t.project_id",
    "SELECT count(*) FROM posts WHERE slug <> lower(slug) OR slug <> replace(slug, ' ', '')",
)
NOT_EMPTY = (  # the promises above are not met by having no such rows
    "SELECT count(*) FROM employees WHERE status = 'paused'",
    "SELECT count(*) FROM employees WHERE status <> 'paused'",
    "SELECT count(*) FROM employees WHERE manager_id IS NOT NULL",
    "SELECT count(*) FROM tasks WHERE parent_id IS NOT NULL",
    "SELECT count(DISTINCT org_id) FROM posts",
)
WRITTEN_ZERO = (
    "SELECT count(*) FROM users WHERE substr(email, length(email) - 9) <> '@acme.test'"
    " OR substr(email, 1, length(first_name)) <> lower(first_name)",
    "SELECT count(*) FROM users WHERE substr(handle, 1, 1) <> lower(substr(first_name, 1, 1))",
    "SELECT count(*) FROM users WHERE (kind = 'admin' AND id > 10) <> (note IS NOT NULL)",
)
TABLES = ["orgs", "employees", "users", "posts", "projects", "tasks"]


def _url(db: str, request: pytest.FixtureRequest) -> str:
    fixture = {"postgresql": "pg_url", "mysql": "mysql_url", "sqlite": "sqlite_url"}[db]
    if db == "mysql":
        request.applymarker(pytest.mark.mariadb)
    url: str = request.getfixturevalue(fixture)
    return url


def _concat(url: str, sql: str) -> str:
    """MariaDB reads || as OR: the same concatenation as concat()."""
    if not url.startswith("mysql"):
        return sql
    return sql.replace("lower(first_name) || '.'", "concat(lower(first_name), '.')")


def _apply(url: str, tmp: Path, spec: str, *args: str) -> None:
    (tmp / "seed.yaml").write_text(spec, encoding="utf-8")
    run = run_apply(url, tmp, "seed.yaml", *args)
    assert run.returncode == 0, f"seedspec apply exited {run.returncode}: {run.error}"
    if url.startswith("sqlite"):  # SQLite checks its CHECKs on insert; FKs and UNIQUEs here
        bad = sqlite_violations(url)
        rows = counts(url)
    else:
        result = audit(url, report=run.doc)
        bad, rows = result.violations, result.rows
    assert not bad, "\n".join(bad)
    assert all(rows.values()), f"empty tables: {rows}"


@pytest.mark.parametrize("db", ["postgresql", "mysql", "sqlite"])
def test_correlated_values_inferred_and_written(
    db: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = _url(db, request)
    run_sql(url, DDL)
    spec = COUNTS + USERS
    _apply(url, tmp_path, spec)
    for sql in (*INFERRED_ZERO, *WRITTEN_ZERO):
        assert int(str(scalar(url, _concat(url, sql)))) == 0, sql
    for sql in NOT_EMPTY:
        assert int(str(scalar(url, sql))) > 1, sql
    admins = "SELECT count(*) FROM users WHERE note IS NOT NULL"
    assert int(str(scalar(url, admins))) > 10
    before = {t: table_digest(url, t) for t in TABLES}
    _apply(url, tmp_path, spec, "--reset")
    assert {t: table_digest(url, t) for t in TABLES} == before  # the same rows, byte for byte
