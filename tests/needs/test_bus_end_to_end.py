"""End to end on a real Kafka broker: the members service's appointment travels outbox ->
Kafka -> the needs consumer into the committee posts; that member's visit reaches the bus on
topic canlian.needs without the household's address or names."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from canlian.common import auth
from canlian.common.business_day import china_today
from canlian.common.events import needs as needs_events
from canlian.common.events.base import CloudEvent
from canlian.common.messaging.bus import make_subscriber
from canlian.common.messaging.consumer import ConsumerRunner
from canlian.common.messaging.kafka import ensure_topics
from canlian.common.runtime import DOMAIN_TOPICS
from canlian.common.settings import PlatformSettings
from canlian.needs.app import COMMITTEE_MEMBERS_CONSUMER, create_app
from canlian.needs.models import (
    CommitteePost,
    Household,
    HouseholdMember,
    MemberService,
    Need,
    ServicePlatform,
    Visit,
)
from canlian.testing.services import api_client, bearer, runtime_of

from .conftest import appointment, household_body

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SHANGYU = "330604000000"  # kept apart from the Gansu data of the other tests
SHANGYU_VILLAGE = "330604001001"


@pytest.fixture
async def kafka_app(
    needs_app: FastAPI, postgres_settings: PlatformSettings, kafka_bootstrap: str
) -> AsyncIterator[FastAPI]:
    """The service on PostgreSQL and Kafka, committing for real; cleaned up afterwards."""
    settings = postgres_settings.model_copy(update={"kafka_bootstrap_servers": kafka_bootstrap})
    app = create_app(settings)
    runtime = runtime_of(app)
    await ensure_topics(kafka_bootstrap, DOMAIN_TOPICS, settings.kafka_topic_partitions)
    await runtime.publisher.start()
    try:
        yield app
    finally:
        await runtime.publisher.stop()
        async with runtime.database.session() as session:
            for model in (
                Visit,
                Need,
                MemberService,
                HouseholdMember,
                Household,
                ServicePlatform,
                CommitteePost,
            ):
                await session.execute(delete(model))
            for table in (
                runtime.tables.outbox,
                runtime.tables.inbox,
                runtime.tables.idempotency_keys,
            ):
                await session.execute(delete(table))
        await runtime.database.dispose()


async def _until(
    step: Callable[[], Awaitable[object]], done: Callable[[], Awaitable[bool]]
) -> None:
    deadline = asyncio.get_running_loop().time() + 60
    while asyncio.get_running_loop().time() < deadline:
        await step()
        if await done():
            return
    raise AssertionError("the event did not arrive in time")


async def test_an_appointment_arrives_by_kafka_and_the_visit_leaves_by_it(
    kafka_app: FastAPI,
) -> None:
    runtime = runtime_of(kafka_app)
    member_id = f"bus-{uuid.uuid4()}"
    announced = appointment(f"ap-{uuid.uuid4()}", member_id, [SHANGYU_VILLAGE])
    async with runtime.database.session() as session:
        await runtime.outbox.add(session, announced.payload())
    assert await runtime.relay.publish_pending() >= 1

    group = f"{COMMITTEE_MEMBERS_CONSUMER.name}-{uuid.uuid4()}"
    subscriber = make_subscriber(runtime.settings, group, COMMITTEE_MEMBERS_CONSUMER.topics)
    await subscriber.start()
    runner = ConsumerRunner(
        group, runtime.database, runtime.tables, subscriber, COMMITTEE_MEMBERS_CONSUMER.handler
    )
    headers = bearer(runtime.settings, roles=[auth.OFFICIAL], region=SHANGYU)

    async with api_client(kafka_app) as client:

        async def member_known() -> bool:
            area = await client.get(f"/v1/committee-members/{member_id}/area", headers=headers)
            return area.status_code == 200

        try:
            await _until(runner.process_once, member_known)
        finally:
            await subscriber.stop()

        household = await client.post(
            "/v1/households", json=household_body(village=SHANGYU_VILLAGE), headers=headers
        )
        assert household.status_code == 201, household.text
        visit = await client.post(
            "/v1/visits",
            json={
                "member_id": member_id,
                "client_id": "bus-1",
                "household_id": household.json()["id"],
                "visited_on": china_today().isoformat(),
                "met": "户主",
                "findings": "情况稳定",
            },
            headers=headers,
        )
        assert visit.status_code == 201, visit.text
    while await runtime.relay.publish_pending():
        pass

    reader = make_subscriber(runtime.settings, f"reader-{uuid.uuid4()}", [needs_events.TOPIC])
    await reader.start()
    seen: list[CloudEvent] = []

    async def read() -> None:
        for message in await reader.poll(500, 0.5):
            seen.append(CloudEvent.model_validate_json(message.value))

    async def visit_seen() -> bool:
        return any(e.subject == visit.json()["id"] for e in seen)

    try:
        await _until(read, visit_seen)
    finally:
        await reader.stop()
    recorded = next(e for e in seen if e.subject == visit.json()["id"])
    assert recorded.type == needs_events.HomeVisitRecorded.event_type
    assert "幸福巷" not in recorded.model_dump_json()
