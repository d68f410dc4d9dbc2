"""The five services as processes, as users run them, on the real PostgreSQL."""

import asyncio
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from canlian.common import citizen_id
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings
from canlian.testing.databases import drop_database, fresh_database
from canlian.testing.processes import ServiceProcess

_ID_LIKE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


class ServicePool:
    """Starts each service on first use, migrated on the test PostgreSQL; stops them all."""

    def __init__(self, settings: PlatformSettings, log_dir: Path) -> None:
        self._settings = settings
        self._log_dir = log_dir
        self._running: dict[str, ServiceProcess] = {}
        self.env = {
            **os.environ,
            "DATABASE_URL": settings.database_url or "",
            "CANLIAN_DATA_DIR": str(settings.data_dir),
            "CANLIAN_ENVIRONMENT": "development",
        }
        self.env.pop("KAFKA_BOOTSTRAP_SERVERS", None)

    @property
    def settings(self) -> PlatformSettings:
        """The settings of the package's database, which the service processes run on."""
        return self._settings

    def __getitem__(self, name: str) -> ServiceProcess:
        if name not in self._running:
            descriptor = next(d for d in installed_services() if d.name == name)
            asyncio.run(upgrade(descriptor, self._settings))
            service = ServiceProcess(descriptor, self.env, self._log_dir)
            self._running[name] = service
            service.start()
        return self._running[name]

    def stop(self) -> None:
        for service in self._running.values():
            service.stop()

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


# The package's own database: its service processes run relays and consumers, which must
# not take the outbox rows of tests in other packages. Stopped when the package is done.
FAULTS_DATABASE = "canlian_faults"


@pytest.fixture(scope="package")
def service_processes(
    postgres_settings: PlatformSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServicePool]:
    settings = asyncio.run(fresh_database(postgres_settings, FAULTS_DATABASE))
    pool = ServicePool(settings, tmp_path_factory.mktemp("service-logs"))
    try:
        yield pool
    finally:
        pool.stop()
        asyncio.run(drop_database(postgres_settings, FAULTS_DATABASE))
    leaks = pool.citizen_ids_in_logs()
    assert not leaks, "citizen IDs in service logs:\n" + "\n".join(leaks[:20])
