"""Reading and moving the read model's version."""

from __future__ import annotations

import time

from sqlalchemy import Connection, case, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.database import Database
from canlian.metrics.answers.models import ReadModelVersion

_ROW = 1


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


def move_version(connection: Connection) -> None:
    """Move the version past its value and past now (in microseconds): a version that a
    rolled-back transaction had reached is never reached again."""
    now = time.time_ns() // 1000
    following = ReadModelVersion.version + 1
    moved = connection.execute(
        update(ReadModelVersion)
        .where(ReadModelVersion.id == _ROW)
        .values(version=case((following > now, following), else_=now))
    )
    if moved.rowcount == 0:
        connection.execute(insert(ReadModelVersion).values(id=_ROW, version=now))
