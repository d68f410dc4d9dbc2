"""A small production-like platform for fault tests: its own PostgreSQL and Kafka broker (so
they can be stopped), the cards service taking writes and the metrics service rolling them
up, each a uvicorn process as in production."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from canlian.common import auth
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import ServiceDescriptor, installed_services
from canlian.common.settings import PlatformSettings
from canlian.metrics.cli import ReconcileOutcome, reconcile
from canlian.metrics.settings import MetricsSettings
from canlian.testing.kafka import KafkaServer
from canlian.testing.postgres import PostgresServer

COUNTY = "620102000000"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServiceProcess:
    def __init__(self, descriptor: ServiceDescriptor, env: dict[str, str], log_dir: Path) -> None:
        self.descriptor = descriptor
        self.env = env
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"{descriptor.name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            self.descriptor.app_factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-access-log",
        ]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError(f"{self.descriptor.name} did not start: {self.log()[-2000:]}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


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
                log = self.services["metrics"].log()[-3000:]
                raise AssertionError(f"{left} events never reached the rollups\n{log}")
            await asyncio.sleep(0.5)

    async def wait_group_drained(self, group: str, timeout_seconds: float = 120.0) -> None:
        """Until the group has committed every offset of the cards topic."""
        consumer = AIOKafkaConsumer(bootstrap_servers=self.kafka.bootstrap_servers, group_id=group)
        await consumer.start()
        try:
            partitions = [
                TopicPartition("canlian.cards", p)
                for p in consumer.partitions_for_topic("canlian.cards") or set()
            ]
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
