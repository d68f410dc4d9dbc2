"""Request and response bodies of the annual assessment."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, Field

from canlian.common.events.members import AssessmentDecision, AssessmentGrade
from canlian.common.ids import WireId
from canlian.common.values import Multiline, fixed_places
from canlian.members.api import RequestBody

AssessmentId = Annotated[int, Path(ge=1, le=2**62, description="考核编号 / assessment id")]


class AssessmentCreate(RequestBody):
    year: int = Field(ge=2000, le=2100, description="考核年度 / year")
    performance_score: Annotated[Decimal, fixed_places(2)] = Field(
        ge=0, le=100, max_digits=5, decimal_places=2, description="绩效考评得分 / performance"
    )
    evaluation_score: Annotated[Decimal, fixed_places(2)] = Field(
        ge=0, le=100, max_digits=5, decimal_places=2, description="残疾人评价得分 / evaluation"
    )
    remarks: Annotated[str, Multiline(2000, required=False)] | None = Field(
        default=None, description="评语 / remarks"
    )


class AssessmentRead(BaseModel):
    id: WireId = Field(description="考核编号 / assessment id")
    appointment_id: WireId = Field(description="聘任编号 / appointment id")
    member_id: WireId = Field(description="档案编号 / archive id")
    division_code: str = Field(description="区划 / division")
    year: int = Field(description="考核年度 / year")
    performance_score: Decimal = Field(description="绩效考评得分 / performance")
    evaluation_score: Decimal = Field(description="残疾人评价得分 / evaluation")
    performance_weight: Decimal | None = Field(
        description="绩效考评权重(%,地区政策 assessment.performance_weight)/ performance "
        "weight, percent, from the region's policy"
    )
    combined_score: Decimal | None = Field(description="综合得分 / combined score")
    grade: AssessmentGrade = Field(
        description="等次(由综合得分评定:90 优秀、70 称职、60 基本称职,以下不称职)/ grade "
        "from the combined score"
    )
    decision: AssessmentDecision | None = Field(
        description="结论:renew 续聘 / improvement_plan 限期改进 / dismiss 解聘"
    )
    decided_on: date | None = Field(description="决定日期 / decided on")
    contract_end_before: date | None = Field(description="原合同结束 / contract end before")
    contract_end_after: date | None = Field(
        description="续聘后合同结束(未变为空)/ contract end after renewal (null: unchanged)"
    )
    remarks: str | None = Field(description="评语 / remarks")
    recorded_at: datetime = Field(description="录入时间 / recorded at")


class ContractWithoutAssessment(BaseModel):
    appointment_id: WireId = Field(description="聘任编号 / appointment id")
    member_id: WireId = Field(description="档案编号 / archive id")
    organisation_id: str = Field(description="组织 / organisation")
    division_code: str = Field(description="区划 / division")
    post: str = Field(description="岗位 / post")
    contract_end: date = Field(description="合同结束 / contract end")
    last_assessed_year: int | None = Field(description="最近考核年度 / last assessed year")
