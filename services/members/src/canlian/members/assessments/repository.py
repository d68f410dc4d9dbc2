"""Queries of assessments. Takes a session; never commits."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.members.appointments.models import Appointment
from canlian.members.appointments.state_machine import HOLDING
from canlian.members.assessments.models import Assessment


async def assessment_of_year(
    session: AsyncSession, appointment_id: int, year: int
) -> Assessment | None:
    return await session.scalar(
        select(Assessment).where(
            Assessment.appointment_id == appointment_id, Assessment.year == year
        )
    )


async def assessment(session: AsyncSession, assessment_id: int) -> Assessment | None:
    return await session.get(Assessment, assessment_id)


def assessments_in(
    prefix: str, *, member_id: int | None = None, year: int | None = None
) -> Select[Assessment]:
    statement = select(Assessment).where(Assessment.division_code.startswith(prefix))
    if member_id is not None:
        statement = statement.where(Assessment.member_id == member_id)
    if year is not None:
        statement = statement.where(Assessment.year == year)
    return statement


def decided_assessments_in(prefix: str) -> Select[Assessment]:
    """The assessments whose grade decided the appointment's next step (the reconciliation's)."""
    return select(Assessment).where(
        Assessment.division_code.startswith(prefix), Assessment.decision.is_not(None)
    )


def contracts_without_assessment(prefix: str, first: date | None, last: date) -> Select[Any]:
    """Held posts whose contract ends in [first, last] (any time by `last` when `first` is None)
    with no assessment of the contract's last year or the year before: nothing to renew on."""
    last_assessed = (
        select(func.max(Assessment.year))
        .where(Assessment.appointment_id == Appointment.id)
        .correlate(Appointment)
        .scalar_subquery()
    )
    statement = select(
        Appointment.id,
        Appointment.member_id,
        Appointment.organisation_id,
        Appointment.division_code,
        Appointment.post,
        Appointment.contract_end,
        last_assessed.label("last_assessed_year"),
    ).where(
        Appointment.division_code.startswith(prefix),
        Appointment.status.in_(HOLDING),
        Appointment.contract_end.is_not(None),
        Appointment.contract_end <= last,
        func.coalesce(last_assessed, 0) < extract("year", Appointment.contract_end) - 1,
    )
    if first is not None:
        statement = statement.where(Appointment.contract_end >= first)
    return statement
