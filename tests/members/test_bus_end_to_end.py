"""End to end on a real Kafka broker: a registry event travels outbox -> Kafka -> the
members consumer runner into the read model, and a members change reaches the bus."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from canlian.common import auth
from canlian.common.events import members as member_events
from canlian.common.events import org_registry
from canlian.common.events.base import CloudEvent
from canlian.common.messaging.bus import make_subscriber
from canlian.common.messaging.consumer import ConsumerRunner
from canlian.common.messaging.kafka import ensure_topics
from canlian.common.runtime import DOMAIN_TOPICS, ServiceRuntime
from canlian.common.settings import PlatformSettings
from canlian.members.app import ORGANISATIONS_CONSUMER, create_app
from canlian.members.models import (
    Appointment,
    Member,
    Organisation,
    OrganisationCoverage,
    StatusChange,
)
from canlian.testing.services import api_client, bearer, runtime_of

from .conftest import appointment_body, make_citizen_id, member_body

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SHANGYU_VILLAGE = "330604001001"  # kept apart from the Gansu data of the other tests


@pytest.fixture
async def kafka_app(
    members_app: FastAPI, postgres_settings: PlatformSettings, kafka_bootstrap: str
) -> AsyncIterator[FastAPI]:
    """The service on PostgreSQL and Kafka, committing for real; cleaned up afterwards."""
    settings = postgres_settings.model_copy(update={"kafka_bootstrap_servers": kafka_bootstrap})
    app = create_app(settings)
    runtime = runtime_of(app)
    # As the runtime does before its clients start: a consumer that starts before its topic
    # exists would not see it until its metadata refresh, minutes later.
    await ensure_topics(kafka_bootstrap, DOMAIN_TOPICS, settings.kafka_topic_partitions)
    await runtime.publisher.start()
    try:
        yield app
    finally:
        await runtime.publisher.stop()
        async with runtime.database.session() as session:
            for model in (StatusChange, Appointment, Member, OrganisationCoverage, Organisation):
                await session.execute(delete(model))
            for table in (
                runtime.tables.outbox,
                runtime.tables.inbox,
                runtime.tables.idempotency_keys,
            ):
                await session.execute(delete(table))
        await runtime.database.dispose()


async def _consume_until(
    runtime: ServiceRuntime, runner: ConsumerRunner, done: object, seconds: float = 60
) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        await runner.process_once()
        if await done():  # type: ignore[operator]
            return
    raise AssertionError("the consumer did not apply the event in time")


def _is_appointment(event: CloudEvent, appointment_id: str) -> bool:
    return (
        event.type == member_events.MemberAppointed.event_type and event.subject == appointment_id
    )


async def test_registry_event_reaches_the_read_model_and_appointments_reach_the_bus(
    kafka_app: FastAPI,
) -> None:
    runtime = runtime_of(kafka_app)
    organisation_id = f"e2e-{uuid.uuid4()}"
    established = org_registry.OrganisationEstablished(
        organisation_id=organisation_id,
        version=1,
        name="上虞区某村残协",
        kind=org_registry.OrganisationKind.ASSOCIATION,
        level=5,
        division_code=SHANGYU_VILLAGE,
        status=org_registry.OrganisationStatus.ESTABLISHED,
        established_on=date(2021, 5, 1),
    )
    async with runtime.database.session() as session:
        await runtime.outbox.add(session, established)
    assert await runtime.relay.publish_pending() >= 1

    group = f"{ORGANISATIONS_CONSUMER.name}-{uuid.uuid4()}"
    subscriber = make_subscriber(runtime.settings, group, ORGANISATIONS_CONSUMER.topics)
    await subscriber.start()
    runner = ConsumerRunner(
        group, runtime.database, runtime.tables, subscriber, ORGANISATIONS_CONSUMER.handler
    )

    async def organisation_known() -> bool:
        async with runtime.database.read_session() as session:
            return await session.get(Organisation, organisation_id) is not None

    try:
        await _consume_until(runtime, runner, organisation_known)
    finally:
        await subscriber.stop()

    # The organisation is now usable for appointments; the change travels to the bus.
    headers = bearer(runtime.settings, roles=[auth.OFFICIAL], region="330604000000")
    number = make_citizen_id(1, area="330604")
    async with api_client(kafka_app) as client:
        member = await client.post(
            "/v1/members",
            json=member_body(1, division_code=SHANGYU_VILLAGE, citizen_id=number),
            headers=headers,
        )
        assert member.status_code == 201, member.text
        appointed = await client.post(
            f"/v1/members/{member.json()['id']}/appointments",
            json=appointment_body(organisation_id),
            headers=headers,
        )
        assert appointed.status_code == 201, appointed.text
    while await runtime.relay.publish_pending():
        pass

    listener = make_subscriber(runtime.settings, f"listener-{uuid.uuid4()}", [member_events.TOPIC])
    await listener.start()
    seen: list[CloudEvent] = []
    appointment_id = str(appointed.json()["id"])
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while asyncio.get_running_loop().time() < deadline:
            for message in await listener.poll(500, 0.5):
                seen.append(CloudEvent.model_validate_json(message.value))
            if any(_is_appointment(event, appointment_id) for event in seen):
                break
    finally:
        await listener.stop()
    delivered = [event for event in seen if _is_appointment(event, appointment_id)]
    assert len(delivered) == 1
    payload = delivered[0].payload()
    assert isinstance(payload, member_events.MemberAppointed)
    assert payload.organisation_id == organisation_id
    assert payload.division_code == SHANGYU_VILLAGE
    raw = b"".join(event.model_dump_json().encode() for event in seen)
    assert number.encode() not in raw
