"""The volunteer as the API shows them: masked summaries and details, and the audited
unmasked contact."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from canlian.common.events.volunteers import RegistrationChannel, Skill, VolunteerStatus
from canlian.volunteers.bodies import OutputBody
from canlian.volunteers.weekly_slots import AvailabilitySlot


class VolunteerSummary(OutputBody):
    id: str
    division_code: str
    name: str = Field(description="姓名(脱敏)/ masked name")
    status: VolunteerStatus
    skills: list[Skill]
    star_level: int
    confirmed_hours: float = Field(description="累计已确认服务时长(小时)/ confirmed hours")


class VolunteerRead(VolunteerSummary):
    channel: RegistrationChannel
    phone: str = Field(description="手机号码(脱敏)/ masked")
    citizen_id: str | None = Field(description="公民身份号码(脱敏)/ masked")
    availability: list[AvailabilitySlot]
    team_id: str | None
    station_id: str | None
    sign_language_trained: bool
    person_times: int = Field(description="累计服务残疾人人次 / person-times helped")
    registered_on: date
    left_on: date | None
    version: int


class VolunteerContact(OutputBody):
    """Unmasked; needs the personal-data:read scope and a reason, and is audited."""

    id: str
    name: str
    phone: str
    citizen_id: str | None
