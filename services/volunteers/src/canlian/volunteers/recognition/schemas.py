"""Trainings, honours, star policies and a volunteer's recognition as the API takes and
shows them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from canlian.common.events.volunteers import TrainingKind
from canlian.common.values import HumanText, SaneDate
from canlian.volunteers.bodies import InputBody, OutputBody


class HonourLevel(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"


class TrainingCreate(InputBody):
    kind: TrainingKind = Field(description="培训类别 / kind")
    title: HumanText = Field(min_length=2, max_length=200)
    provider: HumanText | None = Field(
        default=None, max_length=200, description="培训机构 / provider"
    )
    hours: int = Field(ge=1, le=2000, description="学时 / hours")
    completed_on: SaneDate = Field(description="结业日期 / completed on")
    certificate_no: str | None = Field(
        default=None, max_length=100, description="证书编号 / certificate number"
    )


class TrainingRead(OutputBody):
    id: str
    volunteer_id: str
    kind: TrainingKind
    title: str
    provider: str | None
    hours: int
    completed_on: date
    certificate_no: str | None


class HonourCreate(InputBody):
    title: HumanText = Field(min_length=2, max_length=200, description="荣誉名称 / honour")
    level: HonourLevel = Field(description="级别 / level")
    awarded_by: HumanText = Field(min_length=2, max_length=200, description="授予单位 / awarded by")
    awarded_on: SaneDate


class HonourRead(OutputBody):
    id: str
    volunteer_id: str
    title: str
    level: HonourLevel
    awarded_by: str
    awarded_on: SaneDate


class StarPolicyWrite(InputBody):
    thresholds_hours: list[int] = Field(
        min_length=5,
        max_length=5,
        description="一至五星所需累计服务小时数,递增 / hours for stars 1-5, increasing",
    )


class StarPolicyRead(OutputBody):
    division_code: str
    thresholds_hours: list[int]
    source_division_code: str | None = Field(
        description="生效政策所在区划;为空表示全国默认 / whose policy applies, null = default"
    )


class Recognition(OutputBody):
    star_level: int
    confirmed_hours: float
    person_times: int
    next_star_level: int | None
    hours_to_next_star: float | None
    thresholds_hours: list[int]
    trainings: list[TrainingRead]
    honours: list[HonourRead]
