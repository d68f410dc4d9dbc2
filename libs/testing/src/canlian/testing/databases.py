"""Databases of their own on the test server, for tests whose writes must not meet others'.

Service processes kept running by one test package (their relays and consumers poll the
outbox every half second) would otherwise publish another package's events to their own
bus, and an outbox row published elsewhere is never seen on the broker a test listens to.
"""

from __future__ import annotations

import asyncpg

from canlian.common.settings import PlatformSettings


def _server_url(settings: PlatformSettings) -> str:
    assert settings.database_url is not None, "a PostgreSQL URL is needed"
    return settings.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _with_database(settings: PlatformSettings, database: str) -> PlatformSettings:
    assert settings.database_url is not None
    url = settings.database_url.rsplit("/", 1)[0] + "/" + database
    return settings.model_copy(update={"database_url": url})


async def fresh_database(settings: PlatformSettings, database: str) -> PlatformSettings:
    """The same server with an empty database `database` (dropped first if left over)."""
    connection = await asyncpg.connect(_server_url(settings))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()
    return _with_database(settings, database)


async def drop_database(settings: PlatformSettings, database: str) -> None:
    connection = await asyncpg.connect(_server_url(settings))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await connection.close()
