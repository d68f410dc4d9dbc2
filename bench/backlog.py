"""A large backlog (a province's migration landing at once): N events waiting on the topics,
drained by one rollup worker as deployed, which reads them in backlog batches
(`ConsumerRunner`'s `backlog_records`) and applies two at once, beside a raw aiokafka consume
and a raw upsert of the same counter changes in batches of that size, measured in the same
run. The events are generated and published in slices, so N is bounded by time, not memory."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bench import events, workload
from bench.report import Figure, Report
from canlian.common import divisions
from canlian.common.events.base import CloudEvent
from canlian.common.messaging.kafka import KafkaPublisher, ensure_topics
from canlian.common.messaging.transport import OutgoingMessage
from canlian.common.settings import PlatformSettings
from canlian.metrics.rollups import classification as metrics_classification
from canlian.metrics.rollups import engine as metrics_engine

BACKLOG_BATCH = 20_000  # ConsumerRunner's default backlog_records


def _slices(count: int) -> Iterator[list[CloudEvent]]:
    stream = workload.envelopes(count)
    while True:
        chunk = [envelope for _, envelope in zip(range(BACKLOG_BATCH), stream, strict=False)]
        if not chunk:
            return
        yield chunk


def _deltas(chunk: list[CloudEvent]) -> dict[tuple[str, str], int]:
    deltas: Counter[tuple[str, str]] = Counter()
    for envelope in chunk:
        outcome = metrics_classification.classify(envelope)
        for change in outcome if isinstance(outcome, list) else [outcome]:
            if isinstance(change, metrics_engine.Change):
                for (code, counter), value in change.contribution.items():
                    for ancestor in divisions.lineage(code):
                        deltas[(ancestor, counter)] += value
    return dict(deltas)


async def _publish(
    bootstrap: str, topics: dict[str, str], count: int
) -> list[dict[tuple[str, str], int]]:
    """Publish the backlog slice by slice; each slice's counter changes, for the ceiling."""
    await ensure_topics(bootstrap, list(topics.values()), partitions=6)
    publisher = KafkaPublisher(bootstrap, client_id="bench-backlog")
    await publisher.start()
    batches = []
    try:
        for chunk in _slices(count):
            await publisher.publish(
                [
                    OutgoingMessage(
                        topic=topics[envelope.type.split(".")[2]],
                        key=envelope.subject,
                        value=envelope.model_dump_json().encode(),
                    )
                    for envelope in chunk
                ]
            )
            batches.append(_deltas(chunk))
    finally:
        await publisher.stop()
    return batches


def run(report: Report, database_url: str, bootstrap: str, workdir: Path, *, count: int) -> None:
    run_id = uuid.uuid4().hex[:8]
    topics = {domain: f"bench-backlog-{run_id}-{domain}" for domain in ("cards", "volunteers")}
    started = time.perf_counter()
    batches = asyncio.run(_publish(bootstrap, topics, count))
    print(f"  backlog of {count:,} events published in {time.perf_counter() - started:.0f} s")
    consume_rate = asyncio.run(events.raw_consume(bootstrap, list(topics.values()), count))
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    upsert_rate = asyncio.run(events.raw_upsert(dsn, batches, count, with_journal=True))
    settings = PlatformSettings(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        canlian_data_dir=workdir / "data",
        canlian_environment="development",
    )
    rate = asyncio.run(
        events.rollups(
            settings,
            list(topics.values()),
            count,
            backlog_records=BACKLOG_BATCH,
            pipeline_depth=events.DEPLOYED_DEPTH,
        )
    )
    load = Path("/proc/loadavg").read_text().split()[0]
    report.add(
        Figure("backlog", f"raw aiokafka consume of {count:,} (ceiling)", consume_rate, "events/s")
    )
    report.add(
        Figure(
            "backlog",
            f"raw upsert into counters and journal, batches of {BACKLOG_BATCH:,} (ceiling)",
            upsert_rate,
            "events/s",
        )
    )
    report.add(
        Figure(
            "backlog",
            f"backlog of {count:,} events drained in",
            count / rate,
            "s",
            "raw upsert, same batches",
            count / upsert_rate,
            goal="no hour-long lag",
            note=f"{rate:,.0f} events/s, batches of {BACKLOG_BATCH:,} while the lag is "
            f"≥ {BACKLOG_BATCH:,}, {events.DEPLOYED_DEPTH} in flight; load {load}",
            higher_is_better=False,
        )
    )
