"""`--models sqlalchemy:MODULE[:Base]` on PostgreSQL and MariaDB: tests/sqla_app/shopmodels.py
created with metadata.create_all, seeded by `seedspec apply --models`, then read back through
the ORM: every Enum(native_enum=False) value (a VARCHAR with no CHECK) loads as a member, the
@validates bounds and the `info` pattern hold, the CheckConstraint and UniqueConstraint too.
Without --models the same VARCHAR gets words the ORM cannot load (the control)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

pytestmark = [pytest.mark.postgres, pytest.mark.mariadb]

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "tests" / "sqla_app"
sys.path.insert(0, str(APP))
import shopmodels  # noqa: E402


def seedspec(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(APP)])
    return subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=APP,
        env=env,
        timeout=300,
    )


@pytest.fixture(params=["postgresql", "mariadb"])
def url(request: pytest.FixtureRequest) -> str:
    found = request.getfixturevalue("pg_url" if request.param == "postgresql" else "mysql_url")
    engine = sa.create_engine(found)
    shopmodels.Base.metadata.create_all(engine)
    engine.dispose()
    return str(found)


def test_apply_with_models_gives_rows_the_orm_loads(url: str) -> None:
    done = seedspec("apply", "--db", url, "--models", "sqlalchemy:shopmodels:Base")
    assert done.returncode == 0, done.stderr
    engine = sa.create_engine(url)
    try:
        with Session(engine) as session:
            accounts = session.scalars(sa.select(shopmodels.Account)).all()
            members = session.scalars(sa.select(shopmodels.Membership)).all()
            assert len(accounts) == 20 and len(members) > 0
            assert {a.plan for a in accounts} == set(shopmodels.Plan)  # each member drawn
            for a in accounts:
                shopmodels.Account(score=a.score)  # the @validates bound
                assert re.fullmatch(r"AC-[0-9]{6}", a.code), a.code
                assert a.balance >= 0 and "@" in a.email
            assert {m.team for m in members} <= {"red", "green", "blue"}
            pairs = [(m.account_id, m.team) for m in members]
            assert len(pairs) == len(set(pairs))
    finally:
        engine.dispose()


def test_without_models_the_varchar_enum_gets_words_the_orm_refuses(url: str) -> None:
    """The control: the database alone does not know the Enum's values."""
    done = seedspec("apply", "--db", url)
    assert done.returncode == 0, done.stderr
    engine = sa.create_engine(url)
    try:
        with Session(engine) as session, pytest.raises(LookupError):
            session.scalars(sa.select(shopmodels.Account)).all()
    finally:
        engine.dispose()
