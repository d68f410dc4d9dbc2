"""Every query of the members service. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from canlian.common.events.members import AppointmentStatus, Post
from canlian.common.events.org_registry import OrganisationKind, OrganisationStatus
from canlian.members.models import (
    AllowanceMinimum,
    Appointment,
    Assessment,
    Member,
    Organisation,
    OrganisationCoverage,
    Training,
)

HOLDING = (AppointmentStatus.APPOINTED, AppointmentStatus.ACTIVE, AppointmentStatus.SUSPENDED)


# Organisations (read model)


async def organisation(session: AsyncSession, organisation_id: str) -> Organisation | None:
    return await session.get(Organisation, organisation_id)


async def organisation_with_coverage(
    session: AsyncSession, organisation_id: str
) -> Organisation | None:
    return await session.scalar(
        select(Organisation)
        .where(Organisation.organisation_id == organisation_id)
        .options(selectinload(Organisation.coverage))
    )


def organisations_in(prefix: str) -> Select[Organisation]:
    return (
        select(Organisation)
        .where(Organisation.division_code.startswith(prefix))
        .options(selectinload(Organisation.coverage))
    )


async def replace_coverage(session: AsyncSession, coverage: Mapping[str, Sequence[str]]) -> None:
    """Replace the places each given organisation serves."""
    ids = list(coverage)
    for start in range(0, len(ids), 1000):
        await session.execute(
            delete(OrganisationCoverage).where(
                OrganisationCoverage.organisation_id.in_(ids[start : start + 1000])
            )
        )
    session.add_all(
        OrganisationCoverage(organisation_id=organisation_id, division_code=code)
        for organisation_id, divisions in coverage.items()
        for code in sorted(set(divisions))
    )


# Members


async def member(session: AsyncSession, member_id: int) -> Member | None:
    return await session.get(Member, member_id)


async def member_by_citizen_index(session: AsyncSession, index: str) -> Member | None:
    return await session.scalar(select(Member).where(Member.citizen_id_index == index))


async def members_by_citizen_index(
    session: AsyncSession, indexes: Sequence[str]
) -> dict[str, Member]:
    found: dict[str, Member] = {}
    for start in range(0, len(indexes), 1000):  # keep IN lists well under driver limits
        rows = await session.scalars(
            select(Member).where(Member.citizen_id_index.in_(indexes[start : start + 1000]))
        )
        found.update((row.citizen_id_index, row) for row in rows)
    return found


def members_in(
    prefix: str,
    *,
    kind: str | None = None,
    in_talent_pool: bool | None = None,
    reserve_cadre: bool | None = None,
    disability_relation: str | None = None,
) -> Select[Member]:
    statement = select(Member).where(Member.division_code.startswith(prefix))
    if kind is not None:
        statement = statement.where(Member.kind == kind)
    if in_talent_pool is not None:
        statement = statement.where(Member.in_talent_pool == in_talent_pool)
    if reserve_cadre is not None:
        statement = statement.where(Member.reserve_cadre == reserve_cadre)
    if disability_relation is not None:
        statement = statement.where(Member.disability_relation == disability_relation)
    return statement


async def talent_pool_counts(session: AsyncSession, prefix: str) -> tuple[int, int]:
    row = (
        await session.execute(
            select(
                func.count().filter(Member.in_talent_pool.is_(True)),
                func.count().filter(Member.reserve_cadre.is_(True)),
            ).where(Member.division_code.startswith(prefix))
        )
    ).one()
    return int(row[0]), int(row[1])


# Appointments


async def appointment(session: AsyncSession, appointment_id: int) -> Appointment | None:
    return await session.get(Appointment, appointment_id)


async def appointment_with_history(
    session: AsyncSession, appointment_id: int
) -> Appointment | None:
    return await session.scalar(
        select(Appointment)
        .where(Appointment.id == appointment_id)
        .options(selectinload(Appointment.history))
        .execution_options(populate_existing=True)
    )


async def holding_appointments_of(session: AsyncSession, member_id: int) -> list[Appointment]:
    rows = await session.scalars(
        select(Appointment).where(
            Appointment.member_id == member_id, Appointment.status.in_(HOLDING)
        )
    )
    return list(rows)


async def appointments_with_member(
    session: AsyncSession, appointment_ids: Sequence[int]
) -> list[Appointment]:
    rows = await session.scalars(
        select(Appointment)
        .where(Appointment.id.in_(appointment_ids))
        .options(selectinload(Appointment.member))
    )
    return list(rows)


async def seat_holder(session: AsyncSession, seat_key: str) -> Appointment | None:
    return await session.scalar(select(Appointment).where(Appointment.seat_key == seat_key))


async def seats_taken(session: AsyncSession, seat_keys: Sequence[str]) -> set[str]:
    if not seat_keys:
        return set()
    rows = await session.scalars(
        select(Appointment.seat_key).where(Appointment.seat_key.in_(seat_keys))
    )
    return {row for row in rows if row is not None}


async def holding_at(
    session: AsyncSession, member_id: int, organisation_id: str, post: str
) -> Appointment | None:
    return await session.scalar(
        select(Appointment).where(
            Appointment.member_id == member_id,
            Appointment.organisation_id == organisation_id,
            Appointment.post == post,
            Appointment.status.in_(HOLDING),
        )
    )


def appointments_in(
    prefix: str,
    *,
    status: str | None = None,
    post: str | None = None,
    organisation_id: str | None = None,
    member_id: int | None = None,
) -> Select[Appointment]:
    statement = select(Appointment).where(Appointment.division_code.startswith(prefix))
    if status is not None:
        statement = statement.where(Appointment.status == status)
    if post is not None:
        statement = statement.where(Appointment.post == post)
    if organisation_id is not None:
        statement = statement.where(Appointment.organisation_id == organisation_id)
    if member_id is not None:
        statement = statement.where(Appointment.member_id == member_id)
    return statement


def appointments_with_members_in(prefix: str) -> Select[Appointment]:
    return appointments_in(prefix).options(selectinload(Appointment.member))


async def held_with_members(session: AsyncSession, prefix: str) -> list[Appointment]:
    rows = await session.scalars(
        appointments_with_members_in(prefix)
        .where(Appointment.status.in_(HOLDING))
        .order_by(Appointment.division_code, Appointment.id)
    )
    return list(rows)


def contracts_ending(prefix: str, first: date | None, last: date) -> Select[Appointment]:
    """Held posts whose contract ends by `last`; from `first` on, or also overdue ones."""
    statement = select(Appointment).where(
        Appointment.division_code.startswith(prefix),
        Appointment.status.in_(HOLDING),
        Appointment.contract_end <= last,
    )
    if first is not None:
        statement = statement.where(Appointment.contract_end >= first)
    return statement


def allowance_non_compliant(prefix: str) -> Select[Appointment]:
    return select(Appointment).where(
        Appointment.division_code.startswith(prefix),
        Appointment.status.in_(HOLDING),
        Appointment.allowance_compliant.is_(False),
    )


async def committee_appointments_under(session: AsyncSession, prefix: str) -> list[Appointment]:
    """Committee-member appointments still held under a region: those a policy touches."""
    rows = await session.scalars(
        select(Appointment)
        .where(
            Appointment.division_code.startswith(prefix),
            Appointment.post == Post.COMMITTEE_MEMBER,
            Appointment.status.in_(HOLDING),
        )
        .options(selectinload(Appointment.member))
    )
    return list(rows)


# Allowance policy


async def allowance_minimum(
    session: AsyncSession, division_code: str, post_level: str
) -> AllowanceMinimum | None:
    return await session.get(AllowanceMinimum, (division_code, post_level))


async def allowance_minimums_for(
    session: AsyncSession, codes: Sequence[str], post_level: str
) -> dict[str, AllowanceMinimum]:
    rows = await session.scalars(
        select(AllowanceMinimum).where(
            AllowanceMinimum.division_code.in_(codes), AllowanceMinimum.post_level == post_level
        )
    )
    return {row.division_code: row for row in rows}


async def all_allowance_minimums(session: AsyncSession) -> list[AllowanceMinimum]:
    return list(await session.scalars(select(AllowanceMinimum)))


def allowance_minimums_in(prefix: str) -> Select[AllowanceMinimum]:
    return select(AllowanceMinimum).where(AllowanceMinimum.division_code.startswith(prefix))


# Assessments and training


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


def trainings_in(prefix: str) -> Select[Training]:
    return select(Training).where(Training.division_code.startswith(prefix))


def trainings_of(member_id: int) -> Select[Training]:
    return select(Training).where(Training.member_id == member_id)


def _holds_a_post() -> Any:
    return exists().where(Appointment.member_id == Member.id, Appointment.status.in_(HOLDING))


def _trained_between(first: date, last: date) -> Any:
    return exists().where(
        Training.member_id == Member.id, Training.held_on >= first, Training.held_on <= last
    )


def untrained(prefix: str, first: date, last: date) -> Select[Member]:
    """People holding a post with no training in the period (轮训 not yet reached)."""
    return select(Member).where(
        Member.division_code.startswith(prefix),
        _holds_a_post(),
        ~_trained_between(first, last),
    )


async def training_coverage(
    session: AsyncSession, prefix: str, first: date, last: date
) -> tuple[int, int, int]:
    """(people holding a post, of whom trained in the period, training person-times)."""
    row = (
        await session.execute(
            select(func.count(), func.count().filter(_trained_between(first, last))).where(
                Member.division_code.startswith(prefix), _holds_a_post()
            )
        )
    ).one()
    person_times = await session.scalar(
        select(func.count()).where(
            Training.division_code.startswith(prefix),
            Training.held_on >= first,
            Training.held_on <= last,
        )
    )
    return int(row[0]), int(row[1]), int(person_times or 0)


# Vacancies: places (township federations, villages covered by associations) without an
# active committee member.


def _places(prefix: str) -> Any:
    is_place = or_(
        and_(Organisation.kind == OrganisationKind.FEDERATION, Organisation.level == 4),
        and_(Organisation.kind == OrganisationKind.ASSOCIATION, Organisation.level == 5),
    )
    return (
        select(
            OrganisationCoverage.division_code,
            Organisation.organisation_id,
            Organisation.name,
            Organisation.level,
        )
        .join(Organisation, Organisation.organisation_id == OrganisationCoverage.organisation_id)
        .where(
            OrganisationCoverage.division_code.startswith(prefix),
            Organisation.status == OrganisationStatus.ESTABLISHED,
            is_place,
        )
    )


def _staffed() -> Any:
    return exists().where(
        Appointment.organisation_id == Organisation.organisation_id,
        Appointment.post == Post.COMMITTEE_MEMBER,
        Appointment.status == AppointmentStatus.ACTIVE,
    )


def vacancies(prefix: str, level: int | None = None) -> Select[Any]:
    statement: Select[Any] = _places(prefix).where(~_staffed())
    if level is not None:
        statement = statement.where(Organisation.level == level)
    return statement


def held_at_dissolved(prefix: str) -> Select[Appointment]:
    """Posts still held at organisations the registry has dissolved: to move or end."""
    return (
        select(Appointment)
        .join(Organisation, Organisation.organisation_id == Appointment.organisation_id)
        .where(
            Appointment.division_code.startswith(prefix),
            Appointment.status.in_(HOLDING),
            Organisation.status == OrganisationStatus.DISSOLVED,
        )
    )


async def township_place_counts(session: AsyncSession, prefix: str) -> dict[str, tuple[int, int]]:
    """Township code -> (places, vacancies)."""
    places = _places(prefix).subquery()
    staffed = _places(prefix).where(_staffed()).subquery()
    counts: dict[str, list[int]] = {}
    for subquery, slot in ((places, 0), (staffed, 1)):
        key = func.substr(subquery.c.division_code, 1, 9)
        rows = await session.execute(select(key, func.count()).group_by(key))
        for code, count in rows:
            counts.setdefault(code, [0, 0])[slot] = int(count)
    return {
        code: (total, total - staffed_count)
        for code, (total, staffed_count) in counts.items()
        if not code.endswith("000")
    }


async def township_appointment_counts(
    session: AsyncSession, prefix: str
) -> dict[str, tuple[int, int, int]]:
    """Township code -> (active committee members, non-compliant allowances, public-welfare)."""
    key = func.substr(Appointment.division_code, 1, 9)
    rows = await session.execute(
        select(
            key,
            func.count().filter(Appointment.status == AppointmentStatus.ACTIVE),
            func.count().filter(Appointment.allowance_compliant.is_(False)),
            func.count().filter(Appointment.public_welfare_post.is_(True)),
        )
        .where(
            Appointment.division_code.startswith(prefix),
            Appointment.post == Post.COMMITTEE_MEMBER,
            Appointment.status.in_(HOLDING),
        )
        .group_by(key)
    )
    # Appointments above township level have a zero township segment: not a township.
    return {code: (int(a), int(b), int(c)) for code, a, b, c in rows if not code.endswith("000")}


async def organisations_by_id(
    session: AsyncSession, organisation_ids: Sequence[str]
) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for start in range(0, len(organisation_ids), 1000):
        rows = await session.scalars(
            select(Organisation).where(
                Organisation.organisation_id.in_(organisation_ids[start : start + 1000])
            )
        )
        found.update((row.organisation_id, row) for row in rows)
    return found


async def held_posts(
    session: AsyncSession, member_ids: Sequence[int]
) -> dict[tuple[int, str, str], int]:
    """(member, organisation, post) -> appointment id, for every post the people hold now."""
    if not member_ids:
        return {}
    rows = await session.execute(
        select(
            Appointment.member_id, Appointment.organisation_id, Appointment.post, Appointment.id
        ).where(Appointment.member_id.in_(member_ids), Appointment.status.in_(HOLDING))
    )
    return {(row[0], row[1], row[2]): row[3] for row in rows}


async def holding_appointments_at(session: AsyncSession, organisation_id: str) -> list[Appointment]:
    rows = await session.scalars(
        select(Appointment)
        .where(Appointment.organisation_id == organisation_id, Appointment.status.in_(HOLDING))
        .options(selectinload(Appointment.member))
    )
    return list(rows)
