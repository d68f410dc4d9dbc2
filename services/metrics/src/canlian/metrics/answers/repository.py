"""Reading and moving the read model's version."""

from __future__ import annotations

import time

from sqlalchemy import Connection, Text, case, cast, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from canlian.common.db.database import Database
from canlian.metrics.answers.models import ReadModelVersion

_ROW = 1

# Every move is announced here on PostgreSQL, with the new version as payload, when it
# commits: the API processes listen, and need not read the version on every request.
CHANNEL = "canlian_metrics_read_model"


_VERSION = select(ReadModelVersion.version).where(ReadModelVersion.id == _ROW)


async def version(session: AsyncSession) -> int:
    """The version the data read next in this session is at least as new as."""
    found = await session.scalar(_VERSION)
    return int(found) if found is not None else 0


async def version_now(database: Database) -> int:
    """The version committed now, read on its own (one round trip, no transaction): data
    read after it, in any unit of work, is at least as new."""
    found = await database.scalar_on_its_own(_VERSION)
    return int(found) if found is not None else 0


async def version_on(connection: AsyncConnection) -> int:
    found = await connection.scalar(_VERSION)
    return int(found) if found is not None else 0


def move_version(connection: Connection) -> None:
    """Move the version past its value and past now (in microseconds): a version that a
    rolled-back transaction had reached is never reached again. On PostgreSQL, announce it
    on `CHANNEL` in the same statement (delivered when the transaction commits)."""
    now = time.time_ns() // 1000
    following = ReadModelVersion.version + 1
    move = (
        update(ReadModelVersion)
        .where(ReadModelVersion.id == _ROW)
        .values(version=case((following > now, following), else_=now))
    )
    if connection.dialect.name == "postgresql":
        moved_to = move.returning(ReadModelVersion.version).cte("moved")
        announced = connection.execute(
            select(func.pg_notify(literal(CHANNEL), cast(moved_to.c.version, Text)))
        ).all()
        if announced:
            return
    elif connection.execute(move).rowcount:
        return
    connection.execute(insert(ReadModelVersion).values(id=_ROW, version=now))
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_notify(literal(CHANNEL), literal(str(now)))))
