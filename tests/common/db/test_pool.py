"""Pooled PostgreSQL connections are checked on checkout without a round trip when they were
in use a moment ago, and pinged when they sat idle longer."""

import asyncio
from typing import Any

import pytest
from sqlalchemy import text

from canlian.common.db import database as database_module
from canlian.common.db.database import Database
from canlian.common.settings import PlatformSettings

pytestmark = pytest.mark.postgres


def _small_pool(settings: PlatformSettings) -> Database:
    return Database(settings.model_copy(update={"db_pool_size": 1}), "pool_test")


async def _backend_pid(database: Database) -> int:
    async with database.session() as session:
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
    assert isinstance(pid, int)
    return pid


class _Pings:
    def __init__(self, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        dialect = database.engine.sync_engine.dialect
        ping = dialect.do_ping

        def counting(dbapi_connection: Any) -> bool:
            self.count += 1
            return bool(ping(dbapi_connection))

        monkeypatch.setattr(dialect, "do_ping", counting)


async def test_a_connection_the_server_closed_is_replaced_on_checkout(
    postgres_settings: PlatformSettings,
) -> None:
    database = _small_pool(postgres_settings)
    admin = _small_pool(postgres_settings)
    try:
        first = await _backend_pid(database)
        async with admin.session() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        for _ in range(50):  # until the backend is gone and asyncpg has read its goodbye
            await asyncio.sleep(0.02)
            async with admin.session() as session:
                alive = await session.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": first}
                )
            if not alive:
                break
        second = await _backend_pid(database)  # no error reaches the caller
        assert second != first
    finally:
        await database.dispose()
        await admin.dispose()


async def test_connections_in_steady_use_are_not_pinged_idle_ones_are(
    postgres_settings: PlatformSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = _small_pool(postgres_settings)
    pings = _Pings(database, monkeypatch)
    try:
        first = await _backend_pid(database)
        for _ in range(3):
            assert await _backend_pid(database) == first
        assert pings.count == 0
        monkeypatch.setattr(database_module, "PING_AFTER_IDLE_SECONDS", 0.0)
        await asyncio.sleep(0.01)
        assert await _backend_pid(database) == first
        assert pings.count == 1
    finally:
        await database.dispose()
