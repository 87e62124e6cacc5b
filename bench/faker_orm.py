"""FAKER-ORM baseline: the usual hand-written seed script -> rows via Faker + SQLAlchemy ORM.

Per-value Faker, ORM objects, ``session.add_all`` in batches with a flush per batch, one commit
at the end. Follows ../shared/bench/DATA-SPEC.md; the accounts <-> users cycle is closed by
inserting accounts with owner NULL and setting owner_user_id once the users have ids.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random

from faker import Faker
from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

UTC = dt.timezone.utc
BATCH = 5000


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    plan: Mapped[str] = mapped_column(String)
    owner_user_id: Mapped[int | None] = mapped_column(BigInteger)  # FK closes the cycle
    created_at: Mapped[dt.datetime]


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    email: Mapped[str] = mapped_column(String)
    full_name: Mapped[str] = mapped_column(String)
    created_at: Mapped[dt.datetime]
    is_active: Mapped[bool]


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    name: Mapped[str] = mapped_column(String)


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    sku: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(String)
    price_cents: Mapped[int]
    attributes: Mapped[dict] = mapped_column(JSON)


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String)
    placed_at: Mapped[dt.datetime]
    total_cents: Mapped[int] = mapped_column(BigInteger)
    items: Mapped[list[OrderItem]] = relationship()


class OrderItem(Base):
    __tablename__ = "order_items"
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    unit_price_cents: Mapped[int]


def _when(fake: Faker, start: str, end: str) -> dt.datetime:
    return fake.date_time_between(
        dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), tzinfo=UTC
    )


def _batched(session: Session, objects: list) -> None:
    for i in range(0, len(objects), BATCH):
        session.add_all(objects[i : i + BATCH])
        session.flush()


def seed(session: Session, scale: float, fake: Faker) -> None:
    n = lambda base: max(1, round(base * scale))  # noqa: E731
    accounts = [
        Account(
            name=fake.company(),
            created_at=_when(fake, "2022-01-01", "2024-01-01"),
            plan=random.choices(("free", "pro", "enterprise"), (60, 30, 10))[0],
        )
        for _ in range(n(1000))
    ]
    _batched(session, accounts)
    users = []
    for i in range(n(50000)):
        users.append(
            User(
                account_id=random.choice(accounts).id,
                email=f"{fake.user_name()}.{i}@{fake.free_email_domain()}",
                full_name=fake.name(),
                created_at=_when(fake, "2024-01-01", "2025-01-01"),
                is_active=random.random() < 0.9,
            )
        )
    _batched(session, users)
    first: dict[int, int] = {}
    for u in users:
        first.setdefault(u.account_id, u.id)
    for a in accounts:  # close the cycle: the owner is the account's first user
        a.owner_user_id = first.get(a.id)
    session.flush()

    total_c = n(200)
    sizes = [max(1, round(total_c * 0.04)), round(total_c * 0.12), round(total_c * 0.28)]
    sizes.append(total_c - sum(sizes))
    level: list[Category] = []
    parents: list[Category] = []
    categories: list[Category] = []
    for depth, size in enumerate(sizes):
        parents = level or parents  # an empty level (tiny scales) keeps the one above
        level = [
            Category(
                parent_id=random.choice(parents).id if depth else None,
                name=f"{fake.word().title()} {len(categories) + k}",
            )
            for k in range(size)
        ]
        _batched(session, level)
        categories += level
    products = [
        Product(
            category_id=random.choice(categories).id,
            sku=f"SKU-{i:07d}",
            title=fake.catch_phrase(),
            price_cents=random.randint(100, 100000),
            attributes={
                "color": fake.color_name(),
                "weight_g": random.randint(50, 5000),
                "in_stock": random.random() < 0.8,
            },
        )
        for i in range(1, n(20000) + 1)
    ]
    _batched(session, products)

    orders = []
    for _ in range(n(200000)):
        k = random.randint(5, 8) if random.random() < 0.4 else random.randint(1, 4)
        items = []
        for line in range(1, k + 1):
            p = random.choice(products)
            items.append(
                OrderItem(
                    line_no=line,
                    product_id=p.id,
                    quantity=1 + int(20 * random.random() ** 3),
                    unit_price_cents=p.price_cents,
                )
            )
        orders.append(
            Order(
                user_id=random.choice(users).id,
                placed_at=_when(fake, "2025-01-01", "2026-01-01"),
                status=random.choices(("paid", "pending", "failed", "refunded"), (70, 15, 10, 5))[
                    0
                ],
                total_cents=sum(i.quantity * i.unit_price_cents for i in items),
                items=items,
            )
        )
    _batched(session, orders)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", required=True, help="SQLAlchemy URL, e.g. postgresql+psycopg://...")
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    random.seed(7)
    Faker.seed(7)
    engine = create_engine(args.db)
    with Session(engine) as session:
        seed(session, args.scale, Faker("en_US"))
        session.commit()


if __name__ == "__main__":
    main()
