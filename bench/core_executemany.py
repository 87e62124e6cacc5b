"""CORE-EXECUTEMANY baseline: mimesis per value + SQLAlchemy Core executemany -> rows in one txn.

The MariaDB comparison baseline (PERFORMANCE.md: "mimesis + SQLAlchemy Core executemany,
batches of 5,000"). Explicit ids; the accounts <-> users cycle (an immediate FK on MariaDB) is
closed by inserting accounts with owner NULL and then one executemany UPDATE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random

from mimesis import Datetime, Finance, Food, Person, Text
from mimesis.locales import Locale
from sqlalchemy import MetaData, bindparam, create_engine

BATCH = 5000


def _insert(conn, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[i : i + BATCH])


def _when(d: Datetime, start: int, end: int) -> dt.datetime:
    return d.datetime(start=start, end=end).replace(microsecond=0)


def seed(conn, t: dict, scale: float) -> None:
    n = lambda base: max(1, round(base * scale))  # noqa: E731
    person, fin, food, text, when = (
        Person(Locale.EN, seed=7),
        Finance(Locale.EN, seed=7),
        Food(Locale.EN, seed=7),
        Text(Locale.EN, seed=7),
        Datetime(Locale.EN, seed=7),
    )
    rnd = random.Random(7)
    n_a, n_u = n(1000), n(50000)
    _insert(
        conn,
        t["accounts"],
        [
            {
                "id": i,
                "name": fin.company(),
                "owner_user_id": None,
                "created_at": _when(when, 2022, 2023),
                "plan": rnd.choices(("free", "pro", "enterprise"), (60, 30, 10))[0],
            }
            for i in range(1, n_a + 1)
        ],
    )
    users = [
        {
            "id": i,
            "account_id": rnd.randint(1, n_a),
            "email": f"{person.username()}.{i}@example.com",
            "full_name": person.full_name(),
            "created_at": _when(when, 2024, 2024),
            "is_active": rnd.random() < 0.9,
        }
        for i in range(1, n_u + 1)
    ]
    _insert(conn, t["users"], users)
    first: dict = {}
    for u in users:
        first.setdefault(u["account_id"], u["id"])
    acc = t["accounts"]
    conn.execute(
        acc.update().where(acc.c.id == bindparam("a_id")).values(owner_user_id=bindparam("owner")),
        [{"a_id": a, "owner": u} for a, u in first.items()],
    )

    n_c = n(200)
    sizes = [max(1, round(n_c * 0.04)), round(n_c * 0.12), round(n_c * 0.28)]
    sizes.append(n_c - sum(sizes))
    cats: list[dict] = []
    prev: list[int] = []
    next_id = 1
    for depth, size in enumerate(sizes):
        level = list(range(next_id, next_id + size))
        cats += [
            {
                "id": c,
                "parent_id": rnd.choice(prev) if depth else None,
                "name": f"{text.word().title()} {c}",
            }
            for c in level
        ]
        prev, next_id = level or prev, next_id + size
    _insert(conn, t["categories"], cats)
    n_p = n(20000)
    prices = [rnd.randint(100, 100000) for _ in range(n_p)]
    _insert(
        conn,
        t["products"],
        [
            {
                "id": i,
                "category_id": rnd.randint(1, n_c),
                "sku": f"SKU-{i:07d}",
                "title": food.dish(),
                "price_cents": prices[i - 1],
                "attributes": json.dumps(
                    {
                        "color": text.color(),
                        "weight_g": rnd.randint(50, 5000),
                        "in_stock": rnd.random() < 0.8,
                    }
                ),
            }
            for i in range(1, n_p + 1)
        ],
    )

    orders, items = [], []
    for o in range(1, n(200000) + 1):
        k = rnd.randint(5, 8) if rnd.random() < 0.4 else rnd.randint(1, 4)
        total = 0
        for line in range(1, k + 1):
            p = rnd.randint(1, n_p)
            q = 1 + int(20 * rnd.random() ** 3)
            total += q * prices[p - 1]
            items.append(
                {
                    "order_id": o,
                    "line_no": line,
                    "product_id": p,
                    "quantity": q,
                    "unit_price_cents": prices[p - 1],
                }
            )
        orders.append(
            {
                "id": o,
                "user_id": rnd.randint(1, n_u),
                "placed_at": _when(when, 2025, 2025),
                "status": rnd.choices(("paid", "pending", "failed", "refunded"), (70, 15, 10, 5))[
                    0
                ],
                "total_cents": total,
            }
        )
        if len(items) >= 4 * BATCH:  # stream: orders before their items, a batch at a time
            _insert(conn, t["orders"], orders)
            _insert(conn, t["order_items"], items)
            orders, items = [], []
    _insert(conn, t["orders"], orders)
    _insert(conn, t["order_items"], items)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", required=True, help="SQLAlchemy URL, e.g. mysql+pymysql://...")
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    engine = create_engine(args.db)
    meta = MetaData()
    meta.reflect(
        engine, only=["accounts", "users", "categories", "products", "orders", "order_items"]
    )
    with engine.begin() as conn:
        seed(conn, meta.tables, args.scale)


if __name__ == "__main__":
    main()
