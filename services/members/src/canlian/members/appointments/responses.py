"""Appointments and allowance policies as the API shows them."""

from __future__ import annotations

from canlian.common.events.members import AppointmentStatus, PostLevel
from canlian.members.appointments.models import AllowanceMinimum, Appointment
from canlian.members.appointments.posts import post_level_of
from canlian.members.appointments.schemas import (
    AllowanceMinimumRead,
    AppointmentDetail,
    AppointmentRead,
    StatusChangeRead,
)


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
