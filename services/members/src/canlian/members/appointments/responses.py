"""Appointments and allowance policies as the API shows them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events.members import AppointmentStatus, Post, PostLevel, SelectionMethod
from canlian.members.appointments import repository
from canlian.members.appointments.models import AllowanceMinimum, Appointment
from canlian.members.appointments.posts import post_level_of
from canlian.members.appointments.schemas import (
    AllowanceMinimumRead,
    AppointmentDetail,
    AppointmentRead,
    StatusChangeRead,
)
from canlian.members.archive.schemas import MemberSelection


def appointment_read(appointment: Appointment) -> AppointmentRead:
    return AppointmentRead.model_validate(
        {
            **{
                column: getattr(appointment, column)
                for column in AppointmentRead.model_fields
                if column != "post_level"
            },
            "post_level": post_level_of(appointment.division_code),
        }
    )


def appointment_detail(appointment: Appointment) -> AppointmentDetail:
    return AppointmentDetail(
        **appointment_read(appointment).model_dump(),
        history=[
            StatusChangeRead(
                from_status=AppointmentStatus(change.from_status) if change.from_status else None,
                to_status=AppointmentStatus(change.to_status),
                effective_on=change.effective_on,
                reason=change.reason,
                recorded_by=change.recorded_by,
                recorded_at=change.recorded_at,
            )
            for change in appointment.history
        ],
    )


def allowance_read(row: AllowanceMinimum) -> AllowanceMinimumRead:
    return AllowanceMinimumRead(
        division_code=row.division_code,
        post_level=PostLevel(row.post_level),
        monthly_minimum_yuan=row.monthly_minimum_yuan,
        basis=row.basis,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        version=row.version,
    )


async def selections_of(session: AsyncSession, member_id: int) -> list[MemberSelection]:
    """How the person came to each post, for the archive entry (the app wires it there)."""
    return [
        MemberSelection(
            appointment_id=row.id,
            organisation_id=row.organisation_id,
            post=Post(row.post),
            selection_method=SelectionMethod(row.selection_method),
            recruitment_round_id=row.recruitment_round_id,
            contract_start=row.contract_start,
            status=AppointmentStatus(row.status),
        )
        for row in await repository.appointments_of(session, member_id)
    ]
