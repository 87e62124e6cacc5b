"""Partitioned tables and user-defined range types on PostgreSQL (issue 10), seeded through the
CLI with no spec and audited by query: every partition gets rows, an FK to one partition only
references rows routed there, user ranges hold valid values of their subtype."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import query, run_sql, scalar
from corpus_audit import audit, run_apply

from seedspec.generate.pghash import row_hash

pytestmark = pytest.mark.postgres

RANGE_FAMILY = """
CREATE TABLE by_text (
  id bigint NOT NULL, region text NOT NULL, PRIMARY KEY (id, region))
  PARTITION BY RANGE (region);
CREATE TABLE by_text_a PARTITION OF by_text FOR VALUES FROM (MINVALUE) TO ('g');
CREATE TABLE by_text_b PARTITION OF by_text FOR VALUES FROM ('g') TO ('ga');
CREATE TABLE by_text_c PARTITION OF by_text FOR VALUES FROM ('m') TO (MAXVALUE);
CREATE TABLE by_text_d PARTITION OF by_text DEFAULT;
CREATE TABLE by_day (
  id bigint NOT NULL, day date NOT NULL, PRIMARY KEY (id, day))
  PARTITION BY RANGE (day);
CREATE TABLE by_day_1 PARTITION OF by_day FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE by_day_2 PARTITION OF by_day FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
CREATE TABLE by_day_d PARTITION OF by_day DEFAULT;
CREATE TABLE by_ts (
  id bigint NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (id, at))
  PARTITION BY RANGE (at);
CREATE TABLE by_ts_1 PARTITION OF by_ts FOR VALUES FROM (MINVALUE) TO ('2024-01-01 00:00:00+00');
CREATE TABLE by_ts_2 PARTITION OF by_ts FOR VALUES FROM ('2024-01-01 00:00:00+00')
  TO ('2024-01-02 00:00:00+00');
CREATE TABLE by_num (
  id bigint NOT NULL, amount numeric(10,2) NOT NULL, PRIMARY KEY (id, amount))
  PARTITION BY RANGE (amount);
CREATE TABLE by_num_1 PARTITION OF by_num FOR VALUES FROM (0) TO (0.5);
CREATE TABLE by_num_2 PARTITION OF by_num FOR VALUES FROM (0.5) TO (100);
CREATE TABLE by_num_d PARTITION OF by_num DEFAULT;
CREATE TABLE by_two (
  id bigint NOT NULL, y int NOT NULL, m int NOT NULL, PRIMARY KEY (id, y, m))
  PARTITION BY RANGE (y, m);
CREATE TABLE by_two_1 PARTITION OF by_two FOR VALUES FROM (2024, 1) TO (2024, 7);
CREATE TABLE by_two_2 PARTITION OF by_two FOR VALUES FROM (2024, 7) TO (2025, 1);
CREATE TABLE by_two_3 PARTITION OF by_two FOR VALUES FROM (2025, 1) TO (MAXVALUE, MAXVALUE);
CREATE TABLE by_two_d PARTITION OF by_two DEFAULT;
CREATE TABLE by_id (id int PRIMARY KEY, note text) PARTITION BY RANGE (id);
CREATE TABLE by_id_1 PARTITION OF by_id FOR VALUES FROM (MINVALUE) TO (10);
CREATE TABLE by_id_2 PARTITION OF by_id FOR VALUES FROM (10) TO (20);
CREATE TABLE by_id_3 PARTITION OF by_id FOR VALUES FROM (20) TO (MAXVALUE);
CREATE TABLE by_kind (
  id bigint NOT NULL, kind int NOT NULL, code int NOT NULL CHECK (code BETWEEN 1 AND 25),
  PRIMARY KEY (id, kind))
  PARTITION BY LIST (kind);
