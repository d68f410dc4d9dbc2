"""Request and response bodies of the presidium's budget reviews."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from canlian.common.events.org_registry import BudgetDecision
from canlian.common.ids import WireId
from canlian.common.values import Multiline, SaneDate, fixed_places
from canlian.org_registry.api import Strict
from canlian.org_registry.term_acts.schemas import ActVersionRead, ActWithdrawal

ReviewId = Annotated[int, Path(ge=1, le=2**62, description="审议记录编号 / review id")]
Yuan = Annotated[Decimal, fixed_places(2)]


class BudgetReviewCreate(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "organisation_id": "5f0c6f1e-2d4b-4c8e-9a51-1b7f3c2d9e10",
                    "term_number": 7,
                    "year": 2025,
                    "reviewed_on": "2026-03-18",
                    "budget_yuan": "12800000.00",
                    "executed_yuan": "12150000.50",
                    "note": "康复项目结余结转下年",
                    "decision": "approved",
                }
            ]
        }
    )

    organisation_id: str = Field(min_length=1, max_length=36, description="残联编号 / federation")
    term_number: int = Field(ge=1, le=1000, description="第几届 / term number")
    year: int = Field(ge=2000, le=2100, description="预算年度 / budget year")
    reviewed_on: SaneDate = Field(description="主席团审议日期 / reviewed on")
    budget_yuan: Yuan = Field(
        ge=0, max_digits=14, decimal_places=2, description="年度预算(元)/ budget, yuan"
    )
    executed_yuan: Yuan = Field(
        ge=0, max_digits=14, decimal_places=2, description="执行数(元)/ executed, yuan"
    )
    note: Annotated[str, Multiline(1000, required=False)] | None = Field(
        default=None, description="报告说明 / the report's note"
    )
    decision: BudgetDecision = Field(description="approved 审议通过 / returned 退回")
    reasons: Annotated[str, Multiline(2000, required=False)] | None = Field(
        default=None, description="退回理由(退回时必填)/ reasons, required when returned"
    )


class BudgetReviewCorrection(Strict):
    """The review as it should have been recorded, and why; the organisation, term and year
    stay (a review of another year is withdrawn and recorded anew)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reviewed_on": "2026-03-18",
                    "budget_yuan": "12800000.00",
                    "executed_yuan": "12510000.50",
                    "note": "康复项目结余结转下年",
                    "decision": "approved",
                    "reason": "执行数录入有误,按主席团会议纪要更正",
                }
            ]
        }
    )

    reviewed_on: SaneDate = Field(description="主席团审议日期 / reviewed on")
    budget_yuan: Yuan = Field(
        ge=0, max_digits=14, decimal_places=2, description="年度预算(元)/ budget, yuan"
    )
    executed_yuan: Yuan = Field(
        ge=0, max_digits=14, decimal_places=2, description="执行数(元)/ executed, yuan"
    )
    note: Annotated[str, Multiline(1000, required=False)] | None = Field(
        default=None, description="报告说明 / the report's note"
    )
    decision: BudgetDecision = Field(description="approved 审议通过 / returned 退回")
    reasons: Annotated[str, Multiline(2000, required=False)] | None = Field(
        default=None, description="退回理由(退回时必填)/ reasons, required when returned"
    )
    reason: Annotated[str, Multiline(2000)] = Field(description="更正理由 / why it is corrected")


class BudgetReviewWithdrawal(ActWithdrawal):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "误登记为第7届,应为第8届主席团审议"}]}
    )


class BudgetReviewRead(BaseModel):
    id: WireId = Field(description="审议记录编号 / review id")
    version: int
    organisation_id: str
    division_code: str
    term_number: int
    year: int
    reviewed_on: date
    budget_yuan: Decimal
    executed_yuan: Decimal
    execution_percent: Decimal | None = Field(
        description="执行率(%,一位小数;预算为0时为空)/ executed share of the budget"
    )
    note: str | None
    decision: BudgetDecision
    reasons: str | None
    status: Literal["recorded", "withdrawn"] = Field(
        description="recorded 有效 / withdrawn 已撤销(不计入指标)/ in force or withdrawn"
    )
    correction_reason: str | None = Field(description="最近一次更正的理由 / the last correction's")
    withdrawn_on: date | None
    withdrawal_reason: str | None
    recorded_by: str = Field(description="记录人 / recorded by")
    recorded_at: datetime
    changed_by: str | None = Field(description="最近更正或撤销人 / last corrected or withdrawn by")
    changed_at: datetime | None


class BudgetReviewVersionRead(ActVersionRead):
    content: dict[str, Any] = Field(description="该版本的审议内容 / the review at this version")


class MissingBudgetReview(BaseModel):
    organisation_id: str
    name: str = Field(description="残联名称 / federation")
    division_code: str
    term_number: int
    starts_on: date
    ends_on: date
    year: int = Field(description="缺少审议的年度 / the year without a review")
