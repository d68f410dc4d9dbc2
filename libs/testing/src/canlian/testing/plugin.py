"""Pytest plugin: session-wide real servers and per-test rollback.

`DATABASE_URL` / `KAFKA_BOOTSTRAP_SERVERS` are used when set; otherwise a throwaway
PostgreSQL (initdb/pg_ctl) and a throwaway Kafka broker (KRaft, jars from Maven Central) are
started once, on first use, and stopped at the end. The summary says which servers ran.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from canlian.common.settings import PlatformSettings

_USED: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _USED:
        return
    terminalreporter.section("servers used by the tests")
    for name, description in sorted(_USED.items()):
        terminalreporter.write_line(f"{name}: {description}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(("postgresql", "postgres://")):
        _USED["PostgreSQL"] = "from DATABASE_URL"
        yield PlatformSettings(database_url=configured).database_url or configured
        return
    from canlian.testing.postgres import PostgresServer

    server = PostgresServer().start()
    _USED["PostgreSQL"] = f"throwaway server started by the harness ({server.url.split('@')[-1]})"
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "")
    if configured:
        _USED["Kafka"] = f"from KAFKA_BOOTSTRAP_SERVERS ({configured})"
        yield configured
        return
    from canlian.testing.kafka import KafkaServer

    server = KafkaServer().start()
    _USED["Kafka"] = f"throwaway KRaft broker started by the harness ({server.bootstrap_servers})"
    try:
        yield server.bootstrap_servers
    finally:
        server.stop()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keys and embedded files for the test session."""
    return tmp_path_factory.mktemp("canlian-data")


@pytest.fixture(scope="session")
def postgres_settings(postgres_url: str, data_dir: Path) -> PlatformSettings:
    """Settings of a service on the real PostgreSQL, with no broker (API tests)."""
    return PlatformSettings(
        database_url=postgres_url, canlian_data_dir=data_dir, canlian_environment="development"
    )


@pytest.fixture
def embedded_settings(tmp_path: Path) -> PlatformSettings:
    """Settings of the embedded default: SQLite files and the embedded log, fresh per test."""
    return PlatformSettings(canlian_data_dir=tmp_path)
