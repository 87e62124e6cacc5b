"""`apply --shard K/N` + `apply --finish` (issue 14 part 4): the shop spec (specs/shop.yaml, its
schema under specs/schemas/) loaded in N shards, in any order, concurrently from two processes,
with a shard killed (SIGKILL) mid-load and re-run, ends with the same rows (count + digest per
table), the same sequences / AUTO_INCREMENT and no FK violation as one unsharded apply of the
same spec and seed; a completed shard re-run is a no-op, one whose rows are there without its
ledger entry is an exact replacement; --finish refuses, naming them, while shards miss."""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import MYSQL_ADMIN_URL, PG_ADMIN_URL, REPO, _scratch_database, run_sql_file
from dbcheck import violations
from killpoints import Point, Watcher, _env, apply_command, kill_at, run_apply, statement_target

SHOP = REPO / "specs" / "shop.yaml"
SCALE = ("--scale", "0.02")  # ~22k rows: order_items ~16k
PARTS = ("--part-rows", "1500")  # order_items in 11 parts, orders 3, users 1 ...
LEDGER = "seedspec_ledger"


def _pg_db() -> Iterator[str]:
    yield from _scratch_database(
        PG_ADMIN_URL,
        "PostgreSQL",
        'CREATE DATABASE "{name}"',
        'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
    )


def _my_db() -> Iterator[str]:
    yield from _scratch_database(
        MYSQL_ADMIN_URL, "MariaDB", "CREATE DATABASE `{name}`", "DROP DATABASE IF EXISTS `{name}`"
    )


def _schema_file(url: str) -> Path:
    name = sa.make_url(url).get_backend_name()
    family = {"postgresql": "postgresql", "mysql": "mysql", "mariadb": "mysql"}.get(name, name)
    return REPO / "specs" / "schemas" / f"shop.{family}.sql"


def state(url: str) -> dict[str, object]:
    """Every table's row count and a digest of its rows (sorted), the ledger left out; every
    PostgreSQL sequence's (last_value, is_called); every MariaDB AUTO_INCREMENT."""
    engine = sa.create_engine(url)
    out: dict[str, object] = {}
    try:
        with engine.connect() as conn:
            q = engine.dialect.identifier_preparer.quote
            names = [t for t in sa.inspect(conn).get_table_names() if t != LEDGER]
            for name in sorted(names):
                rows = conn.exec_driver_sql(f"SELECT * FROM {q(name)}").all()
                h = hashlib.sha256()
                for row in sorted(repr(tuple(r)) for r in rows):
                    h.update(row.encode())
                out[f"rows {name}"] = (len(rows), h.hexdigest())
            if engine.dialect.name == "postgresql":
                for (seq,) in conn.exec_driver_sql(
                    "SELECT relname FROM pg_class WHERE relkind = 'S' "
                    f"AND relname <> '{LEDGER}_id_seq' ORDER BY 1"
                ).all():
                    out[f"sequence {seq}"] = tuple(
                        conn.exec_driver_sql(f"SELECT last_value, is_called FROM {q(seq)}").one()
                    )
            elif engine.dialect.name in ("mysql", "mariadb"):
                out["auto_increment"] = [
                    tuple(r)
                    for r in conn.exec_driver_sql(
                        "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES WHERE "
                        f"TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '{LEDGER}' ORDER BY 1"
                    )
                ]
    finally:
        engine.dispose()
    return out


def cli(url: str, *args: str) -> dict:
    """`seedspec apply` of the shop spec as a process: its -o json document (exit 0 asserted
    unless the document says otherwise: the caller checks `ok`)."""
    done = run_apply(apply_command(SHOP, url, *SCALE, *args))
    doc = json.loads(done.stdout)
    assert doc["exit_code"] == done.returncode, done.stderr[-2000:]
    return doc


def ok(url: str, *args: str) -> dict:
    doc = cli(url, *args)
    assert doc["ok"], doc["errors"]
    return doc["result"]["report"]


def sharded(url: str, n: int, order: list[int] | None = None) -> None:
    for k in order or list(range(1, n + 1)):
        report = ok(url, "--shard", f"{k}/{n}", *PARTS)
        assert report["shard"]["index"] == k and not report["noop"]
        assert report["ledger"]["shard"] == {"index": k, "count": n, "part_rows": 1500}


