"""The outbox on both transports: only committed events travel, and a relay that dies
between publishing and marking leads to exactly one applied effect at the consumer."""

import asyncio
import contextlib
import uuid
from collections.abc import Sequence

import pytest
from sqlalchemy import func, select

from canlian.common.events.base import CloudEvent
from canlian.common.messaging.bus import make_log_reader
from canlian.common.messaging.consumer import ConsumerRunner
from canlian.common.messaging.outbox import OutboxRelay
from canlian.common.messaging.transport import IncomingMessage, OutgoingMessage, Publisher
from canlian.testing.probe.app import tally_events
from canlian.testing.probe.events import TOPIC, ProbeRecorded
from canlian.testing.probe.models import Tally

from .conftest import Backbone

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def _record(backbone: Backbone, label: str, *, commit: bool) -> CloudEvent:
    class Abort(Exception):
        pass

    envelope: CloudEvent | None = None
    try:
        async with backbone.runtime.database.session() as session:
            envelope = await backbone.runtime.outbox.add(
                session,
                ProbeRecorded(
                    probe_id=abs(hash(label)) % 10**6, region="620102003004", label=label
                ),
            )
            if not commit:
                raise Abort
    except Abort:
        pass
    assert envelope is not None
    return envelope


async def _collect(
    backbone: Backbone, group: str, until: set[str], *, copies: int = 1, settle: float = 2.0
) -> list[CloudEvent]:
    """Read the topic from the start until each id in `until` was seen `copies` times."""
    subscriber = backbone.subscriber(group)
    await subscriber.start()
    seen: list[CloudEvent] = []
    deadline = asyncio.get_running_loop().time() + 60
    try:
        while asyncio.get_running_loop().time() < deadline:
            for message in await subscriber.poll(500, 0.5):
                seen.append(CloudEvent.model_validate_json(message.value))
            counts = {event_id: sum(e.id == event_id for e in seen) for event_id in until}
            if all(count >= copies for count in counts.values()):
                break
        # Keep listening briefly so that an event that should never come has had its chance.
        end = asyncio.get_running_loop().time() + settle
        while asyncio.get_running_loop().time() < end:
            for message in await subscriber.poll(500, 0.2):
                seen.append(CloudEvent.model_validate_json(message.value))
    finally:
        await subscriber.stop()
    return seen


async def test_only_committed_events_are_delivered(backbone: Backbone) -> None:
    dropped = await _record(backbone, f"dropped-{uuid.uuid4()}", commit=False)
    kept = await _record(backbone, f"kept-{uuid.uuid4()}", commit=True)
    assert await backbone.runtime.relay.publish_pending() == 1

    seen = await _collect(backbone, f"g-{uuid.uuid4()}", {kept.id})
    ids = [event.id for event in seen]
    assert ids.count(kept.id) == 1
    assert dropped.id not in ids
    delivered = next(event for event in seen if event.id == kept.id)
    assert delivered.type == "cn.canlian.test.probe.recorded"
    assert delivered.specversion == "1.0"
    assert isinstance(delivered.payload(), ProbeRecorded)


class RelayDied(BaseException):
    """Stands for the process dying right after the broker acknowledged."""


class DiesAfterPublish:
    def __init__(self, inner: Publisher) -> None:
        self.inner = inner

    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def ping(self) -> None: ...

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        await self.inner.publish(messages)
        raise RelayDied


async def test_relay_dying_between_publish_and_mark_gives_one_effect(backbone: Backbone) -> None:
    runtime = backbone.runtime
    label = f"once-{uuid.uuid4()}"
    event = await _record(backbone, label, commit=True)

    dying = OutboxRelay(
        runtime.database, runtime.tables, DiesAfterPublish(runtime.publisher), service="probe"
    )
    with pytest.raises(RelayDied):
        await dying.publish_pending()
    # Still unpublished in the outbox, so the restarted relay sends it again.
    restarted = OutboxRelay(runtime.database, runtime.tables, runtime.publisher, service="probe")
    assert await restarted.publish_pending() == 1
    assert await restarted.publish_pending() == 0

    group = f"tally-{uuid.uuid4()}"
    subscriber = backbone.subscriber(group)
    deliveries: list[IncomingMessage] = []

    original_poll = subscriber.poll

    async def counting_poll(max_records: int, timeout_seconds: float) -> list[IncomingMessage]:
        batch = await original_poll(max_records, timeout_seconds)
        deliveries.extend(m for m in batch if event.id.encode() in m.value)
        return batch

    subscriber.poll = counting_poll  # type: ignore[method-assign]
    await subscriber.start()
    runner = ConsumerRunner(group, runtime.database, runtime.tables, subscriber, tally_events)
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while len(deliveries) < 2 and asyncio.get_running_loop().time() < deadline:
            await runner.process_once()
    finally:
        await subscriber.stop()

    assert len(deliveries) == 2, "the event should have been delivered twice"
    async with runtime.database.read_session() as session:
        tally = await session.get(Tally, label)
        applied = tally.applied if tally else 0
        inbox_rows = await session.scalar(
            select(func.count())
            .select_from(runtime.tables.inbox)
            .where(runtime.tables.inbox.c.event_id == event.id)
        )
    assert applied == 1
    assert inbox_rows == 1


