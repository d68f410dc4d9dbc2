"""The five services as processes, as users run them, on the real PostgreSQL."""

import asyncio
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from canlian.common import citizen_id
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import ServiceDescriptor, installed_services
from canlian.common.settings import PlatformSettings

_ID_LIKE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


@dataclass
class RunningService:
    descriptor: ServiceDescriptor
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _start(
    descriptor: ServiceDescriptor, port: int, env: dict[str, str], log_dir: Path
) -> RunningService:
    log_path = log_dir / f"{descriptor.name}.log"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        descriptor.app_factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(
        command, env=env, stdout=log_path.open("wb"), stderr=subprocess.STDOUT
    )
    return RunningService(descriptor, f"http://127.0.0.1:{port}", process, log_path)


def wait_ready(service: RunningService, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{service.url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if service.process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"{service.descriptor.name} did not start:\n{service.log()[-3000:]}")


class ServicePool:
    """Starts each service on first use, migrated on the test PostgreSQL; stops them all."""

    def __init__(self, settings: PlatformSettings, log_dir: Path) -> None:
        self._settings = settings
        self._log_dir = log_dir
        self._offset = random.randint(20_000, 30_000)
        self._running: dict[str, RunningService] = {}
        self.env = {
            **os.environ,
            "DATABASE_URL": settings.database_url or "",
            "CANLIAN_DATA_DIR": str(settings.data_dir),
            "CANLIAN_ENVIRONMENT": "development",
        }
        self.env.pop("KAFKA_BOOTSTRAP_SERVERS", None)

    def __getitem__(self, name: str) -> RunningService:
        if name not in self._running:
            descriptor = next(d for d in installed_services() if d.name == name)
            asyncio.run(upgrade(descriptor, self._settings))
            service = _start(
                descriptor, descriptor.default_port + self._offset, self.env, self._log_dir
            )
            self._running[name] = service
            wait_ready(service)
        return self._running[name]

    def stop(self) -> None:
        for service in self._running.values():
            service.process.terminate()
        for service in self._running.values():
            try:
                service.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                service.process.kill()

    def citizen_ids_in_logs(self) -> list[str]:
        """Log lines holding a well-formed citizen ID (check digit valid): there must be none."""
        leaks = []
        for service in self._running.values():
            for line in service.log().splitlines():
                for candidate in _ID_LIKE.findall(line):
                    try:
                        citizen_id.parse(candidate)
                    except citizen_id.InvalidCitizenId:
                        continue
                    leaks.append(f"{service.descriptor.name}: {line[:300]}")
        return leaks


@pytest.fixture(scope="session")
def service_processes(
    postgres_settings: PlatformSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServicePool]:
    pool = ServicePool(postgres_settings, tmp_path_factory.mktemp("service-logs"))
    try:
        yield pool
    finally:
        pool.stop()
    leaks = pool.citizen_ids_in_logs()
    assert not leaks, "citizen IDs in service logs:\n" + "\n".join(leaks[:20])
