"""Every corpus schema, seeded with no spec, then read by tests/realism_audit.py: zero
violations of each rule a reviewer checks by eye (emails, URLs, lifecycle dates ordered, no
date in the future unless named so, latitude / longitude in range, city within its country,
no row numbers on names of people and things, no lorem ipsum in names, small status domains),
with the columns each rule read printed beside the counts (scripts/compat.py writes the same
table into docs/compatibility.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_audit import CORPUS_DATABASES, load_corpus, run_apply, user_schemas
from realism_audit import realism


def _case(name: str, db: str) -> object:
    marks = [pytest.mark.postgres if db == "postgresql" else pytest.mark.mariadb]
    return pytest.param(name, db, id=name, marks=marks)


@pytest.mark.parametrize(("name", "db"), [_case(n, d) for n, d in CORPUS_DATABASES.items()])
def test_corpus_reads_like_real_data(name: str, db: str, request, tmp_path: Path) -> None:
    url = request.getfixturevalue("pg_url" if db == "postgresql" else "mysql_url")
    load_corpus(url, name)
    run = run_apply(url, tmp_path)
    assert run.returncode == 0, run.error
    schemas = user_schemas(url) if db == "postgresql" else None
    result = realism(url, schemas)
    print(f"\n{name}\n{result.summary()}")
    assert result.violations == 0, result.summary()
