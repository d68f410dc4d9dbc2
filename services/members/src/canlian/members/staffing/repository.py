"""Queries of staffing: places, vacancies, per-township counts. Takes a session; never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events.members import AppointmentStatus, Post
from canlian.common.events.org_registry import OrganisationKind, OrganisationStatus
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.state_machine import HOLDING
from canlian.members.organisations.models import Organisation, OrganisationCoverage

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
