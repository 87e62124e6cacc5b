"""The apply ledger: the apply's connection + Plan + the seeded tables' rows -> what this apply
does (load, nothing: already seeded by this plan, or a refusal showing the entry) and, after a
load, its entry (digest, seed, scale, rows per table, version, time) in the same transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec import __version__
from seedspec.database.ledgers import DEFAULT_LEDGER, is_ledger
from seedspec.database.model import DbTable
from seedspec.deferred import deferred
from seedspec.dialects.base import Dialect
from seedspec.errors import AlreadySeeded, ApplyError
from seedspec.execute.locks import LockWait
from seedspec.plan.model import InsertRows, Plan

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

LOAD, NOOP, REFUSE = "load", "noop", "refuse"


@dataclass(frozen=True)
class LedgerSpot:
    """Where the ledger lives: its table name and database schema (None: the default one)."""

    name: str = DEFAULT_LEDGER
    schema: str | None = None

    @property
    def label(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True)
class Entry:
    """One recorded apply."""

    id: int
    applied_at: str  # ISO 8601, UTC
    plan_digest: str
    seed: int
    scale: float | None
    counts: Mapping[str, int]  # table -> rows it held when the apply committed
    tables: tuple[str, ...]
    seedspec_version: str
    load_path: str
    # a sharded load's entries (execute/shardbook.py): {"index": K, "count": N, "part_rows": P}
    # for shard K/N, {"finish": true, "count": N, "part_rows": P} for `apply --finish`; None else
    shard: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "applied_at": self.applied_at,
            "plan_digest": self.plan_digest,
            "seed": self.seed,
            "scale": self.scale,
            "counts": dict(self.counts),
            "tables": list(self.tables),
            "seedspec_version": self.seedspec_version,
            "load_path": self.load_path,
            "shard": dict(self.shard) if self.shard is not None else None,
        }

    def describe(self) -> str:
        scale = f", scale {self.scale:g}" if self.scale is not None else ""
        rows = ", ".join(f"{t} {n:,}" for t, n in self.counts.items())
        return (
            f"ledger entry #{self.id} (applied {self.applied_at}, digest {self.plan_digest}, "
            f"seed {self.seed}{scale}; rows: {rows or 'none'})"
        )


def decide(digest: str, counts: Mapping[str, int], entry: Entry | None, reset: bool) -> str:
    """LOAD, NOOP or REFUSE, from this plan's digest, the rows its tables hold now and the
    latest ledger entry touching them (pure: no database)."""
    if reset or not any(counts.values()):
        return LOAD
    sharding = entry is not None and entry.shard is not None and not entry.shard.get("finish")
    if entry is not None and entry.plan_digest == digest and dict(entry.counts) == dict(counts):
        return REFUSE if sharding else NOOP  # a shard's entry: a sharded load in progress
    return REFUSE


def refusal(
    plan: Plan,
    scale: float | None,
    counts: Mapping[str, int],
    entry: Entry | None,
    spot: LedgerSpot,
) -> str:
    """Why tables that hold rows are not written, with the ledger entry and how it differs."""
    busy = ", ".join(t for t, n in counts.items() if n)
    fix = "pass --reset to replace their rows inside the same transaction"
    if entry is None:
        return (
            f"tables already hold rows: {busy}; seedspec fills empty tables and the ledger "
            f"({spot.label}) records no apply of them ({fix})"
        )
    if entry.shard is not None and not entry.shard.get("finish"):
        return (
            f"tables already hold rows: {busy}; a sharded load is in progress ({entry.describe()}"
            f", shard {entry.shard.get('index')}/{entry.shard.get('count')}): run its missing "
            f"shards and `apply --finish`, or {fix}"
        )
    if entry.plan_digest == plan.digest():
        changed = ", ".join(
            f"{t} {entry.counts.get(t, 0):,} -> {n:,}"
            for t, n in counts.items()
            if entry.counts.get(t, 0) != n
        )
        return (
            f"tables already hold rows: {busy}; seeded by this plan ({entry.describe()}), "
            f"but their rows changed since (rows: {changed}); {fix}"
        )
    return (
        f"tables already hold rows: {busy}; seeded by another plan: {entry.describe()}; this "
        f"plan (digest {plan.digest()}) differs: {_differences(plan, scale, entry)}; {fix}"
    )


def _differences(plan: Plan, scale: float | None, entry: Entry) -> str:
    out = []
    if plan.seed != entry.seed:
        out.append(f"seed {plan.seed} (not {entry.seed})")
    if scale is not None and entry.scale is not None and scale != entry.scale:
        out.append(f"scale {scale:g} (not {entry.scale:g})")
    writes = {s.table: s.count for s in plan.steps if isinstance(s, InsertRows)}
    rows = [
        f"{t} {n:,} (not {entry.counts[t]:,})"
        for t, n in writes.items()
        if t in entry.counts and entry.counts[t] != n
    ]
    if rows:
        out.append(f"rows: {', '.join(rows)}")
    new = [t for t in writes if t not in entry.counts]
    if new:
        out.append(f"also seeds {', '.join(new)}")
    return "; ".join(out) or "its recipes (columns, generators, versions or schema)"


def ledger_table(spot: LedgerSpot) -> sa.Table:
    """The ledger as a SQLAlchemy Table: the dialect quotes and types it."""
    return sa.Table(
        spot.name,
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("applied_at", sa.DateTime, nullable=False),  # UTC
        sa.Column("plan_digest", sa.String(64), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("scale", sa.Float, nullable=True),
        sa.Column("counts", sa.Text, nullable=False),  # JSON: table -> rows
        sa.Column("tables", sa.Text, nullable=False),  # JSON: the plan's tables
        sa.Column("seedspec_version", sa.String(64), nullable=False),
        sa.Column("load_path", sa.String(16), nullable=False),
        sa.Column("shard", sa.Text, nullable=True),  # JSON: a sharded load's K/N (Entry.shard)
        schema=spot.schema,
    )


class Book:
    """The ledger for one apply: opened (created when missing), asked, written."""

    def __init__(self, spot: LedgerSpot | None, *, reset: bool, scale: float | None) -> None:
        self.spot = spot  # None: no ledger (a caller's connection: its transaction decides)
        self.reset = reset
        self.scale = scale
        self.table: sa.Table | None = None

    def open(self, conn: sa.Connection) -> sa.Table:
        """The ledger table, created when missing (inside the apply's transaction where DDL is
        transactional; the caller opens it before BEGIN where CREATE TABLE commits)."""
        assert self.spot is not None
        if self.table is not None:
            return self.table
        table = ledger_table(self.spot)
        insp = sa.inspect(conn)
        if insp.has_table(self.spot.name, schema=self.spot.schema):
            names = [c["name"] for c in insp.get_columns(self.spot.name, schema=self.spot.schema)]
            if not is_ledger(names):
                raise ApplyError(
                    f"table {self.spot.label} exists and is not a seedspec ledger; name the "
                    "ledger otherwise (target.ledger in the spec, or apply --ledger NAME)"
                )
            if "shard" not in {n.lower() for n in names}:  # a ledger from before sharded loads
                column = sa.schema.CreateColumn(table.c.shard).compile(dialect=conn.dialect)
                name = conn.dialect.identifier_preparer.format_table(table)
                conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {column}")
        else:
            conn.execute(sa.schema.CreateTable(table, if_not_exists=True))
        self.table = table
        return table

    def settle(
        self,
        conn: sa.Connection,
        dialect: Dialect,
        plan: Plan,
        tables: Sequence[DbTable],
        wait: LockWait,
    ) -> Entry | None:
        """The entry saying this plan already seeded these tables (a no-op), or None to load;
        an ApplyError showing the entry when the tables hold other rows."""
        if self.spot is None:
            return None  # without a ledger, tables holding rows are refused by clear.py
        table = self.open(conn)
        counts = {} if self.reset else row_counts(conn, dialect, tables, wait)
        entry = None if self.reset else latest(conn, table, [t.name for t in tables])
        action = decide(plan.digest(), counts, entry, self.reset)
        if action == REFUSE:
            raise AlreadySeeded(refusal(plan, self.scale, counts, entry, self.spot))
        return entry if action == NOOP else None

    def record(
        self,
        conn: sa.Connection,
        dialect: Dialect,
        plan: Plan,
        tables: Sequence[DbTable],
        shard: Mapping[str, Any] | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> Entry | None:
        """This apply's entry, written in its transaction (it commits with the rows); a shard
        records the rows it wrote (`counts`) and its K/N (`shard`)."""
        if self.spot is None:
            return None
        table = self.open(conn)
        counts = dict(counts) if counts is not None else row_counts(conn, dialect, tables)
        at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        values = {
            "applied_at": at,
            "plan_digest": plan.digest(),
            "seed": plan.seed,
            "scale": self.scale,
            "counts": json.dumps(counts),
            "tables": json.dumps([t.name for t in tables]),
            "seedspec_version": __version__,
            "load_path": plan.load_path,
            "shard": json.dumps(dict(shard)) if shard is not None else None,
        }
        key = conn.execute(table.insert().values(**values)).inserted_primary_key
        return _entry({**values, "id": key[0] if key else 0})


def row_counts(
    conn: sa.Connection, dialect: Dialect, tables: Sequence[DbTable], wait: LockWait | None = None
) -> dict[str, int]:
    """Each table's rows now, in the order given (a lock wait names the table it waited on)."""
    out = {}
    for t in tables:
        if wait is not None:
            wait.table = t
        n = conn.exec_driver_sql(f"SELECT count(*) FROM {dialect.qualified(conn, t)}").scalar()
        out[t.name] = int(n or 0)
    if wait is not None:
        wait.table = None
    return out


