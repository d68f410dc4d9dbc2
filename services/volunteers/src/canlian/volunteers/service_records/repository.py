"""Queries on service records. Functions take the request's session and never commit."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.pagination import PageParams, paginate
from canlian.common.sorting import SortOrder, paginate_by
from canlian.volunteers.service_records.models import ServiceRecord

COUNTED_RECORD_STATUSES = ("pending", "confirmed")


async def records_by_client_ids(
    session: AsyncSession, volunteer_id: str, client_ids: Collection[str]
) -> dict[str, ServiceRecord]:
    statement = select(ServiceRecord).where(
        ServiceRecord.volunteer_id == volunteer_id, ServiceRecord.client_id.in_(list(client_ids))
    )
    return {record.client_id: record for record in (await session.scalars(statement)).all()}


async def counted_records_between(
    session: AsyncSession, volunteer_id: str, starts_at: datetime, ends_at: datetime
) -> list[ServiceRecord]:
    """The volunteer's pending and confirmed records that touch the window."""
    statement = (
        select(ServiceRecord)
        .where(
            ServiceRecord.volunteer_id == volunteer_id,
            ServiceRecord.status.in_(COUNTED_RECORD_STATUSES),
            ServiceRecord.checked_in_at < ends_at,
            ServiceRecord.checked_out_at > starts_at,
        )
        .order_by(ServiceRecord.checked_in_at)
    )
    return list((await session.scalars(statement)).all())


async def get_record(
    session: AsyncSession, record_id: str, *, for_update: bool = False
) -> ServiceRecord | None:
    statement = select(ServiceRecord).where(ServiceRecord.id == record_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def list_records(
    session: AsyncSession,
    paging: PageParams,
    *,
    region_prefix: str | None = None,
    volunteer_id: str | None = None,
    team_ids: Collection[str] | None = None,
    status: str | None = None,
    served_from: date | None = None,
    served_to: date | None = None,
    order: SortOrder | None = None,
) -> tuple[list[ServiceRecord], str | None]:
    statement = select(ServiceRecord)
    if region_prefix is not None:
        statement = statement.where(ServiceRecord.division_code.startswith(region_prefix))
    if volunteer_id is not None:
        statement = statement.where(ServiceRecord.volunteer_id == volunteer_id)
    if team_ids is not None:
        statement = statement.where(ServiceRecord.team_id.in_(list(team_ids)))
    if status:
        statement = statement.where(ServiceRecord.status == status)
    if served_from:
        statement = statement.where(ServiceRecord.served_on >= served_from)
    if served_to:
        statement = statement.where(ServiceRecord.served_on <= served_to)
    if order is not None:
        return await paginate_by(session, statement, order, paging)
    return await paginate(
        session, statement, [ServiceRecord.checked_in_at, ServiceRecord.id], paging
    )
