"""An event type at v2 with v1 still published: the relay sends both records with one id,
on both transports, until the migration period's last day and not after; a consumer reading
both applies the event once."""

import asyncio
import uuid
from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.business_day import china_today
from canlian.common.events.base import CloudEvent
from canlian.common.events.cards import CardIssued
from canlian.common.messaging.bus import make_subscriber
from canlian.common.messaging.consumer import ConsumerRunner
from canlian.common.messaging.kafka import ensure_topics
from canlian.common.messaging.outbox import OutboxRelay
from canlian.testing.events import sample_event

from .conftest import Backbone

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def _issue(backbone: Backbone) -> CloudEvent:
    event = sample_event(CardIssued).model_copy(update={"card_id": str(uuid.uuid4().int % 10**9)})
    async with backbone.runtime.database.session() as session:
        return await backbone.runtime.outbox.add(session, event)


async def _records(backbone: Backbone, event_id: str, copies: int) -> list[CloudEvent]:
    subscriber = make_subscriber(backbone.settings, f"v-{uuid.uuid4()}", [CardIssued.topic])
    await subscriber.start()
    seen: list[CloudEvent] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    try:
        while loop.time() < deadline and len(seen) < copies:
            for message in await subscriber.poll(500, 0.5):
                envelope = CloudEvent.model_validate_json(message.value)
                if envelope.id == event_id:
                    seen.append(envelope)
        settle = loop.time() + 1.5  # a record that should not come has had its chance
        while loop.time() < settle:
            for message in await subscriber.poll(500, 0.2):
                envelope = CloudEvent.model_validate_json(message.value)
                if envelope.id == event_id:
                    seen.append(envelope)
    finally:
        await subscriber.stop()
    return seen


def _relay(backbone: Backbone, until: date) -> OutboxRelay:
    runtime = backbone.runtime
    return OutboxRelay(
        runtime.database,
        runtime.tables,
        runtime.publisher,
        service="probe",
        earlier_versions_until=until,
    )


async def _topic(backbone: Backbone) -> None:
    if backbone.settings.kafka_bootstrap_servers:
        await ensure_topics(backbone.settings.kafka_bootstrap_servers, [CardIssued.topic], 2)


async def test_v1_travels_beside_v2_with_the_same_id_and_counts_once(backbone: Backbone) -> None:
    await _topic(backbone)
    runtime = backbone.runtime
    issued = await _issue(backbone)
    # The period's last day: still both.
    assert await _relay(backbone, china_today()).publish_pending() == 1

    records = await _records(backbone, issued.id, copies=2)
    assert [record.schema_version for record in records] == [2, 1]
    v2, v1 = records
    assert v2.data["card_id"] == issued.data["card_id"]
    assert isinstance(v2.data["card_id"], str)
    assert v1.data["card_id"] == int(issued.data["card_id"])
    assert v1.payload() == v2.payload()

    applied: list[str] = []

    async def count(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        applied.extend(event.id for event in events if event.id == issued.id)

    group = f"once-{uuid.uuid4()}"
    subscriber = make_subscriber(backbone.settings, group, [CardIssued.topic])
    await subscriber.start()
    runner = ConsumerRunner(group, runtime.database, runtime.tables, subscriber, count)
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while not applied and asyncio.get_running_loop().time() < deadline:
            await runner.process_once()
        for _ in range(3):  # the second record, if it came later, is a duplicate
            await runner.process_once()
    finally:
        await subscriber.stop()
    assert applied == [issued.id]


async def test_after_the_period_only_the_current_version_travels(backbone: Backbone) -> None:
    await _topic(backbone)
    issued = await _issue(backbone)
    assert await _relay(backbone, china_today() - timedelta(days=1)).publish_pending() == 1
    records = await _records(backbone, issued.id, copies=1)
    assert [record.schema_version for record in records] == [2]
