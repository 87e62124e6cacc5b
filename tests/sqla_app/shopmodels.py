"""Declarative SQLAlchemy models for tests/integration/test_models_sqlalchemy.py and
tests/unit/test_models.py: Enums stored as VARCHAR with no CHECK (native_enum=False), a
CheckConstraint, a UniqueConstraint, bounds a @validates enforces, told to seedspec by `info`."""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates


class Base(DeclarativeBase):
    pass


class Plan(enum.Enum):
    basic = "basic"
    plus = "plus"
    max = "max"


class Account(Base):
    __tablename__ = "account"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(
        String(120), unique=True, info={"seedspec": {"meaning": "email"}}
    )
    plan: Mapped[Plan] = mapped_column(Enum(Plan, native_enum=False, length=10))
    score: Mapped[int] = mapped_column(info={"seedspec": {"min": 0, "max": 100}})
    code: Mapped[str] = mapped_column(String(9), info={"seedspec": {"pattern": "^AC-[0-9]{6}$"}})
    balance: Mapped[Decimal] = mapped_column(Numeric(10, 2))

    @validates("score")
    def _score(self, key: str, value: int) -> int:
        if not 0 <= value <= 100:
            raise ValueError(f"score {value} outside 0..100")
        return value


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("account_id", "team", name="one_team_each"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    team: Mapped[str] = mapped_column(
        Enum("red", "green", "blue", native_enum=False, name="team", length=8)
    )
