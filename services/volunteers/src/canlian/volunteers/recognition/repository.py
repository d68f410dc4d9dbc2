"""Queries on star policies, trainings and honours. Functions take the request's session
and never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.volunteers.recognition.models import Honour, StarPolicy, Training


async def star_policies_for(session: AsyncSession, lineage: Sequence[str]) -> list[StarPolicy]:
    statement = select(StarPolicy).where(StarPolicy.division_code.in_(list(lineage)))
    return list((await session.scalars(statement)).all())


async def get_star_policy(
    session: AsyncSession, division_code: str, *, lock: bool = False
) -> StarPolicy | None:
    return await session.get(
        StarPolicy, division_code, with_for_update=lock, populate_existing=lock
    )


async def trainings_of(session: AsyncSession, volunteer_id: str, limit: int) -> list[Training]:
    statement = (
        select(Training)
        .where(Training.volunteer_id == volunteer_id)
        .order_by(Training.completed_on.desc(), Training.id)
        .limit(limit)
    )
    return list((await session.scalars(statement)).all())


async def honours_of(session: AsyncSession, volunteer_id: str, limit: int) -> list[Honour]:
    statement = (
        select(Honour)
        .where(Honour.volunteer_id == volunteer_id)
        .order_by(Honour.awarded_on.desc(), Honour.id)
        .limit(limit)
    )
    return list((await session.scalars(statement)).all())