def latest(conn: sa.Connection, table: sa.Table, names: Sequence[str]) -> Entry | None:
    """The newest entry that wrote one of these tables."""
    return next(history(conn, table, names), None)


def history(conn: sa.Connection, table: sa.Table, names: Sequence[str]) -> Iterator[Entry]:
    """The entries that wrote one of these tables, newest first."""
    wanted = set(names)
    for row in conn.execute(sa.select(table).order_by(table.c.id.desc())).mappings().all():
        entry = _entry(dict(row))
        if wanted & set(entry.tables):
            yield entry


def _entry(row: Mapping[str, Any]) -> Entry:
    at = row["applied_at"]
    when = at.isoformat(sep=" ", timespec="seconds") + " UTC" if isinstance(at, dt.datetime) else at
    counts = json.loads(row["counts"]) if isinstance(row["counts"], str) else row["counts"]
    tables = json.loads(row["tables"]) if isinstance(row["tables"], str) else row["tables"]
    return Entry(
        id=int(row["id"]),
        applied_at=str(when),
        plan_digest=str(row["plan_digest"]),
        seed=int(row["seed"]),
        scale=float(row["scale"]) if row["scale"] is not None else None,
        counts={str(k): int(v) for k, v in counts.items()},
        tables=tuple(str(t) for t in tables),
        seedspec_version=str(row["seedspec_version"]),
        load_path=str(row["load_path"]),
        shard=json.loads(row["shard"]) if isinstance(row.get("shard"), str) else None,
    )
