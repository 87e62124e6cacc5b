"""Sharded loads' hooks of a dialect: a connection + shard K -> its lock, and the session's
foreign-key checks off for the shard and back on after (execute/shards.py)."""

from __future__ import annotations

import sqlalchemy as sa

from seedspec.errors import ApplyError


class ShardHooks:
    """The defaults a dialect overrides (base.Dialect inherits them)."""

    name = "generic"

    def take_shard_lock(self, conn: sa.Connection, seconds: float, index: int) -> bool:
        """Shard `index`'s lock (two runs of one shard wait for each other; other shards do
        not), which a plain apply's lock excludes where the database can say so."""
        return True

    def release_shard_lock(self, conn: sa.Connection, index: int) -> None:
        """Release it when it outlives the transaction (MySQL GET_LOCK)."""

    def take_ledger_lock(self, conn: sa.Connection, seconds: float) -> bool:
        """Inside a short transaction: the lock under which a shard creates the ledger."""
        return True

    def suspend_shard_fks(self, conn: sa.Connection, in_transaction: bool) -> None:
        """Foreign-key checks off for this session's shard: called before BEGIN
        (`in_transaction` False) and again inside the transaction; each database acts in the
        call where it can (parents of a shard's rows may be in another shard)."""
        if in_transaction:
            raise ApplyError(f"apply --shard: {self.name} cannot switch off foreign-key checks")

    def resume_shard_fks(self, conn: sa.Connection) -> None:
        """After the shard's transaction: the session's foreign-key checks back on."""
