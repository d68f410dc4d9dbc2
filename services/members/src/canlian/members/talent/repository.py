"""Queries of the talent pool. Takes a session; never commits."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.members.archive.models import Member


async def talent_pool_counts(session: AsyncSession, prefix: str) -> tuple[int, int]:
    row = (
        await session.execute(
            select(
                func.count().filter(Member.in_talent_pool.is_(True)),
                func.count().filter(Member.reserve_cadre.is_(True)),
            ).where(Member.division_code.startswith(prefix))
        )
    ).one()
    return int(row[0]), int(row[1])
