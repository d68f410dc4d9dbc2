"""The read model's version known from PostgreSQL's announcements: another process's move
is known without a read, this process's own is read once more, and while the listening
connection is away every request reads it again."""

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from canlian.common.db.database import Database
from canlian.common.settings import PlatformSettings
from canlian.metrics.answers import repository
from canlian.metrics.answers.changes import keep_version
from canlian.metrics.answers.versions import VersionWatch

pytestmark = pytest.mark.postgres

# A write the write hook notices and that changes no data.
_NOTHING = text("UPDATE metrics.divisions SET name = name WHERE false")


async def _until(condition: Callable[[], Coroutine[Any, Any, bool]], what: str) -> None:
    for _ in range(200):
        if await condition():
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"not within 5 s: {what}")


@pytest.fixture
async def databases(
    metrics_app: FastAPI, postgres_settings: PlatformSettings
) -> AsyncIterator[tuple[Database, Database]]:
    """This process's database and another process's, committing for real (the schema is
    the metrics app's)."""
    here, there = Database(postgres_settings, "metrics"), Database(postgres_settings, "metrics")
    keep_version(there)
    yield here, there
    await here.dispose()
    await there.dispose()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted: list[int] = []
    version_now = repository.version_now

    async def counting(database: Database) -> int:
        counted.append(await version_now(database))
        return counted[-1]

    monkeypatch.setattr(repository, "version_now", counting)
    return counted


async def _move(database: Database) -> None:
    async with database.session() as session:
        await session.execute(_NOTHING)


@pytest.fixture
async def watch(databases: tuple[Database, Database]) -> AsyncIterator[VersionWatch]:
    here, _ = databases
    watch = VersionWatch(here)
    keep_version(here, moved=watch.moved_here)
    assert watch.listener is not None
    listener = watch.listener
    task = asyncio.create_task(watch.run())

    async def listening() -> bool:
        return listener.listening

    await _until(listening, "listening")
    yield watch
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_another_processs_move_is_known_without_a_read(
    watch: VersionWatch, databases: tuple[Database, Database], reads: list[int]
) -> None:
    here, there = databases
    start = await watch.now()
    assert len(reads) == 1  # the first call reads: nothing of this process was counted yet
    assert await watch.now() == start
    await _move(there)

    async def moved() -> bool:
        return await watch.now() > start

    await _until(moved, "the announcement")
    assert len(reads) == 1
    assert await watch.now() == await repository.version_now(here)


async def test_this_processs_own_move_is_read_once_more(
    watch: VersionWatch, databases: tuple[Database, Database], reads: list[int]
) -> None:
    here, _ = databases
    start = await watch.now()
    assert watch.listener is not None
    watch.listener._on_payload = lambda _payload: None  # its announcement never comes
    await _move(here)
    moved = await watch.now()
    assert moved > start
    assert len(reads) == 2
    assert await watch.now() == moved
    assert len(reads) == 2


async def test_while_the_listener_is_away_every_call_reads(
    watch: VersionWatch, databases: tuple[Database, Database], reads: list[int]
) -> None:
    _, there = databases
    listener = watch.listener
    assert listener is not None
    await watch.now()
    async with there.session() as session:
        stopped = await session.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": listener.application_name},
        )
    assert stopped == 1

    async def away() -> bool:
        return not listener.listening

    await _until(away, "the listener notices")
    before = len(reads)
    await watch.now()
    await watch.now()
    assert len(reads) == before + 2

    async def back() -> bool:
        return listener.listening

    await _until(back, "listening again")
    start = await watch.now()
    settled = len(reads)
    await _move(there)

    async def moved() -> bool:
        return await watch.now() > start

    await _until(moved, "the announcement after reconnecting")
    assert len(reads) == settled
