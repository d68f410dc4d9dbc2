"""Several rollup workers on the same topics in one consumer group, on real Kafka and
PostgreSQL: workers join and leave mid-stream (each join or leave is a rebalance, and a
revoked partition's uncommitted batch is delivered again to its new owner), some events come
twice. The counters, tallies and journal they leave equal a single worker's, and reconcile
finds nothing to correct."""

import asyncio
import contextlib
import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from canlian.common.db.database import Database
from canlian.common.db.metadata import platform_tables
from canlian.common.events import cards
from canlian.common.events.base import CloudEvent
from canlian.common.messaging.consumer import ConsumerRunner
from canlian.common.messaging.kafka import KafkaPublisher, KafkaSubscriber, ensure_topics
from canlian.common.messaging.transport import OutgoingMessage
from canlian.common.settings import PlatformSettings
from canlian.metrics.cli import reconcile as cli_reconcile
from canlian.metrics.models import Base
from canlian.metrics.rollups import consumer
from canlian.metrics.settings import MetricsSettings

from ..conftest import envelope, own_database

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

CARDS = 1500
# Villages of two counties of Gansu and one of Qinghai: the nation's and the provinces' rows
# are in every batch of every worker.
VILLAGES = [
    f"{county}{township:03d}{village:03d}"
    for county in ("620103", "620104", "630102")
    for township in (1, 2)
    for village in (1, 2, 3, 4)
]


def card(number: int, rng: random.Random, version: int = 1) -> cards.CardIssued | cards.CardChanged:
    issued = date(2024, 1, 1) + timedelta(days=rng.randrange(600))
    fields = {
        "card_id": number,
        "person_id": number,
        "version": version,
        "division_code": rng.choice(VILLAGES),
        "status": cards.CardStatus.VALID,
        "category": rng.choice(list(cards.DisabilityCategory)),
        "grade": rng.choice(list(cards.DisabilityGrade)),
        "generation": cards.CardGeneration.SMART,
        "issued_on": issued,
        "valid_until": issued + timedelta(days=3652),
        "source": cards.CardSource.APPLICATION,
        "home_visit": rng.random() < 0.1,
    }
    if version == 1:
        return cards.CardIssued(**fields)
    return cards.CardChanged(**fields)


def stream() -> list[CloudEvent]:
    """Every card issued; a third changed later (another grade, category or village); a
    tenth of the messages published twice."""
    rng = random.Random(19)
    at = datetime(2025, 6, 1, 2, tzinfo=UTC)
    events = [
        envelope(card(number, rng), at=at + timedelta(seconds=number))
        for number in range(1, CARDS + 1)
    ]
    events += [
        envelope(card(number, rng, version=2), at=at + timedelta(days=1))
        for number in range(1, CARDS + 1, 3)
    ]
    return events


async def publish(bootstrap: str, topic: str, events: list[CloudEvent]) -> None:
    publisher = KafkaPublisher(bootstrap, client_id="workers-test")
    await publisher.start()
    try:
        again = events[::10]
        for start in range(0, len(events), 500):
            await publisher.publish(
                [
                    OutgoingMessage(topic, event.subject, event.model_dump_json().encode())
                    for event in events[start : start + 500] + again[start // 10 : start // 10 + 50]
                ]
            )
    finally:
        await publisher.stop()


async def claimed(database: Database) -> int:
    async with database.read_session() as session:
        count = await session.scalar(
            text("SELECT count(*) FROM metrics.inbox WHERE consumer = 'metrics-rollups'")
        )
    return int(count or 0)


async def rollup_tables(settings: MetricsSettings) -> dict[str, set[tuple[object, ...]]]:
    database = Database(settings, "metrics")
    try:
        async with database.read_session() as session:
            return {
                name: {
                    tuple(row)
                    for row in await session.execute(
                        text(f"SELECT {columns} FROM metrics.{name} WHERE {value} <> 0")  # noqa: S608 - fixed names
                    )
                }
                for name, columns, value in (
                    ("counters", "division_code, counter, value", "value"),
                    ("daily_changes", "division_code, counter, day, delta", "delta"),
                    ("division_tallies", "division_code, tally, value", "value"),
                )
            }
    finally:
        await database.dispose()


async def single_worker(settings: MetricsSettings, events: list[CloudEvent]) -> None:
    database = Database(settings, "metrics")
    try:
        for start in range(0, len(events), 400):
            async with database.session() as session:
                await consumer.rollup_events(session, events[start : start + 400])
    finally:
        await database.dispose()


@pytest.mark.parametrize("workers", [2, 4])
async def test_workers_in_one_group_count_every_event_once(
    postgres_settings: PlatformSettings, kafka_bootstrap: str, workers: int
) -> None:
    settings = await own_database(postgres_settings, kafka_bootstrap_servers=kafka_bootstrap)
    topic = f"test-workers-{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic], partitions=6)
    events = stream()
    await publish(kafka_bootstrap, topic, events)
    database = Database(settings, "metrics")
    group = f"metrics-rollups-{topic}"
    running: list[tuple[asyncio.Task[None], KafkaSubscriber]] = []

    async def start_worker() -> None:
        subscriber = KafkaSubscriber(kafka_bootstrap, group, [topic])
        await subscriber.start()
        runner = ConsumerRunner(
            "metrics-rollups",
            database,
            platform_tables(Base.metadata),
            subscriber,
            consumer.rollup_events,
            pipeline_depth=consumer.ROLLUP_CONSUMER.pipeline_depth,  # as deployed
            max_records=150,  # many small batches: rebalances fall mid-stream
            poll_seconds=0.2,
        )
        running.append((asyncio.create_task(runner.run()), subscriber))

    async def stop_worker(index: int) -> None:
        task, subscriber = running[index]
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await subscriber.stop()

    async def until_claimed(count: int) -> None:
        for _ in range(1200):
            if await claimed(database) >= count:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{await claimed(database)} of {count} events claimed")

    try:
        await start_worker()
        await until_claimed(200)
        for _ in range(workers - 1):  # each join revokes partitions mid-batch
            await start_worker()
        await until_claimed(len(events) // 2)
        await stop_worker(0)  # and a leave
        await until_claimed(len(events))
        # Every partition drained and committed by the group.
        for _ in range(200):
            lags = [await subscriber.lag() for task, subscriber in running[1:]]
            if sum(lags) == 0:
                break
            await asyncio.sleep(0.1)
        assert not [task for task, _ in running[1:] if task.done()]
    finally:
        for index in range(1, len(running)):
            await stop_worker(index)
    async with database.read_session() as session:
        failed = await session.scalar(
            text("SELECT count(*) FROM metrics.inbox WHERE status = 'failed'")
        )
    total = await claimed(database)
    await database.dispose()  # the workers' connections end, their statistics are flushed
    reader = Database(settings, "metrics")
    async with reader.read_session() as session:
        deadlocks = await session.scalar(
            text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        )
    await reader.dispose()
    assert deadlocks == 0
    assert failed == 0
    assert total == len(events)

    reference = await own_database(postgres_settings)
    await single_worker(reference, events)
    expected = await rollup_tables(reference)
    assert expected["counters"]  # something was counted
    assert await rollup_tables(settings) == expected
    outcome = await cli_reconcile.reconcile(settings)
    assert outcome.rollups.differences == []
