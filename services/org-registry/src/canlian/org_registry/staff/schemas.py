"""Request and response bodies of federation staff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, Field

from canlian.common.events.org_registry import StaffEmployment
from canlian.common.ids import WireId
from canlian.common.values import SaneDate
from canlian.org_registry.api import Name, Strict

StaffId = Annotated[int, Path(ge=1, le=2**62, description="工作人员编号 / staff id")]
Year = Annotated[int, Path(ge=2000, le=2100, description="年度 / year")]


class StaffCreate(Strict):
    organisation_id: str = Field(min_length=1, max_length=36, description="残联编号 / federation")
    name: Name = Field(description="姓名 / full name")
    employment: StaffEmployment = Field(
        description="身份:cadre 在编干部 / seconded 挂职 / part_time 兼职"
    )
    is_disabled: bool = Field(description="是否残疾人干部 / a disabled cadre")
    disability_category: int | None = Field(
        default=None, ge=1, le=7, description="残疾类别 1–7(残疾人填写)/ disability category"
    )
    on_executive_council: bool = Field(
        default=False, description="是否执行理事会成员 / executive council member"
    )
    joined_on: SaneDate = Field(description="到岗日期 / joined on")


class StaffUpdate(Strict):
    employment: StaffEmployment | None = Field(default=None, description="身份 / employment")
    is_disabled: bool | None = Field(default=None, description="残疾人干部 / disabled")
    disability_category: int | None = Field(
        default=None, ge=1, le=7, description="残疾类别 / category"
    )
    on_executive_council: bool | None = Field(default=None, description="执行理事会 / council")
    left_on: SaneDate | None = Field(default=None, description="离岗日期 / left on")


class GrassrootsDaysSet(Strict):
    days: int = Field(ge=0, le=366, description="当年下基层调研天数 / days at the grass roots")


class GrassrootsDaysRead(BaseModel):
    year: int = Field(description="年度 / year")
    days: int = Field(description="天数 / days")
    minimum_days: int = Field(
        description="地区政策 staff.grassroots_days_minimum(未设为60)/ the region's minimum"
    )
    met: bool = Field(description="是否达到 / meets the minimum")


class StaffRead(BaseModel):
    id: WireId = Field(description="工作人员编号 / staff id")
    organisation_id: str = Field(description="残联编号 / federation")
    division_code: str = Field(description="区划 / division")
    name: str = Field(description="姓名(脱敏)/ name, masked")
    employment: StaffEmployment = Field(description="身份 / employment")
    is_disabled: bool = Field(description="残疾人干部 / disabled cadre")
    disability_category: int | None = Field(description="残疾类别 / category")
    on_executive_council: bool = Field(description="执行理事会成员 / council member")
    joined_on: date = Field(description="到岗日期 / joined on")
    left_on: date | None = Field(description="离岗日期 / left on")
    grassroots_days: list[GrassrootsDaysRead] = Field(description="各年下基层天数 / days a year")
    version: int = Field(description="版本号 / version")
    updated_by: str = Field(description="最近修改人 / last changed by")


class CouncilMemberBelow(BaseModel):
    staff_id: WireId = Field(description="工作人员编号 / staff id")
    days: int | None = Field(description="天数(未填为空)/ days, null when not recorded")


class StaffComposition(BaseModel):
    organisation_id: str = Field(description="残联编号 / federation")
    division_code: str = Field(description="区划 / division")
    as_of: date = Field(description="统计日期 / as of")
    staff_in_post: int = Field(description="在岗工作人员 / staff in post")
    disabled_cadres: int = Field(description="残疾人干部 / disabled cadres")
    disabled_share: Decimal | None = Field(description="残疾人干部比例(%)/ share, percent")
    disabled_share_minimum: Decimal = Field(
        description="地区政策 staff.disabled_cadre_share(未设为15)/ the region's minimum, percent"
    )
    disabled_share_met: bool | None = Field(description="是否达标(无人在岗为空)/ met")
    seconded_or_part_time: int = Field(description="挂职、兼职干部 / seconded or part-time")
    seconded_or_part_time_share: Decimal | None = Field(
        description="挂职、兼职比例(%,002 要求15%左右,只显示不判定)/ share, shown only"
    )
    year: int = Field(description="下基层天数的年度 / year of the grass-roots days")
    grassroots_days_minimum: int = Field(description="下基层天数下限 / minimum days")
    council_members_below: list[CouncilMemberBelow] = Field(
        description="下基层天数未达标的执行理事会成员 / council members below the minimum"
    )


class StaffPersonalData(BaseModel):
    id: WireId = Field(description="工作人员编号 / staff id")
    name: str = Field(description="姓名 / name")
