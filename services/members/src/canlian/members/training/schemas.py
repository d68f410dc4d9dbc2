"""Request and response bodies of training records and coverage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from canlian.common.ids import WireId
from canlian.common.values import HumanText, SaneDate, fixed_places
from canlian.members.api import RequestBody


class TrainingCreate(RequestBody):
    course: HumanText = Field(min_length=2, max_length=200, description="培训课程 / course")
    hours: Annotated[Decimal, fixed_places(1)] = Field(
        gt=0, le=1000, max_digits=6, decimal_places=1, description="学时 / hours"
    )
    held_on: SaneDate = Field(description="培训日期 / date")
    organiser: HumanText = Field(min_length=2, max_length=200, description="主办单位 / organiser")


class TrainingRead(BaseModel):
    id: WireId = Field(description="培训记录编号 / training id")
    member_id: WireId = Field(description="档案编号 / archive id")
    division_code: str = Field(description="区划 / division")
    course: str = Field(description="课程 / course")
    hours: Decimal = Field(description="学时 / hours")
    held_on: date = Field(description="培训日期 / date")
    organiser: str = Field(description="主办单位 / organiser")
    plan_period: str = Field(description="所属五年规划期 / five-year plan period")


class PlanPeriod(BaseModel):
    name: str = Field(description="规划期,如 十五五 / plan period")
    start: date = Field(description="开始 / start")
    end: date = Field(description="结束 / end")


class TrainingCoverage(BaseModel):
    region: str = Field(description="区划 / region")
    plan_period: PlanPeriod = Field(description="当前五年规划期 / current plan period")
    workers: int = Field(description="在岗残疾人工作者 / people holding a post")
    trained: int = Field(description="本规划期内已培训 / trained in the period")
    coverage: float = Field(description="培训覆盖率 / trained ÷ workers")
    person_times: int = Field(description="培训人次 / person-times in the period")


class RotationRow(BaseModel):
    division_code: str = Field(description="乡镇或县区 / township or county")
    cadres: int = Field(description="在岗乡镇干部 / township cadres holding a post")
    trained: int = Field(description="本年已轮训 / trained this year")
    overdue: int = Field(description="本年尚未轮训 / not yet trained this year")
    coverage: float = Field(description="轮训率 / trained ÷ cadres")


class RotationReport(BaseModel):
    region: str = Field(description="区划 / region")
    year: int = Field(description="轮训年度 / year")
    as_of: date = Field(description="统计日期 / as of")
    seed: str = Field(description="依据 / the seed's rule")
    items: list[RotationRow] = Field(description="各乡镇 / per township")
    by_county: list[RotationRow] = Field(description="各县区合计 / per county")
    total: RotationRow = Field(description="合计 / the region's total")


class EducationRow(BaseModel):
    level: str = Field(description="county 县级 / township 乡镇")
    cadres: int = Field(description="在岗干部 / cadres holding a post")
    college_or_above: int = Field(description="大专及以上 / college or above")
    share: float = Field(description="大专及以上比例 / share")
    goal: float = Field(description="目标比例(地区政策参数)/ goal share, a regional value")
    goal_parameter: str = Field(description="政策参数 / the policy parameter")
    met: bool = Field(description="是否达到目标 / goal met")


class EducationReport(BaseModel):
    region: str = Field(description="区划 / region")
    as_of: date = Field(description="统计日期 / as of")
    seed: str = Field(description="依据 / the seed's goals")
    items: list[EducationRow] = Field(description="县级、乡镇 / county and township cadres")