CREATE TABLE by_kind_1 PARTITION OF by_kind FOR VALUES IN (1, 2);
CREATE TABLE by_kind_d PARTITION OF by_kind DEFAULT;
CREATE UNIQUE INDEX by_kind_1_code ON by_kind_1 (code);
CREATE TABLE by_hash (id bigint PRIMARY KEY) PARTITION BY HASH (id);
CREATE TABLE by_hash_0 PARTITION OF by_hash FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE by_hash_1 PARTITION OF by_hash FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE by_hash4 (id int PRIMARY KEY, v text) PARTITION BY HASH (id);
CREATE TABLE by_hash4_0 PARTITION OF by_hash4 FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE by_hash4_2 PARTITION OF by_hash4 FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE by_hash4_1 PARTITION OF by_hash4 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE hash_note (id serial PRIMARY KEY, hid int NOT NULL UNIQUE REFERENCES by_hash4_2 (id),
  h8 bigint NOT NULL REFERENCES by_hash_0 (id));
CREATE TABLE day_note (id serial PRIMARY KEY, day_id bigint NOT NULL, day date NOT NULL,
  FOREIGN KEY (day_id, day) REFERENCES by_day_2 (id, day));
CREATE TABLE text_note (id serial PRIMARY KEY, tid bigint NOT NULL, region text NOT NULL,
  FOREIGN KEY (tid, region) REFERENCES by_text_d (id, region));
"""

USER_RANGES = """
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE TYPE stamprange AS RANGE (subtype = timestamp);
CREATE TYPE dayrange AS RANGE (subtype = date, multirange_type_name = days);
CREATE TYPE smallrange AS RANGE (subtype = int2);
CREATE TABLE booking (
  id serial PRIMARY KEY,
  weight floatrange NOT NULL,
  weights floatmultirange NOT NULL,
  during stamprange NOT NULL,
  free days NOT NULL,
  slots smallrange NOT NULL,
  maybe floatrange
);
"""


def _count(url: str, sql: str) -> int:
    return int(str(scalar(url, sql) or 0))


def _apply_clean(url: str, tmp_path: Path) -> None:
    run = run_apply(url, tmp_path)
    assert run.returncode == 0, f"seedspec apply exited {run.returncode}: {run.error}"
    result = audit(url, report=run.doc)
    assert not result.empty, f"empty tables: {result.empty}"
    assert not result.violations, "\\n".join(result.violations[:40])


def test_range_partitions_every_family(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, RANGE_FAMILY)
    _apply_clean(pg_url, tmp_path)
    leaves = query(
        pg_url,
        "SELECT c.oid::regclass::text FROM pg_class c WHERE c.relispartition "
        "AND c.relkind = 'r' ORDER BY 1",
    )
    assert len(leaves) == 26
    for (leaf,) in leaves:  # text, date, timestamptz, numeric, two-column, int key, LIST, HASH
        assert _count(pg_url, f"SELECT count(*) FROM {leaf}") > 0, f"{leaf} got no rows"
    for table in ("by_text", "by_day", "by_ts", "by_num", "by_two", "by_id", "by_kind", "by_hash"):
        assert _count(pg_url, f"SELECT count(*) FROM {table}") == 20
    assert _count(pg_url, "SELECT count(DISTINCT id) FROM by_id") == 20  # the key is the PK
    # a unique index of one partition only holds there (seedspec keeps it over the parent)
    assert _count(pg_url, "SELECT count(*) - count(DISTINCT code) FROM by_kind_1") == 0
    # an FK to one partition takes only rows routed there (the database checks it too)
    assert _count(pg_url, "SELECT count(*) FROM day_note") == 20
    assert _count(pg_url, "SELECT count(*) FROM text_note") == 20
    outside = (
        "SELECT count(*) FROM day_note n WHERE NOT EXISTS (SELECT 1 FROM by_day_2 p "
        "WHERE p.id = n.day_id AND p.day = n.day)"
    )
    assert _count(pg_url, outside) == 0
    outside = (
        "SELECT count(*) FROM text_note n WHERE NOT EXISTS (SELECT 1 FROM by_text_d p "
        "WHERE p.id = n.tid AND p.region = n.region)"
    )
    assert _count(pg_url, outside) == 0
    # HASH: by_hash4's 20 rows go to its 3 partitions in turn; the UNIQUE FK to one of them
    # takes each of its 6 rows once; every h8 is a row of by_hash_0
    assert _count(pg_url, "SELECT count(*) FROM by_hash4_2") == 6
    assert _count(pg_url, "SELECT count(*) FROM hash_note") == 6
    outside = "SELECT count(*) FROM hash_note n WHERE n.h8 NOT IN (SELECT id FROM by_hash_0)"
    assert _count(pg_url, outside) == 0


@pytest.mark.parametrize(("sql_type", "bits"), [("smallint", 16), ("int", 32), ("bigint", 64)])
def test_hash_of_integer_keys_is_postgresqls(pg_url: str, sql_type: str, bits: int) -> None:
    """generate/pghash.py gives the partition the server's satisfies_hash_partition() picks."""
    run_sql(pg_url, f"CREATE TABLE h (k {sql_type}) PARTITION BY HASH (k)")
    lo, hi = {16: (-32768, 32767), 32: (-(2**31), 2**31 - 1), 64: (-(2**63), 2**63 - 1)}[bits]
    values = [lo, hi, 0, 1, -1, 7, 12345, lo + 17, hi - 99] + [v * 977 for v in range(-60, 60)]
    values = [v for v in values if lo <= v <= hi]
    rows = query(
        pg_url,
        "SELECT v, (SELECT r FROM generate_series(0, 10) r WHERE "
        f"satisfies_hash_partition('h'::regclass, 11, r, v::{sql_type})) "
        f"FROM unnest(ARRAY{values}::bigint[]) v ORDER BY v",
    )
    ours = row_hash(np.array([v for v, _ in rows], dtype=np.int64), bits) % np.uint64(11)
    assert [int(r) for _, r in rows] == [int(x) for x in ours]


