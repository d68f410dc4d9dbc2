"""Queries on the volunteers' rows. Functions take the request's session and never commit."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from canlian.common.pagination import PageParams, paginate
from canlian.common.sorting import SortOrder, paginate_by
from canlian.volunteers.volunteers.models import Volunteer, VolunteerSkill

ACTIVE = "active"
LEFT = "left"


async def get_volunteer(
    session: AsyncSession, volunteer_id: str, *, for_update: bool = False
) -> Volunteer | None:
    statement = (
        select(Volunteer)
        .where(Volunteer.id == volunteer_id)
        .options(selectinload(Volunteer.skills))
        .execution_options(populate_existing=True)
    )
    if for_update:
        # Serialises one volunteer's submissions so the overlap check sees every record.
        statement = statement.with_for_update(of=Volunteer)
    return (await session.execute(statement)).scalar_one_or_none()


async def phone_taken(session: AsyncSession, phone_index: str, except_id: str | None) -> bool:
    statement = select(Volunteer.id).where(Volunteer.phone_index == phone_index)
    if except_id is not None:
        statement = statement.where(Volunteer.id != except_id)
    return (await session.scalar(statement.limit(1))) is not None


async def volunteer_by_phone_index(session: AsyncSession, phone_index: str) -> Volunteer | None:
    return await session.scalar(select(Volunteer).where(Volunteer.phone_index == phone_index))


async def citizen_id_taken(session: AsyncSession, citizen_id_index: str) -> bool:
    statement = select(Volunteer.id).where(Volunteer.citizen_id_index == citizen_id_index)
    return (await session.scalar(statement.limit(1))) is not None


async def list_volunteers(
    session: AsyncSession,
    paging: PageParams,
    *,
    region_prefix: str,
    status: str | None,
    skill: str | None,
    team_id: str | None,
    sign_language_trained: bool | None,
    min_star_level: int | None,
    order: SortOrder | None = None,
) -> tuple[list[Volunteer], str | None]:
    statement = (
        select(Volunteer)
        .where(Volunteer.division_code.startswith(region_prefix))
        .options(selectinload(Volunteer.skills))
    )
    if status:
        statement = statement.where(Volunteer.status == status)
    if skill:
        statement = statement.where(has_skill(skill))
    if team_id:
        statement = statement.where(Volunteer.team_id == team_id)
    if sign_language_trained is not None:
        statement = statement.where(Volunteer.sign_language_trained.is_(sign_language_trained))
    if min_star_level is not None:
        statement = statement.where(Volunteer.star_level >= min_star_level)
    if order is not None:
        return await paginate_by(session, statement, order, paging)
    return await paginate(session, statement, [Volunteer.id], paging)


def has_skill(skill: str) -> ColumnElement[bool]:
    """Whether the volunteer of the enclosing query has the skill."""
    return exists().where(
        VolunteerSkill.volunteer_id == Volunteer.id, VolunteerSkill.skill == skill
    )
