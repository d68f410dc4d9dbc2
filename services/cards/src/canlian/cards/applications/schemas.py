"""Request and response bodies of applications, their assessment and review."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from canlian.cards.bodies import StrictBody
from canlian.common.events.cards import (
    ApplicationStatus,
    DisabilityCategory,
    DisabilityGrade,
)
from canlian.common.ids import RequestId, WireId
from canlian.common.values import HUMAN_TEXT_FORMAT, Multiline, SaneDate, clean_text

Assessor = Annotated[str, BeforeValidator(lambda value: clean_text(value, 100)), HUMAN_TEXT_FORMAT]


class ApplicationCreate(StrictBody):
    person_id: RequestId = Field(description="申请人编号 / applicant's person id")
    applied_on: SaneDate | None = Field(
        default=None, description="申请日期,默认今天 / date of application, default today"
    )
    home_visit: bool = Field(default=False, description="上门办证 / home-visit service")
    poor: bool = Field(default=False, description="贫困残疾人 / applicant is poor")
    fee_waived: bool = Field(
        default=False, description="减免评定费用(仅限贫困残疾人)/ assessment fee waived (poor only)"
    )
    note: Annotated[str, Multiline(500, required=False)] | None = Field(
        default=None, description="备注 / note"
    )


class AssessmentCreate(StrictBody):
    institution_id: RequestId = Field(description="指定评定机构编号 / designated institution id")
    assessor: Assessor = Field(description="评定医生 / assessor")
    assessed_on: SaneDate = Field(description="评定日期 / date of assessment")
    category: DisabilityCategory = Field(
        description="残疾类别:1视力 2听力 3言语 4肢体 5智力 6精神 7多重 / category 1-7"
    )
    grade: DisabilityGrade = Field(description="残疾等级:1-4,1级最重 / grade 1-4, 1 most severe")


class ReviewCreate(StrictBody):
    decision: Literal["approve", "reject"] = Field(description="审核结论 / approve or reject")
    reason: Annotated[str, Multiline(1000, required=False)] | None = Field(
        default=None, description="不通过的理由(必填)/ reason, required to reject"
    )


class ApplicationRead(BaseModel):
    id: WireId = Field(description="申请编号 / application id")
    person_id: WireId = Field(description="申请人编号 / person id")
    applicant_name_masked: str = Field(description="申请人姓名(脱敏)/ applicant's name, masked")
    division_code: str = Field(description="区划代码 / division")
    status: ApplicationStatus = Field(description="状态 / status")
    allowed_actions: list[str] = Field(description="当前可执行的操作 / actions allowed now")
    applied_on: date = Field(description="申请日期 / applied on")
    home_visit: bool = Field(description="上门办证 / home visit")
    poor: bool = Field(description="贫困残疾人 / poor")
    fee_waived: bool = Field(description="减免评定费用 / fee waived")
    note: str | None = Field(description="备注 / note")
    institution_id: WireId | None = Field(description="评定机构编号 / institution id")
    institution: str | None = Field(description="评定机构 / institution")
    assessor: str | None = Field(description="评定医生 / assessor")
    assessed_on: date | None = Field(description="评定日期 / assessed on")
    category: DisabilityCategory | None = Field(description="残疾类别 / category")
    grade: DisabilityGrade | None = Field(description="残疾等级 / grade")
    reviewed_on: date | None = Field(description="审核日期 / reviewed on")
    reviewer: str | None = Field(description="审核人 / reviewer")
    rejection_reason: str | None = Field(description="不通过理由 / rejection reason")
    card_id: WireId | None = Field(description="所发证件编号 / card issued for it")
    version: int = Field(description="版本号 / version")
