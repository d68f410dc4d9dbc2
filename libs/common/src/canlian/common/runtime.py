"""Everything a running service holds: settings, database, outbox and relay, consumers,
periodic jobs, the token verifier and the personal-data keys; started and stopped by the
app's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import MetaData

from canlian.common.auth import TokenVerifier
from canlian.common.db.database import Database
from canlian.common.db.metadata import PlatformTables, platform_tables
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.division_names.events import CONSUMED_TOPICS, names_keeper
from canlian.common.division_names.labels import DivisionNames
from canlian.common.division_names.table import declared_division_names
from canlian.common.import_jobs.kinds import ImportKind
from canlian.common.import_jobs.table import declared_import_jobs
from canlian.common.import_jobs.worker import ImportJobWorker
from canlian.common.messaging.bus import make_publisher, make_subscriber
from canlian.common.messaging.consumer import ConsumerRunner, EventBatchHandler
from canlian.common.messaging.kafka import ensure_topics
from canlian.common.messaging.outbox import Outbox, OutboxRelay
from canlian.common.messaging.transport import Publisher, Subscriber
from canlian.common.personal_data import PersonalDataProtector, protector_from_settings
from canlian.common.rate_limit import RateLimiter
from canlian.common.settings import PlatformSettings

logger = logging.getLogger("canlian.runtime")

DOMAIN_TOPICS = (
    "canlian.org-registry",
    "canlian.members",
    "canlian.cards",
    "canlian.volunteers",
    "canlian.metrics",
    "canlian.needs",
)


@dataclass(frozen=True)
class ConsumerSpec:
    name: str
    topics: Sequence[str]
    handler: EventBatchHandler
    # More than one only for a handler whose outcome does not depend on the order of
    # batches (see messaging.consumer.PIPELINE_DEPTH).
    pipeline_depth: int = 1


@dataclass(frozen=True)
class PeriodicJob:
    """A job the service's workers run every `every_seconds` (the first run soon after the
    start). Every replica runs it: the job itself makes a second run harmless (a claim of
    its period in the database, say), and a failed run is logged and tried next time."""

    name: str
    every_seconds: float
    run: Callable[[ServiceRuntime], Awaitable[object]]


class ServiceRuntime:
    def __init__(
        self,
        descriptor: ServiceDescriptor,
        settings: PlatformSettings,
        metadata: MetaData,
        consumers: Sequence[ConsumerSpec] = (),
        import_kinds: Sequence[ImportKind] = (),
        periodic_jobs: Sequence[PeriodicJob] = (),
    ) -> None:
        self.descriptor = descriptor
        self.settings = settings
        self.database = Database(settings, descriptor.schema)
        self.tables: PlatformTables = platform_tables(metadata)
        self.outbox = Outbox(
            self.tables,
            source=f"/canlian/{descriptor.name}",
            schema_base_url=settings.events_base_url or "",
        )
        self.publisher: Publisher = make_publisher(settings, client_id=descriptor.name)
        self.relay = OutboxRelay(
            self.database,
            self.tables,
            self.publisher,
            service=descriptor.name,
            batch_size=settings.outbox_batch_size,
            poll_seconds=settings.outbox_poll_seconds,
            earlier_versions_until=settings.events_earlier_versions_until,
        )
        self.token_verifier = TokenVerifier(settings)
        self.rate_limiter = RateLimiter(self.database, self.tables, service=descriptor.name)
        self.personal_data: PersonalDataProtector = protector_from_settings(settings)
        self.consumer_specs = list(consumers)
        # Names beside codes in what people read: only where the service declares the table.
        self.division_names: DivisionNames | None = None
        names_table = declared_division_names(metadata)
        if names_table is not None:
            self.division_names = DivisionNames(self.database, names_table)
            self.consumer_specs.append(
                ConsumerSpec(
                    f"{descriptor.name}-division-names", CONSUMED_TOPICS, names_keeper(names_table)
                )
            )
        self.consumers: list[ConsumerRunner] = []
        self.periodic_jobs = list(periodic_jobs)
        # Imports run in the background: only where the service declares the table.
        self.import_jobs_table = declared_import_jobs(metadata)
        self.import_worker: ImportJobWorker | None = None
        if import_kinds:
            if self.import_jobs_table is None:
                raise RuntimeError("import kinds need the import_jobs table on the metadata")
            self.import_worker = ImportJobWorker(self, self.import_jobs_table, import_kinds)
        self.publisher_ready = False
        # What runs while the service serves requests, with or without the background work.
        self.serving_tasks: list[tuple[str, Callable[[], Coroutine[Any, Any, None]]]] = []
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, *, run_background: bool = True, migrate: bool = False) -> None:
        if migrate:
            await upgrade(self.descriptor, self.settings)
        for name, serving in self.serving_tasks:
            self._tasks.append(asyncio.create_task(serving(), name=name))
        if run_background:
            self._tasks.append(asyncio.create_task(self._run_relay(), name="outbox-relay"))
            if self.import_worker is not None:
                self._tasks.append(
                    asyncio.create_task(self.import_worker.run(), name="import-jobs")
                )
            for spec in self.consumer_specs:
                self._tasks.append(
                    asyncio.create_task(self._run_consumer(spec), name=f"consumer-{spec.name}")
                )
            for job in self.periodic_jobs:
                self._tasks.append(
                    asyncio.create_task(self.run_periodically(job), name=f"periodic-{job.name}")
                )

    async def _start_with_retry(self, what: str, starter: Publisher | Subscriber) -> None:
        delay = 0.5
        while True:
            try:
                if self.settings.kafka_bootstrap_servers:
                    await ensure_topics(
                        self.settings.kafka_bootstrap_servers,
                        DOMAIN_TOPICS,
                        self.settings.kafka_topic_partitions,
                    )
                await starter.start()
                return
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("%s: event bus unreachable (%s); retrying", what, error)
                with contextlib.suppress(Exception):
                    await starter.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def _run_relay(self) -> None:
        await self._start_with_retry("outbox relay", self.publisher)
        self.publisher_ready = True
        await self.relay.run()

    async def _run_consumer(self, spec: ConsumerSpec) -> None:
        subscriber = make_subscriber(self.settings, spec.name, spec.topics)
        await self._start_with_retry(f"consumer {spec.name}", subscriber)
        runner = ConsumerRunner(
            spec.name,
            self.database,
            self.tables,
            subscriber,
            spec.handler,
            pipeline_depth=spec.pipeline_depth,
        )
        self.consumers.append(runner)
        try:
            await runner.run()
        finally:
            with contextlib.suppress(Exception):
                await subscriber.stop()

    async def run_periodically(self, job: PeriodicJob) -> None:
        """Until cancelled: run the job, wait its interval, again."""
        while True:
            try:
                await job.run(self)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                # The database away or not migrated yet: the next interval tries again.
                logger.warning("periodic job %s failed (%s); next time", job.name, error)
            await asyncio.sleep(job.every_seconds)

    async def check_bus(self) -> None:
        if not self.publisher_ready:
            raise ConnectionError("event bus not connected yet")
        await self.publisher.ping()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        with contextlib.suppress(Exception):
            await self.publisher.stop()
        self.publisher_ready = False
        await self.database.dispose()
