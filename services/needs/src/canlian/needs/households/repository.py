"""Queries of household files. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, String, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.pagination import PageParams, paginate
from canlian.common.sorting import SortOrder, paginate_by
from canlian.needs.households.models import Household, HouseholdMember, MemberService


async def get(
    session: AsyncSession, household_id: str, *, for_update: bool = False
) -> Household | None:
    statement = select(Household).where(Household.id == household_id)
    if for_update:
        statement = statement.with_for_update()
    row: Household | None = await session.scalar(statement)
    return row


async def members_of(session: AsyncSession, household_id: str) -> list[HouseholdMember]:
    rows = await session.scalars(
        select(HouseholdMember)
        .where(HouseholdMember.household_id == household_id)
        .order_by(HouseholdMember.position)
    )
    return list(rows)


async def services_of(session: AsyncSession, member_ids: Sequence[str]) -> list[MemberService]:
    if not member_ids:
        return []
    rows = await session.scalars(
        select(MemberService)
        .where(MemberService.member_id.in_(member_ids))
        .order_by(MemberService.member_id, MemberService.kind)
    )
    return list(rows)


async def service(session: AsyncSession, member_id: str, kind: str) -> MemberService | None:
    row: MemberService | None = await session.get(MemberService, (member_id, kind))
    return row


def _listed(region_prefix: str, flag: str | None, due_by: date | None) -> Select[Household]:
    statement = select(Household).where(Household.division_code.startswith(region_prefix))
    if flag is not None:
        # Flags are a short JSON list of names, none a part of another.
        statement = statement.where(cast(Household.flags, String).contains(f'"{flag}"'))
    if due_by is not None:
        statement = statement.where(Household.next_visit_due <= due_by)
    return statement


async def list_households(
    session: AsyncSession,
    paging: PageParams,
    *,
    region_prefix: str,
    flag: str | None,
    due_by: date | None,
    order: SortOrder | None = None,
) -> tuple[list[Household], str | None]:
    statement = _listed(region_prefix, flag, due_by)
    if order is not None:
        return await paginate_by(session, statement, order, paging)
    rows, cursor = await paginate(
        session, statement, [Household.division_code, Household.id], paging
    )
    return rows, cursor


async def list_households_serving(
    session: AsyncSession,
    paging: PageParams,
    *,
    region_prefix: str,
    place_prefixes: Sequence[str],
    due_by: date | None,
) -> tuple[list[Household], str | None]:
    """The households of a committee member's places (and within the token's region)."""
    statement = _listed(region_prefix, None, due_by).where(
        or_(*(Household.division_code.startswith(place) for place in place_prefixes))
    )
    return await paginate(session, statement, [Household.division_code, Household.id], paging)


async def schedule_by_area(
    session: AsyncSession, region_prefix: str, group_length: int, today: date, soon: date
) -> list[tuple[str, int, int, int]]:
    """(area prefix, households with a schedule, due by `soon` but not overdue, overdue)."""
    area = func.substr(Household.division_code, 1, group_length)
    overdue = case((Household.next_visit_due < today, 1), else_=0)
    due_soon = case(
        (and_(Household.next_visit_due >= today, Household.next_visit_due <= soon), 1), else_=0
    )
    rows = await session.execute(
        select(area, func.count(), func.sum(due_soon), func.sum(overdue))
        .where(
            Household.division_code.startswith(region_prefix),
            Household.visit_interval_days.is_not(None),
        )
        .group_by(area)
        .order_by(area)
    )
    return [(str(a), int(n), int(s or 0), int(o or 0)) for a, n, s, o in rows.all()]
