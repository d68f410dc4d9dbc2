"""Queries for the metrics reconciliation's snapshots. Functions take the request's session
and never commit."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from canlian.common.pagination import PageParams, paginate
from canlian.volunteers.service_records.models import ServiceRecord
from canlian.volunteers.volunteers.models import Volunteer

CONFIRMED = "confirmed"


async def volunteers_within(
    session: AsyncSession, prefix: str, paging: PageParams
) -> tuple[list[Volunteer], str | None]:
    """Every volunteer registered within a region."""
    statement = (
        select(Volunteer)
        .where(Volunteer.division_code.startswith(prefix))
        .options(selectinload(Volunteer.skills))
    )
    return await paginate(session, statement, [Volunteer.id], paging)


async def confirmed_records_within(
    session: AsyncSession, prefix: str, paging: PageParams
) -> tuple[list[ServiceRecord], str | None]:
    """Confirmed service records given within a region."""
    statement = select(ServiceRecord).where(
        ServiceRecord.division_code.startswith(prefix),
        ServiceRecord.status == CONFIRMED,
    )
    return await paginate(session, statement, [ServiceRecord.id], paging)


async def divisions_of_volunteers(
    session: AsyncSession, volunteer_ids: Collection[str]
) -> dict[str, str]:
    if not volunteer_ids:
        return {}
    rows = await session.execute(
        select(Volunteer.id, Volunteer.division_code).where(Volunteer.id.in_(volunteer_ids))
    )
    return {row.id: row.division_code for row in rows}