def test_user_range_types(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, USER_RANGES)
    _apply_clean(pg_url, tmp_path)
    assert _count(pg_url, "SELECT count(*) FROM booking") == 20
    for column in ("weight", "during", "slots"):
        bad = (
            f"SELECT count(*) FROM booking WHERE {column} IS NULL OR isempty({column}) "
            f"OR lower({column}) >= upper({column})"
        )
        assert _count(pg_url, bad) == 0, column
    for column in ("weights", "free"):
        bad = f"SELECT count(*) FROM booking WHERE {column} IS NULL OR isempty({column})"
        assert _count(pg_url, bad) == 0, column
    assert _count(pg_url, "SELECT count(DISTINCT weight) FROM booking") > 1


def test_user_range_without_values_is_a_clear_error(pg_url: str, tmp_path: Path) -> None:
    run_sql(
        pg_url,
        "CREATE TYPE textrange AS RANGE (subtype = text);"
        "CREATE TABLE span (id serial PRIMARY KEY, letters textrange NOT NULL)",
    )
    cmd = [sys.executable, "-m", "seedspec.cli.app", "plan", "--db", pg_url]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 3, done.stdout + done.stderr
    out = done.stdout + done.stderr
    assert "span.letters (textrange)" in out and "a range of text" in out
    assert '`letters: {const: "[a,b)"}`' in out


def test_init_spec_keeps_partition_routing(pg_url: str, tmp_path: Path) -> None:
    """`init` writes each key column's partition slots; applying that spec routes the rows the
    same way, so the FKs to one partition still hold."""
    run_sql(pg_url, RANGE_FAMILY)
    cmd = [sys.executable, "-m", "seedspec.cli.app", "init", "--db", pg_url]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "partition: {parts:" in (tmp_path / "seed.yaml").read_text()
    run = run_apply(pg_url, tmp_path, str(tmp_path / "seed.yaml"))
    assert run.returncode == 0, f"seedspec apply exited {run.returncode}: {run.error}"
    result = audit(pg_url, report=run.doc)
    assert not result.violations, "\n".join(result.violations[:40])
    assert _count(pg_url, "SELECT count(*) FROM by_day_d") > 0
    assert _count(pg_url, "SELECT count(*) FROM day_note") == 20
