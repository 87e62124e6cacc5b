"""seedspec.database.facts: a DbTable's SQL texts parsed once into frozen TableFacts; and the
dialect capability flags the compiler reads instead of dialect names."""

from __future__ import annotations

import dataclasses

import pytest

from seedspec.database.facts import facts_of, table_facts_of
from seedspec.database.model import DbCheck, DbColumn, DbSchema, DbTable, DbTrigger, DbUnique
from seedspec.dialects.capabilities import capabilities_for

TABLE = DbTable(
    name="users",
    columns=(
        DbColumn("id", "integer"),
        DbColumn("email", "varchar", length=80),
        DbColumn("status", "varchar", length=10),
        DbColumn("age", "integer"),
        DbColumn("region", "text"),
    ),
    primary_key=("id",),
    uniques=(
        DbUnique("u_email", (), "index", None, ("lower(email)",)),
        DbUnique("u_pair", ("status", "age")),
        DbUnique("u_odd", (), "index", None, ("md5(random()::text)",)),
    ),
    checks=(
        DbCheck("c_status", "status IN ('a', 'b', 'c')"),
        DbCheck("c_status2", "status <> 'c'"),
        DbCheck("c_age", "age BETWEEN 18 AND 99"),
        DbCheck("c_odd", "weird_function(age) IS DISTINCT FROM 3"),
    ),
    partition_by="LIST (region)",
    partitions=("FOR VALUES IN ('eu', 'us')",),
    triggers=(
        DbTrigger("t_ins", "AFTER", ("INSERT",), ("audit", "stats")),
        DbTrigger("t_upd", "AFTER", ("UPDATE",), ("history",)),
    ),
)


def test_check_facts_are_merged_per_column() -> None:
    facts = table_facts_of(TABLE)
    assert facts.columns["status"].allowed == ("a", "b", "c")
    assert facts.columns["status"].excluded == ("c",)
    assert facts.columns["status"].values == ("a", "b")
    assert (facts.columns["age"].lower, facts.columns["age"].upper) == (18, 99)
    assert [c.name for c in facts.unread_checks] == ["c_odd"]
    assert [(u.name, u.sql, u.columns) for u in facts.unread] == [
        ("c_odd", "weird_function(age) IS DISTINCT FROM 3", ("age",))
    ]
    assert [c.name for c in facts.modelled] == ["c_status", "c_status2", "c_age"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.columns["age"].lower = 0  # type: ignore[misc]


def test_partition_unique_and_trigger_facts() -> None:
    facts = table_facts_of(TABLE)
    ((column, generator),) = facts.partition.generators
    assert column == "region"
    assert generator.params["parts"] == [{"in": ["eu", "us"]}]
    assert [(u.unique.name, u.columns, u.understood) for u in facts.uniques] == [
        ("u_email", ("email",), True),
        ("u_pair", ("status", "age"), True),
        ("u_odd", (), False),
    ]
    assert facts.insert_writes == ("audit", "stats")


def test_facts_are_frozen_and_read_once() -> None:
    facts = table_facts_of(TABLE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.table = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        facts.columns["new"] = facts.columns["age"]  # type: ignore[index]
    assert table_facts_of(TABLE) is facts
    assert facts_of(DbSchema("postgresql", (TABLE,)))["users"] is facts


def test_capabilities_replace_dialect_names() -> None:
    pg, my, maria, lite, other = (
        capabilities_for(n) for n in ("postgresql", "mysql", "mariadb", "sqlite", "oracle")
    )
    assert (pg.deferrable_fks, pg.can_suspend_fk_checks, pg.defers_all_to_commit) == (
        True,
        False,
        False,
    )
    assert my == maria and my.name == "mysql" and my.can_suspend_fk_checks
    assert lite.defers_all_to_commit and not lite.deferrable_fks
    assert other.name == "oracle" and not (
        other.deferrable_fks or other.can_suspend_fk_checks or other.defers_all_to_commit
    )
