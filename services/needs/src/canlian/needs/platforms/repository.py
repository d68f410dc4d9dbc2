"""Queries of service platforms. Takes a session; never commits."""

from __future__ import annotations

from sqlalchemy import String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.pagination import PageParams, paginate
from canlian.needs.platforms.models import ServicePlatform


async def get(
    session: AsyncSession, platform_id: str, *, for_update: bool = False
) -> ServicePlatform | None:
    statement = select(ServicePlatform).where(ServicePlatform.id == platform_id)
    if for_update:
        statement = statement.with_for_update()
    row: ServicePlatform | None = await session.scalar(statement)
    return row


async def by_name(session: AsyncSession, division_code: str, name: str) -> ServicePlatform | None:
    row: ServicePlatform | None = await session.scalar(
        select(ServicePlatform).where(
            ServicePlatform.division_code == division_code, ServicePlatform.name == name
        )
    )
    return row


async def list_platforms(
    session: AsyncSession,
    paging: PageParams,
    *,
    region_prefix: str,
    kind: str | None,
    service: str | None,
) -> tuple[list[ServicePlatform], str | None]:
    statement = select(ServicePlatform).where(
        ServicePlatform.division_code.startswith(region_prefix)
    )
    if kind is not None:
        statement = statement.where(ServicePlatform.kind == kind)
    if service is not None:
        # A short JSON list of names, none a part of another.
        statement = statement.where(cast(ServicePlatform.services, String).contains(f'"{service}"'))
    return await paginate(
        session, statement, [ServicePlatform.division_code, ServicePlatform.id], paging
    )
