"""Queries on needs and assignments, and the ranking of candidates. Functions take the
request's session and never commit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from canlian.common.pagination import PageParams, paginate
from canlian.common.sorting import SortOrder, paginate_by
from canlian.volunteers.needs.models import Assignment, Need, NeedSkill
from canlian.volunteers.volunteers.models import Volunteer, VolunteerSkill
from canlian.volunteers.volunteers.repository import ACTIVE

ACCEPTED = "accepted"
INVITED = "invited"
OPEN_NEED_STATUSES = ("open", "matched")


async def get_need(session: AsyncSession, need_id: str, *, for_update: bool = False) -> Need | None:
    statement = (
        select(Need)
        .where(Need.id == need_id)
        .options(selectinload(Need.skills))
        .execution_options(populate_existing=True)
    )
    if for_update:
        statement = statement.with_for_update(of=Need)
    return (await session.execute(statement)).scalar_one_or_none()


async def need_by_source(
    session: AsyncSession, source_need_id: str, *, for_update: bool = False
) -> Need | None:
    """The need opened for the latest referral of the needs service's need `source_need_id`."""
    statement = (
        select(Need)
        .where(Need.source_need_id == source_need_id)
        .order_by(Need.created_at.desc(), Need.id.desc())
        .limit(1)
    )
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def list_needs(
    session: AsyncSession,
    paging: PageParams,
    *,
    region_prefix: str,
    status: str | None,
    kind: str | None,
    without_volunteer: bool,
    order: SortOrder | None = None,
) -> tuple[list[Need], str | None]:
    statement = (
        select(Need)
        .where(Need.division_code.startswith(region_prefix))
        .options(selectinload(Need.skills))
    )
    if status:
        statement = statement.where(Need.status == status)
    if kind:
        statement = statement.where(Need.kind == kind)
    if without_volunteer:
        statement = statement.where(Need.status == "open", Need.volunteers_accepted == 0)
    if order is not None:
        return await paginate_by(session, statement, order, paging)
    return await paginate(session, statement, [Need.starts_at, Need.id], paging)


async def get_assignment(
    session: AsyncSession, need_id: str, volunteer_id: str
) -> Assignment | None:
    return await session.get(Assignment, (need_id, volunteer_id))


async def assignments_of(session: AsyncSession, need_id: str) -> list[Assignment]:
    statement = (
        select(Assignment)
        .where(Assignment.need_id == need_id)
        .order_by(Assignment.created_at, Assignment.volunteer_id)
    )
    return list((await session.scalars(statement)).all())


async def overlapping_accepted_need(
    session: AsyncSession, volunteer_id: str, starts_at: datetime, ends_at: datetime, except_id: str
) -> str | None:
    statement = (
        select(Need.id)
        .join(Assignment, Assignment.need_id == Need.id)
        .where(
            Assignment.volunteer_id == volunteer_id,
            Assignment.status == ACCEPTED,
            Need.status.in_(OPEN_NEED_STATUSES),
            Need.id != except_id,
            Need.starts_at < ends_at,
            Need.ends_at > starts_at,
        )
        .limit(1)
    )
    return await session.scalar(statement)


async def accepted_open_assignments(
    session: AsyncSession, volunteer_id: str
) -> list[tuple[Assignment, Need]]:
    statement = (
        select(Assignment, Need)
        .join(Need, Need.id == Assignment.need_id)
        .where(
            Assignment.volunteer_id == volunteer_id,
            Assignment.status == ACCEPTED,
            Need.status.in_(OPEN_NEED_STATUSES),
        )
        .order_by(Need.id)
        .with_for_update(of=Need)
    )
    return [(row[0], row[1]) for row in (await session.execute(statement)).all()]


async def needs_for_volunteer(
    session: AsyncSession,
    paging: PageParams,
    *,
    volunteer_id: str,
    nearby_prefix: str,
    skills: Collection[str],
    now: datetime,
) -> tuple[list[Any], str | None]:
    """Open needs the volunteer was invited to, and open needs nearby that ask for one of
    their skills and that they have not answered; with whether they were invited."""
    invited = exists().where(
        Assignment.need_id == Need.id,
        Assignment.volunteer_id == volunteer_id,
        Assignment.status == INVITED,
    )
    answered = exists().where(
        Assignment.need_id == Need.id, Assignment.volunteer_id == volunteer_id
    )
    wants_skill = or_(
        Need.kind.in_(list(skills)),
        exists().where(NeedSkill.need_id == Need.id, NeedSkill.skill.in_(list(skills))),
    )
    columns: list[Any] = [
        Need.id,
        Need.division_code,
        Need.kind,
        Need.title,
        Need.starts_at,
        Need.ends_at,
        Need.status,
        invited.label("invited"),
    ]
    statement = select(*columns).where(
        Need.status == "open",
        Need.ends_at > now,
        or_(
            invited,
            and_(Need.division_code.startswith(nearby_prefix), wants_skill, ~answered),
        ),
    )
    return await paginate(session, statement, [Need.starts_at, Need.id], paging)


async def candidates(
    session: AsyncSession,
    need: Need,
    required_skills: Sequence[str],
    *,
    pool_prefix: str,
    limit: int,
) -> list[Any]:
    """Active volunteers in the pool ranked by skills matched, availability, nearness in the
    division hierarchy and star level; excludes those who already answered the need and those
    who accepted another need at an overlapping time."""
    # One pass over the skills index rather than a probe per volunteer.
    matches = (
        select(VolunteerSkill.volunteer_id, func.count().label("matched"))
        .where(VolunteerSkill.skill.in_(required_skills))
        .group_by(VolunteerSkill.volunteer_id)
        .subquery()
    )
    matched = func.coalesce(matches.c.matched, 0).label("skills_matched")
    available = case(
        (Volunteer.availability_mask.op("&")(need.slot_mask) != 0, literal(1)), else_=literal(0)
    ).label("available")
    code = need.division_code
    nearness = case(
        (Volunteer.division_code == code, literal(5)),
        *(
            (func.substr(Volunteer.division_code, 1, digits) == code[:digits], literal(level))
            for level, digits in ((4, 9), (3, 6), (2, 4), (1, 2))
        ),
        else_=literal(0),
    ).label("nearness")
    answered = exists().where(
        Assignment.need_id == need.id, Assignment.volunteer_id == Volunteer.id
    )
    busy = (
        exists()
        .where(
            Assignment.volunteer_id == Volunteer.id,
            Assignment.status == ACCEPTED,
            Assignment.need_id == Need.id,
            Need.status.in_(OPEN_NEED_STATUSES),
            Need.starts_at < need.ends_at,
            Need.ends_at > need.starts_at,
        )
        .correlate(Volunteer)
    )
    statement = (
        select(
            Volunteer.id,
            Volunteer.division_code,
            Volunteer.name_masked,
            Volunteer.star_level,
            matched,
            available,
            nearness,
        )
        .outerjoin(matches, matches.c.volunteer_id == Volunteer.id)
        .where(
            Volunteer.status == ACTIVE,
            Volunteer.division_code.startswith(pool_prefix),
            ~answered,
            ~busy,
        )
        .order_by(
            matched.desc(),
            available.desc(),
            nearness.desc(),
            Volunteer.star_level.desc(),
            Volunteer.id,
        )
        .limit(limit)
    )
    return list((await session.execute(statement)).all())
