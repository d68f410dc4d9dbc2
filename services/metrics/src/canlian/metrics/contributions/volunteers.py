"""What volunteers and their confirmed service records count (volunteers events)."""

from __future__ import annotations

from canlian.common.events import volunteers
from canlian.common.events.base import DomainEvent
from canlian.metrics.contributions.mappers import (
    COUNTER_DESCRIPTIONS,
    Mapped,
    entity_key,
    event_division,
    mapper,
)

COUNTER_DESCRIPTIONS.update(
    {
        "volunteers.registered": "在册助残志愿者数 / registered volunteers",
        "volunteers.sign_language": "有手语技能的志愿者数 / volunteers with sign language",
        "volunteers.sign_language_trained": "完成手语培训的志愿者数 / sign-language trained "
        "volunteers",
        "volunteers.starred": "获得星级的志愿者数 / volunteers with a star level",
        "volunteers.service_records": "已确认服务记录数 / confirmed service records",
        "volunteers.service_minutes": "已确认服务时长(分钟)/ confirmed service minutes",
        "volunteers.person_times": "受助残疾人人次 / person-times of disabled persons helped",
    }
)


@mapper(
    volunteers.VolunteerRegistered,
    volunteers.VolunteerChanged,
    volunteers.VolunteerLeft,
    volunteers.VolunteerTrained,
    volunteers.StarLevelReached,
)
def volunteer_contribution(event: volunteers.VolunteerSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    key = entity_key(event)
    if event.status is not volunteers.VolunteerStatus.ACTIVE:
        return Mapped(key, event.version, {})
    code = event_division(event.division_code)
    contribution = {(code, "volunteers.registered"): 1}
    if event.sign_language:
        contribution[(code, "volunteers.sign_language")] = 1
    if event.sign_language_trained:
        contribution[(code, "volunteers.sign_language_trained")] = 1
    if event.star_level > 0:
        contribution[(code, "volunteers.starred")] = 1
    # Hours and person-times come from confirmed service records, counted where the service
    # was given; the volunteer's running totals would count them twice.
    return Mapped(key, event.version, contribution)


@mapper(volunteers.ServiceRecordConfirmed)
def service_record_contribution(event: volunteers.ServiceRecordConfirmed) -> Mapped:
    code = event_division(event.division_code)
    contribution = {
        (code, "volunteers.service_records"): 1,
        (code, "volunteers.service_minutes"): event.minutes,
        (code, "volunteers.person_times"): event.person_times,
    }
    return Mapped(entity_key(event), event.version, contribution)
