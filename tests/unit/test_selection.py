"""Which tables are seeded (analysis/selection.py), with no database: globs against name and
schema.table, exclude over include, framework bookkeeping left alone unless named exactly,
located warnings for globs that match nothing, and `tables:` include/exclude parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from seedspec.analysis.selection import select_tables
from seedspec.database.model import DbSchema, DbTable
from seedspec.errors import SpecError
from seedspec.spec.frameworks import BOOKKEEPING, bookkeeping
from seedspec.spec.model import Spec, TableGlob, TableSelection
from seedspec.spec.validate import load_spec

SCHEMA = DbSchema(
    "postgresql",
    (
        DbTable("users"),
        DbTable("audit_log"),
        DbTable("django_migrations"),
        DbTable("SequelizeMeta"),
        DbTable("billing.invoices", schema="billing"),
    ),
    default_schema="public",
)


def chosen(include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> dict[str, str]:
    spec = Spec(select=TableSelection().extended(include, exclude))
    return dict(select_tables(spec, SCHEMA).left_alone)


def test_defaults_leave_framework_tables_alone() -> None:
    assert chosen() == {
        "django_migrations": "Django bookkeeping: migration history",
        "SequelizeMeta": "Sequelize bookkeeping: migration history",
    }


def test_globs_match_name_and_schema_table_case_insensitively() -> None:
    left = chosen(exclude=("AUDIT_*", "billing.*"))
    assert set(left) == {"audit_log", "billing.invoices", "django_migrations", "SequelizeMeta"}
    assert left["audit_log"] == "excluded by 'AUDIT_*' (--exclude)"
    assert set(chosen(exclude=("public.users",))) >= {"users"}
    assert "invoices" not in chosen(exclude=("invoices",)).values()
    assert "billing.invoices" in chosen(exclude=("invoices",))  # the bare name matches too


def test_include_is_a_whitelist_and_exclude_wins() -> None:
    left = chosen(include=("u*", "audit_log"), exclude=("audit_*",))
    assert "users" not in left
    assert left["audit_log"].startswith("excluded by")
    assert left["billing.invoices"] == "not matched by tables.include / --include"


def test_an_exact_include_seeds_a_bookkeeping_table_a_wildcard_does_not() -> None:
    assert "django_migrations" in chosen(include=("*",))
    assert "django_migrations" in chosen(include=("django_*",))
    left = chosen(include=("*", "django_migrations"))
    assert "django_migrations" not in left and "SequelizeMeta" in left


def test_unmatched_globs_are_located_warnings() -> None:
    here = Spec(
        select=TableSelection(
            include=(TableGlob("*"),),
            exclude=(TableGlob("nope_*", None),),
        )
    )
    problems = select_tables(here, SCHEMA).problems
    assert [(p.code, p.severity, p.message) for p in problems] == [
        ("unmatched-glob", "warning", "--exclude exclude glob 'nope_*' matches no table")
    ]


def test_spec_include_exclude_lists_and_a_table_named_include(tmp_path: Path) -> None:
    spec_file = tmp_path / "seed.yaml"
    spec_file.write_text(
        "seedspec: 1\n"
        "tables:\n"
        "  exclude: [audit_*, 'zz?']\n"
        "  include:\n"
        "    count: 3\n"  # a table literally named include
        "  users: {count: 2}\n",
        encoding="utf-8",
    )
    spec = load_spec(str(spec_file))
    assert [g.pattern for g in spec.select.exclude] == ["audit_*", "zz?"]
    assert str(spec.select.exclude[1].location) == f"{spec_file}:3:22"
    assert spec.select.include == ()
    assert [t.name for t in spec.tables] == ["include", "users"]
    problems = select_tables(spec, SCHEMA).problems
    assert [str(p.location) for p in problems] == [f"{spec_file}:3:22"]  # 'zz?' matched nothing


def test_a_glob_list_must_hold_strings(tmp_path: Path) -> None:
    spec_file = tmp_path / "seed.yaml"
    spec_file.write_text("seedspec: 1\ntables:\n  exclude: [1]\n", encoding="utf-8")
    with pytest.raises(SpecError):
        load_spec(str(spec_file))


def test_refs_may_name_left_alone_tables(tmp_path: Path) -> None:
    spec_file = tmp_path / "seed.yaml"
    spec_file.write_text(
        "seedspec: 1\n"
        "tables:\n"
        "  exclude: [countries]\n"
        "  cities:\n"
        "    count: {per: countries, min: 1, max: 2}\n"
        "    columns:\n"
        "      perm_id: {ref: auth_permission}\n",
        encoding="utf-8",
    )
    assert load_spec(str(spec_file)).table("cities") is not None


def test_every_framework_entry_is_found_by_its_name() -> None:
    for entry in BOOKKEEPING:
        assert bookkeeping(entry.table.upper()) == entry
    assert bookkeeping("users") is None
