"""Transactional outbox (Debezium's shape) and its relay.

A service adds events to the outbox in the same transaction as its change; the relay
publishes committed rows in order and marks them sent. If a process dies between publishing
and marking, the rows are published again: consumers deduplicate by event id.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import overload

from pydantic import TypeAdapter
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.business_day import china_today
from canlian.common.db.database import Database
from canlian.common.db.dialect import insert_in_bulk
from canlian.common.db.metadata import PlatformTables, utcnow
from canlian.common.events.base import CloudEvent, DomainEvent
from canlian.common.events.versions import earlier_envelopes
from canlian.common.messaging.transport import OutgoingMessage, Publisher
from canlian.common.observability import OUTBOX_LAG_SECONDS, OUTBOX_PENDING, OUTBOX_PUBLISHED
from canlian.common.tracing import current_traceparent

logger = logging.getLogger("canlian.outbox")

_PENDING_FLAG = "canlian_outbox_pending"
_COLUMNS = ("event_id", "topic", "partition_key", "event_type", "envelope", "created_at")
_BULK_ROWS = 100  # from this many events on, one COPY instead of a multi-row INSERT

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
    ) -> Sequence[CloudEvent]:
        """Several events in one set-based write, in the given order: a multi-row INSERT, or
        from `_BULK_ROWS` on (an import's events) a COPY on PostgreSQL. The envelopes come
        back read from what was stored, when asked for."""
        return await self.add_prepared(session, self.prepare(events, partition_key=partition_key))

    def prepare(
        self, events: Sequence[DomainEvent], *, partition_key: str | None = None
    ) -> PreparedEvents:
        """The outbox rows of these events, computed without a session (a bulk import builds
        them in a worker thread while its previous rows are being written)."""
        return PreparedEvents(self._rows(events, partition_key))

    async def add_prepared(
        self, session: AsyncSession, prepared: PreparedEvents
    ) -> Sequence[CloudEvent]:
        rows = prepared.rows
        if not rows:
            return []
        if len(rows) >= _BULK_ROWS:
            await insert_in_bulk(session, self._table, _COLUMNS, rows)
        else:
            await session.execute(
                self._table.insert(), [dict(zip(_COLUMNS, row, strict=True)) for row in rows]
            )
        session.info[_PENDING_FLAG] = True
        return _StoredEnvelopes([row[4] for row in rows])

    def _rows(
        self, events: Sequence[DomainEvent], partition_key: str | None
    ) -> list[tuple[str, str, str, str, str, datetime]]:
        """Outbox rows, each envelope written straight to the JSON `CloudEvent.to_json` gives
        (a third of the time of building the envelope object first, per event of an import):
        one time for the events of one write, attribute texts encoded once per event type."""
        traceparent = current_traceparent()
        now = datetime.now(UTC)
        source = f'","source":{_json_text(self.source)},"type":'
        moment = f',"time":{_TIME.dump_json(now).decode()},"datacontenttype":"application/json"'
        tail = f',"traceparent":{_json_text(traceparent)}}}' if traceparent else "}"
        kinds: dict[type[DomainEvent], tuple[str, str]] = {}
        rows = []
        for event, event_id in zip(events, _event_ids(len(events)), strict=True):
            kind = type(event)
            texts = kinds.get(kind)
            if texts is None:
                texts = kinds[kind] = (
                    _json_text(event.event_type),
                    f',"dataschema":{_json_text(event.dataschema(self.schema_base_url))},"data":',
                )
            subject = event.subject
            key = partition_key or subject
            envelope = "".join(
                (
                    '{"specversion":"1.0","id":"',
                    event_id,
                    source,
                    texts[0],
                    ',"subject":',
                    _json_text(subject),
                    moment,
                    texts[1],
                    event.model_dump_json(),
                    ',"partitionkey":',
                    _json_text(key),
                    tail,
                )
            )
            rows.append((event_id, event.topic, key, event.event_type, envelope, now))
        return rows


@dataclass(frozen=True)
class PreparedEvents:
    """Outbox rows ready to be written (`Outbox.prepare`, `Outbox.add_prepared`)."""

    rows: list[tuple[str, str, str, str, str, datetime]]

    def __len__(self) -> int:
        return len(self.rows)


class _StoredEnvelopes(Sequence[CloudEvent]):
    """The envelopes of one write, parsed from their JSON only when someone reads them (an
    import of a million rows never does)."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> CloudEvent: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[CloudEvent]: ...

    def __getitem__(self, index: int | slice) -> CloudEvent | Sequence[CloudEvent]:
        if isinstance(index, slice):
            return [CloudEvent.model_validate_json(text) for text in self._texts[index]]
        return CloudEvent.model_validate_json(self._texts[index])


_TIME: TypeAdapter[datetime] = TypeAdapter(datetime)


def _json_text(value: str) -> str:
    # Ids and keys are letters and digits: nothing to escape, and json.dumps per value is
    # a tenth of an import's time.
    if value.isascii() and value.isalnum():
        return f'"{value}"'
    return json.dumps(value, ensure_ascii=False)


def _event_ids(count: int) -> list[str]:
    """Random (version 4) UUIDs, from one read of the system's random source."""
    raw = os.urandom(16 * count)
    return [str(uuid.UUID(bytes=raw[i : i + 16], version=4)) for i in range(0, 16 * count, 16)]


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
        earlier_versions_until: date | None = None,
    ) -> None:
        self._database = database
        self._earlier_versions_until = earlier_versions_until
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
                        self._table.c.event_type,
                        self._table.c.envelope,
                    )
                    .where(self._table.c.published_at.is_(None))
                    .order_by(self._table.c.seq)
                    .limit(self._batch_size)
                )
            ).all()
            if not rows:
                return 0
            earlier = self._publishing_earlier_versions()
            await self._publisher.publish(
                [
                    OutgoingMessage(
                        topic=row.topic,
                        key=row.partition_key,
                        value=value.encode(),
                        headers=STRUCTURED_HEADERS,
                    )
                    for row in rows
                    for value in (
                        row.envelope,
                        *(earlier_envelopes(row.event_type, row.envelope) if earlier else ()),
                    )
                ]
            )
            await session.execute(
                update(self._table)
                .where(self._table.c.seq.in_([row.seq for row in rows]))
                .values(published_at=utcnow())
            )
        OUTBOX_PUBLISHED.labels(self._service).inc(len(rows))
        return len(rows)

    def _publishing_earlier_versions(self) -> bool:
        until = self._earlier_versions_until
        return until is not None and china_today() <= until

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
