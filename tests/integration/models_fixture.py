"""SQLAlchemy models for the --metadata tests: one declarative Base that creates on every database.

``pg_metadata`` adds what only PostgreSQL has: a second schema, a deferrable FK, ARRAY / JSONB /
INET columns, partial and expression unique indexes and an ``Identity(always=True)`` key.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Status(enum.Enum):
    active = "active"
    blocked = "blocked"
    closed = "closed"


class Base(DeclarativeBase):
    pass


class Customer(Base):
    """Integer key (SERIAL / AUTO_INCREMENT / rowid), self-referencing nullable FK, Enum."""

    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(80))
    bio: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[Status] = mapped_column(
        sa.Enum(Status, name="customer_status"), server_default="active"
    )
    is_active: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.true())
    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.current_timestamp()
    )
    referrer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customer.id"))


class Product(Base):
    """BigInteger key, numeric / float / JSON / date, range CHECK, unique index, Computed."""

    __tablename__ = "product"
    __table_args__ = (
        sa.CheckConstraint("price >= 0 AND price <= 100000", name="ck_product_price_range"),
        sa.Index("ux_product_sku", "sku", unique=True),
        sa.Index("ix_product_name", "name"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    sku: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    price: Mapped[decimal.Decimal] = mapped_column(sa.Numeric(10, 2))
    price_gross: Mapped[decimal.Decimal | None] = mapped_column(
        sa.Numeric(12, 2), sa.Computed("price * 1.2", persisted=True)
    )
    weight: Mapped[float | None] = mapped_column(sa.Float)
    attrs: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    released: Mapped[dt.date | None] = mapped_column(sa.Date)
    stock: Mapped[int] = mapped_column(sa.Integer, server_default=sa.text("0"))


class Order(Base):
    """Identity() key, CHECK ... IN list, plain FK."""

    __tablename__ = "orders"
    __table_args__ = (
        sa.CheckConstraint("state IN ('new', 'paid', 'shipped')", name="ck_orders_state"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, sa.Identity(), primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customer.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(sa.String(10), server_default="new")
    total: Mapped[decimal.Decimal] = mapped_column(sa.Numeric(10, 2), server_default="0")
    placed_on: Mapped[dt.date] = mapped_column(sa.Date)
    note: Mapped[str | None] = mapped_column(sa.Unicode(255))


class OrderLine(Base):
    """Composite primary key, column-level CHECK, composite unique constraint."""

    __tablename__ = "order_line"
    __table_args__ = (sa.UniqueConstraint("order_id", "product_id", name="uq_line_product"),)

    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id"))
    qty: Mapped[int] = mapped_column(sa.Integer, sa.CheckConstraint("qty > 0"))


class Shipment(Base):
    """Composite FK, unique index that is partial on PostgreSQL and SQLite."""

    __tablename__ = "shipment"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["order_id", "line_no"], ["order_line.order_id", "order_line.line_no"]
        ),
        sa.Index(
            "ux_shipment_tracking",
            "tracking",
            unique=True,
            postgresql_where=sa.text("tracking IS NOT NULL"),
            sqlite_where=sa.text("tracking IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.Integer)
    line_no: Mapped[int] = mapped_column(sa.SmallInteger)
    tracking: Mapped[str | None] = mapped_column(sa.String(40))
    shipped_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    carrier: Mapped[str] = mapped_column(
        sa.Enum("dhl", "ups", "post", native_enum=False, length=12), server_default="post"
    )


class Tag(Base):
    """String key (no autoincrement), a unique index on an expression-free column pair."""

    __tablename__ = "tag"
    __table_args__ = (sa.Index("ux_tag_scope_label", "scope", "label", unique=True),)

    code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(16))
    label: Mapped[str] = mapped_column(sa.String(64))
    uid: Mapped[Any] = mapped_column(sa.Uuid, nullable=True)
    blob: Mapped[bytes | None] = mapped_column(sa.LargeBinary)


# --------------------------------------------------------------------------- PostgreSQL only

pg_metadata = sa.MetaData()

sa.Table(
    "account",
    pg_metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("handle", sa.String(30), nullable=False),
    sa.Column("tags", postgresql.ARRAY(sa.Text)),
    sa.Column("doc", postgresql.JSONB),
    sa.Column("ip", postgresql.INET),
    sa.Column("deleted_at", sa.DateTime(timezone=True)),
    sa.Index(
        "ux_account_handle_live",
        "handle",
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    ),
    sa.Index("ux_account_lower_handle", sa.func.lower(sa.text("handle")), unique=True),
    sa.CheckConstraint("char_length(handle) BETWEEN 3 AND 30", name="ck_account_handle"),
)

sa.Table(
    "membership",
    pg_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("account_id", sa.BigInteger, nullable=False),
    sa.Column("group_id", sa.SmallInteger, nullable=False),
    sa.ForeignKeyConstraint(["account_id"], ["account.id"], deferrable=True, initially="DEFERRED"),
    sa.ForeignKeyConstraint(["group_id"], ["other.team.id"]),
    sa.UniqueConstraint("account_id", "group_id"),
)

sa.Table(
    "team",
    pg_metadata,
    sa.Column("id", sa.SmallInteger, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, unique=True),
    sa.Column("parent_id", sa.SmallInteger, sa.ForeignKey("other.team.id")),
    schema="other",
)
