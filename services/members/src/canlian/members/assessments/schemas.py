"""Request and response bodies of the annual assessment."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from canlian.common.events.members import AssessmentGrade
from canlian.members.api import RequestBody


class AssessmentCreate(RequestBody):
    year: int = Field(ge=2000, le=2100, description="考核年度 / year")
    performance_score: Decimal = Field(
        ge=0, le=100, max_digits=5, decimal_places=2, description="绩效考评得分 / performance"
    )
    evaluation_score: Decimal = Field(
        ge=0, le=100, max_digits=5, decimal_places=2, description="残疾人评价得分 / evaluation"
    )
    grade: AssessmentGrade = Field(
        description="等次:excellent 优秀 / competent 称职 / basically_competent 基本称职 / "
        "incompetent 不称职"
    )
    remarks: str | None = Field(default=None, max_length=2000, description="评语 / remarks")


class AssessmentRead(BaseModel):
    id: int = Field(description="考核编号 / assessment id")
    appointment_id: int = Field(description="聘任编号 / appointment id")
    member_id: int = Field(description="档案编号 / archive id")
    division_code: str = Field(description="区划 / division")
    year: int = Field(description="考核年度 / year")
    performance_score: Decimal = Field(description="绩效考评得分 / performance")
    evaluation_score: Decimal = Field(description="残疾人评价得分 / evaluation")
    grade: AssessmentGrade = Field(description="等次 / grade")
    remarks: str | None = Field(description="评语 / remarks")
    recorded_at: datetime = Field(description="录入时间 / recorded at")
