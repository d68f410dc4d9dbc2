"""Asked to (a handler that does not depend on the order of batches), on PostgreSQL the
runner applies the next batch while the current one is in the database, each in its own
transaction; offsets are still committed in order, each only after its batch and every batch
before it are applied. SQLite, with one writer, applies one at a time, and so does every
runner not asked: a later batch committed first would land an entity's older event after its
newer one."""

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events.base import CloudEvent
from canlian.common.messaging.consumer import PIPELINE_DEPTH, ConsumerRunner, EventBatchHandler
from canlian.common.messaging.kafka import topic_partitions
from canlian.common.messaging.transport import IncomingMessage, Subscriber
from canlian.testing.probe.app import tally_events
from canlian.testing.probe.events import TOPIC, ProbeRecorded
from canlian.testing.probe.models import Tally

from .conftest import Backbone

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def _subscriber_past_earlier_events(backbone: Backbone) -> Subscriber:
    """A new group's subscriber that starts after what is on the topic now: other tests publish
    on the probe's topic too, replays among them, and an event seen twice would be handed to
    no handler the second time."""
    group = f"pipelined-{uuid.uuid4()}"
    bootstrap = backbone.settings.kafka_bootstrap_servers
    if bootstrap is not None:
        partitions = await topic_partitions(bootstrap, [TOPIC])
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
        )
        await consumer.start()
        try:
            if partitions:
                consumer.assign(partitions)
                await consumer.commit(await consumer.end_offsets(partitions))
        finally:
            await consumer.stop()
    return backbone.subscriber(group)


async def _published(backbone: Backbone, count: int) -> set[str]:
    runtime = backbone.runtime
    labels = {f"pipelined-{uuid.uuid4()}" for _ in range(count)}
    async with runtime.database.session() as session:
        for number, label in enumerate(sorted(labels)):
            await runtime.outbox.add(
                session, ProbeRecorded(probe_id=number, region="620102003004", label=label)
            )
    assert await runtime.relay.publish_pending() == count
    return labels


async def _run_until(
    backbone: Backbone,
    subscriber: Subscriber,
    handler: EventBatchHandler,
    done: asyncio.Event,
    **options: Any,
) -> None:
    """A runner of small batches on the started subscriber until `done`; then both stop."""
    await subscriber.start()
    options = {"max_records": 5, "backlog_records": 5, "poll_seconds": 0.2, **options}
    runner = ConsumerRunner(
        f"pipelined-{uuid.uuid4()}", backbone.runtime.database, backbone.runtime.tables,
        subscriber, handler, **options,
    )  # fmt: skip
    running = asyncio.create_task(runner.run())
    try:
        await asyncio.wait_for(done.wait(), 60)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await subscriber.stop()


async def test_batches_overlap_on_postgresql_and_offsets_go_in_order(backbone: Backbone) -> None:
    subscriber = await _subscriber_past_earlier_events(backbone)
    labels = await _published(backbone, 40)
    applying = 0
    most_at_once = 0
    polled: list[frozenset[str]] = []  # each batch's event ids, in the order polled
    finished: list[frozenset[str]] = []  # as each batch's handler ends
    committed: list[frozenset[str]] = []
    early: list[frozenset[str]] = []  # committed before their batch was applied
    seen: set[str] = set()
    drained = asyncio.Event()
    later_ended = asyncio.Event()
    overlap_seconds = 10 if backbone.name == "kafka" else 0.6

    def ids_of(messages: Sequence[IncomingMessage]) -> frozenset[str]:
        return frozenset(CloudEvent.model_validate_json(m.value).id for m in messages)

    async def slow_first(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        nonlocal applying, most_at_once
        first = not finished and applying == 0
        applying += 1
        most_at_once = max(most_at_once, applying)
        try:
            await tally_events(session, events)
            if first:
                # In its transaction until a later batch's handler has ended, or long enough
                # to tell that none is applied meanwhile.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(later_ended.wait(), overlap_seconds)
            else:
                await asyncio.sleep(0.05)
        finally:
            applying -= 1
        finished.append(frozenset(event.id for event in events))
        seen.update(str(event.data.get("label")) for event in events)
        if not first:
            later_ended.set()

    poll, commit = subscriber.poll, subscriber.commit

    async def recorded_poll(max_records: int, timeout_seconds: float) -> list[IncomingMessage]:
        messages = await poll(max_records, timeout_seconds)
        if messages:
            polled.append(ids_of(messages))
        return messages

    async def recorded_commit(messages: Sequence[IncomingMessage]) -> None:
        ids = ids_of(messages)
        if ids not in finished:
            early.append(ids)
        committed.append(ids)
        await commit(messages)
        if labels <= seen and len(committed) == len(polled):
            drained.set()

    subscriber.poll = recorded_poll  # type: ignore[method-assign]
    subscriber.commit = recorded_commit  # type: ignore[method-assign]
    # Polls wait for records rather than come back empty (an empty poll finishes what is in
    # flight before the next): the topic holds them all already.
    await _run_until(
        backbone, subscriber, slow_first, drained, pipeline_depth=PIPELINE_DEPTH, poll_seconds=5
    )
    assert committed == polled  # in the order polled, each once
    assert early == []
    if backbone.name == "kafka":
        assert most_at_once == 2
        assert finished[0] == polled[1]  # the second batch was applied first ...
        assert committed[0] == polled[0]  # ... and committed after the first
    else:
        assert most_at_once == 1  # SQLite: one writer
        assert finished == polled
    async with backbone.runtime.database.session() as session:
        counted = await session.scalar(
            select(func.sum(Tally.applied)).where(Tally.label.in_(labels))
        )
    assert counted == len(labels)  # each applied once


async def test_one_batch_at_a_time_unless_asked(backbone: Backbone) -> None:
    subscriber = await _subscriber_past_earlier_events(backbone)
    labels = await _published(backbone, 20)
    applying = 0
    most_at_once = 0
    seen: set[str] = set()
    drained = asyncio.Event()

    async def slow(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        nonlocal applying, most_at_once
        applying += 1
        most_at_once = max(most_at_once, applying)
        try:
            await tally_events(session, events)
            await asyncio.sleep(0.05)
        finally:
            applying -= 1
        seen.update(str(event.data.get("label")) for event in events)
        if labels <= seen:
            drained.set()

    await _run_until(backbone, subscriber, slow, drained)
    assert most_at_once == 1


async def test_a_failed_commit_with_a_batch_in_flight_loses_and_repeats_nothing(
    backbone: Backbone,
) -> None:
    subscriber = await _subscriber_past_earlier_events(backbone)
    labels = await _published(backbone, 30)
    seen: set[str] = set()
    drained = asyncio.Event()
    commits = 0

    async def counting(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        await tally_events(session, events)
        await asyncio.sleep(0.05)
        seen.update(str(event.data.get("label")) for event in events)

    commit = subscriber.commit

    async def failing_once(messages: Sequence[IncomingMessage]) -> None:
        nonlocal commits
        commits += 1
        if commits == 1:  # the next batch is in flight meanwhile
            raise RuntimeError("broker went away")
        await commit(messages)
        if labels <= seen:
            drained.set()

    subscriber.commit = failing_once  # type: ignore[method-assign]
    await _run_until(backbone, subscriber, counting, drained, pipeline_depth=PIPELINE_DEPTH)
    assert commits > 1
    async with backbone.runtime.database.session() as session:
        counted = await session.scalar(
            select(func.sum(Tally.applied)).where(Tally.label.in_(labels))
        )
    assert counted == len(labels)  # the redelivered batches were skipped by the inbox
