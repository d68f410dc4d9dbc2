"""Queries for the metrics reconciliation's snapshots: every entity within a region, page by
page. Functions take the request's session and never commit."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.pagination import PageParams, paginate
from canlian.needs.households.models import Household, HouseholdMember, MemberService
from canlian.needs.needs.models import Need
from canlian.needs.platforms.models import ServicePlatform
from canlian.needs.visits.models import Visit


async def households_within(
    session: AsyncSession, prefix: str, paging: PageParams
) -> tuple[list[Household], str | None]:
    statement = select(Household).where(Household.division_code.startswith(prefix))
    return await paginate(session, statement, [Household.id], paging)


async def members_of_households(
    session: AsyncSession, household_ids: Collection[str]
) -> list[HouseholdMember]:
    if not household_ids:
        return []
    rows = await session.scalars(
        select(HouseholdMember)
        .where(HouseholdMember.household_id.in_(household_ids))
        .order_by(HouseholdMember.household_id, HouseholdMember.position)
    )
    return list(rows)


async def services_of_members(
    session: AsyncSession, member_ids: Collection[str]
) -> list[MemberService]:
    if not member_ids:
        return []
    rows = await session.scalars(
        select(MemberService).where(MemberService.member_id.in_(member_ids))
    )
    return list(rows)


async def visits_within(
    session: AsyncSession, prefix: str, paging: PageParams
) -> tuple[list[Visit], str | None]:
    statement = select(Visit).where(Visit.division_code.startswith(prefix))
    return await paginate(session, statement, [Visit.id], paging)


async def needs_within(
    session: AsyncSession, prefix: str, paging: PageParams
) -> tuple[list[Need], str | None]:
    statement = select(Need).where(Need.division_code.startswith(prefix))
    return await paginate(session, statement, [Need.id], paging)


async def platforms_within(
    session: AsyncSession, prefix: str, paging: PageParams
) -> tuple[list[ServicePlatform], str | None]:
    statement = select(ServicePlatform).where(ServicePlatform.division_code.startswith(prefix))
    return await paginate(session, statement, [ServicePlatform.id], paging)
