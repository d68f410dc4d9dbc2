"""Request and response bodies about persons (Chinese + English field descriptions)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from canlian.cards.bodies import StrictBody
from canlian.common.citizen_id import CitizenId
from canlian.common.divisions import KnownDivisionCode
from canlian.common.ids import WireId
from canlian.common.values import HUMAN_TEXT_FORMAT, Phone, clean_text

# A person's name: the kit's human text (no control, bidi or invisible characters), ≤ 50.
Name = Annotated[str, BeforeValidator(lambda value: clean_text(value, 50)), HUMAN_TEXT_FORMAT]


class PersonCreate(StrictBody):
    citizen_id: CitizenId = Field(description="公民身份号码(18位)/ citizen ID number (GB 11643)")
    name: Name = Field(description="姓名 / full name")
    phone: Phone | None = Field(default=None, description="联系电话 / phone number")
    residence_division_code: KnownDivisionCode = Field(
        description="户籍所在地区划代码(12位)/ division of residence (12 digits)"
    )


class PersonUpdate(StrictBody):
    """Corrections of contact details; omitted fields stay, phone null clears it."""

    name: Name | None = Field(default=None, description="姓名 / name")
    phone: Phone | None = Field(default=None, description="联系电话 / phone number")


class PersonLookup(StrictBody):
    citizen_id: CitizenId = Field(description="公民身份号码 / citizen ID number")


class PersonRead(BaseModel):
    """Masked: the citizen ID, name and phone are never shown in full here."""

    id: WireId = Field(description="人员编号 / person id")
    citizen_id_masked: str = Field(description="公民身份号码(脱敏)/ citizen ID, masked")
    name_masked: str = Field(description="姓名(脱敏)/ name, masked")
    phone_masked: str | None = Field(description="联系电话(脱敏)/ phone, masked")
    sex: Literal["male", "female"] = Field(description="性别 / sex")
    residence_division_code: str = Field(description="户籍所在地区划代码 / division of residence")
    version: int = Field(description="版本号 / version")
    created_at: datetime = Field(description="登记时间 / registered at")


class PersonUnmasked(BaseModel):
    """Unmasked personal data: only with the personal-data:read scope, and audited."""

    id: WireId = Field(description="人员编号 / person id")
    citizen_id: str = Field(description="公民身份号码 / citizen ID number")
    name: str = Field(description="姓名 / full name")
    phone: str | None = Field(description="联系电话 / phone")
    sex: Literal["male", "female"] = Field(description="性别 / sex")
    birth_date: date = Field(description="出生日期 / birth date")
    residence_division_code: str = Field(description="户籍所在地区划代码 / division of residence")
