"""Queries of home visits. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.pagination import PageParams, paginate
from canlian.common.sorting import SortOrder, paginate_by
from canlian.needs.visits.models import Visit


async def get(session: AsyncSession, visit_id: str) -> Visit | None:
    row: Visit | None = await session.get(Visit, visit_id)
    return row


async def by_client_ids(
    session: AsyncSession, member_id: str, client_ids: Iterable[str]
) -> dict[str, Visit]:
    rows = await session.scalars(
        select(Visit).where(Visit.member_id == member_id, Visit.client_id.in_(list(client_ids)))
    )
    return {row.client_id: row for row in rows}


async def list_visits(
    session: AsyncSession,
    paging: PageParams,
    *,
    region_prefix: str,
    member_id: str | None,
    household_id: str | None,
    order: SortOrder | None = None,
) -> tuple[list[Visit], str | None]:
    statement = select(Visit).where(Visit.division_code.startswith(region_prefix))
    if member_id is not None:
        statement = statement.where(Visit.member_id == member_id)
    if household_id is not None:
        statement = statement.where(Visit.household_id == household_id)
    if order is not None:
        return await paginate_by(session, statement, order, paging)
    return await paginate(session, statement, [Visit.division_code, Visit.id], paging)
