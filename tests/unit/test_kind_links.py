"""Link kinds through the compiler, no database: a DbSchema + spec -> compiled, bound values.

ref, lookup, index_in_parent, aggregate, default and tree are resolved by the compiler (they
read other tables), so each test compiles a tiny schema with `compile_plan` and reads the values
the bound model gives, as a run would insert them. The first rows of every table are pinned in
data/kind_links.json; re-bless (then review the diff) with

    SEEDSPEC_BLESS=1 .venv/bin/python -m pytest -q tests/unit/test_kind_links.py
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from seedspec.analysis.drift import DriftError
from seedspec.compile.build import compile_plan
from seedspec.database.model import DbSchema
from seedspec.plan.bind import bind
from seedspec.plan.model import InsertRows, Plan
from seedspec.spec.source import Document
from seedspec.spec.validate import validate_document


def col(name: str, type_: str = "integer", nullable: bool = True, **more: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "sql_type": type_, "nullable": nullable, **more}


def fk(column: str, parent: str, ref: str = "id") -> dict[str, Any]:
    return {"name": None, "columns": [column], "ref_table": parent, "ref_columns": [ref]}


def table(
    name: str, *columns: dict[str, Any], fks: tuple[dict[str, Any], ...] = (), **more: Any
) -> dict[str, Any]:
    key = col("id", nullable=False)
    return {
        "name": name,
        "columns": [key, *columns],
        "primary_key": ["id"],
        "foreign_keys": list(fks),
        **more,
    }


SCHEMA = DbSchema.from_dict(
    {
        "dialect": "sqlite",
        "tables": [
            table("account", col("region", "text", False)),
            table(
                "member",
                col("account_id", nullable=False),
                col("score", nullable=False),
                fks=(fk("account_id", "account"),),
            ),
            table(
                "project",
                col("account_id", nullable=False),
                col("owner_id", nullable=False),
                col("note", "text", False, default="'n/a'"),
                fks=(fk("account_id", "account"), fk("owner_id", "member")),
            ),
            table(
                "orders",
                col("member_id", nullable=False),
                col("total"),
                col("lines"),
                col("mean_price", "numeric", scale=2, precision=10),
                col("cheapest"),
                col("dearest"),
                fks=(fk("member_id", "member"),),
            ),
            table(
                "line",
                col("order_id", nullable=False),
                col("pos", nullable=False),
                col("score"),
                col("price", nullable=False),
                col("qty", nullable=False),
                fks=(fk("order_id", "orders"),),
                uniques=[{"name": None, "columns": ["order_id", "pos"]}],
            ),
            table("node", col("parent_id"), fks=(fk("parent_id", "node"),)),
        ],
    }
)

SPEC: dict[str, Any] = {
    "seedspec": 1,
    "seed": 11,
    "tables": {
        "account": {"count": 12, "columns": {"region": {"choice": ["eu", "us"]}}},
        "member": {
            "count": 150,
            "columns": {"account_id": {"ref": "account"}, "score": {"int": {"min": 0, "max": 99}}},
        },
        "project": {
            "count": 300,
            "columns": {
                "account_id": {"ref": "account", "dist": "zipf", "s": 1.5},
                "owner_id": {"ref": "member", "where": {"account_id": "account_id"}},
                "note": {"default": True},
            },
        },
        "orders": {
            "count": 200,
            "columns": {
                "member_id": {"ref": "member.id"},
                "total": {"aggregate": {"table": "line", "of": ["price", "qty"]}},
                "lines": {"aggregate": {"table": "line", "fn": "count"}},
                "mean_price": {"aggregate": {"table": "line", "fn": "avg", "of": "price"}},
                "cheapest": {"aggregate": {"table": "line", "fn": "min", "of": "price"}},
                "dearest": {"aggregate": {"table": "line", "fn": "max", "of": "price"}},
            },
        },
        "line": {
            "count": {"per": "orders", "min": 1, "max": 6},
            "columns": {
                "order_id": {"ref": "orders"},
                "pos": {"index_in_parent": 1},
                "score": {"lookup": "order_id.lines"},
                "price": {"int": {"min": 1, "max": 500}},
                "qty": {"int": {"min": 1, "max": 4}},
            },
        },
        "node": {"count": 500, "tree": {"parent": "parent_id", "max_depth": 3}},
    },
}


# -- the adapter: spec dict + schema -> compiled plan -> rows by column --------------------------


def compile_spec(spec: dict[str, Any], schema: DbSchema = SCHEMA) -> Plan:
    return compile_plan(validate_document(Document("<link test>", spec)), schema)


def rows(plan: Plan, name: str) -> dict[str, list[Any]]:
    """Every inserted column of one table, all rows, as the load would write them."""
    step = next(s for s in plan.steps if isinstance(s, InsertRows) and s.table == name)
    model = bind(plan)
    values = model.rows(name, list(step.columns), 0, step.count)
    return dict(zip(step.columns, values, strict=True))


@pytest.fixture(scope="module")
def plan() -> Plan:
    return compile_spec(SPEC)


@pytest.fixture(scope="module")
def data(plan: Plan) -> dict[str, dict[str, list[Any]]]:
    return {name: rows(plan, name) for name in plan.tables}


GOLDEN = Path(__file__).parent / "data" / "kind_links.json"


def test_golden_link_values(data: dict[str, dict[str, list[Any]]]) -> None:
    """The first 12 rows of every column of every table, exactly (repr per value)."""
    got = {t: {c: [repr(v) for v in vs[:12]] for c, vs in cols.items()} for t, cols in data.items()}
    if os.environ.get("SEEDSPEC_BLESS") == "1":
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


# -- ref -----------------------------------------------------------------------------------------


def test_ref_values_are_existing_parent_keys(data: dict[str, dict[str, list[Any]]]) -> None:
    accounts, members = set(data["account"]["id"]), set(data["member"]["id"])
    assert set(data["member"]["account_id"]) <= accounts
    assert set(data["orders"]["member_id"]) <= members
    assert set(data["project"]["owner_id"]) <= members
    assert len(set(data["member"]["account_id"])) == len(accounts)  # 150 picks over 12 parents


def test_ref_zipf_skews_the_parents(data: dict[str, dict[str, list[Any]]]) -> None:
    uniform = Counter(data["member"]["account_id"]).most_common()
    zipf = Counter(data["project"]["account_id"]).most_common()
    assert zipf[0][1] / 300 > 0.3 > uniform[0][1] / 150


def test_ref_where_picks_a_parent_with_the_same_value(
    data: dict[str, dict[str, list[Any]]],
) -> None:
    account_of = dict(zip(data["member"]["id"], data["member"]["account_id"], strict=True))
    project = data["project"]
    for account, owner in zip(project["account_id"], project["owner_id"], strict=True):
        assert account_of[owner] == account


# -- count per parent, index_in_parent, lookup, aggregate ---------------------------------------


def test_index_in_parent_runs_from_start_per_parent(data: dict[str, dict[str, list[Any]]]) -> None:
    line = data["line"]
    per_parent: dict[int, list[int]] = defaultdict(list)
    for order, pos in zip(line["order_id"], line["pos"], strict=True):
        per_parent[order].append(pos)
    assert set(per_parent) == set(data["orders"]["id"])  # min 1: every order has lines
    for positions in per_parent.values():
        assert positions == list(range(1, len(positions) + 1))
        assert 1 <= len(positions) <= 6
    assert {len(p) for p in per_parent.values()} == set(range(1, 7))


def test_lookup_equals_the_parent_column(data: dict[str, dict[str, list[Any]]]) -> None:
    lines_of = dict(zip(data["orders"]["id"], data["orders"]["lines"], strict=True))
    line = data["line"]
    assert all(lines_of[o] == s for o, s in zip(line["order_id"], line["score"], strict=True))


def test_aggregate_equals_the_children(data: dict[str, dict[str, list[Any]]]) -> None:
    children: dict[int, list[tuple[int, int]]] = defaultdict(list)
    line = data["line"]
    for order, price, qty in zip(line["order_id"], line["price"], line["qty"], strict=True):
        children[order].append((price, qty))
    orders = data["orders"]
    for i, order in enumerate(orders["id"]):
        kids = children[order]
        prices = [p for p, _ in kids]
        assert orders["total"][i] == sum(p * q for p, q in kids)
        assert orders["lines"][i] == len(kids)
        assert orders["cheapest"][i] == min(prices) and orders["dearest"][i] == max(prices)
        mean = Decimal(sum(prices)) / len(prices)
        assert abs(Decimal(str(orders["mean_price"][i])) - mean) <= Decimal("0.005")


# -- default, tree ---------------------------------------------------------------------------------


def test_default_leaves_the_column_out_of_the_insert(plan: Plan) -> None:
    step = next(s for s in plan.steps if isinstance(s, InsertRows) and s.table == "project")
    assert "note" not in step.columns
    assert {"id", "account_id", "owner_id"} <= set(step.columns)


def test_tree_parents_come_first_and_depth_is_bounded(
    data: dict[str, dict[str, list[Any]]],
) -> None:
    node = data["node"]
    parent_of = dict(zip(node["id"], node["parent_id"], strict=True))
    assert any(p is None for p in parent_of.values()) and any(
        p is not None for p in parent_of.values()
    )
    for child, parent in parent_of.items():
        assert (
            parent is None
            or parent in parent_of
            and node["id"].index(parent) < node["id"].index(child)
        )

    def depth(n: int) -> int:
        return 0 if parent_of[n] is None else 1 + depth(parent_of[n])

    assert max(depth(n) for n in parent_of) <= 3


# -- link kinds are pure in (seed, table, column, row) too --------------------------------------


def test_link_values_do_not_depend_on_chunking(plan: Plan) -> None:
    model = bind(plan)
    columns = ["order_id", "pos", "score", "price"]
    whole = model.rows("line", columns, 0, 400)
    halves = [
        a + b
        for a, b in zip(
            model.rows("line", columns, 0, 150), model.rows("line", columns, 150, 400), strict=True
        )
    ]
    assert whole == halves


def test_link_values_ignore_an_unrelated_columns_generator(
    data: dict[str, dict[str, list[Any]]],
) -> None:
    changed = {**SPEC, "tables": {**SPEC["tables"]}}
    changed["tables"]["member"] = {
        "count": 150,
        "columns": {"account_id": {"ref": "account"}, "score": {"int": {"min": 1000, "max": 2000}}},
    }
    again = rows(compile_spec(changed), "member")
    assert again["account_id"] == data["member"]["account_id"]
    assert again["score"] != data["member"]["score"]


def test_aggregate_of_an_unknown_child_is_an_error() -> None:
    bad = {
        "seedspec": 1,
        "tables": {
            "orders": {"count": 3, "columns": {"total": {"aggregate": {"table": "account"}}}}
        },
    }
    with pytest.raises(DriftError):
        compile_spec(bad)


# -- what the compiler resolves from the column into a value kind's params ------------------------

COLUMN_SCHEMA = DbSchema.from_dict(
    {
        "dialect": "postgresql",
        "tables": [
            table(
                "item",
                col("code", "varchar", False, sql_type="character varying(6)", length=6),
                col("price", "numeric", False, sql_type="numeric(7,3)", precision=7, scale=3),
                col("qty", "integer", False),
            ),
            table("box", col("item_id", nullable=False), fks=(fk("item_id", "item"),)),
        ],
    }
)


def item_spec(count: int) -> dict[str, Any]:
    return {
        "seedspec": 1,
        "seed": 3,
        "tables": {
            "item": {
                "count": count,
                "columns": {
                    "code": {"gen": "person.email", "unique": True},
                    "price": {"decimal": {"min": 1, "max": 2}},
                    "qty": {"int": {"min": 1, "max": 9}},
                },
            },
            "box": {"count": {"per": "item", "min": 0, "max": 3, "dist": "poisson", "mean": 1}},
        },
    }


def test_gen_unique_on_a_short_column_fits_and_stays_distinct() -> None:
    item = rows(compile_spec(item_spec(3000), COLUMN_SCHEMA), "item")
    assert all(len(code) <= 6 for code in item["code"])
    assert len(set(item["code"])) == 3000


def test_decimal_scale_comes_from_the_column() -> None:
    item = rows(compile_spec(item_spec(500), COLUMN_SCHEMA), "item")
    assert {Decimal(str(p)).as_tuple().exponent for p in item["price"]} == {-3}
    assert all(Decimal(1) <= Decimal(str(p)) <= Decimal(2) for p in item["price"])


def test_raising_a_count_keeps_the_earlier_rows() -> None:
    small = rows(compile_spec(item_spec(200), COLUMN_SCHEMA), "item")
    large = rows(compile_spec(item_spec(900), COLUMN_SCHEMA), "item")
    for column in ("id", "price", "qty"):
        assert large[column][:200] == small[column]


def test_ref_per_parent_counts_follow_their_law() -> None:
    plan = compile_spec(item_spec(4000), COLUMN_SCHEMA)
    per_item = Counter(rows(plan, "box")["item_id"])
    counts = [per_item.get(i, 0) for i in rows(plan, "item")["id"]]
    assert min(counts) >= 0 and max(counts) <= 3
    assert 0.34 < counts.count(0) / 4000 < 0.41  # poisson(1) truncated to 0..3: 0.375 empty


def test_unique_capacity_of_cidr_is_checked_by_compile() -> None:
    schema = DbSchema.from_dict(
        {
            "dialect": "postgresql",
            "tables": [
                table(
                    "net",
                    col("block", "cidr", False),
                    uniques=[{"name": "u", "columns": ["block"]}],
                )
            ],
        }
    )
    spec = {"seedspec": 1, "tables": {"net": {"count": 70_000, "columns": {"block": {"cidr": {}}}}}}
    with pytest.raises(DriftError, match="distinct values"):
        compile_spec(spec, schema)
