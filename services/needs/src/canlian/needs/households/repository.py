"""Queries of household files. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.pagination import PageParams, paginate
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
) -> tuple[list[Household], str | None]:
    statement = _listed(region_prefix, flag, due_by)
    rows, cursor = await paginate(
        session, statement, [Household.division_code, Household.id], paging
    )
    return rows, cursor
