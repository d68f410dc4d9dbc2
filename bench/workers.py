"""Several rollup workers in one consumer group, each a process of its own as in production:
throughput with 1, 2 and 4 workers on the same pre-filled topics, and the time spent on the
rows every worker writes (the nation's and the provinces' counters and journal, written
last in each transaction: `repository.add_to_hot_rows`), against the same statements with
one worker, where nobody waits. Backends waiting on any lock are sampled as well. Each worker
runs as deployed, with the rollup consumer's batches in flight (two), so one worker alone
can keep both this process and the database busy."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from bench.report import Figure, Report
from canlian.common.db.database import Database
from canlian.common.db.metadata import platform_tables
from canlian.common.garbage_collector import tune_for_long_runs
from canlian.common.messaging.consumer import ConsumerRunner
from canlian.common.messaging.kafka import KafkaSubscriber
from canlian.common.settings import PlatformSettings
from canlian.metrics.app import service_descriptor as metrics_descriptor
from canlian.metrics.models import Base as MetricsBase
from canlian.metrics.rollups import consumer as metrics_consumer
from canlian.metrics.rollups import repository as metrics_repository
from canlian.testing.services import rebuild_schema

PARTITIONS = 12  # two topics of six


@dataclass
class Run:
    workers: int
    rate: float
    seconds: float
    hot_seconds: float  # summed over the workers' transactions
    hot_calls: int
    lock_wait_seconds: float  # sampled backends in a Lock wait, summed
    load: str


def _worker(
    settings: dict[str, Any],
    topics: list[str],
    group: str,
    slot: int,
    assigned: Any,
    go: Any,
    stop: Any,
    hot: Any,
) -> None:
    tune_for_long_runs()  # as the metrics worker's process is (its app's start tunes it)
    asyncio.run(_work(PlatformSettings(**settings), topics, group, slot, assigned, go, stop, hot))


async def _work(
    settings: PlatformSettings,
    topics: list[str],
    group: str,
    slot: int,
    assigned: Any,
    go: Any,
    stop: Any,
    hot: Any,
) -> None:
    timed = metrics_repository.add_to_hot_rows

    async def timing(*args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        await timed(*args, **kwargs)
        with hot.get_lock():
            hot[0] += time.perf_counter() - started
            hot[1] += 1

    metrics_repository.add_to_hot_rows = timing
    database = Database(settings, metrics_descriptor.schema)
    assert settings.kafka_bootstrap_servers is not None
    subscriber = KafkaSubscriber(settings.kafka_bootstrap_servers, group, topics)
    await subscriber.start()
    consumer = subscriber._consumer
    # Joined once the group has handed out every partition; only then does anyone read.
    while not go.is_set():
        assigned[slot] = len(consumer.assignment())
        await asyncio.sleep(0.05)
    runner = ConsumerRunner(
        "metrics-rollups",
        database,
        platform_tables(MetricsBase.metadata),
        subscriber,
        metrics_consumer.rollup_events,
        pipeline_depth=metrics_consumer.ROLLUP_CONSUMER.pipeline_depth,
    )
    running = asyncio.create_task(runner.run())
    await asyncio.to_thread(stop.wait)
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
    await subscriber.stop()
    await database.dispose()


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


async def _drain(dsn: str, expected: int, deadline: float) -> tuple[float, float]:
    """Seconds from the first claimed event to the last, and seconds of backends sampled
    waiting on a lock meanwhile (every 20 ms)."""
    connection = await asyncpg.connect(dsn)
    try:
        started: float | None = None
        waiting = 0.0
        last = time.perf_counter()
        while time.perf_counter() < deadline:
            claimed = await connection.fetchval(
                "SELECT count(*) FROM metrics.inbox WHERE consumer = 'metrics-rollups'"
            )
            now = time.perf_counter()
            if claimed and started is None:
                started = now
            if started is not None:
                waiters = await connection.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
                waiting += waiters * (now - last)
            last = now
            if claimed >= expected:
                break
            await asyncio.sleep(0.02)
        assert started is not None
        return time.perf_counter() - started, waiting
    finally:
        await connection.close()


def run_workers(settings: PlatformSettings, topics: list[str], expected: int, workers: int) -> Run:
    asyncio.run(rebuild_schema(metrics_descriptor, settings))
    context = multiprocessing.get_context("spawn")
    assigned = context.Array("i", [0] * workers)
    go, stop = context.Event(), context.Event()
    hot = context.Array("d", [0.0, 0.0])
    group = f"bench-workers-{uuid.uuid4()}"
    processes = [
        context.Process(
            target=_worker,
            args=(settings.model_dump(mode="json"), topics, group, slot, assigned, go, stop, hot),
        )
        for slot in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        # Every worker holds partitions, all of them are held, and so for a second: the
        # group's last rebalance is over before anyone reads.
        settled = 0
        for _ in range(1200):
            sizes = [int(assigned[slot]) for slot in range(workers)]
            settled = settled + 1 if min(sizes) > 0 and sum(sizes) == PARTITIONS else 0
            if settled >= 20:
                break
            time.sleep(0.05)
        go.set()
        dsn = (settings.database_url or "").replace("postgresql+asyncpg://", "postgresql://")
        seconds, waiting = asyncio.run(_drain(dsn, expected, time.perf_counter() + 1800))
        load = _load()
    finally:
        stop.set()
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.terminate()
    return Run(workers, expected / seconds, seconds, hot[0], int(hot[1]), waiting, load)


def run(report: Report, settings: PlatformSettings, topics: list[str], count: int) -> None:
    runs = [run_workers(settings, topics, count, workers) for workers in (1, 2, 4)]
    single = runs[0]
    # What the hot-row statements cost where nobody waits, per transaction.
    alone = single.hot_seconds / max(single.hot_calls, 1)
    for outcome in runs:
        waited = max(outcome.hot_seconds - alone * outcome.hot_calls, 0.0)
        report.add(
            Figure(
                "events",
                f"rollup workers in one group: {outcome.workers}, {count:,} events",
                outcome.rate,
                "events/s",
                "one worker" if outcome.workers > 1 else None,
                single.rate if outcome.workers > 1 else None,
                goal="not below one worker's",
                note=(
                    f"nation's and provinces' rows: {outcome.hot_seconds:.1f} s in "
                    f"{outcome.hot_calls} transactions over {outcome.seconds:.1f} s, "
                    f"≈ {waited:.1f} s of it waiting; backends in a lock wait "
                    f"(sampled) {outcome.lock_wait_seconds:.1f} s; load {outcome.load}"
                ),
            )
        )
