"""End to end on real Kafka and PostgreSQL: the service's own consumer rolls events up, parks
what it cannot read without blocking the partition, and exposes the lag."""

import asyncio
import time
import uuid

import httpx
import pytest
from sqlalchemy import text

from canlian.common import auth
from canlian.common.db.database import Database
from canlian.common.events.base import CloudEvent
from canlian.common.messaging.kafka import KafkaPublisher
from canlian.common.messaging.transport import OutgoingMessage
from canlian.common.settings import PlatformSettings
from canlian.metrics.app import create_app
from canlian.metrics.cli import rebuild as cli_rebuild
from canlian.metrics.cli import reconcile as cli_reconcile
from canlian.metrics.regions import repository as regions_repository
from canlian.metrics.settings import MetricsSettings
from canlian.testing.services import bearer, runtime_of

from ..conftest import organisation, own_database

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

# Lhasa: no other test writes there, and the Kafka topics are shared by the whole session.
LHASA_VILLAGE = "540102002001"
LHASA = "540102000000"


@pytest.fixture
async def kafka_settings(
    postgres_settings: PlatformSettings, kafka_bootstrap: str
) -> MetricsSettings:
    """A database of its own: this test commits, the others roll back."""
    return await own_database(
        postgres_settings, kafka_bootstrap_servers=kafka_bootstrap, kafka_topic_partitions=2
    )


async def test_events_on_kafka_reach_the_province_and_bad_ones_are_parked(
    kafka_settings: MetricsSettings,
) -> None:
    app = create_app(kafka_settings)
    publisher = KafkaPublisher(kafka_settings.kafka_bootstrap_servers or "", "metrics-test")
    async with app.router.lifespan_context(app):
        await publisher.start()
        try:
            good = CloudEvent.wrap(
                organisation("sy-1", division=LHASA_VILLAGE, has_office=True), source="/t"
            )
            unknown = good.model_copy(
                update={"id": str(uuid.uuid4()), "type": "cn.canlian.nowhere.thing.happened"}
            )
            later = CloudEvent.wrap(
                organisation("sy-1", version=2, division=LHASA_VILLAGE), source="/t"
            )
            started = time.perf_counter()
            # The unknown event sits between two good ones on the same key and partition.
            await publisher.publish(
                [
                    OutgoingMessage(
                        "canlian.org-registry", "sy-1", event.model_dump_json().encode()
                    )
                    for event in (good, unknown, later)
                ]
            )
            database = runtime_of(app).database
            values: dict[str, int] = {}
            for _ in range(600):
                async with database.read_session() as session:
                    values = await regions_repository.counters_of_division(session, "540000000000")
                if values.get("associations") == 1 and values.get("associations.office", 0) == 0:
                    break
                await asyncio.sleep(0.05)
            seen_after = time.perf_counter() - started
            assert values["associations"] == 1
            assert values.get("associations.office", 0) == 0
            async with database.read_session() as session:
                parked = await session.execute(
                    text("SELECT event_id, reason FROM metrics.parked_events WHERE event_id = :id"),
                    {"id": unknown.id},
                )
                assert parked.all() == [(unknown.id, "unknown-type")]
                assert (await regions_repository.counters_of_division(session, LHASA))[
                    "association_coverage.village"
                ] == 1
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://test"
            ) as client:
                admin = bearer(kafka_settings, roles=[auth.ADMIN])  # /metrics needs a token
                exposition = (await client.get("/metrics", headers=admin)).text
            lag_count = next(
                float(line.split()[-1])
                for line in exposition.splitlines()
                if line.startswith("canlian_metrics_rollup_lag_seconds_count")
            )
            assert lag_count >= 3  # every rolled-up event's lag was observed after its commit
            assert 'canlian_metrics_events_parked_total{reason="unknown-type"}' in exposition
            # Once the group has joined: one more organisation, timed to the province counter.
            started = time.perf_counter()
            another = CloudEvent.wrap(organisation("sy-2", division=LHASA_VILLAGE), source="/t")
            await publisher.publish(
                [
                    OutgoingMessage(
                        "canlian.org-registry", "sy-2", another.model_dump_json().encode()
                    )
                ]
            )
            for _ in range(600):
                async with database.read_session() as session:
                    values = await regions_repository.counters_of_division(session, "540000000000")
                if values.get("associations") == 2:
                    break
                await asyncio.sleep(0.01)
            steady = time.perf_counter() - started
            assert values["associations"] == 2
            print(
                f"\nKafka publish -> province counter visible: first {seen_after:.3f} s "
                f"(includes the group join), then {steady:.3f} s"
            )
        finally:
            await publisher.stop()
    # With the service stopped, a rebuild replays the topics from the start into the same
    # counters, and the parked event is parked again.
    before = await _counters(kafka_settings, "540000000000")
    replayed = await cli_rebuild.rebuild(kafka_settings)
    assert replayed >= 4
    assert await _counters(kafka_settings, "540000000000") == before
    outcome = await cli_reconcile.reconcile(kafka_settings)
    assert outcome.rollups.differences == []


async def _counters(settings: MetricsSettings, code: str) -> dict[str, int]:
    database = Database(settings, "metrics")
    try:
        async with database.read_session() as session:
            return await regions_repository.counters_of_division(session, code)
    finally:
        await database.dispose()
