"""Queries of federation staff. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.org_registry.staff.models import FederationStaff, GrassrootsDays


async def staff_member(
    session: AsyncSession, staff_id: int, *, for_update: bool = False
) -> FederationStaff | None:
    if for_update:
        return await session.get(
            FederationStaff, staff_id, with_for_update=True, populate_existing=True
        )
    return await session.get(FederationStaff, staff_id)


def staff_in(prefix: str, organisation_id: str | None = None) -> Select[FederationStaff]:
    statement = select(FederationStaff).where(FederationStaff.division_code.startswith(prefix))
    if organisation_id is not None:
        statement = statement.where(FederationStaff.organisation_id == organisation_id)
    return statement


async def staff_of(session: AsyncSession, organisation_id: str) -> list[FederationStaff]:
    rows = await session.scalars(
        select(FederationStaff)
        .where(FederationStaff.organisation_id == organisation_id)
        .order_by(FederationStaff.id)
    )
    return list(rows)


async def days_of(
    session: AsyncSession, staff_ids: Sequence[int]
) -> dict[int, list[GrassrootsDays]]:
    if not staff_ids:
        return {}
    rows = await session.scalars(
        select(GrassrootsDays)
        .where(GrassrootsDays.staff_id.in_(staff_ids))
        .order_by(GrassrootsDays.staff_id, GrassrootsDays.year)
    )
    found: dict[int, list[GrassrootsDays]] = {}
    for row in rows:
        found.setdefault(row.staff_id, []).append(row)
    return found


async def days(session: AsyncSession, staff_id: int, year: int) -> GrassrootsDays | None:
    return await session.get(GrassrootsDays, (staff_id, year))
