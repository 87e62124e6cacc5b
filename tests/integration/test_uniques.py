"""Uniques as a set (issue 10 family 2): several composite uniques sharing columns, supersets,
partial uniques on a boolean, applied with no spec and with a spec, audited by query."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_sql, scalar
from dbcheck import violations

from seedspec.api import apply

# (channel, partner) and (channel, guest) share channel; (user, grp, shared) is a superset
SHARED = {
    "postgresql": """
        CREATE TABLE channel (id serial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE partner (id serial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE guest (id serial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE member (id serial PRIMARY KEY,
            channel_id int NOT NULL REFERENCES channel (id),
            partner_id int NOT NULL REFERENCES partner (id),
            guest_id int NOT NULL REFERENCES guest (id));
        CREATE UNIQUE INDEX member_p ON member (channel_id, partner_id);
        CREATE UNIQUE INDEX member_g ON member (channel_id, guest_id);
        CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE grp (id serial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE member_role (id serial PRIMARY KEY,
            user_id int NOT NULL REFERENCES users (id),
            grp_id int NOT NULL REFERENCES grp (id),
            shared_id int REFERENCES grp (id));
        CREATE UNIQUE INDEX mr_a ON member_role (user_id, grp_id) WHERE shared_id IS NULL;
        CREATE UNIQUE INDEX mr_b ON member_role (user_id, grp_id, shared_id)
            WHERE shared_id IS NOT NULL;""",
    "mysql": """
        CREATE TABLE channel (id int AUTO_INCREMENT PRIMARY KEY, name text NOT NULL);
        CREATE TABLE partner (id int AUTO_INCREMENT PRIMARY KEY, name text NOT NULL);
        CREATE TABLE guest (id int AUTO_INCREMENT PRIMARY KEY, name text NOT NULL);
        CREATE TABLE member (id int AUTO_INCREMENT PRIMARY KEY,
            channel_id int NOT NULL, partner_id int NOT NULL, guest_id int NOT NULL,
            FOREIGN KEY (channel_id) REFERENCES channel (id),
            FOREIGN KEY (partner_id) REFERENCES partner (id),
            FOREIGN KEY (guest_id) REFERENCES guest (id),
            UNIQUE KEY member_p (channel_id, partner_id),
            UNIQUE KEY member_g (channel_id, guest_id));
        CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, name text NOT NULL);
        CREATE TABLE grp (id int AUTO_INCREMENT PRIMARY KEY, name text NOT NULL);
        CREATE TABLE member_role (id int AUTO_INCREMENT PRIMARY KEY,
            user_id int NOT NULL, grp_id int NOT NULL, shared_id int,
            FOREIGN KEY (user_id) REFERENCES users (id),
            FOREIGN KEY (grp_id) REFERENCES grp (id),
            FOREIGN KEY (shared_id) REFERENCES grp (id),
            UNIQUE KEY mr_a (user_id, grp_id),
            UNIQUE KEY mr_b (user_id, grp_id, shared_id))""",
    "sqlite": """
        CREATE TABLE channel (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE partner (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE guest (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE member (id integer PRIMARY KEY,
            channel_id int NOT NULL REFERENCES channel (id),
            partner_id int NOT NULL REFERENCES partner (id),
            guest_id int NOT NULL REFERENCES guest (id));
        CREATE UNIQUE INDEX member_p ON member (channel_id, partner_id);
        CREATE UNIQUE INDEX member_g ON member (channel_id, guest_id);
        CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE grp (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE member_role (id integer PRIMARY KEY,
            user_id int NOT NULL REFERENCES users (id),
            grp_id int NOT NULL REFERENCES grp (id),
            shared_id int REFERENCES grp (id));
        CREATE UNIQUE INDEX mr_a ON member_role (user_id, grp_id) WHERE shared_id IS NULL;
        CREATE UNIQUE INDEX mr_b ON member_role (user_id, grp_id, shared_id)
            WHERE shared_id IS NOT NULL;""",
}

# more member rows than channels x the smaller of partner/guest would allow unless both sets
# share the numbering with the smaller radix (4 channels x 3 guests = 12 < 4 x 10)
SPEC = """seedspec: 1
tables:
  channel: {count: 4}
  partner: {count: 10}
  guest: {count: 3}
  member: {count: 12}
"""

BOOLEAN = {
    "postgresql": """
        CREATE TABLE connection (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE,
            active boolean NOT NULL DEFAULT false);
        CREATE UNIQUE INDEX one_active ON connection (active) WHERE active = true;
        CREATE TABLE task (id bigserial PRIMARY KEY, in_progress boolean NOT NULL DEFAULT true);
        CREATE UNIQUE INDEX one_running ON task (in_progress) WHERE in_progress;""",
    "sqlite": """
        CREATE TABLE connection (id integer PRIMARY KEY, name text NOT NULL UNIQUE,
            active boolean NOT NULL DEFAULT 0);
        CREATE UNIQUE INDEX one_active ON connection (active) WHERE active = 1;
        CREATE TABLE task (id integer PRIMARY KEY, in_progress boolean NOT NULL DEFAULT 1);
        CREATE UNIQUE INDEX one_running ON task (in_progress) WHERE in_progress;""",
}


def _url(request: pytest.FixtureRequest, dialect: str) -> str:
    fixture = {"postgresql": "pg_url", "mysql": "mysql_url", "sqlite": "sqlite_url"}[dialect]
    return str(request.getfixturevalue(fixture))


def _distinct(url: str, table: str, cols: str, where: str = "1 = 1") -> bool:
    total = scalar(url, f"SELECT count(*) FROM {table} WHERE {where}")
    groups = scalar(
        url, f"SELECT count(*) FROM (SELECT {cols} FROM {table} WHERE {where} GROUP BY {cols}) g"
    )
    return total == groups


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_composite_uniques_sharing_a_column_with_no_spec(
    request: pytest.FixtureRequest, dialect: str
) -> None:
    url = _url(request, dialect)
    run_sql(url, SHARED[dialect])
    apply(None, url)
    assert violations(url) == []
    assert scalar(url, "SELECT count(*) FROM member") == 20
    assert scalar(url, "SELECT count(*) FROM member_role") == 20
    assert _distinct(url, "member", "channel_id, partner_id")
    assert _distinct(url, "member", "channel_id, guest_id")
    assert _distinct(url, "member_role", "user_id, grp_id")


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_shared_numbering_takes_the_smaller_radix_with_a_spec(
    request: pytest.FixtureRequest, dialect: str, tmp_path: Path
) -> None:
    url = _url(request, dialect)
    run_sql(url, SHARED[dialect])
    spec = tmp_path / "seed.yaml"
    spec.write_text(SPEC)
    apply(str(spec), url)
    assert violations(url) == []
    assert scalar(url, "SELECT count(*) FROM member") == 12
    assert _distinct(url, "member", "channel_id, partner_id")
    assert _distinct(url, "member", "channel_id, guest_id")


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_shared_numbering_over_capacity_is_a_compile_error(
    request: pytest.FixtureRequest, dialect: str, tmp_path: Path
) -> None:
    url = _url(request, dialect)
    run_sql(url, SHARED[dialect])
    spec = tmp_path / "seed.yaml"
    spec.write_text(SPEC.replace("member: {count: 12}", "member: {count: 13}"))
    with pytest.raises(Exception) as err:
        apply(str(spec), url)
    assert "member" in str(err.value) and "12" in str(err.value)
    assert scalar(url, "SELECT count(*) FROM channel") == 0


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_boolean_partial_unique_allows_at_most_one_row_inside(
    request: pytest.FixtureRequest, dialect: str
) -> None:
    url = _url(request, dialect)
    run_sql(url, BOOLEAN[dialect])
    apply(None, url)
    if dialect == "postgresql":  # tests/dbcheck reads SQLite partial indexes as plain ones
        assert violations(url) == []
    assert _distinct(url, "connection", "name")
    assert scalar(url, "SELECT count(*) FROM connection") == 20
    assert scalar(url, "SELECT count(*) FROM task") == 20
    assert scalar(url, "SELECT count(*) FROM connection WHERE active = true") <= 1
    assert scalar(url, "SELECT count(*) FROM task WHERE in_progress = true") <= 1


JSONB = """
    CREATE TABLE tag (id serial PRIMARY KEY, name jsonb NOT NULL, color int,
        CONSTRAINT tag_name_uniq UNIQUE (name));
    CREATE TABLE note (id serial PRIMARY KEY, tag_id int REFERENCES tag (id), body text);"""


@pytest.mark.parametrize(
    "columns", [None, "{json: {en_US: {gen: text.word}}}", "{json: {en_US: {const: x}}}"]
)
def test_unique_jsonb_is_distinct_inferred_and_with_a_spec(
    pg_url: str, tmp_path: Path, columns: str | None
) -> None:
    run_sql(pg_url, JSONB)
    spec = None
    if columns:
        spec = tmp_path / "seed.yaml"
        spec.write_text(
            f"seedspec: 1\ntables:\n  tag:\n    count: 60\n    columns:\n      name: {columns}\n"
        )
    apply(str(spec) if spec else None, pg_url)
    assert violations(pg_url) == []
    n = 60 if columns else 20
    assert scalar(pg_url, "SELECT count(*) FROM tag") == n
    assert scalar(pg_url, "SELECT count(DISTINCT name) FROM tag") == n
    if columns and "gen" in columns:
        assert scalar(pg_url, "SELECT count(*) FROM tag WHERE name ? 'en_US'") == n


JUNCTION = """
    CREATE TABLE posts (id int PRIMARY KEY, title text NOT NULL);
    CREATE TABLE tags (id int PRIMARY KEY, name text NOT NULL);
    CREATE TABLE post_tags (post_id int NOT NULL REFERENCES posts (id),
        tag_id int NOT NULL REFERENCES tags (id), PRIMARY KEY (post_id, tag_id));"""
PER_POST = """seedspec: 1
tables:
  posts: {count: 10}
  tags: {count: TAGS}
  post_tags:
    count: {per: posts, min: 4, max: 4}
    columns:
      tag_id: {ref: tags}
"""


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_distinct_within_parent_checks_capacity_before_load(
    request: pytest.FixtureRequest, dialect: str, tmp_path: Path
) -> None:
    url = _url(request, dialect)
    run_sql(url, JUNCTION)
    spec = tmp_path / "seed.yaml"
    spec.write_text(PER_POST.replace("TAGS", "3"))
    with pytest.raises(Exception) as err:
        apply(str(spec), url)
    assert "post_tags" in str(err.value) and "only 3 rows" in str(err.value)
    assert scalar(url, "SELECT count(*) FROM posts") == 0
    spec.write_text(PER_POST.replace("TAGS", "4"))
    apply(str(spec), url)
    assert violations(url) == []
    assert scalar(url, "SELECT count(*) FROM post_tags") == 40
    assert _distinct(url, "post_tags", "post_id, tag_id")


FRIENDS = {
    "postgresql": """
        CREATE TABLE person (id serial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE friend (a int NOT NULL REFERENCES person (id),
            b int NOT NULL REFERENCES person (id), PRIMARY KEY (a, b), CHECK (a <> b));""",
    "mysql": """
        CREATE TABLE person (id int AUTO_INCREMENT PRIMARY KEY, name text NOT NULL);
        CREATE TABLE friend (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b),
            FOREIGN KEY (a) REFERENCES person (id), FOREIGN KEY (b) REFERENCES person (id),
            CHECK (a <> b))""",
    "sqlite": """
        CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE friend (a int NOT NULL REFERENCES person (id),
            b int NOT NULL REFERENCES person (id), PRIMARY KEY (a, b), CHECK (a <> b));""",
}


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_junction_of_two_fks_to_one_table_with_a_differs_check_fills_to_capacity(
    request: pytest.FixtureRequest, dialect: str, tmp_path: Path
) -> None:
    url = _url(request, dialect)
    run_sql(url, FRIENDS[dialect])
    spec = tmp_path / "seed.yaml"
    too_many = "seedspec: 1\ntables:\n  person: {count: 40}\n  friend: {count: 1561}\n"
    spec.write_text(too_many)
    with pytest.raises(Exception) as err:  # 40 x 39 ordered pairs with a <> b
        apply(str(spec), url)
    assert "friend" in str(err.value) and "1560" in str(err.value)
    assert scalar(url, "SELECT count(*) FROM person") == 0
    spec.write_text(too_many.replace("1561", "1560"))
    apply(str(spec), url)
    assert violations(url) == []
    assert scalar(url, "SELECT count(*) FROM friend") == 1560
    assert scalar(url, "SELECT count(*) FROM friend WHERE a = b") == 0
    assert _distinct(url, "friend", "a, b")
