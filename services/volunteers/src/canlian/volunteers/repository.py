"""Every query of the volunteers service. Functions take the request's session and never
commit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from canlian.common import divisions
from canlian.common.pagination import PageParams, paginate
from canlian.volunteers.models import (
    Assignment,
    Honour,
    Need,
    NeedSkill,
    ServiceRecord,
    StarPolicy,
    Station,
    Team,
    Training,
    Volunteer,
    VolunteerSkill,
)

ACTIVE = "active"
LEFT = "left"
ACCEPTED = "accepted"
INVITED = "invited"
OPEN_NEED_STATUSES = ("open", "matched")
CONFIRMED = "confirmed"
COUNTED_RECORD_STATUSES = ("pending", "confirmed")

# Significant digits of each division level: nation, province, city, county, township, village.
_LEVEL_DIGITS = (0, 2, 4, 6, 9, 12)


# Volunteers


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


def volunteers_within(prefix: str) -> Select[Volunteer]:
    """Every volunteer registered within a region (reconciliation snapshots)."""
    return (
        select(Volunteer)
        .where(Volunteer.division_code.startswith(prefix))
        .options(selectinload(Volunteer.skills))
    )


def confirmed_records_within(prefix: str) -> Select[ServiceRecord]:
    """Confirmed service records given within a region (reconciliation snapshots)."""
    return select(ServiceRecord).where(
        ServiceRecord.division_code.startswith(prefix),
        ServiceRecord.status == CONFIRMED,
    )


async def divisions_of_volunteers(
    session: AsyncSession, volunteer_ids: Collection[str]
) -> dict[str, str]:
    if not volunteer_ids:
        return {}
    rows = await session.execute(
        select(Volunteer.id, Volunteer.division_code).where(Volunteer.id.in_(volunteer_ids))
    )
    return {row.id: row.division_code for row in rows}


async def phone_taken(session: AsyncSession, phone_index: str, except_id: str | None) -> bool:
    statement = select(Volunteer.id).where(Volunteer.phone_index == phone_index)
    if except_id is not None:
        statement = statement.where(Volunteer.id != except_id)
    return (await session.scalar(statement.limit(1))) is not None


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
) -> tuple[list[Volunteer], str | None]:
    statement = (
        select(Volunteer)
        .where(Volunteer.division_code.startswith(region_prefix))
        .options(selectinload(Volunteer.skills))
    )
    if status:
        statement = statement.where(Volunteer.status == status)
    if skill:
        statement = statement.where(_has_skill(skill))
    if team_id:
        statement = statement.where(Volunteer.team_id == team_id)
    if sign_language_trained is not None:
        statement = statement.where(Volunteer.sign_language_trained.is_(sign_language_trained))
    if min_star_level is not None:
        statement = statement.where(Volunteer.star_level >= min_star_level)
    return await paginate(session, statement, [Volunteer.id], paging)


def _has_skill(skill: str) -> ColumnElement[bool]:
    return exists().where(
        VolunteerSkill.volunteer_id == Volunteer.id, VolunteerSkill.skill == skill
    )


async def teams_led_by(session: AsyncSession, volunteer_id: str) -> list[Team]:
    statement = select(Team).where(Team.leader_volunteer_id == volunteer_id).order_by(Team.id)
    return list((await session.scalars(statement)).all())


async def stations_led_by(session: AsyncSession, volunteer_id: str) -> list[Station]:
    statement = (
        select(Station).where(Station.leader_volunteer_id == volunteer_id).order_by(Station.id)
    )
    return list((await session.scalars(statement)).all())


# Stations and teams


async def get_station(
    session: AsyncSession, station_id: str, *, for_update: bool = False
) -> Station | None:
    statement = select(Station).where(Station.id == station_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def get_team(session: AsyncSession, team_id: str, *, for_update: bool = False) -> Team | None:
    statement = select(Team).where(Team.id == team_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def list_stations(
    session: AsyncSession, paging: PageParams, *, region_prefix: str
) -> tuple[list[Station], str | None]:
    statement = select(Station).where(Station.division_code.startswith(region_prefix))
    return await paginate(session, statement, [Station.division_code, Station.id], paging)


async def list_teams(
    session: AsyncSession, paging: PageParams, *, region_prefix: str, station_id: str | None
) -> tuple[list[Team], str | None]:
    statement = select(Team).where(Team.division_code.startswith(region_prefix))
    if station_id:
        statement = statement.where(Team.station_id == station_id)
    return await paginate(session, statement, [Team.division_code, Team.id], paging)


# Needs


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


async def list_needs(
    session: AsyncSession,
    paging: PageParams,
    *,
    region_prefix: str,
    status: str | None,
    kind: str | None,
    without_volunteer: bool,
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


# Service records


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
    return await paginate(
        session, statement, [ServiceRecord.checked_in_at, ServiceRecord.id], paging
    )


# Recognition


async def star_policies_for(session: AsyncSession, lineage: Sequence[str]) -> list[StarPolicy]:
    statement = select(StarPolicy).where(StarPolicy.division_code.in_(list(lineage)))
    return list((await session.scalars(statement)).all())


async def get_star_policy(session: AsyncSession, division_code: str) -> StarPolicy | None:
    return await session.get(StarPolicy, division_code)


async def trainings_of(session: AsyncSession, volunteer_id: str, limit: int) -> list[Training]:
    statement = (
        select(Training)
        .where(Training.volunteer_id == volunteer_id)
        .order_by(Training.completed_on.desc(), Training.id)
        .limit(limit)
    )
    return list((await session.scalars(statement)).all())


async def honours_of(session: AsyncSession, volunteer_id: str, limit: int) -> list[Honour]:
    statement = (
        select(Honour)
        .where(Honour.volunteer_id == volunteer_id)
        .order_by(Honour.awarded_on.desc(), Honour.id)
        .limit(limit)
    )
    return list((await session.scalars(statement)).all())


# Officials' questions


def child_digits(code: str) -> int:
    """How many leading digits name a child of `code` (its own digits for a village)."""
    level = divisions.level_of(code)
    return _LEVEL_DIGITS[min(level + 1, 5)]


async def volunteer_counts(session: AsyncSession, code: str) -> list[Any]:
    """Per child division and star level: active, sign-language, trained and left counts."""
    digits = child_digits(code)
    child = func.substr(Volunteer.division_code, 1, digits).label("child")
    active = Volunteer.status == ACTIVE
    statement = (
        select(
            child,
            Volunteer.star_level,
            func.sum(case((active, 1), else_=0)).label("registered"),
            func.sum(case((and_(active, _has_skill("sign_language")), 1), else_=0)).label(
                "sign_language"
            ),
            func.sum(
                case((and_(active, Volunteer.sign_language_trained.is_(True)), 1), else_=0)
            ).label("trained"),
            func.sum(case((Volunteer.status == LEFT, 1), else_=0)).label("left"),
        )
        .where(Volunteer.division_code.startswith(divisions.prefix(code)))
        .group_by(child, Volunteer.star_level)
    )
    return list((await session.execute(statement)).all())


async def service_totals(
    session: AsyncSession, code: str, served_from: date, served_to: date, *, by_month: bool
) -> tuple[list[Any], Any]:
    """Confirmed records per child division (and month) in the period, and the whole
    region's totals (distinct volunteers do not add up across rows, so the total is its own
    query)."""
    digits = child_digits(code)
    child = func.substr(ServiceRecord.division_code, 1, digits).label("child")
    in_period: Select[Any] = select().where(
        ServiceRecord.status == "confirmed",
        ServiceRecord.division_code.startswith(divisions.prefix(code)),
        ServiceRecord.served_on >= served_from,
        ServiceRecord.served_on <= served_to,
    )
    columns = (
        func.count().label("records"),
        func.count(func.distinct(ServiceRecord.volunteer_id)).label("volunteers"),
        func.coalesce(func.sum(ServiceRecord.minutes), 0).label("minutes"),
        func.coalesce(func.sum(ServiceRecord.person_times), 0).label("person_times"),
    )
    keys: list[Any] = [child, ServiceRecord.served_month] if by_month else [child]
    per_row = in_period.add_columns(*keys, *columns).group_by(*keys).order_by(*keys)
    total = in_period.add_columns(*columns)
    rows = list((await session.execute(per_row)).all())
    return rows, (await session.execute(total)).one()
