"""The needs service's events on real Kafka: the metrics consumer counts a need closed,
reopened and closed again once, takes a redelivered visit once, and a rebuild from the log
gives the same counters."""

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from canlian.common.events import needs
from canlian.common.events.base import CloudEvent, DomainEvent
from canlian.common.messaging.kafka import KafkaPublisher
from canlian.common.messaging.transport import OutgoingMessage
from canlian.common.settings import PlatformSettings
from canlian.metrics.app import create_app
from canlian.metrics.cli import rebuild as cli_rebuild
from canlian.metrics.cli import reconcile as cli_reconcile
from canlian.metrics.regions import repository as regions_repository
from canlian.metrics.settings import MetricsSettings
from canlian.testing.services import runtime_of
from tests.metrics.contributions.test_needs import DAY, closed, household, need, visit

from ..conftest import own_database
from .test_kafka import _counters

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

# 西宁市城东区: no other test writes there, and the Kafka topics are shared by the session.
XINING_VILLAGE = "630102001001"
QINGHAI = "630000000000"


@pytest.fixture
async def kafka_settings(
    postgres_settings: PlatformSettings, kafka_bootstrap: str
) -> MetricsSettings:
    """A database of its own: this test commits, the others roll back."""
    return await own_database(
        postgres_settings, kafka_bootstrap_servers=kafka_bootstrap, kafka_topic_partitions=2
    )


def message(event: object) -> OutgoingMessage:
    if not isinstance(event, CloudEvent):
        assert isinstance(event, DomainEvent)  # the builders' snapshots are events
        event = CloudEvent.wrap(event, source="/t")
    wrapped = event
    return OutgoingMessage(needs.TOPIC, wrapped.subject or "", wrapped.model_dump_json().encode())


async def test_needs_events_on_kafka_are_counted_once_and_rebuilt_alike(
    kafka_settings: MetricsSettings,
) -> None:
    status = needs.NeedStatus
    where: dict[str, Any] = {"division": XINING_VILLAGE}
    seen = CloudEvent.wrap(
        visit("xn-v1", True).model_copy(update={"division_code": XINING_VILLAGE}), source="/t"
    )
    app = create_app(kafka_settings)
    publisher = KafkaPublisher(kafka_settings.kafka_bootstrap_servers or "", "metrics-test")
    async with app.router.lifespan_context(app):
        await publisher.start()
        try:
            await publisher.publish(
                [
                    message(household("xn-h1", XINING_VILLAGE, ["p1", "p2"])),
                    message(seen),
                    message(need("xn-n1", 1, status.OPEN, **where)),
                    message(closed("xn-n1", 2, True, satisfaction="unsatisfied", **where)),
                    message(
                        need(
                            "xn-n1",
                            3,
                            status.OPEN,
                            event=needs.NeedReopened,
                            satisfaction="unsatisfied",
                            due_on=DAY + timedelta(days=30),
                            **where,
                        )
                    ),
                    message(closed("xn-n1", 4, False, satisfaction="satisfied", **where)),
                    message(seen),  # redelivered
                ]
            )
            database = runtime_of(app).database
            values: dict[str, int] = {}
            for _ in range(600):
                async with database.read_session() as session:
                    values = await regions_repository.counters_of_division(session, QINGHAI)
                if values.get("needs.satisfied") == 1:
                    break
                await asyncio.sleep(0.05)
        finally:
            await publisher.stop()
    wanted = {
        "needs.households": 1,
        "needs.filed_persons": 2,
        "needs.visits": 1,
        "needs.visits_due": 1,
        "needs.visits_on_schedule": 1,
        "needs.recorded": 1,
        "needs.closed": 1,
        "needs.closed_in_time": 0,  # closed late the second time
        "needs.rated": 1,
        "needs.satisfied": 1,
    }
    assert {name: values.get(name, 0) for name in wanted} == wanted
    before = await _counters(kafka_settings, QINGHAI)
    assert await cli_rebuild.rebuild(kafka_settings) >= 7
    assert await _counters(kafka_settings, QINGHAI) == before
    assert (await cli_reconcile.reconcile(kafka_settings)).rollups.differences == []
