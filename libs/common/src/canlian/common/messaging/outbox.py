"""Transactional outbox (Debezium's shape) and its relay.

A service adds events to the outbox in the same transaction as its change; the relay
publishes committed rows in order and marks them sent. If a process dies between publishing
and marking, the rows are published again: consumers deduplicate by event id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.database import Database
from canlian.common.db.metadata import PlatformTables, utcnow
from canlian.common.events.base import CloudEvent, DomainEvent
from canlian.common.messaging.transport import OutgoingMessage, Publisher
from canlian.common.observability import OUTBOX_LAG_SECONDS, OUTBOX_PENDING, OUTBOX_PUBLISHED
from canlian.common.tracing import current_traceparent

logger = logging.getLogger("canlian.outbox")

_PENDING_FLAG = "canlian_outbox_pending"

STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
STRUCTURED_HEADERS: tuple[tuple[str, bytes], ...] = (
    ("content-type", STRUCTURED_CONTENT_TYPE.encode()),
)
"""The CloudEvents Kafka protocol binding, structured mode: the value is the whole envelope
(as it always was, so every existing reader goes on working) and this header says so, which
is what the CloudEvents SDKs' Kafka deserializers look for."""


class Outbox:
    """Writes events into the current unit of work."""

    def __init__(self, tables: PlatformTables, source: str, *, schema_base_url: str = "") -> None:
        self._table = tables.outbox
        self.source = source
        self.schema_base_url = schema_base_url

    async def add(
        self, session: AsyncSession, event: DomainEvent, *, partition_key: str | None = None
    ) -> CloudEvent:
        (envelope,) = await self.add_many(session, [event], partition_key=partition_key)
        return envelope

    async def add_many(
        self,
        session: AsyncSession,
        events: Sequence[DomainEvent],
        *,
        partition_key: str | None = None,
    ) -> list[CloudEvent]:
        """Several events in one statement (bulk imports), in the given order."""
        traceparent = current_traceparent()
        envelopes = [
            CloudEvent.wrap(
                event,
                source=self.source,
                partition_key=partition_key,
                traceparent=traceparent,
                schema_base_url=self.schema_base_url,
            )
            for event in events
        ]
        if not envelopes:
            return []
        await session.execute(
            self._table.insert(),
            [
                {
                    "event_id": envelope.id,
                    "topic": event.topic,
                    "partition_key": envelope.partitionkey or envelope.subject,
                    "event_type": envelope.type,
                    "envelope": envelope.to_json(),
                    "created_at": envelope.time,
                }
                for event, envelope in zip(events, envelopes, strict=True)
            ],
        )
        session.info[_PENDING_FLAG] = True
        return envelopes


def had_outbox_writes(session: AsyncSession) -> bool:
    return bool(session.info.pop(_PENDING_FLAG, False))


class OutboxRelay:
    def __init__(
        self,
        database: Database,
        tables: PlatformTables,
        publisher: Publisher,
        *,
        service: str,
        batch_size: int = 500,
        poll_seconds: float = 0.5,
        retention: timedelta = timedelta(days=1),
    ) -> None:
        self._database = database
        self._table = tables.outbox
        self._publisher = publisher
        self._service = service
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._retention = retention
        self._wake = asyncio.Event()
        # One relay per service publishes at a time, so order per key holds with replicas.
        self._lock_key = zlib.crc32(f"canlian-outbox-{service}".encode())
        database.on_commit(self._on_commit)

    def _on_commit(self, session: AsyncSession) -> None:
        if had_outbox_writes(session):
            self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    async def publish_pending(self) -> int:
        """Publish one batch of committed, unpublished events; returns how many."""
        async with self._database.session() as session:
            if self._database.dialect == "postgresql":
                locked = await session.scalar(
                    text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": self._lock_key}
                )
                if not locked:
                    return 0
            rows = (
                await session.execute(
                    select(
                        self._table.c.seq,
                        self._table.c.topic,
                        self._table.c.partition_key,
                        self._table.c.envelope,
                    )
                    .where(self._table.c.published_at.is_(None))
                    .order_by(self._table.c.seq)
                    .limit(self._batch_size)
                )
            ).all()
            if not rows:
                return 0
            await self._publisher.publish(
                [
                    OutgoingMessage(
                        topic=row.topic,
                        key=row.partition_key,
                        value=row.envelope.encode(),
                        headers=STRUCTURED_HEADERS,
                    )
                    for row in rows
                ]
            )
            await session.execute(
                update(self._table)
                .where(self._table.c.seq.in_([row.seq for row in rows]))
                .values(published_at=utcnow())
            )
        OUTBOX_PUBLISHED.labels(self._service).inc(len(rows))
        return len(rows)

    async def measure_lag(self) -> float:
        async with self._database.read_session() as session:
            row = (
                await session.execute(
                    select(func.min(self._table.c.created_at), func.count()).where(
                        self._table.c.published_at.is_(None)
                    )
                )
            ).one()
        oldest, pending = row
        lag = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
        OUTBOX_LAG_SECONDS.labels(self._service).set(lag)
        OUTBOX_PENDING.labels(self._service).set(pending)
        return lag

    async def purge_published(self) -> None:
        async with self._database.session() as session:
            await session.execute(
                delete(self._table).where(self._table.c.published_at < utcnow() - self._retention)
            )

    async def run(self) -> None:
        """Publish until cancelled; back off while the broker or database is down."""
        backoff = self._poll_seconds
        cycles = 0
        while True:
            try:
                while await self.publish_pending() == self._batch_size:
                    pass
                if cycles % 20 == 0:
                    await self.measure_lag()
                if cycles % 2000 == 0:
                    await self.purge_published()
                cycles += 1
                backoff = self._poll_seconds
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("outbox relay: %s: %s; retrying", type(error).__name__, error)
                backoff = min(backoff * 2, 10.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)
            self._wake.clear()