@pytest.fixture(scope="module")
def pg_reference() -> Iterator[dict[str, object]]:
    """One unsharded apply of the spec: the state every sharded load must end in."""
    for url in _pg_db():
        run_sql_file(url, _schema_file(url))
        report = ok(url)
        assert report["shard"] is None and report["rows"] > 20_000
        yield state(url)


@pytest.fixture
def pg_empty() -> Iterator[str]:
    for url in _pg_db():
        run_sql_file(url, _schema_file(url))
        yield url


@pytest.mark.postgres
@pytest.mark.parametrize("n", [1, 3, 5])
def test_postgresql_n_shards_in_any_order_end_as_one_apply(
    pg_empty: str, pg_reference: dict, n: int
) -> None:
    order = list(range(1, n + 1))
    random.Random(n).shuffle(order)
    sharded(pg_empty, n, order)
    assert violations(pg_empty) == []
    again = ok(pg_empty, "--shard", f"{order[0]}/{n}", *PARTS)  # a completed shard: no-op
    assert again["noop"] and again["rows"] == 0
    before = state(pg_empty)
    done = ok(pg_empty, "--finish")
    assert done["shard"]["finish"] is True and done["shard"]["count"] == n
    assert done["sequences_moved"] > 0 and done["ledger"]["shard"]["finish"] is True
    after = state(pg_empty)
    assert {k: v for k, v in after.items() if k.startswith("rows")} == {
        k: v for k, v in before.items() if k.startswith("rows")
    }
    assert after == pg_reference
    assert ok(pg_empty, "--finish")["noop"] is True  # finished: a no-op
    assert ok(pg_empty)["noop"] is True  # a plain apply of the same plan: already seeded


@pytest.mark.postgres
def test_postgresql_shards_from_two_processes_at_once(pg_empty: str, pg_reference: dict) -> None:
    """Two processes, each loading two of four shards in turn, started together; each shard
    holds the shared apply lock, so neither waits for the other's transaction."""

    def chain(shards: list[int]) -> subprocess.Popen:
        steps = [
            " ".join(apply_command(SHOP, pg_empty, *SCALE, "--shard", f"{k}/4", *PARTS, "-q"))
            for k in shards
        ]
        return subprocess.Popen(
            " && ".join(steps),
            shell=True,
            env=_env(),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    started = time.monotonic()
    procs = [chain([1, 3]), chain([4, 2])]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e[-2000:] for _, e in outs]
    assert time.monotonic() - started < 600
    ok(pg_empty, "--finish")
    assert state(pg_empty) == pg_reference
    assert violations(pg_empty) == []


@pytest.mark.postgres
def test_postgresql_shard_killed_mid_load_then_rerun_ends_as_one_apply(
    pg_empty: str, pg_reference: dict
) -> None:
    ok(pg_empty, "--shard", "1/3", *PARTS)
    before = state(pg_empty)
    cmd = apply_command(SHOP, pg_empty, *SCALE, "--shard", "2/3", *PARTS)
    point = Point(
        "COPY order_items", lambda q: statement_target(q, "COPY", "COPY") == "order_items"
    )
    watcher = Watcher(pg_empty)
    try:
        kill = kill_at(watcher, cmd, point)
    finally:
        watcher.close()
    assert kill.confirmed(), kill.seen
    assert state(pg_empty) == before  # the shard's transaction was rolled back: no trace
    missing = cli(pg_empty, "--finish")
    assert missing["exit_code"] == 1 and missing["errors"][0]["kind"] == "shards-missing"
    assert "2/3, 3/3" in missing["errors"][0]["message"]
    assert state(pg_empty) == before  # the refused finish wrote nothing
    ok(pg_empty, "--shard", "3/3", *PARTS)
    ok(pg_empty, "--shard", "2/3", *PARTS)  # the killed shard, re-run
    ok(pg_empty, "--finish")
    assert state(pg_empty) == pg_reference


