"""A confirmed record as its event states it (also served for reconciliation)."""

from __future__ import annotations

from canlian.common.business_day import back_dated
from canlian.common.events.volunteers import ServiceRecordConfirmed, Skill
from canlian.volunteers.clock import hours_of
from canlian.volunteers.service_records.models import ServiceRecord


def record_snapshot(record: ServiceRecord, volunteer_division_code: str) -> ServiceRecordConfirmed:
    """A confirmed record as its event states it (also served for reconciliation)."""
    assert record.reviewed_at is not None
    return ServiceRecordConfirmed(
        record_id=record.id,
        version=record.version,
        volunteer_id=record.volunteer_id,
        division_code=record.division_code,
        volunteer_division_code=volunteer_division_code,
        team_id=record.team_id,
        need_id=record.need_id,
        service_kind=Skill(record.service_kind),
        served_on=record.served_on,
        checked_in_at=record.checked_in_at,
        checked_out_at=record.checked_out_at,
        minutes=record.minutes,
        hours=hours_of(record.minutes),
        person_times=record.person_times,
        confirmed_at=record.reviewed_at,
        # Hours count on the day they were served, however late they are confirmed.
        effective_on=back_dated(record.served_on),
    )
