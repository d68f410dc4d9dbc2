"""Queries of assessments. Takes a session; never commits."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.members.assessments.models import Assessment


async def assessment_of_year(
    session: AsyncSession, appointment_id: int, year: int
) -> Assessment | None:
    return await session.scalar(
        select(Assessment).where(
            Assessment.appointment_id == appointment_id, Assessment.year == year
        )
    )


def assessments_in(
    prefix: str, *, member_id: int | None = None, year: int | None = None
) -> Select[Assessment]:
    statement = select(Assessment).where(Assessment.division_code.startswith(prefix))
    if member_id is not None:
        statement = statement.where(Assessment.member_id == member_id)
    if year is not None:
        statement = statement.where(Assessment.year == year)
    return statement
