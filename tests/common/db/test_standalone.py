"""A statement on its own commits by itself, on both dialects; on PostgreSQL it runs on the
pooled asyncpg connection and its errors come out as SQLAlchemy's, the pool staying usable.
A unit of work that never touched the database ends with nothing sent to it."""

from pathlib import Path

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Session

from canlian.common.db.database import Database, ensure_schema
from canlian.common.db.outages import is_database_unavailable
from canlian.common.db.writes import on_write_commit
from canlian.common.settings import PlatformSettings

SCHEMA = "standalone_test"

metadata = MetaData(schema=SCHEMA)
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("detail", JSON, nullable=True),
)


class _Base(DeclarativeBase):
    metadata = metadata


class Note(_Base):
    __table__ = notes


ADD_NOTE = insert(notes).returning(notes.c.id)
DETAIL_OF = select(notes.c.code).where(notes.c.id == 1)  # a value bound in the statement


async def _fresh(settings: PlatformSettings) -> Database:
    # Pool size 1: a connection not given back, or given back broken, shows at once.
    database = Database(settings.model_copy(update={"db_pool_size": 1}), SCHEMA)
    await ensure_schema(database.engine, SCHEMA)
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
        await connection.run_sync(metadata.create_all)
    return database


async def _codes(database: Database) -> list[str]:
    async with database.read_session() as session:
        return list((await session.scalars(select(notes.c.code).order_by(notes.c.id))).all())


async def _commits_by_itself(database: Database) -> None:
    first = await database.scalar_on_its_own(ADD_NOTE, {"code": "甲", "detail": {"a": [1]}})
    second = await database.scalar_on_its_own(ADD_NOTE, {"code": "乙", "detail": None})
    assert (first, second) == (1, 2)
    assert await _codes(database) == ["甲", "乙"]  # seen from another connection: committed
    assert await database.scalar_on_its_own(DETAIL_OF) == "甲"
    async with database.read_session() as session:
        detail = await session.scalar(select(notes.c.detail).where(notes.c.id == 1))
    assert detail == {"a": [1]}  # the JSON type's own encoding was applied
    with pytest.raises(IntegrityError):
        await database.scalar_on_its_own(ADD_NOTE, {"code": "甲", "detail": None})
    # The failed statement wrote nothing and gave its connection back in working order.
    assert await database.scalar_on_its_own(ADD_NOTE, {"code": "丙", "detail": None}) > second
    assert await _codes(database) == ["甲", "乙", "丙"]


@pytest.mark.postgres
async def test_a_statement_on_its_own_on_postgresql(postgres_settings: PlatformSettings) -> None:
    database = await _fresh(postgres_settings)
    try:
        await _commits_by_itself(database)
    finally:
        await database.dispose()


async def test_a_statement_on_its_own_on_sqlite(tmp_path: Path) -> None:
    database = await _fresh(PlatformSettings(canlian_data_dir=tmp_path))
    try:
        await _commits_by_itself(database)
    finally:
        await database.dispose()


@pytest.mark.postgres
async def test_a_connection_lost_in_the_statement_is_an_outage_and_replaced(
    postgres_settings: PlatformSettings,
) -> None:
    database = await _fresh(postgres_settings)
    try:
        first = await database.scalar_on_its_own(text("SELECT pg_backend_pid()"))
        with pytest.raises(DBAPIError) as raised:
            await database.scalar_on_its_own(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        assert is_database_unavailable(raised.value)
        assert raised.value.connection_invalidated
        # The pool of one connects anew; the caller of the next statement sees no error.
        second = await database.scalar_on_its_own(text("SELECT pg_backend_pid()"))
        assert isinstance(second, int)
        assert second != first
    finally:
        await database.dispose()


@pytest.mark.postgres
async def test_a_database_with_write_hooks_refuses_writes_on_their_own(
    postgres_settings: PlatformSettings,
) -> None:
    database = await _fresh(postgres_settings)
    on_write_commit(database.sync_sessions, lambda _session: None)
    try:
        with pytest.raises(RuntimeError, match="watched"):
            await database.scalar_on_its_own(ADD_NOTE, {"code": "甲", "detail": None})
        assert await _codes(database) == []
        assert await database.scalar_on_its_own(select(notes.c.id).limit(1)) is None  # reads go
    finally:
        await database.dispose()


async def test_an_untouched_unit_of_work_ends_without_the_database(tmp_path: Path) -> None:
    database = await _fresh(PlatformSettings(canlian_data_dir=tmp_path))
    committed: list[AsyncSession] = []
    database.on_commit(committed.append)
    begun: list[Session] = []
    event.listen(database.sync_sessions, "after_begin", lambda session, *_: begun.append(session))
    try:
        async with database.session():
            pass
        assert (begun, committed) == ([], [])
        async with database.session() as session:
            await session.execute(ADD_NOTE, {"code": "甲", "detail": None})
        assert (len(begun), len(committed)) == (1, 1)
        async with database.session() as session:
            session.add(Note(code="乙"))  # pending, no statement sent yet: still committed
        assert (len(begun), len(committed)) == (2, 2)
        assert await _codes(database) == ["甲", "乙"]
    finally:
        await database.dispose()
