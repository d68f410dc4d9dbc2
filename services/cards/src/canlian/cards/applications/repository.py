"""Queries about applications; never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.applications.models import Application
from canlian.common.events.cards import ApplicationStatus

OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.SUBMITTED.value,
    ApplicationStatus.ASSESSED.value,
    ApplicationStatus.APPROVED.value,
)


async def get_application(
    session: AsyncSession, application_id: int, *, lock: bool = False
) -> Application | None:
    statement = select(Application).where(Application.id == application_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(statement)).first()


async def open_application_of(session: AsyncSession, person_id: int) -> Application | None:
    statement = (
        select(Application)
        .where(
            Application.person_id == person_id,
            Application.status.in_(OPEN_APPLICATION_STATUSES),
        )
        .order_by(Application.id)
        .limit(1)
    )
    return (await session.scalars(statement)).first()


def applications_query(
    region_prefix: str, status: str | None = None, person_id: int | None = None
) -> Select[Any]:
    statement = select(Application).where(Application.division_code.startswith(region_prefix))
    if status is not None:
        statement = statement.where(Application.status == status)
    if person_id is not None:
        statement = statement.where(Application.person_id == person_id)
    return statement
