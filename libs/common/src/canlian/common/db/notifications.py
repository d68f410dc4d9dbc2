"""A PostgreSQL channel listened to (LISTEN) on a connection of the database's own pool, kept
open and opened again when it drops.

`listening` is True only while every notification sent since the last `refresh` reaches
`on_payload`: a caller that trusts what the notifications told it checks it first, and
reads the database itself when it is False (before the first connection, after one drops).
The refresh runs right after LISTEN, so nothing committed between the two is missed, and
again every `refresh_seconds`, which also notices a connection that died silently."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from canlian.common.db.database import Database

logger = logging.getLogger(__name__)

Refresh = Callable[[AsyncConnection], Awaitable[None]]


class ChannelListener:
    def __init__(
        self,
        database: Database,
        channel: str,
        on_payload: Callable[[str], None],
        refresh: Refresh,
        *,
        refresh_seconds: float = 1.0,
    ) -> None:
        if not channel.isidentifier() or not channel.isascii():
            raise ValueError(f"channel {channel!r}: an identifier, as LISTEN takes it")
        self.channel = channel
        self.application_name = f"canlian listening on {channel}"
        self.listening = False
        self._database = database
        self._on_payload = on_payload
        self._refresh = refresh
        self._refresh_seconds = refresh_seconds
        self._was_listening = False

    async def run(self) -> None:
        """Until cancelled."""
        delay = 0.5
        while True:
            self._was_listening = False
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("listening on %s failed (%s); again soon", self.channel, error)
            finally:
                self.listening = False
            delay = 0.5 if self._was_listening else min(delay * 2, 10.0)
            await asyncio.sleep(delay)

    async def _listen(self) -> None:
        async with self._database.engine.connect() as connection:
            # Notifications reach a session only between transactions: never hold one open.
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            driver: Any = (await connection.get_raw_connection()).driver_connection
            lost = asyncio.Event()

            def terminated(_connection: object) -> None:
                self.listening = False
                lost.set()

            driver.add_termination_listener(terminated)
            # Named, so that operators see the listener in pg_stat_activity.
            await driver.execute(f"SET application_name = '{self.application_name}'")
            await driver.add_listener(self.channel, self._received)
            try:
                while not lost.is_set():
                    await asyncio.wait_for(self._refresh(connection), self._refresh_seconds * 5)
                    self.listening = self._was_listening = True
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(lost.wait(), self._refresh_seconds)
            finally:
                self.listening = False
                with contextlib.suppress(Exception):
                    await driver.remove_listener(self.channel, self._received)
                    await driver.execute("RESET application_name")

    def _received(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        self._on_payload(payload)
