"""A consumer behind by a backlog takes larger batches, and small ones again once it has
caught up."""

import asyncio
import contextlib
import uuid
from collections.abc import Sequence

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events.base import CloudEvent
from canlian.common.messaging.consumer import ConsumerRunner
from canlian.testing.probe.app import tally_events
from canlian.testing.probe.events import ProbeRecorded

from .conftest import Backbone

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def test_a_backlog_is_read_in_larger_batches(backbone: Backbone) -> None:
    runtime = backbone.runtime
    labels = {f"backlog-{uuid.uuid4()}" for _ in range(60)}
    async with runtime.database.session() as session:
        for number, label in enumerate(sorted(labels)):
            await runtime.outbox.add(
                session, ProbeRecorded(probe_id=number, region="620102003004", label=label)
            )
    assert await runtime.relay.publish_pending() == 60
    sizes: list[int] = []
    seen: set[str] = set()
    drained = asyncio.Event()

    async def recording(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        sizes.append(len(events))
        seen.update(str(event.data.get("label")) for event in events)
        await tally_events(session, events)
        if labels <= seen:
            drained.set()

    group = f"backlog-{uuid.uuid4()}"
    subscriber = backbone.subscriber(group)
    await subscriber.start()
    runner = ConsumerRunner(
        group,
        runtime.database,
        runtime.tables,
        subscriber,
        recording,
        max_records=5,
        backlog_records=20,
        poll_seconds=0.2,
    )
    running = asyncio.create_task(runner.run())
    try:
        await asyncio.wait_for(drained.wait(), 60)
        for _ in range(100):  # the next cycles measure the lag again
            if runner.batch_records == 5:
                break
            await asyncio.sleep(0.1)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await subscriber.stop()
    assert sizes[0] <= 5
    assert max(sizes) > 5  # a backlog of 60 (and more of other tests) is larger than 20
    assert max(sizes) <= 20
    assert runner.batch_records == 5  # caught up
