"""Queries of staffing: places, vacancies, per-township counts. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, distinct, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from canlian.common.events.members import AppointmentStatus, Post
from canlian.common.events.org_registry import OrganisationStatus
from canlian.common.rules import denominators, staffing
from canlian.members.appointments import repository as appointments_repository
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.state_machine import HOLDING
from canlian.members.organisations.models import Organisation, OrganisationCoverage

# Vacancies: places (township federations, villages covered by associations) without an
# active committee member. What a place is and what staffs it is canlian.common.rules.staffing;
# a village covered by two associations is one place, staffed when either has a member.


def _is_place() -> ColumnElement[bool]:
    return or_(
        *(
            and_(Organisation.kind == kind.value, Organisation.level == level)
            for kind, level in sorted(staffing.PLACE_ORGANISATIONS)
        )
    )


def _places(prefix: str, excluded: Sequence[str] = ()) -> Any:
    """The places under `prefix`, less those the regions' policy leaves out (`excluded`,
    rules.denominators: development zones, virtual communities)."""
    statement = (
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
            _is_place(),
        )
    )
    if excluded:
        statement = statement.where(OrganisationCoverage.division_code.not_in(list(excluded)))
    return statement


async def governed_places(session: AsyncSession, prefix: str) -> list[str]:
    """Places under `prefix` whose counting a region's policy decides: townships with segment
    400+ and villages with segment 498/598 (rules.denominators)."""
    code = OrganisationCoverage.division_code
    township = and_(func.substr(code, 10, 3) == "000", func.substr(code, 7, 3) >= "400")
    village = func.substr(code, 10, 3).in_(sorted(denominators.VIRTUAL_SEGMENTS))
    rows = await session.scalars(
        select(code).distinct().where(code.startswith(prefix), or_(township, village))
    )
    return sorted(rows.all())


def _staffed(division_code: Any) -> ColumnElement[bool]:
    """Some organisation serving the place has an active committee member."""
    coverage = aliased(OrganisationCoverage)
    organisation = aliased(Organisation)
    return exists().where(
        coverage.division_code == division_code,
        organisation.organisation_id == coverage.organisation_id,
        organisation.status == OrganisationStatus.ESTABLISHED,
        or_(
            *(
                and_(organisation.kind == kind.value, organisation.level == level)
                for kind, level in sorted(staffing.PLACE_ORGANISATIONS)
            )
        ),
        Appointment.organisation_id == organisation.organisation_id,
        Appointment.post == staffing.STAFFING_POST,
        Appointment.status == staffing.STAFFING_STATUS,
    )


def vacancies(prefix: str, level: int | None = None, excluded: Sequence[str] = ()) -> Select[Any]:
    statement: Select[Any] = _places(prefix, excluded).where(
        ~_staffed(OrganisationCoverage.division_code)
    )
    if level is not None:
        statement = statement.where(Organisation.level == level)
    return statement


async def active_members_by_place(session: AsyncSession, prefix: str) -> dict[str, int]:
    """Place code -> active committee members of the organisations serving it (a joint
    association's member serves each village it covers)."""
    places = _places(prefix).subquery()
    rows = await session.execute(
        select(places.c.division_code, func.count(distinct(Appointment.id)))
        .select_from(places)
        .outerjoin(
            Appointment,
            and_(
                Appointment.organisation_id == places.c.organisation_id,
                Appointment.post == staffing.STAFFING_POST,
                Appointment.status == staffing.STAFFING_STATUS,
            ),
        )
        .group_by(places.c.division_code)
    )
    return {code: int(active) for code, active in rows}


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


async def township_place_counts(
    session: AsyncSession, prefix: str, excluded: Sequence[str] = ()
) -> dict[str, tuple[int, int]]:
    """Township code -> (places, vacancies); each place counted once, those `excluded` not."""
    places = _places(prefix, excluded).subquery()
    code = places.c.division_code
    key = func.substr(code, 1, 9)
    rows = await session.execute(
        select(
            key,
            func.count(distinct(code)),
            func.count(distinct(code)).filter(_staffed(code)),
        ).group_by(key)
    )
    return {
        township: (int(total), int(total) - int(staffed_count))
        for township, total, staffed_count in rows
        if not township.endswith("000")
    }


async def township_appointment_counts(
    session: AsyncSession, prefix: str
) -> dict[str, tuple[int, int, int, int]]:
    """Township code -> (active committee members, non-compliant allowances, public-welfare
    posts, active township members on social-work posts)."""
    key = func.substr(Appointment.division_code, 1, 9)
    rows = await session.execute(
        select(
            key,
            func.count().filter(Appointment.status == AppointmentStatus.ACTIVE),
            func.count().filter(appointments_repository.judged_non_compliant()),
            func.count().filter(Appointment.public_welfare_post.is_(True)),
            # The indicator's numerator (metrics): active township-level members only.
            func.count().filter(
                Appointment.status == AppointmentStatus.ACTIVE,
                func.substr(Appointment.division_code, 10, 3) == "000",
                Appointment.social_work_post.is_(True),
            ),
        )
        .where(
            Appointment.division_code.startswith(prefix),
            Appointment.post == Post.COMMITTEE_MEMBER,
            Appointment.status.in_(HOLDING),
        )
        .group_by(key)
    )
    # Appointments above township level have a zero township segment: not a township.
    return {
        code: (int(active), int(below), int(welfare), int(social_work))
        for code, active, below, welfare, social_work in rows
        if not code.endswith("000")
    }
