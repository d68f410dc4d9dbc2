"""Sustained consumer throughput into the rollups, from a pre-filled Kafka topic, against two
ceilings measured on the same messages in the same run: a raw aiokafka consume, and a raw
batched PostgreSQL upsert of the same counter changes."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaConsumer

from bench import workers, workload
from bench.report import Figure, Report
from canlian.common import divisions
from canlian.common.db.database import Database
from canlian.common.db.metadata import platform_tables
from canlian.common.events.base import CloudEvent
from canlian.common.messaging.consumer import BACKLOG_RECORDS, ConsumerRunner
from canlian.common.messaging.kafka import KafkaPublisher, KafkaSubscriber, ensure_topics
from canlian.common.messaging.transport import IncomingMessage, OutgoingMessage
from canlian.common.settings import PlatformSettings
from canlian.metrics.app import service_descriptor as metrics_descriptor
from canlian.metrics.models import Base as MetricsBase
from canlian.metrics.rollups import classification as metrics_classification
from canlian.metrics.rollups import consumer as metrics_consumer
from canlian.metrics.rollups import engine as metrics_engine
from canlian.testing.services import rebuild_schema

# Batches in flight as the metrics worker runs them.
DEPLOYED_DEPTH = metrics_consumer.ROLLUP_CONSUMER.pipeline_depth

BATCH = 2000


async def prefill(bootstrap: str, topics: dict[str, str], envelopes: list[CloudEvent]) -> None:
    await ensure_topics(bootstrap, list(topics.values()), partitions=6)
    publisher = KafkaPublisher(bootstrap, client_id="bench-prefill")
    await publisher.start()
    try:
        for start in range(0, len(envelopes), 5000):
            await publisher.publish(
                [
                    OutgoingMessage(
                        topic=topics[envelope.type.split(".")[2]],
                        key=envelope.subject,
                        value=envelope.model_dump_json().encode(),
                    )
                    for envelope in envelopes[start : start + 5000]
                ]
            )
    finally:
        await publisher.stop()


async def raw_consume(bootstrap: str, topics: list[str], expected: int) -> float:
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=f"bench-raw-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=BATCH,
    )
    await consumer.start()
    try:
        seen = 0
        started: float | None = None
        while seen < expected:
            batches = await consumer.getmany(timeout_ms=1000, max_records=BATCH)
            if started is None and batches:
                started = time.perf_counter()
            seen += sum(len(records) for records in batches.values())
        assert started is not None
        return expected / (time.perf_counter() - started)
    finally:
        await consumer.stop()


def counter_changes(envelopes: list[CloudEvent]) -> list[dict[tuple[str, str], int]]:
    """Per poll batch, the (division, counter) deltas the rollups apply: every contribution
    added to its division and all ancestors."""
    batches = []
    for start in range(0, len(envelopes), BATCH):
        deltas: Counter[tuple[str, str]] = Counter()
        for envelope in envelopes[start : start + BATCH]:
            outcome = metrics_classification.classify(envelope)
            changes = outcome if isinstance(outcome, list) else [outcome]
            for change in changes:
                if not isinstance(change, metrics_engine.Change):
                    continue
                for (code, counter), value in change.contribution.items():
                    for ancestor in divisions.lineage(code):
                        deltas[(ancestor, counter)] += value
        batches.append(dict(deltas))
    return batches


async def raw_upsert(
    dsn: str, batches: list[dict[tuple[str, str], int]], events: int, *, with_journal: bool
) -> float:
    """One set-based upsert per batch into a plain (logged, like the rollups') table; with
    the journal, the same rows also go into a per-day table in the same transaction, as the
    rollups keep every counter's daily changes for as-of and trend queries."""
    connection = await asyncpg.connect(dsn)
    try:
        for table, day in (("bench_counters", ""), ("bench_daily", ", day date")):
            key = "division, counter, day" if day else "division, counter"
            await connection.execute(
                f"CREATE TABLE IF NOT EXISTS {table} "
                f"(division text, counter text{day}, value bigint, PRIMARY KEY ({key}))"
            )
            await connection.execute(f"TRUNCATE {table}")
        today = date.today()
        started = time.perf_counter()
        for deltas in batches:
            rows = sorted(deltas.items())
            codes = [key[0] for key, _ in rows]
            names = [key[1] for key, _ in rows]
            values = [value for _, value in rows]
            async with connection.transaction():
                await connection.execute(
                    "INSERT INTO bench_counters SELECT * FROM unnest($1::text[], $2::text[], "
                    "$3::bigint[]) ON CONFLICT (division, counter) DO UPDATE "
                    "SET value = bench_counters.value + excluded.value",
                    codes,
                    names,
                    values,
                )
                if with_journal:
                    await connection.execute(
                        "INSERT INTO bench_daily SELECT u.division, u.counter, $4::date, u.value "
                        "FROM unnest($1::text[], $2::text[], $3::bigint[]) "
                        "AS u(division, counter, value) ON CONFLICT (division, counter, day) "
                        "DO UPDATE SET value = bench_daily.value + excluded.value",
                        codes,
                        names,
                        values,
                        today,
                    )
        return events / (time.perf_counter() - started)
    finally:
        await connection.close()


async def rollups(
    settings: PlatformSettings,
    topics: list[str],
    expected: int,
    *,
    backlog_records: int = BATCH,
    pipeline_depth: int = 1,
) -> float:
    """The rollup consumer's sustained rate on the pre-filled topics; batches of `BATCH` as
    the ceilings', one at a time, unless `backlog_records` lets a backlog be read in larger
    ones and `pipeline_depth` lets the next batch be applied while one is in the database."""
    await rebuild_schema(metrics_descriptor, settings)
    database = Database(settings, metrics_descriptor.schema)
    assert settings.kafka_bootstrap_servers is not None
    subscriber = KafkaSubscriber(
        settings.kafka_bootstrap_servers, f"bench-rollups-{uuid.uuid4()}", topics
    )
    runner = ConsumerRunner(
        "metrics-rollups",
        database,
        platform_tables(MetricsBase.metadata),
        subscriber,
        metrics_consumer.rollup_events,
        max_records=BATCH,
        backlog_records=backlog_records,
        pipeline_depth=pipeline_depth,
    )
    committed = 0
    started: float | None = None
    done = asyncio.Event()
    poll, commit = subscriber.poll, subscriber.commit

    async def timed_poll(max_records: int, timeout_seconds: float) -> list[IncomingMessage]:
        nonlocal started
        messages = await poll(max_records, timeout_seconds)
        if messages and started is None:
            started = time.perf_counter()
        return messages

    async def counted_commit(messages: Sequence[IncomingMessage]) -> None:
        nonlocal committed
        await commit(messages)
        committed += len(messages)
        if committed >= expected:
            done.set()

    subscriber.poll = timed_poll  # type: ignore[method-assign]
    subscriber.commit = counted_commit  # type: ignore[method-assign]
    await subscriber.start()
    # The runner's own loop, as the metrics worker runs it (prefetching the next batch).
    running = asyncio.create_task(runner.run())
    try:
        await done.wait()
        assert started is not None
        return expected / (time.perf_counter() - started)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await subscriber.stop()
        await database.dispose()


def run(report: Report, database_url: str, bootstrap: str, workdir: Path, *, count: int) -> None:
    envelopes = list(workload.envelopes(count))
    run_id = uuid.uuid4().hex[:8]
    topics = {domain: f"bench-{run_id}-{domain}" for domain in ("cards", "volunteers")}
    asyncio.run(prefill(bootstrap, topics, envelopes))
    consume_rate = asyncio.run(raw_consume(bootstrap, list(topics.values()), count))
    batches = counter_changes(envelopes)
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    upsert_rate = asyncio.run(raw_upsert(dsn, batches, count, with_journal=False))
    journal_rate = asyncio.run(raw_upsert(dsn, batches, count, with_journal=True))
    settings = PlatformSettings(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        canlian_data_dir=workdir / "data",
        canlian_environment="development",
    )
    # The envelopes and change batches held for the ceilings are this benchmark's, not the
    # consumer's: out of the collector's sight, as a worker's process holds none of them.
    gc.freeze()
    like_ceilings = asyncio.run(rollups(settings, list(topics.values()), count))
    # As the metrics worker runs: a backlog read in larger batches, the next one applied
    # while the current one is in the database.
    rollup_rate = asyncio.run(
        rollups(
            settings,
            list(topics.values()),
            count,
            backlog_records=BACKLOG_RECORDS,
            pipeline_depth=DEPLOYED_DEPTH,
        )
    )
    load = Path("/proc/loadavg").read_text().split()[0]
    lower = min(consume_rate, upsert_rate)
    report.add(Figure("events", "raw aiokafka consume (ceiling)", consume_rate, "events/s"))
    report.add(
        Figure(
            "events",
            "raw batched upsert of the same counter changes (ceiling)",
            upsert_rate,
            "events/s",
        )
    )
    report.add(
        Figure(
            "events",
            "raw batched upsert of the same changes into counters and the daily journal",
            journal_rate,
            "events/s",
            note=f"the writes every event needs; rollup consumer at "
            f"{rollup_rate / journal_rate:.0%} of it",
        )
    )
    report.add(
        Figure(
            "events",
            f"rollup consumer, {count:,} events, batches of {BATCH:,} one at a time",
            like_ceilings,
            "events/s",
            "lower ceiling",
            lower,
            note="the ceilings' batches and nothing in flight beside them",
        )
    )
    report.add(
        Figure(
            "events",
            f"rollup consumer, {count:,} events, as deployed",
            rollup_rate,
            "events/s",
            "lower ceiling",
            lower,
            goal="≥ 5,000 events/s and ≥ 50% of the lower ceiling",
            note=("met" if rollup_rate >= 5000 and rollup_rate >= 0.5 * lower else "not met")
            + f"; a backlog in batches of up to {BACKLOG_RECORDS:,}, "
            f"{DEPLOYED_DEPTH} in flight; load {load}",
        )
    )
    workers.run(report, settings, list(topics.values()), count)
