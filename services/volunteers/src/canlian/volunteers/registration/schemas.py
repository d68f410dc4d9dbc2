"""Registration, profile changes and leaving as the API takes them."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from canlian.common import validation_messages
from canlian.common.citizen_id import CitizenId
from canlian.common.divisions import KnownDivisionCode
from canlian.common.i18n import Message
from canlian.common.values import HumanText, Multiline
from canlian.volunteers.bodies import InputBody, Skills
from canlian.volunteers.weekly_slots import Availability

_PHONE = re.compile(r"^1[3-9]\d{9}$")

validation_messages.register(
    "phone_number",
    Message(
        zh="手机号码应为11位中国大陆手机号(1开头)", en="Must be an 11-digit mainland mobile number"
    ),
)


def _phone(value: str) -> str:
    digits = value.strip().replace(" ", "").replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if not _PHONE.match(digits):
        raise PydanticCustomError("phone_number", "Must be an 11-digit mainland mobile number")
    return digits


# The format names the type in the OpenAPI document (clients and fuzzers generate valid ones).
PhoneNumber = Annotated[
    str, AfterValidator(_phone), Field(json_schema_extra={"format": "mobile-phone"})
]


class SelfRegistration(InputBody):
    """志愿者在手机应用上自行注册."""

    name: HumanText = Field(max_length=50, description="姓名 / full name")
    phone: PhoneNumber = Field(description="手机号码 / mobile number")
    citizen_id: CitizenId | None = Field(default=None, description="公民身份号码(实名)/ citizen ID")
    division_code: KnownDivisionCode = Field(description="常住区划代码 / where the volunteer lives")
    skills: Skills = Field(default_factory=list)
    availability: Availability = Field(default_factory=list)


class StationRegistration(SelfRegistration):
    """服务站代为登记."""

    team_id: str | None = Field(default=None, max_length=64, description="志愿服务队 / team")
    station_id: str | None = Field(default=None, max_length=64, description="服务站 / station")


class ProfileUpdate(InputBody):
    """Fields the volunteer may change themselves; omitted fields stay as they are."""

    phone: PhoneNumber | None = Field(default=None, description="手机号码 / mobile number")
    skills: Skills | None = None
    availability: Availability | None = None


class VolunteerUpdate(ProfileUpdate):
    division_code: KnownDivisionCode | None = Field(default=None, description="区划代码 / division")
    team_id: str | None = Field(default=None, max_length=64, description="志愿服务队 / team")
    station_id: str | None = Field(default=None, max_length=64, description="服务站 / station")


class Leaving(InputBody):
    reason: Annotated[str, Multiline(500, min_length=2)] = Field(description="退出原因 / why")
