"""Dialect name -> Capabilities: what the compiler may know of a database (no SQLAlchemy)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capabilities:
    """Facts about a database family that decide how a plan is built.

    ``name`` is the family the plan records ("mysql" for MySQL and MariaDB).
    ``defers_all_to_commit``: every foreign key can be checked at commit (SQLite's
    ``PRAGMA defer_foreign_keys``), so any cycle edge may be broken by deferring.
    ``deferrable_fks``: a foreign key declared DEFERRABLE can be deferred to commit (PostgreSQL).
    ``can_suspend_fk_checks``: foreign key checks can be switched off for the load and verified
    afterwards (MySQL/MariaDB ``FOREIGN_KEY_CHECKS=0``).
    ``sqlglot_dialect``: the sqlglot dialect that reads its SQL text (None: sqlglot's generic).
    ``implicit_commits``: DDL and many other statements commit the open transaction first
    (MySQL/MariaDB), so they are refused in `after:`.
    ``database_write_lock``: one write lock covers the whole database (SQLite's file lock), so a
    lock wait names the file rather than a table.
    ``stores_any_value``: a column stores a value outside its declared type (SQLite's type
    affinity: an INTEGER holds any 64-bit integer, a NUMERIC(10, 2) any number), so a type
    bounds no generator's range.
    """

    name: str
    defers_all_to_commit: bool = False
    deferrable_fks: bool = False
    can_suspend_fk_checks: bool = False
    sqlglot_dialect: str | None = None  # how sqlglot reads its SQL (CHECK text for the oracle)
    implicit_commits: bool = False
    database_write_lock: bool = False
    stores_any_value: bool = False


_KNOWN: dict[str, Capabilities] = {
    "postgresql": Capabilities("postgresql", deferrable_fks=True, sqlglot_dialect="postgres"),
    "mysql": Capabilities(
        "mysql", can_suspend_fk_checks=True, sqlglot_dialect="mysql", implicit_commits=True
    ),
    "sqlite": Capabilities(
        "sqlite",
        defers_all_to_commit=True,
        sqlglot_dialect="sqlite",
        database_write_lock=True,
        stores_any_value=True,
    ),
}
_ALIASES = {"mariadb": "mysql"}


def family_of(dialect_name: str) -> str:
    """The family a SQLAlchemy dialect name belongs to ("mariadb" -> "mysql"); others unchanged."""
    return _ALIASES.get(dialect_name, dialect_name)


def capabilities_for(dialect_name: str) -> Capabilities:
    """Capabilities of a SQLAlchemy dialect name; an unknown database gets none of them."""
    family = family_of(dialect_name)
    return _KNOWN.get(family) or Capabilities(family)


__all__ = ["Capabilities", "capabilities_for", "family_of"]
