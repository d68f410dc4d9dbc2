"""Request and response bodies of mid-term reviews."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from canlian.common.events.org_registry import MidTermResult
from canlian.common.ids import WireId
from canlian.common.values import Multiline, SaneDate
from canlian.org_registry.api import Name, Strict
from canlian.org_registry.term_acts.schemas import ActVersionRead, ActWithdrawal

ReviewId = Annotated[int, Path(ge=1, le=2**62, description="考评记录编号 / review id")]


class MidTermReviewCreate(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "organisation_id": "5f0c6f1e-2d4b-4c8e-9a51-1b7f3c2d9e10",
                    "term_number": 7,
                    "reviewed_on": "2025-09-16",
                    "reviewer": "银川市残联届中考评组",
                    "findings": "班子团结,专职委员配齐;残疾人干部比例偏低",
                    "result": "fairly_good",
                    "conclusion": "建议补充一名残疾人干部进入班子",
                    "adjustment_recommended": True,
                }
            ]
        }
    )

    organisation_id: str = Field(min_length=1, max_length=36, description="残联编号 / federation")
    term_number: int = Field(ge=1, le=1000, description="第几届 / term number")
    reviewed_on: SaneDate = Field(description="考评日期(届中以后)/ reviewed on, past the middle")
    reviewer: Name = Field(description="考评人或考评组 / reviewer or review team")
    findings: Annotated[str, Multiline(4000)] = Field(description="考评发现 / findings")
    result: MidTermResult = Field(description="good 好 / fairly_good 较好 / fair 一般 / poor 差")
    conclusion: Annotated[str, Multiline(2000)] = Field(description="考评结论 / conclusion")
    adjustment_recommended: bool = Field(
        default=False, description="是否建议调整班子 / leadership adjustment recommended"
    )


class MidTermReviewCorrection(Strict):
    """The review as it should have been recorded, and why; the organisation and term stay
    (a review of another term is withdrawn and recorded anew)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reviewed_on": "2025-09-16",
                    "reviewer": "银川市残联届中考评组",
                    "findings": "班子团结,专职委员配齐;残疾人干部比例偏低",
                    "result": "fair",
                    "conclusion": "建议补充一名残疾人干部进入班子",
                    "adjustment_recommended": True,
                    "reason": "考评组复核后将结果由较好更正为一般",
                }
            ]
        }
    )

    reviewed_on: SaneDate = Field(description="考评日期(届中以后)/ reviewed on, past the middle")
    reviewer: Name = Field(description="考评人或考评组 / reviewer or review team")
    findings: Annotated[str, Multiline(4000)] = Field(description="考评发现 / findings")
    result: MidTermResult = Field(description="good 好 / fairly_good 较好 / fair 一般 / poor 差")
    conclusion: Annotated[str, Multiline(2000)] = Field(description="考评结论 / conclusion")
    adjustment_recommended: bool = Field(
        default=False, description="是否建议调整班子 / leadership adjustment recommended"
    )
    reason: Annotated[str, Multiline(2000)] = Field(description="更正理由 / why it is corrected")


class MidTermReviewWithdrawal(ActWithdrawal):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "误登记到兴庆区残联,应为金凤区残联"}]}
    )


class MidTermReviewRead(BaseModel):
    id: WireId = Field(description="考评记录编号 / review id")
    version: int
    organisation_id: str
    division_code: str
    term_number: int
    middle_of_term: date = Field(description="届中日期 / the term's middle")
    reviewer_division_code: str = Field(description="考评单位区划 / the reviewing region")
    reviewer: str
    reviewed_on: date
    findings: str
    result: MidTermResult
    conclusion: str
    adjustment_recommended: bool
    status: Literal["recorded", "withdrawn"] = Field(
        description="recorded 有效 / withdrawn 已撤销(不计入指标)/ in force or withdrawn"
    )
    correction_reason: str | None = Field(description="最近一次更正的理由 / the last correction's")
    withdrawn_on: date | None
    withdrawal_reason: str | None
    recorded_by: str
    recorded_at: datetime
    changed_by: str | None = Field(description="最近更正或撤销人 / last corrected or withdrawn by")
    changed_at: datetime | None


class MidTermReviewVersionRead(ActVersionRead):
    content: dict[str, Any] = Field(description="该版本的考评内容 / the review at this version")


class DueMidTermReview(BaseModel):
    organisation_id: str
    name: str = Field(description="残联名称 / federation")
    division_code: str
    term_number: int
    starts_on: date
    ends_on: date
    middle_of_term: date
