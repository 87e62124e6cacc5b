"""The families of shared/repros/ (issue 10) on MariaDB and SQLite, where the database has them.

Each case is a small schema in that database's own DDL, seeded with no spec through the CLI
(`seedspec apply --db URL -o json`), then audited by query: MariaDB through
tests/corpus_audit.audit (every CHECK from information_schema re-evaluated, FKs, uniques, NOT
NULLs, AUTO_INCREMENT ahead); SQLite through tests/corpus_audit.sqlite_violations (dbcheck's,
with partial uniques under their WHERE) plus each CHECK of the case re-evaluated as
`count(*) WHERE NOT (expr)` (SQLite keeps CHECKs only as the CREATE text, so the case lists them).
Then the case's own promise, as queries that must return 0.

A family not fixed yet is xfail(strict=True): its fix makes the test XPASS, failing the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import run_sql, scalar
from corpus_audit import audit, run_apply, sqlite_violations
from dbcheck import counts


@dataclass(frozen=True)
class Case:
    name: str
    db: str  # "sqlite" or "mysql" (MariaDB)
    ddl: str
    checks: tuple[tuple[str, str], ...] = ()  # SQLite: (table, CHECK expression)
    zero: tuple[str, ...] = ()  # queries that must return 0 after the apply
    rows: dict[str, int] = field(default_factory=dict)  # exact row counts expected
    args: tuple[str, ...] = ()
    xfail: str = ""


OR_ALTERNATIVES = """
CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE move_line (
    id INTEGER PRIMARY KEY,
    display_type VARCHAR(20) NOT NULL,
    account_id INTEGER,
    debit DECIMAL(10, 2) NOT NULL DEFAULT 0,
    CONSTRAINT accountable_required CHECK (display_type IN ('line_section', 'line_note')
        OR account_id IS NOT NULL),
    CONSTRAINT non_accountable_null CHECK (display_type NOT IN ('line_section', 'line_note')
        OR (debit = 0 AND account_id IS NULL)),
    FOREIGN KEY (account_id) REFERENCES account (id)
)
"""
OR_CHECKS = (
    ("move_line", "display_type IN ('line_section', 'line_note') OR account_id IS NOT NULL"),
    (
        "move_line",
        "display_type NOT IN ('line_section', 'line_note') OR (debit = 0 AND account_id IS NULL)",
    ),
)

EXACTLY_ONE = """
CREATE TABLE partner (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE guest (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE reaction (
    id INTEGER PRIMARY KEY,
    partner_id INTEGER,
    guest_id INTEGER,
    CONSTRAINT one_owner CHECK ((partner_id IS NULL) <> (guest_id IS NULL)),
    FOREIGN KEY (partner_id) REFERENCES partner (id),
    FOREIGN KEY (guest_id) REFERENCES guest (id)
)
"""
EXACTLY_ONE_ZERO = (
    "SELECT count(*) FROM reaction WHERE (partner_id IS NULL) = (guest_id IS NULL)",
    "SELECT CASE WHEN count(partner_id) > 0 AND count(guest_id) > 0 THEN 0 ELSE 1 END "
    "FROM reaction",
)

EXCLUDED_MY = """
CREATE TABLE slide (
    id INTEGER PRIMARY KEY AUTO_INCREMENT,
    state ENUM('draft', 'published', 'deleted') NOT NULL,
    archived BOOLEAN NOT NULL,
    category VARCHAR(40) NOT NULL,
    CONSTRAINT not_deleted CHECK (state <> 'deleted'),
    CONSTRAINT not_archived CHECK (archived <> true),
    CONSTRAINT not_certification CHECK (category <> 'certification')
)
"""
EXCLUDED_LITE = """
CREATE TABLE slide (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'deleted')),
    archived BOOLEAN NOT NULL,
    category VARCHAR(40) NOT NULL,
    CONSTRAINT not_deleted CHECK (state <> 'deleted'),
    CONSTRAINT not_archived CHECK (archived <> 1),
    CONSTRAINT not_certification CHECK (category <> 'certification')
)
"""
EXCLUDED_ZERO = (
    "SELECT count(*) FROM slide WHERE state = 'deleted' OR archived OR category = 'certification'",
)

CHAR_LENGTH_MY = """
CREATE TABLE api_key (
    id INTEGER PRIMARY KEY AUTO_INCREMENT,
    name VARCHAR(40) NOT NULL,
    idx VARCHAR(8) NOT NULL,
    CONSTRAINT idx_len CHECK (char_length(idx) = 8)
)
"""
CHAR_LENGTH_LITE = """
CREATE TABLE api_key (
    id INTEGER PRIMARY KEY,
    name VARCHAR(40) NOT NULL,
    idx VARCHAR(8) NOT NULL CHECK (length(idx) = 8)
)
"""

BOOL_OR = """
CREATE TABLE rule (
    id INTEGER PRIMARY KEY,
    name VARCHAR(40) NOT NULL,
    perm_read BOOLEAN,
    perm_write BOOLEAN,
    perm_create BOOLEAN,
    perm_unlink BOOLEAN,
    CONSTRAINT no_access CHECK (perm_read <> false OR perm_write <> false
        OR perm_create <> false OR perm_unlink <> false)
)
"""

TWO_UNIQUES = """
CREATE TABLE channel (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE partner (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE guest (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE member (
    id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    partner_id INTEGER,
    guest_id INTEGER,
    FOREIGN KEY (channel_id) REFERENCES channel (id),
    FOREIGN KEY (partner_id) REFERENCES partner (id),
    FOREIGN KEY (guest_id) REFERENCES guest (id)
);
CREATE UNIQUE INDEX member_partner ON member (channel_id, partner_id);
CREATE UNIQUE INDEX member_guest ON member (channel_id, guest_id)
"""

PARTIAL_BOOL_LITE = """
CREATE TABLE connection (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX connection_single_active ON connection (active) WHERE active = 1;
"""

NO_TYPE_LITE = """
CREATE TABLE item (id INTEGER PRIMARY KEY, a, b NOT NULL, c UNIQUE, d DEFAULT 3);
CREATE TABLE item_tag (item_id NOT NULL REFERENCES item (id), tag NOT NULL,
    PRIMARY KEY (item_id, tag));
"""

QUANTITY = """
CREATE TABLE order_line (
    id INTEGER PRIMARY KEY,
    product VARCHAR(40) NOT NULL,
    quantity DECIMAL(12, 3) NOT NULL,
    product_uom_qty NUMERIC(14, 2) NOT NULL
)
"""

TRIGGER_COUNTER_MY = """
CREATE TABLE tag (id INTEGER PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL UNIQUE,
    ref_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE song (id INTEGER PRIMARY KEY AUTO_INCREMENT, title VARCHAR(40) NOT NULL);
CREATE TABLE song_tag (song_id INTEGER NOT NULL, tag_id INTEGER NOT NULL,
    PRIMARY KEY (song_id, tag_id), FOREIGN KEY (song_id) REFERENCES song (id),
    FOREIGN KEY (tag_id) REFERENCES tag (id));
CREATE TRIGGER song_tag_count AFTER INSERT ON song_tag FOR EACH ROW
    UPDATE tag SET ref_count = ref_count + 1 WHERE id = NEW.tag_id
"""
TRIGGER_COUNTER_LITE = """
CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
    ref_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE song (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE song_tag (song_id INTEGER NOT NULL REFERENCES song (id),
    tag_id INTEGER NOT NULL REFERENCES tag (id), PRIMARY KEY (song_id, tag_id));
CREATE TRIGGER song_tag_count AFTER INSERT ON song_tag FOR EACH ROW BEGIN
    UPDATE tag SET ref_count = ref_count + 1 WHERE id = NEW.tag_id;
END;
"""
TRIGGER_COUNTER_ZERO = (
    "SELECT count(*) FROM tag t WHERE t.ref_count < "
    "(SELECT count(*) FROM song_tag s WHERE s.tag_id = t.id)",
)

TRIGGER_PARENT_MY = """
CREATE TABLE attribute_type (id INTEGER PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL);
CREATE TABLE instrument (id INTEGER PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL);
CREATE TRIGGER a_ins_instrument AFTER INSERT ON instrument FOR EACH ROW
    INSERT INTO attribute_type (name) VALUES (NEW.name);
CREATE TABLE attribute_link (id INTEGER PRIMARY KEY AUTO_INCREMENT,
    attribute_type_id INTEGER NOT NULL, note VARCHAR(40),
    FOREIGN KEY (attribute_type_id) REFERENCES attribute_type (id))
"""
TRIGGER_PARENT_LITE = """
CREATE TABLE attribute_type (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE instrument (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TRIGGER a_ins_instrument AFTER INSERT ON instrument FOR EACH ROW BEGIN
    INSERT INTO attribute_type (name) VALUES (NEW.name);
END;
CREATE TABLE attribute_link (id INTEGER PRIMARY KEY,
    attribute_type_id INTEGER NOT NULL REFERENCES attribute_type (id), note TEXT);
"""

NEGATIVE_IN = """
CREATE TABLE rating (
    id INTEGER PRIMARY KEY,
    name VARCHAR(40) NOT NULL,
    vote INTEGER NOT NULL,
    CONSTRAINT rating_vote CHECK (vote IN (-1, 0, 1))
)
"""
NEGATIVE_IN_ZERO = (
    "SELECT count(*) FROM rating WHERE vote NOT IN (-1, 0, 1)",
    "SELECT CASE WHEN count(DISTINCT vote) = 3 THEN 0 ELSE 1 END FROM rating",
)

CASES = [
    Case("or-alternatives", "mysql", OR_ALTERNATIVES, rows={"move_line": 20}),
    Case("or-alternatives", "sqlite", OR_ALTERNATIVES, OR_CHECKS, rows={"move_line": 20}),
    Case("exactly-one-of", "mysql", EXACTLY_ONE, zero=EXACTLY_ONE_ZERO, rows={"reaction": 20}),
    Case(
        "exactly-one-of",
        "sqlite",
        EXACTLY_ONE,
        (("reaction", "(partner_id IS NULL) <> (guest_id IS NULL)"),),
        EXACTLY_ONE_ZERO,
        {"reaction": 20},
    ),
    Case("excluded-values", "mysql", EXCLUDED_MY, zero=EXCLUDED_ZERO, args=("--scale", "5")),
    Case("excluded-values", "sqlite", EXCLUDED_LITE, zero=EXCLUDED_ZERO, args=("--scale", "5")),
    Case(
        "char-length",
        "mysql",
        CHAR_LENGTH_MY,
        zero=("SELECT count(*) FROM api_key WHERE char_length(idx) <> 8",),
        rows={"api_key": 20},
    ),
    Case(
        "char-length",
        "sqlite",
        CHAR_LENGTH_LITE,
        (("api_key", "length(idx) = 8"),),
        ("SELECT count(*) FROM api_key WHERE length(idx) <> 8",),
        {"api_key": 20},
    ),
    Case("bool-or", "mysql", BOOL_OR, rows={"rule": 200}, args=("--scale", "10")),
    Case(
        "bool-or",
        "sqlite",
        BOOL_OR,
        (("rule", "perm_read <> 0 OR perm_write <> 0 OR perm_create <> 0 OR perm_unlink <> 0"),),
        rows={"rule": 200},
        args=("--scale", "10"),
    ),
    Case("two-composite-uniques", "mysql", TWO_UNIQUES, rows={"member": 20}),
    Case("two-composite-uniques", "sqlite", TWO_UNIQUES, rows={"member": 20}),
    Case(
        "partial-unique-boolean",
        "sqlite",
        PARTIAL_BOOL_LITE,
        zero=(
            "SELECT CASE WHEN count(*) > 1 THEN count(*) ELSE 0 END FROM connection WHERE active",
        ),
        rows={"connection": 20},
    ),
    Case(
        "no-declared-type",
        "sqlite",
        NO_TYPE_LITE,
        zero=("SELECT count(*) FROM item WHERE b IS NULL",),
        rows={"item": 20},
    ),
    Case(
        "decimal-quantity",
        "mysql",
        QUANTITY,
        zero=("SELECT count(*) FROM order_line WHERE NOT (quantity BETWEEN 1 AND 100)",),
        rows={"order_line": 20},
    ),
    Case(
        "decimal-quantity",
        "sqlite",
        QUANTITY,
        zero=("SELECT count(*) FROM order_line WHERE NOT (quantity BETWEEN 1 AND 100)",),
        rows={"order_line": 20},
    ),
    Case(
        "trigger-update-counter",
        "mysql",
        TRIGGER_COUNTER_MY,
        zero=TRIGGER_COUNTER_ZERO,
        rows={"tag": 20},
    ),
    Case(
        "trigger-update-counter",
        "sqlite",
        TRIGGER_COUNTER_LITE,
        zero=TRIGGER_COUNTER_ZERO,
        rows={"tag": 20},
    ),
    Case("trigger-fills-needed-parent", "mysql", TRIGGER_PARENT_MY),
    Case("trigger-fills-needed-parent", "sqlite", TRIGGER_PARENT_LITE),
    Case("negative-in-list", "mysql", NEGATIVE_IN, zero=NEGATIVE_IN_ZERO, rows={"rating": 20}),
    Case(
        "negative-in-list",
        "sqlite",
        NEGATIVE_IN,
        (("rating", "vote IN (-1, 0, 1)"),),
        NEGATIVE_IN_ZERO,
        {"rating": 20},
    ),
]

XFAIL: dict[tuple[str, str], str] = {}


def _param(case: Case) -> object:
    marks = [pytest.mark.mariadb] if case.db == "mysql" else []
    reason = XFAIL.get((case.name, case.db))
    if reason:
        marks.append(pytest.mark.xfail(strict=True, reason=f"issue 10: {reason} not fixed yet"))
    return pytest.param(case, id=f"{case.name}-{case.db}", marks=marks)


def _sqlite_check_failures(url: str, checks: tuple[tuple[str, str], ...]) -> list[str]:
    out = []
    for table, expr in checks:
        n = int(str(scalar(url, f"SELECT count(*) FROM {table} WHERE NOT ({expr})")))
        if n:
            out.append(f"{table}: CHECK ({expr}): {n} rows fail it")
    return out


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_family(case: Case, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = request.getfixturevalue("mysql_url" if case.db == "mysql" else "sqlite_url")
    run_sql(url, case.ddl)
    run = run_apply(url, tmp_path, *case.args)
    assert run.returncode == 0, f"seedspec apply exited {run.returncode}: {run.error}"
    if case.db == "mysql":
        result = audit(url, report=run.doc)
        assert not result.empty, f"empty tables: {result.empty}"
        assert not result.violations, "\n".join(result.violations)
        rows = result.rows
    else:
        rows = counts(url)
        assert all(rows.values()), f"empty tables: {rows}"
        bad = sqlite_violations(url) + _sqlite_check_failures(url, case.checks)
        assert not bad, "\n".join(bad)
    for table, n in case.rows.items():
        assert rows[table] == n, (table, rows[table], n)
    for sql in case.zero:
        assert int(str(scalar(url, sql))) == 0, sql


@pytest.mark.mariadb
def test_tinyint_key_capacity_checked_before_load(mysql_url: str, tmp_path: Path) -> None:
    """An explicit count larger than a TINYINT UNSIGNED key allows (255) is refused at compile
    time, naming the column; nothing is written."""
    run_sql(
        mysql_url,
        "CREATE TABLE category (category_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT "
        "PRIMARY KEY, name VARCHAR(25) NOT NULL)",
    )
    (tmp_path / "seed.yaml").write_text(
        "seedspec: 1\nseed: 1\ntables:\n  category:\n    count: 300\n"
    )
    run = run_apply(mysql_url, tmp_path, "seed.yaml")
    assert run.returncode == 3, f"exit {run.returncode}: {run.error}"
    assert "category_id" in run.error, run.error
    assert int(str(scalar(mysql_url, "SELECT count(*) FROM category"))) == 0