async def test_redelivery_after_a_consumer_restart_is_harmless(backbone: Backbone) -> None:
    runtime = backbone.runtime
    label = f"restart-{uuid.uuid4()}"
    await _record(backbone, label, commit=True)
    await runtime.relay.publish_pending()
    group = f"restart-{uuid.uuid4()}"

    async def run_until_applied() -> None:
        subscriber = backbone.subscriber(group)
        await subscriber.start()
        runner = ConsumerRunner(group, runtime.database, runtime.tables, subscriber, tally_events)
        try:
            deadline = asyncio.get_running_loop().time() + 60
            while asyncio.get_running_loop().time() < deadline:
                messages = await subscriber.poll(500, 0.5)
                if messages:
                    # Apply but do not commit offsets: as if killed before the offset commit.
                    await runner.handle(messages)
                    return
        finally:
            await subscriber.stop()

    await run_until_applied()
    await run_until_applied()
    async with runtime.database.read_session() as session:
        tally = await session.get(Tally, label)
        applied = tally.applied if tally else 0
    assert applied == 1


@pytest.mark.parametrize("count", [3, 150])  # a multi-row INSERT; a COPY (bulk imports)
async def test_events_added_together_keep_their_order_per_key(
    backbone: Backbone, count: int
) -> None:
    runtime = backbone.runtime
    labels = [f"bulk-{n}-{uuid.uuid4()}" for n in range(count)]
    async with runtime.database.session() as session:
        envelopes = await runtime.outbox.add_many(
            session,
            [ProbeRecorded(probe_id=7, region="620102003004", label=label) for label in labels],
            partition_key="probe-7",
        )
    assert await runtime.relay.publish_pending() == count
    seen = await _collect(backbone, f"bulk-{uuid.uuid4()}", {e.id for e in envelopes}, settle=0.5)
    assert [e.payload() for e in envelopes] == [
        ProbeRecorded(probe_id=7, region="620102003004", label=label) for label in labels
    ]
    delivered = [event.id for event in seen if event.id in {e.id for e in envelopes}]
    assert delivered == [e.id for e in envelopes]


async def test_uncommitted_batch_is_polled_again_after_resuming(backbone: Backbone) -> None:
    await _record(backbone, f"resume-{uuid.uuid4()}", commit=True)
    await backbone.runtime.relay.publish_pending()
    subscriber = backbone.subscriber(f"resume-{uuid.uuid4()}")
    await subscriber.start()
    try:
        first: list[IncomingMessage] = []
        deadline = asyncio.get_running_loop().time() + 60
        while not first and asyncio.get_running_loop().time() < deadline:
            first = await subscriber.poll(500, 0.5)
        wanted = {(m.topic, m.partition, m.offset) for m in first}
        assert wanted
        await subscriber.resume_from_committed()
        seen: set[tuple[str, int, int]] = set()
        while not wanted <= seen and asyncio.get_running_loop().time() < deadline:
            seen |= {(m.topic, m.partition, m.offset) for m in await subscriber.poll(500, 0.5)}
        assert wanted <= seen
    finally:
        await subscriber.stop()


@pytest.mark.parametrize("driver", ["process_once", "run"])
async def test_a_batch_whose_offset_commit_fails_is_polled_again(
    backbone: Backbone, driver: str
) -> None:
    """A broker blip at the offset commit: the runner goes back to the committed offsets, so
    the batch comes again (and is recognised) instead of being skipped for good; `run`, which
    prefetches the next batch meanwhile, drops that prefetch."""
    runtime = backbone.runtime
    label = f"blip-{uuid.uuid4()}"
    event = await _record(backbone, label, commit=True)
    await runtime.relay.publish_pending()
    group = f"blip-{uuid.uuid4()}"
    subscriber = backbone.subscriber(group)
    deliveries = 0
    failed = False
    redelivered = asyncio.Event()
    original_poll, original_commit = subscriber.poll, subscriber.commit

    async def counting_poll(max_records: int, timeout_seconds: float) -> list[IncomingMessage]:
        nonlocal deliveries
        batch = await original_poll(max_records, timeout_seconds)
        deliveries += sum(event.id.encode() in m.value for m in batch)
        if deliveries >= 2:
            redelivered.set()
        return batch

    async def commit_failing_once(messages: Sequence[IncomingMessage]) -> None:
        nonlocal failed
        if deliveries == 1 and not failed:
            failed = True
            raise ConnectionError("broker went away")
        await original_commit(messages)

    subscriber.poll = counting_poll  # type: ignore[method-assign]
    subscriber.commit = commit_failing_once  # type: ignore[method-assign]
    await subscriber.start()
    runner = ConsumerRunner(group, runtime.database, runtime.tables, subscriber, tally_events)
    deadline = asyncio.get_running_loop().time() + 60
    try:
        if driver == "run":
            running = asyncio.create_task(runner.run())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(redelivered.wait(), timeout=60)
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
        else:
            with pytest.raises(ConnectionError):  # noqa: PT012 - polls until the batch fails
                while asyncio.get_running_loop().time() < deadline:
                    await runner.process_once()
            while deliveries < 2 and asyncio.get_running_loop().time() < deadline:
                await runner.process_once()
    finally:
        await subscriber.stop()
    assert failed
    assert deliveries == 2
    async with runtime.database.read_session() as session:
        tally = await session.get(Tally, label)
        assert tally is not None
        assert tally.applied == 1


async def test_log_reader_replays_everything_present_once_and_stops(backbone: Backbone) -> None:
    envelopes = [
        await _record(backbone, f"replay-{n}-{uuid.uuid4()}", commit=True) for n in range(3)
    ]
    assert await backbone.runtime.relay.publish_pending() == 3
    reader = make_log_reader(backbone.settings, [TOPIC, "canlian.no-such-topic"])
    seen: list[IncomingMessage] = []
    async for batch in reader.batches(2):
        assert 0 < len(batch) <= 2
        seen.extend(batch)
    assert len(seen) == reader.total
    ids = [CloudEvent.model_validate_json(m.value).id for m in seen]
    for envelope in envelopes:
        assert ids.count(envelope.id) == 1
    assert len({(m.topic, m.partition, m.offset) for m in seen}) == len(seen)
