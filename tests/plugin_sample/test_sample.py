"""A suite on the plugin's seedspec_db: 20 tests, each on its own copy of one seeded template;
each sees the seeded rows untouched by the tests before it, then changes its copy."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

USERS, POSTS = 10, 30  # seed.yaml
FIRST_SEEN: list[str] = []  # the seeded emails as the first test in this process saw them


def _rows(conn: sa.Connection) -> tuple[int, int, list[str]]:
    posts = conn.execute(sa.text("SELECT count(*) FROM posts")).scalar()
    emails = [r[0] for r in conn.execute(sa.text("SELECT email FROM users ORDER BY id"))]
    return len(emails), int(posts or 0), emails


def _fresh(conn: sa.Connection) -> None:
    users, posts, emails = _rows(conn)
    assert (users, posts) == (USERS, POSTS)  # no earlier test's change shows here
    if not FIRST_SEEN:
        FIRST_SEEN.extend(emails)
    assert emails == FIRST_SEEN
    assert not any(e.startswith("changed-") for e in emails)


@pytest.mark.parametrize("i", range(19))
def test_each_copy_starts_fresh_and_is_changed(seedspec_db, i: int) -> None:
    conn = seedspec_db.connection
    _fresh(conn)
    ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM posts ORDER BY id"))]
    delete = sa.text("DELETE FROM posts WHERE id IN :ids")
    conn.execute(delete.bindparams(sa.bindparam("ids", expanding=True)), {"ids": ids[: i + 1]})
    users = [r[0] for r in conn.execute(sa.text("SELECT id FROM users"))]
    change = sa.text("UPDATE users SET email = :e WHERE id = :id")
    conn.execute(change, [{"e": f"changed-{n}", "id": n} for n in users])
    if seedspec_db.engine.dialect.name not in ("mysql", "mariadb"):
        conn.commit()  # a real copy: what is committed there is dropped with it
    _, posts, emails = _rows(conn)
    assert posts == POSTS - i - 1
    assert all(e.startswith("changed-") for e in emails)


def test_counts_and_values_are_the_seeded_ones_again(seedspec_db) -> None:
    conn = seedspec_db.connection
    _fresh(conn)
    orphans = conn.execute(
        sa.text(
            "SELECT count(*) FROM posts p LEFT JOIN users u ON u.id = p.user_id WHERE u.id IS NULL"
        )
    ).scalar()
    assert orphans == 0
