"""Consumer runner: apply a batch of events in one database transaction, then commit offsets.

The inbox (consumer, event id) is written in the same transaction as the effect, so a
redelivered event is recognised and skipped. An event that fails on its own (a bug, a
malformed payload) is quarantined in the inbox with its error instead of blocking the stream;
database outages are retried, never quarantined.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.database import Database
from canlian.common.db.dialect import insert_missing
from canlian.common.db.metadata import PlatformTables, utcnow
from canlian.common.db.outages import is_database_unavailable
from canlian.common.events.base import CloudEvent
from canlian.common.messaging.transport import IncomingMessage, Subscriber
from canlian.common.observability import CONSUMER_EVENTS, CONSUMER_LAG

logger = logging.getLogger("canlian.consumer")

# As the workers run: a backlog read in batches of up to this many.
BACKLOG_RECORDS = 20000
# Batches applied at once (each in its own transaction; PostgreSQL only) by a consumer whose
# handler does not depend on the order of batches: it locks each entity's stored state and
# skips versions older than it, as the rollups do. Any other consumer applies one batch at a
# time: two in flight would let a later batch commit first, and an entity's older event land
# after its newer one.
PIPELINE_DEPTH = 2

EventBatchHandler = Callable[[AsyncSession, Sequence[CloudEvent]], Awaitable[None]]


class ConsumerRunner:
    def __init__(
        self,
        name: str,
        database: Database,
        tables: PlatformTables,
        subscriber: Subscriber,
        handler: EventBatchHandler,
        *,
        max_records: int = 2000,
        backlog_records: int = BACKLOG_RECORDS,
        poll_seconds: float = 0.5,
        pipeline_depth: int = 1,
    ) -> None:
        self.name = name
        self._database = database
        self._inbox = tables.inbox
        self._subscriber = subscriber
        self._handler = handler
        self._max_records = max_records
        # While the lag is at least this, batches take this many: a backlog (a province's
        # migration) folds more events into each counter row and each commit.
        self._backlog_records = max(backlog_records, max_records)
        self.batch_records = max_records
        self._poll_seconds = poll_seconds
        # Batches applied at once, each in its own transaction; SQLite has one writer.
        self._pipeline_depth = max(1, pipeline_depth) if database.dialect == "postgresql" else 1
        # Set when a polled batch was neither applied nor committed: the subscriber's position
        # is already past it, so it must go back to the committed offsets before polling on.
        self._resume_from_committed = False

    async def _claim(self, session: AsyncSession, event_ids: Sequence[str]) -> set[str]:
        """Record the events in the inbox; returns those not seen before. Ids go in sorted
        order: after a rebalance two workers may claim the same events (each waits on the
        other's uncommitted inbox row), and one order keeps them from deadlocking."""
        now = utcnow()
        return await insert_missing(
            session,
            self._inbox,
            ["consumer", "event_id"],
            [
                {"consumer": self.name, "event_id": event_id, "received_at": now}
                for event_id in sorted(event_ids)
            ],
            returning="event_id",
        )

    async def _apply(self, events: Sequence[CloudEvent]) -> int:
        async with self._database.session() as session:
            fresh_ids = await self._claim(session, [event.id for event in events])
            fresh = [event for event in events if event.id in fresh_ids]
            if fresh:
                await self._handler(session, fresh)
        for event in fresh:
            # The trace of the request that caused the event, so one can follow it here.
            logger.info(
                "event applied: %s",
                event.type,
                extra={
                    "event_id": event.id,
                    "consumer": self.name,
                    "traceparent": event.traceparent,
                },
            )
        return len(fresh)

    async def _quarantine(
        self, event_id: str, error: BaseException, traceparent: str | None = None
    ) -> None:
        async with self._database.session() as session:
            existing = await session.scalar(
                select(self._inbox.c.event_id).where(
                    self._inbox.c.consumer == self.name, self._inbox.c.event_id == event_id
                )
            )
            if existing is None:
                await session.execute(
                    self._inbox.insert().values(
                        consumer=self.name,
                        event_id=event_id,
                        received_at=utcnow(),
                        status="failed",
                        error=f"{type(error).__name__}: {error}"[:4000],
                    )
                )
        CONSUMER_EVENTS.labels(self.name, "failed").inc()
        logger.error(
            "event quarantined: %s",
            type(error).__name__,
            extra={"event_id": event_id, "consumer": self.name, "traceparent": traceparent},
        )

    def _decode(self, messages: Sequence[IncomingMessage]) -> list[CloudEvent]:
        events: dict[str, CloudEvent] = {}
        for message in messages:
            try:
                event = CloudEvent.model_validate_json(message.value)
            except ValidationError:
                logger.error(
                    "undecodable message skipped at %s[%d]@%d",
                    message.topic,
                    message.partition,
                    message.offset,
                    extra={"consumer": self.name},
                )
                CONSUMER_EVENTS.labels(self.name, "undecodable").inc()
                continue
            events.setdefault(event.id, event)  # duplicates inside one batch
        return list(events.values())

    async def handle(self, messages: Sequence[IncomingMessage]) -> int:
        """Apply one polled batch; retries while the database is unreachable."""
        return await self._handle_decoded(self._decode(messages))

    async def _handle_decoded(self, events: Sequence[CloudEvent]) -> int:
        backoff = 0.2
        while True:
            try:
                applied = await self._apply(events)
                break
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if is_database_unavailable(error):
                    logger.warning("consumer %s: database unavailable, retrying", self.name)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                # One bad event must not hold back the others: find it by applying singly.
                logger.warning(
                    "consumer %s: batch of %d failed (%s); applying one by one",
                    self.name,
                    len(events),
                    type(error).__name__,
                )
                applied = await self._apply_one_by_one(events)
                break
        CONSUMER_EVENTS.labels(self.name, "applied").inc(applied)
        CONSUMER_EVENTS.labels(self.name, "duplicate").inc(len(events) - applied)
        return applied

    async def _apply_one_by_one(self, events: Sequence[CloudEvent]) -> int:
        applied = 0
        for event in events:
            while True:
                try:
                    applied += await self._apply([event])
                    break
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    if is_database_unavailable(error):
                        await asyncio.sleep(1.0)
                        continue
                    await self._quarantine_retrying(event.id, error, event.traceparent)
                    break
        return applied

    async def _quarantine_retrying(
        self, event_id: str, error: BaseException, traceparent: str | None = None
    ) -> None:
        while True:
            try:
                await self._quarantine(event_id, error, traceparent)
                return
            except asyncio.CancelledError:
                raise
            except Exception as outage:
                if not is_database_unavailable(outage):
                    raise
                await asyncio.sleep(1.0)

    async def process_once(self) -> int:
        if self._resume_from_committed:
            await self._subscriber.resume_from_committed()
            self._resume_from_committed = False
        messages = await self._subscriber.poll(self._max_records, self._poll_seconds)
        if not messages:
            return 0
        try:
            applied = await self.handle(messages)
            await self._subscriber.commit(messages)
        except BaseException:
            self._resume_from_committed = True
            raise
        return applied

    async def _next_batch(self) -> tuple[list[IncomingMessage], list[CloudEvent]]:
        messages = await self._subscriber.poll(self.batch_records, self._poll_seconds)
        return messages, self._decode(messages)

    async def run(self) -> None:
        """Apply batches until cancelled. The next batch is polled and decoded while the
        current one is in the database, and on PostgreSQL the next one is applied meanwhile
        too, in its own transaction, when the handler allows it (`pipeline_depth`): the
        database works on one batch while this process prepares the next. Offsets are
        committed in order, each once its batch and every batch before it are applied; after
        a failure the batches in flight are finished, the prefetched one dropped, and reading
        resumes from the committed offsets.
        While the lag is large, batches are larger (`backlog_records`)."""
        cycles = 0
        upcoming: asyncio.Task[tuple[list[IncomingMessage], list[CloudEvent]]] | None = None
        in_flight: deque[tuple[list[IncomingMessage], asyncio.Task[int]]] = deque()
        try:
            while True:
                try:
                    if self._resume_from_committed:
                        await _finished(in_flight)
                        await _dropped(upcoming)
                        upcoming = None
                        await self._subscriber.resume_from_committed()
                        self._resume_from_committed = False
                    current = upcoming or asyncio.ensure_future(self._next_batch())
                    upcoming = None
                    messages, events = await current
                    if messages:
                        upcoming = asyncio.create_task(self._next_batch())
                        applying = asyncio.create_task(self._handle_decoded(events))
                        in_flight.append((messages, applying))
                    # The oldest batch's offsets go once it is applied: when the pipeline is
                    # full, when nothing new came, or when it is done already.
                    while in_flight and (
                        len(in_flight) >= self._pipeline_depth
                        or not messages
                        or in_flight[0][1].done()
                    ):
                        applied_messages, applied = in_flight[0]
                        try:
                            await applied
                            await self._subscriber.commit(applied_messages)
                        except BaseException:
                            self._resume_from_committed = True
                            raise
                        in_flight.popleft()
                    # Every cycle while a backlog lasts, so it goes back to small batches
                    # (and their shorter transactions) as soon as it is drained.
                    if cycles % 10 == 0 or self.batch_records > self._max_records:
                        lag = await self._subscriber.lag()
                        CONSUMER_LAG.labels(self.name).set(lag)
                        self.batch_records = (
                            self._backlog_records
                            if lag >= self._backlog_records
                            else self._max_records
                        )
                    cycles += 1
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    self._resume_from_committed = True
                    logger.warning("consumer %s: %s; retrying", self.name, type(error).__name__)
                    await asyncio.sleep(1.0)
        finally:
            await _dropped(upcoming)
            for _, applying in in_flight:
                applying.cancel()
            await _finished(in_flight)


async def _finished(in_flight: deque[tuple[list[IncomingMessage], asyncio.Task[int]]]) -> None:
    """Wait for the batches in flight, whatever their outcome: their offsets stay uncommitted
    (what they applied is in the inbox, so redelivery skips it)."""
    while in_flight:
        _, applying = in_flight.popleft()
        with contextlib.suppress(BaseException):
            await applying


async def _dropped(task: asyncio.Task[Any] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(BaseException):
            await task
