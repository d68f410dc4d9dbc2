"""Done-when of issue #3 in small: a county registers its federations and a village
association through the API, and the events arrive on a real Kafka broker, in order per
organisation, typed by the shared contract."""

import asyncio
import uuid

import asyncpg
import pytest
from sqlalchemy import select

from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import (
    TOPIC,
    CoverageChanged,
    OrganisationChanged,
    OrganisationEstablished,
)
from canlian.common.messaging.bus import make_subscriber
from canlian.common.messaging.kafka import ensure_topics
from canlian.common.runtime import DOMAIN_TOPICS
from canlian.common.settings import PlatformSettings
from canlian.org_registry.app import create_app, service_descriptor
from canlian.org_registry.cli import load_divisions
from canlian.testing.services import api_client, bearer, rebuild_schema, runtime_of

from .conftest import registry_settings

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

XIXIA = "640105000000"  # 西夏区
TOWNSHIP = "640105100000"


async def _scratch_database(settings: PlatformSettings) -> str:
    assert settings.database_url is not None
    base = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(base)
    try:
        await connection.execute('DROP DATABASE IF EXISTS "org_registry_events"')
        await connection.execute('CREATE DATABASE "org_registry_events"')
    finally:
        await connection.close()
    return settings.database_url.rsplit("/", 1)[0] + "/org_registry_events"


async def test_registrations_reach_kafka_as_typed_ordered_events(
    postgres_settings: PlatformSettings, kafka_bootstrap: str
) -> None:
    settings = registry_settings(postgres_settings).model_copy(
        update={
            "database_url": await _scratch_database(postgres_settings),
            "kafka_bootstrap_servers": kafka_bootstrap,
        }
    )
    await rebuild_schema(service_descriptor, settings)
    await load_divisions(settings, "64")
    await ensure_topics(kafka_bootstrap, DOMAIN_TOPICS, settings.kafka_topic_partitions)
    app = create_app(settings)
    runtime = runtime_of(app)
    await runtime.publisher.start()
    headers = bearer(settings, region=XIXIA)
    try:
        async with api_client(app, headers) as client:
            township = await client.post(
                "/v1/organisations",
                json={"name": "乡残联", "kind": "federation", "division_code": TOWNSHIP},
            )
            assert township.status_code == 201, township.text
            village = await client.get(
                "/v1/divisions", params={"name": "村", "within": TOWNSHIP, "level": "5"}
            )
            first_village = village.json()["items"][0]["code"]
            association = await client.post(
                "/v1/organisations",
                json={"name": "村残协", "kind": "association", "division_code": first_village},
            )
            assert association.status_code == 201, association.text
            county = await client.post(
                "/v1/organisations",
                json={"name": "西夏区残联", "kind": "federation", "division_code": XIXIA},
            )
            assert county.status_code == 201, county.text
        async with runtime.database.read_session() as session:
            ours = set((await session.execute(select(runtime.tables.outbox.c.event_id))).scalars())
        published = await runtime.relay.publish_pending()
        # 3 established, 1 coverage, 1 township adopted by the county federation.
        assert published == 5

        subscriber = make_subscriber(settings, f"test-{uuid.uuid4()}", [TOPIC])
        await subscriber.start()
        seen: list[CloudEvent] = []
        try:
            deadline = asyncio.get_running_loop().time() + 60
            while len(seen) < published and asyncio.get_running_loop().time() < deadline:
                for message in await subscriber.poll(500, 0.5):
                    event = CloudEvent.model_validate_json(message.value)
                    # The topic is shared by the whole test session: keep this test's events.
                    if event.id in ours:
                        seen.append(event)
        finally:
            await subscriber.stop()
    finally:
        await runtime.publisher.stop()
        await runtime.database.dispose()

    payloads = [event.payload() for event in seen]
    assert len(payloads) == 5
    township_id = township.json()["id"]
    township_events = [p for p in payloads if getattr(p, "organisation_id", "") == township_id]
    assert [type(p) for p in township_events] == [OrganisationEstablished, OrganisationChanged]
    assert [p.version for p in township_events] == [1, 2]  # type: ignore[attr-defined]
    changed = township_events[1]
    assert isinstance(changed, OrganisationChanged)
    assert changed.parent_organisation_id == county.json()["id"]
    coverage = [p for p in payloads if isinstance(p, CoverageChanged)]
    assert len(coverage) == 1
    assert coverage[0].covered_divisions == [first_village]
    assert coverage[0].township_code == TOWNSHIP
    assert all(event.subject for event in seen)
