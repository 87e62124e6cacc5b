"""Every file in shared/repros/ (issue 10): a minimal real-world PostgreSQL schema, loaded into a
fresh database and seeded through the CLI as its header says, then audited by query.

Each test asserts the exit code, then the behaviour the header expects, by query: every CHECK
re-evaluated from pg_get_constraintdef, FKs by anti-join, uniques by GROUP BY under their
predicate, NOT NULLs, sequences ahead (tests/corpus_audit.audit), plus the repro's own promise
(exact lengths, at most one active row, the extension's table untouched ...).

A family not fixed yet is marked xfail(strict=True): the day it is fixed the test XPASSes, which
fails the run, and the mark must go.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED, query, run_sql_file, scalar
from corpus_audit import ApplyRun, AuditResult, audit, run_apply

REPROS = SHARED / "repros"

pytestmark = pytest.mark.postgres


def _xfail(family: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"issue 10: {family} not fixed yet")


def _load(url: str, name: str) -> None:
    path = REPROS / f"{name}.sql"
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    run_sql_file(url, path)


def _ok(run: ApplyRun) -> None:
    assert run.returncode == 0, f"seedspec apply exited {run.returncode}: {run.error}"
    assert run.doc.get("ok") is True, run.stdout[-2000:]


def _clean(url: str, run: ApplyRun, schemas: list[str] | None = None) -> AuditResult:
    """Every table that can hold rows has rows and no constraint is broken."""
    result = audit(url, schemas, report=run.doc)
    assert result.rows, "no tables found"
    assert not result.empty, f"empty tables: {result.empty}"
    assert not result.violations, "\n".join(result.violations[:40])
    return result


def _seed(url: str, tmp_path: Path, name: str, *args: str) -> AuditResult:
    _load(url, name)
    run = run_apply(url, tmp_path, *args)
    _ok(run)
    return _clean(url, run)


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "seedspec.cli.app", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)


def _count(url: str, sql: str) -> int:
    return int(str(scalar(url, sql) or 0))


# --------------------------------------------------------------------------- CHECK family


def test_char_length_equals(pg_url: str, tmp_path: Path) -> None:
    r = _seed(pg_url, tmp_path, "char-length-equals")
    assert r.checked["checks"] >= 1
    assert _count(pg_url, "SELECT count(*) FROM api_key") == 20
    assert _count(pg_url, "SELECT count(*) FROM api_key WHERE char_length(index) <> 8") == 0
    assert _count(pg_url, "SELECT count(*) FROM api_key WHERE index IS NOT NULL") > 0


def test_check_bool_or(pg_url: str, tmp_path: Path) -> None:
    _seed(pg_url, tmp_path, "check-bool-or", "--scale", "10")
    assert _count(pg_url, "SELECT count(*) FROM rule") == 200
    flags = "coalesce(perm_read OR perm_write OR perm_create OR perm_unlink, true)"
    assert _count(pg_url, f"SELECT count(*) FROM rule WHERE NOT {flags}") == 0


def test_check_exactly_one_null(pg_url: str, tmp_path: Path) -> None:
    _seed(pg_url, tmp_path, "check-exactly-one-null")
    for table in ("reaction", "link"):
        assert _count(pg_url, f"SELECT count(*) FROM {table}") == 20
        assert (
            _count(
                pg_url,
                f"SELECT count(*) FROM {table} WHERE num_nonnulls(partner_id, guest_id) <> 1",
            )
            == 0
        )
        # one owner per row, chosen per row: both owners occur
        assert _count(pg_url, f"SELECT count(*) FROM {table} WHERE partner_id IS NOT NULL") > 0
        assert _count(pg_url, f"SELECT count(*) FROM {table} WHERE guest_id IS NOT NULL") > 0


def test_check_excluded_values(pg_url: str, tmp_path: Path) -> None:
    _seed(pg_url, tmp_path, "check-excluded-values", "--scale", "5")
    assert _count(pg_url, "SELECT count(*) FROM slide") == 100
    assert _count(pg_url, "SELECT count(*) FROM slide WHERE state = 'deleted'") == 0
    assert _count(pg_url, "SELECT count(*) FROM slide WHERE archived") == 0
    assert _count(pg_url, "SELECT count(*) FROM slide WHERE category = 'certification'") == 0
    # the other labels are still drawn
    assert _count(pg_url, "SELECT count(DISTINCT state) FROM slide") == 2


def test_check_or_alternatives(pg_url: str, tmp_path: Path) -> None:
    r = _seed(pg_url, tmp_path, "check-or-alternatives")
    assert r.checked["checks"] == 4
    assert _count(pg_url, "SELECT count(*) FROM move_line") == 20
    assert _count(pg_url, "SELECT count(*) FROM channel") == 20


def test_negative_in_list(pg_url: str, tmp_path: Path) -> None:
    """`init` writes the IN list as integers; `check` and `apply` accept the written spec."""
    _load(pg_url, "negative-in-list")
    done = _cli(tmp_path, "init", "--db", pg_url)
    assert done.returncode == 0, done.stderr + done.stdout
    spec = (tmp_path / "seed.yaml").read_text()
    assert "'-1'" not in spec and '"-1"' not in spec, spec
    done = _cli(tmp_path, "check", "--db", pg_url)
    assert done.returncode == 0, done.stderr + done.stdout
    run = run_apply(pg_url, tmp_path, "seed.yaml")
    _ok(run)
    _clean(pg_url, run)
    assert _count(pg_url, "SELECT count(*) FROM rating") == 20
    assert {r[0] for r in query(pg_url, "SELECT DISTINCT vote FROM rating")} <= {-1, 0, 1, None}


# --------------------------------------------------------------------------- uniques


def test_partial_unique_boolean(pg_url: str, tmp_path: Path) -> None:
    _seed(pg_url, tmp_path, "partial-unique-boolean")
    assert _count(pg_url, "SELECT count(*) FROM connection") == 20
    assert _count(pg_url, "SELECT count(*) FROM task") == 20
    assert _count(pg_url, "SELECT count(*) FROM connection WHERE active") <= 1
    assert _count(pg_url, "SELECT count(*) FROM task WHERE in_progress") <= 1


def test_two_composite_uniques(pg_url: str, tmp_path: Path) -> None:
    r = _seed(pg_url, tmp_path, "two-composite-uniques")
    assert r.checked["partial unique indexes"] == 2
    assert _count(pg_url, "SELECT count(*) FROM member") == 20
    assert _count(pg_url, "SELECT count(*) FROM member_role") == 20
    assert _count(pg_url, "SELECT count(*) FROM member WHERE partner_id IS NOT NULL") > 0


def test_jsonb_unique(pg_url: str, tmp_path: Path) -> None:
    _seed(pg_url, tmp_path, "jsonb-unique")
    assert _count(pg_url, "SELECT count(DISTINCT name) FROM tag") == 20
    assert _count(pg_url, "SELECT count(*) FROM note") == 20


# --------------------------------------------------------------------------- triggers


def test_trigger_update_counter(pg_url: str, tmp_path: Path) -> None:
    _seed(pg_url, tmp_path, "trigger-update-counter")
    assert _count(pg_url, "SELECT count(*) FROM tag") == 20
    assert _count(pg_url, "SELECT count(*) FROM song_tag") > 0
    # the trigger ran: every linked tag was bumped at least once per link
    assert (
        _count(
            pg_url,
            "SELECT count(*) FROM tag t WHERE t.ref_count < "
            "(SELECT count(*) FROM song_tag s WHERE s.tag_id = t.id)",
        )
        == 0
    )


def test_trigger_fills_needed_parent(pg_url: str, tmp_path: Path) -> None:
    r = _seed(pg_url, tmp_path, "trigger-fills-needed-parent")
    assert r.rows["instrument"] > 0 and r.rows["attribute_type"] > 0
    assert r.rows["attribute_link"] > 0
    assert r.checked["sequences"] >= 3


# --------------------------------------------------------------------------- reflection


def test_fk_to_partition(pg_url: str, tmp_path: Path) -> None:
    _load(pg_url, "fk-to-partition")
    done = _cli(tmp_path, "plan", "--db", pg_url)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "report_upload_states" in done.stdout
    run = run_apply(pg_url, tmp_path)
    _ok(run)
    _clean(pg_url, run)
    # the parent's 20 rows go to its two partitions in turn; the child's UNIQUE FK takes each
    # row of the referenced partition once, so its count is capped at exactly that many
    assert _count(pg_url, "SELECT count(*) FROM uploads") == 20
    assert _count(pg_url, "SELECT count(*) FROM report_uploads") == 10
    assert _count(pg_url, "SELECT count(*) FROM other_uploads") == 10
    assert _count(pg_url, "SELECT count(*) FROM report_upload_states") == 10
    orphans = (
        "SELECT count(*) FROM report_upload_states s WHERE NOT EXISTS "
        "(SELECT 1 FROM report_uploads u WHERE u.id = s.report_upload_id)"
    )
    assert _count(pg_url, orphans) == 0
    dup = "SELECT count(*) FROM (SELECT id FROM report_uploads GROUP BY id HAVING count(*) > 1) d"
    assert _count(pg_url, dup) == 0


def test_extension_table_untouched(pg_url: str, tmp_path: Path) -> None:
    _load(pg_url, "extension-table")
    before = query(pg_url, "SELECT code, label FROM unit_ref ORDER BY code")
    assert len(before) == 3
    run = run_apply(pg_url, tmp_path)
    _ok(run)
    _clean(pg_url, run)
    assert _count(pg_url, "SELECT count(*) FROM place") == 20
    assert query(pg_url, "SELECT code, label FROM unit_ref ORDER BY code") == before
    run = run_apply(pg_url, tmp_path, "--truncate")
    _ok(run)
    assert query(pg_url, "SELECT code, label FROM unit_ref ORDER BY code") == before
    assert _count(pg_url, "SELECT count(*) FROM place") == 20


def test_single_schema_keeps_fks(pg_url: str, tmp_path: Path) -> None:
    _load(pg_url, "single-schema-loses-fks")
    run = run_apply(pg_url, tmp_path, "--schema", "app")
    _ok(run)
    _clean(pg_url, run, ["app"])
    assert _count(pg_url, "SELECT count(*) FROM app.customer") == 20
    assert _count(pg_url, "SELECT count(*) FROM app.orders") == 20
    assert (
        _count(pg_url, "SELECT count(*) FROM app.orders WHERE customer_id NOT BETWEEN 1 AND 20")
        == 0
    )
    assert _count(pg_url, "SELECT count(*) FROM public.settings") == 0


def test_two_schemas_seed_each_table_once(pg_url: str, tmp_path: Path) -> None:
    _load(pg_url, "single-schema-loses-fks")
    run = run_apply(pg_url, tmp_path, "--schema", "app,public")
    _ok(run)
    _clean(pg_url, run, ["app", "public"])
    planned = sorted(t["table"] for t in run.doc.get("report", run.doc).get("tables", []))
    assert len(planned) == 3, planned
    assert _count(pg_url, "SELECT count(*) FROM app.customer") == 20
    assert _count(pg_url, "SELECT count(*) FROM public.settings") == 20


def test_truncate_with_unseeded_child(pg_url: str, tmp_path: Path) -> None:
    _load(pg_url, "truncate-unseeded-child")
    _ok(run_apply(pg_url, tmp_path))
    first = query(pg_url, "SELECT id, name FROM account ORDER BY id")
    run = run_apply(pg_url, tmp_path, "--truncate")
    _ok(run)
    _clean(pg_url, run)
    assert query(pg_url, "SELECT id, name FROM account ORDER BY id") == first  # same seed
    assert _count(pg_url, "SELECT count(*) FROM account") == 20


# --------------------------------------------------------------------------- types, init


def test_decimal_quantity(pg_url: str, tmp_path: Path) -> None:
    _seed(pg_url, tmp_path, "decimal-quantity")
    assert _count(pg_url, "SELECT count(*) FROM order_line") == 20
    for col in ("quantity", "product_uom_qty"):
        bad = f"SELECT count(*) FROM order_line WHERE NOT ({col} BETWEEN 1 AND 100)"
        assert _count(pg_url, bad) == 0


def _postgis(url: str) -> None:
    have = query(url, "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
    if not have:
        reason = "PostGIS is not installed (apt-get install postgresql-15-postgis-3)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI is set", pytrace=False)
        pytest.skip(reason)


def test_geometry_not_null(pg_url: str, tmp_path: Path) -> None:
    _postgis(pg_url)
    _seed(pg_url, tmp_path, "geometry-not-null")
    assert _count(pg_url, "SELECT count(*) FROM zone") == 20
    bad = (
        "SELECT count(*) FROM zone WHERE ST_SRID(area) <> 4326 OR NOT ST_IsValid(area) "
        "OR GeometryType(area) <> 'POLYGON'"
    )
    assert _count(pg_url, bad) == 0


def test_init_on_error_writes_todo(pg_url: str, tmp_path: Path) -> None:
    _load(pg_url, "init-on-error")
    done = _cli(tmp_path, "init", "--db", pg_url)
    assert done.returncode in (0, 3), done.stderr + done.stdout
    spec_path = tmp_path / "seed.yaml"
    assert spec_path.is_file(), done.stderr + done.stdout
    lines = spec_path.read_text().splitlines()
    # point has a generator now (geometry, format: pg); a type with none is a TODO line
    # (tests/integration/test_init_todo.py), so location is one or the other, never missing
    location = [ln for ln in lines if ln.strip().startswith("location:")]
    assert location and ("TODO" in location[0] or "geometry" in location[0]), "\n".join(lines)
    assert any(ln.strip().startswith("site:") for ln in lines)
    assert any(ln.strip().startswith("visit:") for ln in lines)
    if done.returncode == 3:
        assert "location" in done.stderr + done.stdout


def test_every_repro_has_a_test() -> None:
    """A repro added to shared/repros/ without a test here fails this."""
    if not REPROS.is_dir():
        pytest.skip(f"{REPROS} is not here")
    source = Path(__file__).read_text()
    missing = [p.stem for p in sorted(REPROS.glob("*.sql")) if f'"{p.stem}"' not in source]
    assert not missing, f"repros with no test: {missing}"
