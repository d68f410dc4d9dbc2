"""Service records as response bodies."""

from __future__ import annotations

from canlian.common.events.volunteers import Skill
from canlian.volunteers.clock import hours_of
from canlian.volunteers.service_records.models import ServiceRecord
from canlian.volunteers.service_records.schemas import RecordRead, RecordStatus


def record_read(record: ServiceRecord) -> RecordRead:
    return RecordRead(
        id=record.id,
        client_id=record.client_id,
        volunteer_id=record.volunteer_id,
        need_id=record.need_id,
        team_id=record.team_id,
        division_code=record.division_code,
        service_kind=Skill(record.service_kind),
        checked_in_at=record.checked_in_at,
        checked_out_at=record.checked_out_at,
        served_on=record.served_on,
        hours=hours_of(record.minutes),
        person_times=record.person_times,
        status=RecordStatus(record.status),
        rejection_reason=record.rejection_reason,
        version=record.version,
    )
