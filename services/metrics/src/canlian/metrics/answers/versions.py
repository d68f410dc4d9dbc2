"""The read model's version as this process knows it, without a round trip where it can.

On PostgreSQL every move is announced when it commits (`repository.CHANNEL`), and the
process listens: while it does, the newest version announced is the version now, except
just after a unit of work of this very process moved it, whose announcement may still be
on its way: then the version is read once more. Without a listener (SQLite, before the
first connection, after one drops) the version is read on every request, as before."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Session

from canlian.common.db.database import Database
from canlian.common.db.notifications import ChannelListener
from canlian.metrics.answers import repository

logger = logging.getLogger(__name__)


class VersionWatch:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._known = 0  # the newest version seen, read or announced
        # Units of work of this process that moved the version, and how many of them the
        # last read came after.
        self._moves = 0
        self._read_after = -1
        self.listener: ChannelListener | None = None
        if database.engine.dialect.name == "postgresql":
            self.listener = ChannelListener(
                database, repository.CHANNEL, self._announced, self._refresh
            )

    def moved_here(self, _session: Session) -> None:
        """A unit of work of this process moved the version: it has committed."""
        self._moves += 1

    async def now(self) -> int:
        """A version at least as new as every one committed before this call."""
        listener = self.listener
        if listener is not None and listener.listening and self._read_after == self._moves:
            return self._known
        moves = self._moves
        self._seen(await repository.version_now(self._database))
        self._read_after = max(self._read_after, moves)
        return self._known

    async def run(self) -> None:
        """Listen until cancelled; nothing to do without PostgreSQL."""
        if self.listener is not None:
            await self.listener.run()

    def _seen(self, version: int) -> None:
        self._known = max(self._known, version)

    def _announced(self, payload: str) -> None:
        try:
            self._seen(int(payload))
        except ValueError:
            logger.warning("read model version announced as %r: ignored", payload[:40])

    async def _refresh(self, connection: AsyncConnection) -> None:
        self._seen(await repository.version_on(connection))
