"""Engines and sessions.

PostgreSQL: tables live in the service's schema. Embedded: the service's SQLite file is
attached under the schema's name, so the same schema-qualified tables work on both.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Executable, event, exc, text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import AsyncAdaptedQueuePool

from canlian.common.db import writes
from canlian.common.db.standalone import StandaloneStatements
from canlian.common.settings import PlatformSettings

SessionHook = Callable[[AsyncSession], None]


def database_url(settings: PlatformSettings) -> str:
    return settings.database_url or "sqlite+aiosqlite://"


def private_database_file(path: Path) -> None:
    """Create an embedded database file readable by its owner only (0600), before SQLite
    does with the umask's 0644; SQLite gives its -wal and -shm files the same mode. The
    data directory is made 0700 when this creates it."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(descriptor)
    path.chmod(0o600)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.chmod(0o600)


def create_engine(settings: PlatformSettings, schema: str) -> AsyncEngine:
    url = database_url(settings)
    if url.startswith("sqlite"):
        path = settings.sqlite_path(schema)
        private_database_file(path)
        engine = create_async_engine(
            url,
            poolclass=AsyncAdaptedQueuePool,
            pool_size=settings.db_pool_size,
            hide_parameters=True,
        )
        _attach_sqlite(engine, path, schema)
        return engine
    engine = create_async_engine(
        url,
        # The peak stays pool size plus as many again, but all of them are kept: SQLAlchemy
        # closes an overflow connection whenever the pool has room, and under steady load
        # above the pool size it opened a new one a moment later (1.5 ms of this process's
        # CPU, and a backend start in PostgreSQL), every few dozen requests.
        pool_size=2 * settings.db_pool_size,
        max_overflow=0,
        pool_timeout=5,
        # Parameters may hold personal data; keep them out of error texts.
        hide_parameters=True,
        connect_args={"timeout": 5, "command_timeout": 30},
    )
    _check_on_checkout(engine)
    return engine


# SQLAlchemy's pool_pre_ping costs three round trips on every checkout (BEGIN, a query,
# ROLLBACK: as much as the rest of a small request). A connection in use a moment ago needs
# none: asyncpg has seen the server close it (a restart, a terminated backend). Only one
# idle for longer than this is pinged, for what closes it silently (a firewall, a NAT).
PING_AFTER_IDLE_SECONDS = 5.0
_IDLE_SINCE = "canlian_idle_since"


def _check_on_checkout(engine: AsyncEngine) -> None:
    dialect = engine.sync_engine.dialect

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None:
            return  # just connected
        # As a failed pre-ping does: the server went away, so every pooled connection is
        # stale; the pool reconnects this one and retires the others as they come out.
        if record.driver_connection.is_closed():
            raise exc.InvalidatePoolError("connection closed by the server")
        if time.monotonic() - idle_since > PING_AFTER_IDLE_SECONDS:
            try:
                dialect.do_ping(dbapi_connection)
            except Exception as error:
                raise exc.InvalidatePoolError(f"ping failed: {error}") from error


def _attach_sqlite(engine: AsyncEngine, path: Path, schema: str) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin hook below issue BEGIN, not the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute(f"ATTACH DATABASE '{path}' AS \"{schema}\"")
        cursor.execute(f'PRAGMA "{schema}".journal_mode = WAL')
        cursor.execute(f'PRAGMA "{schema}".synchronous = NORMAL')
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    # pysqlite's own transaction handling defers BEGIN; take the write lock at BEGIN instead
    # so concurrent writers wait on busy_timeout rather than fail on upgrade.
    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


async def ensure_schema(engine: AsyncEngine, schema: str) -> None:
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))


def _untouched(session: AsyncSession) -> bool:
    return not (
        session.in_transaction()
        or session.new
        or session.dirty
        or session.deleted
        or session.identity_map
    )


class Database:
    """A service's engine and session factory.

    `session()` is the unit of work: it commits when the block ends normally and rolls back
    otherwise. Services and repositories never commit.
    """

    def __init__(self, settings: PlatformSettings, schema: str) -> None:
        self.schema = schema
        self.engine = create_engine(settings, schema)
        self._bind: AsyncEngine | AsyncConnection = self.engine
        # The sessions' synchronous side: session events of this database are listened on it
        # (`canlian.common.db.writes`), and it outlives `bind_to`.
        self.sync_sessions: sessionmaker[Session] = sessionmaker()
        self.sessionmaker = self._make_sessionmaker()
        self._after_commit: list[SessionHook] = []
        self._standalone = (
            StandaloneStatements(self.engine) if self.engine.dialect.name == "postgresql" else None
        )

    def _make_sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        return async_sessionmaker(
            self._bind,
            sync_session_class=self.sync_sessions,
            expire_on_commit=False,
            autoflush=True,
            join_transaction_mode="create_savepoint",
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def on_commit(self, hook: SessionHook) -> None:
        """Run `hook(session)` after each unit of work commits (e.g. wake the outbox relay)."""
        self._after_commit.append(hook)

    def bind_to(self, connection: AsyncConnection) -> None:
        """Tests: run every session inside an outer transaction that the test rolls back."""
        self._bind = connection
        self.sessionmaker = self._make_sessionmaker()

    def bind_to_engine(self) -> None:
        self._bind = self.engine
        self.sessionmaker = self._make_sessionmaker()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        session = self.sessionmaker()
        try:
            yield session
        except BaseException:
            try:
                await session.rollback()
            finally:
                await session.close()  # even when the rollback fails (the database away)
            raise
        if _untouched(session):
            # A request that never used its unit of work (its one statement ran on its own):
            # no transaction to end and nothing to release; closing it would still cost as
            # much as the statement.
            return
        try:
            await session.commit()
            for hook in self._after_commit:
                hook(session)
        finally:
            await session.close()

    @asynccontextmanager
    async def read_session(self) -> AsyncIterator[AsyncSession]:
        """A session that never writes; rolled back at the end."""
        async with self.sessionmaker() as session:
            try:
                yield session
            finally:
                await session.rollback()

    async def scalar_on_its_own(
        self, statement: Executable, values: Mapping[str, Any] | None = None
    ) -> Any:
        """One statement outside any unit of work, committed by itself (no BEGIN or COMMIT
        round trips), for a value read on every request (a version) or a write that is a
        request's whole unit of work (one INSERT ... RETURNING); the first column of the
        first row, or None. Write hooks (`canlian.common.db.writes`) do not see it, so a
        database that has them refuses a write here. Bound to a test's connection, it runs
        on that connection, so that it sees the test's writes and is rolled back with them."""
        values = values or {}
        writing = writes.is_write_statement(statement)
        if writing and writes.watched(self.sync_sessions):
            raise RuntimeError("this database's writes are watched: write in a unit of work")
        if isinstance(self._bind, AsyncConnection):
            return await self._bind.scalar(statement, values)
        if self._standalone is not None:
            return await self._standalone.scalar(statement, values)
        if writing:
            # SQLite: BEGIN IMMEDIATE is issued on any begin, autocommit or not, and rolled
            # back on release; a write goes in a transaction of its own.
            async with self.engine.begin() as connection:
                return await connection.scalar(statement, values)
        async with self.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            return await connection.scalar(statement, values)

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
