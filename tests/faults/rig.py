"""A small production-like platform for fault tests: its own PostgreSQL and Kafka broker (so
they can be stopped), the cards service taking writes and the metrics service rolling them
up, each a uvicorn process as in production."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaConsumer

from canlian.common import auth
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import installed_services
from canlian.common.messaging.kafka import topic_partitions
from canlian.common.settings import PlatformSettings
from canlian.metrics.cli.reconcile import ReconcileOutcome, reconcile
from canlian.metrics.settings import MetricsSettings
from canlian.testing.kafka import KafkaServer
from canlian.testing.postgres import PostgresServer
from canlian.testing.processes import ServiceProcess

COUNTY = "620102000000"


class FaultRig:
    def __init__(self, workdir: Path, services: tuple[str, ...] = ("cards", "metrics")) -> None:
        self.workdir = workdir
        self.names = services
        self.postgres = PostgresServer()
        self.kafka = KafkaServer()
        self.services: dict[str, ServiceProcess] = {}

    def start(self) -> None:
        self.postgres.start()
        self.kafka.start()
        self.settings = PlatformSettings(
            database_url=self.postgres.url,
            kafka_bootstrap_servers=self.kafka.bootstrap_servers,
            canlian_data_dir=self.workdir / "data",
            canlian_environment="development",
        )
        self.env = env = {
            **os.environ,
            "DATABASE_URL": self.postgres.url,
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka.bootstrap_servers,
            "CANLIAN_DATA_DIR": str(self.workdir / "data"),
            "CANLIAN_ENVIRONMENT": "development",
            "OUTBOX_POLL_SECONDS": "0.2",
        }
        descriptors = {d.name: d for d in installed_services()}
        for name in self.names:
            asyncio.run(upgrade(descriptors[name], self.settings))
            self.services[name] = ServiceProcess(descriptors[name], env, self.workdir)
            self.services[name].start()

    def stop(self) -> None:
        for service in self.services.values():
            service.stop()
        self.kafka.stop()
        self.postgres.stop()

    def official(self) -> dict[str, str]:
        token = auth.issue_token(
            self.settings, subject="clerk", roles=[auth.OFFICIAL], region=COUNTY
        )
        return {"Authorization": f"Bearer {token}"}

    def admin_token(self) -> str:
        return auth.issue_token(
            self.settings,
            subject="auditor",
            roles=[auth.ADMIN, auth.OFFICIAL],
            region="000000000000",
        )

    async def unconsumed(self) -> int:
        """Cards events committed but not yet applied by the metrics consumer."""
        connection = await asyncpg.connect(self.postgres.dsn)
        try:
            value = await connection.fetchval(
                "SELECT count(*) FROM cards.outbox o WHERE NOT EXISTS "
                "(SELECT 1 FROM metrics.inbox i WHERE i.event_id = o.event_id "
                "AND i.consumer = 'metrics-rollups')"
            )
        finally:
            await connection.close()
        return int(value)

    async def wait_caught_up(self, timeout_seconds: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_seconds
        while (left := await self.unconsumed()) > 0:
            if time.monotonic() > deadline:
                raise AssertionError(await self._stuck_report(left))
            await asyncio.sleep(0.5)

    async def _stuck_report(self, left: int) -> str:
        """Where the events stopped: still in the outbox (relay) or on the topic (consumer)."""
        connection = await asyncpg.connect(self.postgres.dsn)
        try:
            unpublished = await connection.fetchval(
                "SELECT count(*) FROM cards.outbox WHERE published_at IS NULL"
            )
        finally:
            await connection.close()
        return (
            f"{left} events never reached the rollups ({unpublished} never left the outbox)\n"
            f"--- cards log ---\n{self.services['cards'].log()[-2000:]}\n"
            f"--- metrics log ---\n{self.services['metrics'].log()[-3000:]}"
        )

    async def wait_group_drained(self, group: str, timeout_seconds: float = 120.0) -> None:
        """Until the group has committed every offset of the cards topic."""
        partitions = await topic_partitions(self.kafka.bootstrap_servers, ["canlian.cards"])
        assert partitions, "the cards topic should exist"
        consumer = AIOKafkaConsumer(bootstrap_servers=self.kafka.bootstrap_servers, group_id=group)
        await consumer.start()
        try:
            deadline = time.monotonic() + timeout_seconds
            while True:
                ends = await consumer.end_offsets(partitions)
                committed = {p: (await consumer.committed(p)) or 0 for p in partitions}
                if all(committed[p] >= ends[p] for p in partitions):
                    return
                if time.monotonic() > deadline:
                    raise AssertionError(f"group {group} lags: {committed} < {ends}")
                await asyncio.sleep(0.5)
        finally:
            await consumer.stop()

    async def reconcile(self) -> ReconcileOutcome:
        """The rollups against every running source service's current data."""
        settings = MetricsSettings(**self.settings.model_dump())
        sources = {name: self.services[name].url for name in self.names if name != "metrics"}
        return await reconcile(settings, source_urls=sources, token=self.admin_token())
