"""Request and response bodies of evaluations (field descriptions in Chinese and English)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.metrics import EvaluationKind, EvaluationStatus
from canlian.common.ids import WireId
from canlian.common.values import Multiline
from canlian.metrics.catalogue.schemas import IndicatorUnit
from canlian.metrics.plans.schemas import Comparator
from canlian.metrics.regions.schemas import RegionRead
from canlian.metrics.request_body import RequestBody

CONCLUSION_LENGTH = 2000

# Free text, line breaks kept (the kit's MultilineText), not blank, bounded.
Conclusion = Annotated[str, Multiline(CONCLUSION_LENGTH)]


class Outcome(StrEnum):
    """An indicator's status in an evaluation."""

    MET = "met"  # 达标
    NOT_MET = "not_met"  # 未达标
    NO_TARGET = "no_target"  # 未设目标
    INCOMPLETE = "incomplete"  # 数据不全


class EvaluationDraft(RequestBody):
    region: KnownDivisionCode = Field(description="被评估区划 / region evaluated")
    kind: EvaluationKind = Field(description="midterm 中期评估 / final 终期评估")
    conclusion: Conclusion = Field(
        description=f"评估结论(不超过 {CONCLUSION_LENGTH} 字)/ the written conclusion"
    )


class IndicatorOutcome(BaseModel):
    indicator: str = Field(description="指标代码 / indicator code")
    name_zh: str = Field(description="指标名称 / Chinese name")
    name_en: str = Field(description="英文名称 / English name")
    unit: IndicatorUnit = Field(description="单位 / unit")
    value: float | None = Field(description="锁定的指标值 / locked value (null: no data)")
    comparator: Comparator | None = Field(description="比较方式 / comparator")
    target: float | None = Field(description="评估节点的目标值 / the milestone's target")
    status: Outcome = Field(description="达标状态 / status against the target")
    gap: float | None = Field(description="差距,达标为 0 / shortfall, 0 when met")


class EvaluationRead(BaseModel):
    id: WireId = Field(description="评估编号 / evaluation id")
    plan: str = Field(description="规划代码 / plan")
    plan_name: str = Field(description="规划名称 / plan name")
    region: RegionRead = Field(description="被评估区划 / region evaluated")
    kind: EvaluationKind = Field(description="中期或终期 / mid-term or final")
    year: int = Field(description="评估年度 / year evaluated")
    submission_id: WireId = Field(description="所依据的锁定上报 / accepted submission used")
    submission_version: int = Field(description="该上报的版本 / its version")
    status: EvaluationStatus = Field(description="draft 草稿 / approved 已审定")
    version: int = Field(description="第几稿 / draft number")
    revision: int = Field(
        description="对象版本,即 ETag;审核时在 If-Match 中回传 / the object's version, its "
        "ETag: send it back in If-Match"
    )
    conclusion: str = Field(description="评估结论 / conclusion")
    drafted_by: str = Field(description="起草人账号 / drafted by")
    drafted_at: datetime = Field(description="起草时间 / drafted at")
    approved_by: str | None = Field(description="审定人账号 / approved by")
    approved_at: datetime | None = Field(description="审定时间 / approved at")
    counts: dict[Outcome, int] = Field(description="各状态指标数 / indicators per status")
    indicators: list[IndicatorOutcome] = Field(description="各项指标 / every indicator")


class ComparedRegion(BaseModel):
    region: RegionRead = Field(description="区划 / region")
    evaluation_id: WireId = Field(description="评估编号 / evaluation id")
    year: int = Field(description="评估年度 / year evaluated")
    approved_at: datetime | None = Field(description="审定时间 / approved at")
    value: float | None = Field(description="锁定的指标值 / locked value")
    comparator: Comparator | None = Field(description="比较方式 / comparator")
    target: float | None = Field(description="目标值 / target")
    status: Outcome = Field(description="达标状态 / status")
    gap: float | None = Field(description="差距 / shortfall")
