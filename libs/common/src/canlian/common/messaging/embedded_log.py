"""The embedded event log: durable, ordered, with offsets per consumer group, in one SQLite
file that every local service process shares. Same semantics as a one-partition topic."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import aiosqlite

from canlian.common.db.database import private_database_file
from canlian.common.messaging.transport import IncomingMessage, OutgoingMessage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS log (
    offset INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_log_topic_offset ON log (topic, offset);
CREATE TABLE IF NOT EXISTS consumer_offsets (
    group_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    committed INTEGER NOT NULL,
    PRIMARY KEY (group_id, topic)
);
"""


async def _open(path: Path) -> aiosqlite.Connection:
    private_database_file(path)
    connection = await aiosqlite.connect(path, isolation_level=None)
    await connection.execute("PRAGMA busy_timeout = 10000")
    await connection.execute("PRAGMA journal_mode = WAL")
    await connection.execute("PRAGMA synchronous = NORMAL")
    await connection.executescript(_SCHEMA)
    return connection


class EmbeddedLogPublisher:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._connection: aiosqlite.Connection | None = None

    async def start(self) -> None:
        self._connection = await _open(self._path)

    async def stop(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        assert self._connection is not None, "publisher not started"
        await self._connection.execute("BEGIN IMMEDIATE")
        try:
            await self._connection.executemany(
                "INSERT INTO log (topic, key, value) VALUES (?, ?, ?)",
                [(message.topic, message.key, message.value) for message in messages],
            )
        except BaseException:
            await self._connection.execute("ROLLBACK")
            raise
        await self._connection.execute("COMMIT")

    async def ping(self) -> None:
        assert self._connection is not None, "publisher not started"
        await self._connection.execute("SELECT 1")


class EmbeddedLogSubscriber:
    def __init__(self, path: Path, group_id: str, topics: Sequence[str]) -> None:
        self._path = path
        self._group_id = group_id
        self._topics = list(topics)
        self._connection: aiosqlite.Connection | None = None
        # Position of the next read per topic; starts at the committed offset.
        self._positions: dict[str, int] = {}

    async def start(self) -> None:
        self._connection = await _open(self._path)
        await self.resume_from_committed()

    async def resume_from_committed(self) -> None:
        assert self._connection is not None, "subscriber not started"
        for topic in self._topics:
            cursor = await self._connection.execute(
                "SELECT committed FROM consumer_offsets WHERE group_id = ? AND topic = ?",
                (self._group_id, topic),
            )
            row = await cursor.fetchone()
            self._positions[topic] = int(row[0]) if row else 0

    async def stop(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def poll(self, max_records: int, timeout_seconds: float) -> list[IncomingMessage]:
        assert self._connection is not None, "subscriber not started"
        deadline = asyncio.get_running_loop().time() + timeout_seconds
        while True:
            found: list[IncomingMessage] = []
            for topic in self._topics:
                cursor = await self._connection.execute(
                    "SELECT offset, key, value FROM log WHERE topic = ? AND offset >= ? "
                    "ORDER BY offset LIMIT ?",
                    (topic, self._positions[topic], max_records - len(found)),
                )
                rows = list(await cursor.fetchall())
                found.extend(
                    IncomingMessage(
                        topic=topic, partition=0, offset=row[0], key=row[1], value=row[2]
                    )
                    for row in rows
                )
                if rows:
                    self._positions[topic] = rows[-1][0] + 1
                if len(found) >= max_records:
                    break
            if found or asyncio.get_running_loop().time() >= deadline:
                return found
            await asyncio.sleep(0.02)

    async def commit(self, messages: Sequence[IncomingMessage]) -> None:
        assert self._connection is not None, "subscriber not started"
        latest: dict[str, int] = {}
        for message in messages:
            latest[message.topic] = max(latest.get(message.topic, 0), message.offset + 1)
        if not latest:
            return
        await self._connection.executemany(
            "INSERT INTO consumer_offsets (group_id, topic, committed) VALUES (?, ?, ?) "
            "ON CONFLICT (group_id, topic) DO UPDATE SET committed = "
            "max(consumer_offsets.committed, excluded.committed)",
            [(self._group_id, topic, offset) for topic, offset in latest.items()],
        )

    async def rewind(self) -> None:
        """Forget this group's position: the next poll starts from the first event."""
        assert self._connection is not None, "subscriber not started"
        await self._connection.execute(
            "DELETE FROM consumer_offsets WHERE group_id = ?", (self._group_id,)
        )
        self._positions = dict.fromkeys(self._topics, 0)

    async def lag(self) -> int:
        assert self._connection is not None, "subscriber not started"
        total = 0
        for topic in self._topics:
            cursor = await self._connection.execute(
                "SELECT count(*) FROM log WHERE topic = ? AND offset >= ?",
                (topic, self._positions[topic]),
            )
            row = await cursor.fetchone()
            total += int(row[0]) if row else 0
        return total


class EmbeddedLogReader:
    def __init__(self, path: Path, topics: Sequence[str]) -> None:
        self._path = path
        self._topics = list(topics)
        self.total = 0

    async def batches(self, max_records: int) -> AsyncIterator[list[IncomingMessage]]:
        connection = await _open(self._path)
        try:
            marks = ", ".join("?" for _ in self._topics)
            cursor = await connection.execute(
                f"SELECT coalesce(max(offset), 0), count(*) FROM log WHERE topic IN ({marks})",  # noqa: S608 - placeholders only
                self._topics,
            )
            row = await cursor.fetchone()
            assert row is not None
            last, self.total = int(row[0]), int(row[1])
            position = 0
            while position <= last and self.total:
                cursor = await connection.execute(
                    f"SELECT offset, topic, key, value FROM log WHERE topic IN ({marks}) "  # noqa: S608 - placeholders only
                    "AND offset >= ? AND offset <= ? ORDER BY offset LIMIT ?",
                    (*self._topics, position, last, max_records),
                )
                rows = list(await cursor.fetchall())
                if not rows:
                    return
                position = rows[-1][0] + 1
                yield [
                    IncomingMessage(
                        topic=row[1], partition=0, offset=row[0], key=row[2], value=row[3]
                    )
                    for row in rows
                ]
        finally:
            await connection.close()
