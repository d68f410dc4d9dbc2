"""Officials' reports as the API shows them."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from canlian.volunteers.bodies import OutputBody


class VolunteerCounts(OutputBody):
    division_code: str
    registered: int = Field(description="在册志愿者 / active volunteers")
    sign_language: int = Field(description="手语志愿者 / with the sign-language skill")
    sign_language_trained: int = Field(description="经培训的手语志愿者 / trained in sign language")
    left: int = Field(description="已退出 / left")
    by_star_level: list[int] = Field(description="各星级人数(0-5星)/ count per star level")


class VolunteerReport(OutputBody):
    division_code: str
    total: VolunteerCounts
    rows: list[VolunteerCounts] = Field(description="按下一级区划 / per child division")


class ServiceTotals(OutputBody):
    division_code: str
    month: str | None = Field(
        default=None, description="月份 YYYY-MM(按月统计时)/ month, when grouped by month"
    )
    records: int
    volunteers: int = Field(description="提供服务的志愿者人数 / distinct volunteers")
    hours: float = Field(description="已确认服务时长 / confirmed hours")
    person_times: int = Field(description="服务残疾人人次 / person-times")


class ServiceReport(OutputBody):
    division_code: str
    served_from: date
    served_to: date
    total: ServiceTotals
    rows: list[ServiceTotals] = Field(description="按下一级区划 / per child division")