@pytest.mark.postgres
def test_postgresql_refusals(pg_empty: str) -> None:
    ok(pg_empty, "--shard", "1/3", *PARTS)
    finish = cli(pg_empty, "--finish")
    assert finish["exit_code"] == 1 and finish["errors"][0]["code"] == "load"
    assert "shards missing from the ledger: 2/3, 3/3" in finish["errors"][0]["message"]
    other_n = cli(pg_empty, "--shard", "2/4", *PARTS)
    assert other_n["exit_code"] == 2 and "has 3 shards" in other_n["errors"][0]["message"]
    other_parts = cli(pg_empty, "--shard", "2/3", "--part-rows", "999")
    assert (
        other_parts["exit_code"] == 2 and "--part-rows 1500" in other_parts["errors"][0]["message"]
    )
    done = run_apply(apply_command(SHOP, pg_empty, "--scale", "0.03", "--shard", "2/3", *PARTS))
    other_plan = json.loads(done.stdout)
    assert done.returncode == 1 and other_plan["errors"][0]["code"] == "seeded"
    assert "another plan" in other_plan["errors"][0]["message"]
    reset = cli(pg_empty, "--shard", "2/3", "--reset")
    assert reset["exit_code"] == 2 and "--reset" in reset["errors"][0]["message"]
    plain = cli(pg_empty)  # a plain apply over a sharded load in progress
    assert (
        plain["exit_code"] == 1 and "sharded load is in progress" in plain["errors"][0]["message"]
    )


@pytest.mark.postgres
def test_postgresql_shard_needs_a_role_that_may_switch_off_fk_triggers(pg_empty: str) -> None:
    role = f"shard_plain_{int(time.time() * 1000) % 10**8}"
    admin = sa.create_engine(pg_empty, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
        conn.exec_driver_sql(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        conn.exec_driver_sql(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        conn.exec_driver_sql(f'GRANT CREATE ON SCHEMA public TO "{role}"')
    try:
        url = sa.make_url(pg_empty).set(username=role).render_as_string(False)
        doc = cli(url, "--shard", "1/2", *PARTS)
        assert doc["exit_code"] == 1 and doc["errors"][0]["code"] == "permission"
        assert "session_replication_role" in doc["errors"][0]["message"]
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        admin.dispose()


@pytest.mark.parametrize("args", [("--shard", "1/2"), ("--finish",)])
def test_guard_refuses_a_remote_shard_and_finish(args: tuple[str, ...]) -> None:
    done = run_apply(apply_command(SHOP, "postgresql://postgres@db.invalid/test", *args))
    doc = json.loads(done.stdout)
    assert done.returncode == 4 and doc["errors"][0]["kind"] == "guard-remote"


def _sqlite(tmp: Path, name: str) -> str:
    url = f"sqlite:///{tmp / name}"
    run_sql_file(url, _schema_file(url))
    return url


@pytest.mark.parametrize("n", [2, 3])
def test_sqlite_shards_end_as_one_apply(tmp_path: Path, n: int) -> None:
    reference = _sqlite(tmp_path, "ref.db")
    ok(reference)
    url = _sqlite(tmp_path, "sharded.db")
    sharded(url, n, list(range(n, 0, -1)))
    ok(url, "--finish")
    assert state(url) == state(reference)
    assert violations(url) == []


def test_sqlite_shard_rows_without_their_entry_are_replaced_exactly(tmp_path: Path) -> None:
    """A shard's rows there but not its ledger entry (deleted here by hand): the re-run
    deletes exactly its own keys and loads them again; nothing of the other shard moves."""
    reference = _sqlite(tmp_path, "ref.db")
    ok(reference)
    url = _sqlite(tmp_path, "sharded.db")
    sharded(url, 2)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"DELETE FROM {LEDGER} WHERE id = (SELECT max(id) FROM {LEDGER})"
        )  # shard 2/2's entry
        conn.exec_driver_sql("UPDATE orders SET status = 'failed'")  # every row changed
    engine.dispose()
    again = ok(url, "--shard", "2/2", *PARTS)
    assert set(again["cleared"]) >= {"orders", "order_items"}
    ok(url, "--shard", "1/2", *PARTS)  # in the ledger: a no-op, its changed rows stay
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        mine = conn.exec_driver_sql("SELECT count(*) FROM orders WHERE status = 'failed'").scalar()
    engine.dispose()
    ref = sa.create_engine(reference)
    with ref.begin() as conn:
        theirs = conn.exec_driver_sql(
            "SELECT count(*) FROM orders WHERE status = 'failed' OR id <= 1500"
        ).scalar()
    ref.dispose()
    assert mine == theirs  # shard 1's 1500 orders all 'failed', shard 2's as generated


@pytest.mark.mariadb
def test_mariadb_shards_end_as_one_apply() -> None:
    for reference in _my_db():
        run_sql_file(reference, _schema_file(reference))
        ok(reference)
        for url in _my_db():
            run_sql_file(url, _schema_file(url))
            sharded(url, 3, [2, 3, 1])
            ok(url, "--finish")
            assert state(url) == state(reference)
            assert violations(url) == []
