"""Request and response bodies of submissions (field descriptions in Chinese and English)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.metrics import SubmissionStatus
from canlian.common.ids import WireId
from canlian.common.values import HumanText, Multiline, MultilineText, SaneDate
from canlian.metrics.regions.schemas import IndicatorValue, Milestone, RegionRead
from canlian.metrics.request_body import RequestBody


class FormHeader(RequestBody):
    """The header block of a Chinese statistical form."""

    form_number: HumanText = Field(max_length=60, description="表号 / form number")
    issuing_authority: HumanText = Field(
        max_length=100, description="制表机关 / authority that issued the form"
    )
    reporting_unit: HumanText = Field(
        max_length=100, description="填报单位 / reporting organisation"
    )
    unit_head: HumanText = Field(max_length=60, description="单位负责人 / head of unit")
    statistics_head: HumanText = Field(max_length=60, description="统计负责人 / head of statistics")
    preparer: HumanText = Field(max_length=60, description="填表人 / preparer")


class SubmissionCreate(RequestBody):
    region: KnownDivisionCode = Field(description="上报区划 / region that submits")
    year: int = Field(ge=2000, le=2100, description="统计年度 / year")
    note: Annotated[str, Multiline(4000, required=False)] = Field(
        default="", description="说明 / note to the level above"
    )
    header: FormHeader = Field(description="报表表头 / the form's header block")
    revision_reason: Annotated[str, Multiline(2000, required=False)] | None = Field(
        default=None,
        description="修订理由(已锁定年度的修订必填)/ reason for revising locked figures",
    )


class SubmissionReturn(RequestBody):
    reason: MultilineText = Field(description="退回理由 / why the figures are returned")


class DeadlineSet(RequestBody):
    region: KnownDivisionCode = Field(description="设定截止日期的上级区划 / the upper region")
    year: int = Field(ge=2000, le=2100, description="统计年度 / year")
    due: SaneDate = Field(description="下级上报截止日期 / date the regions below submit by")


class SubmissionRead(BaseModel):
    id: WireId = Field(description="上报记录编号 / submission id")
    plan: str = Field(description="规划 / plan")
    region: str = Field(description="上报区划 / region")
    year: int = Field(description="统计年度 / year")
    version: int = Field(description="第几版 / version")
    revision: int = Field(
        description="对象版本,即 ETag;审核时在 If-Match 中回传 / the object's version, its "
        "ETag: send it back in If-Match"
    )
    status: SubmissionStatus = Field(
        description="waiting 待审核 / returned 已退回 / accepted 已通过"
    )
    milestone: Milestone = Field(description="对照的目标节点 / milestone of the targets")
    note: str = Field(description="说明 / note")
    revision_reason: str | None = Field(description="修订理由 / reason of a revision")
    header: FormHeader = Field(description="报表表头 / the form's header")
    submitted_by: str = Field(description="上报人 / submitted by")
    submitted_at: datetime = Field(description="报出时间 / submitted at")
    reviewed_by: str | None = Field(description="审核人 / reviewed by")
    reviewed_at: datetime | None = Field(description="审核时间 / reviewed at")
    review_reason: str | None = Field(description="退回理由 / reason for a return")
    indicators: list[IndicatorValue] = Field(
        description="冻结的指标快照(年末值)/ the frozen snapshot, as of the year's end"
    )


class ChildStatus(StrEnum):
    NOT_SUBMITTED = "not_submitted"  # 未上报
    WAITING = "waiting"  # 待审核
    RETURNED = "returned"  # 已退回
    ACCEPTED = "accepted"  # 已通过


class ChildSubmission(BaseModel):
    region: RegionRead = Field(description="下级区划 / region below")
    status: ChildStatus = Field(description="上报状态 / status")
    submission_id: WireId | None = Field(description="最新一版编号 / latest version's id")
    version: int | None = Field(description="最新版本号 / latest version")
    submitted_at: datetime | None = Field(description="最近报出时间 / last submitted at")
    review_reason: str | None = Field(description="退回理由 / reason of the return")
    deadline: date | None = Field(description="截止日期 / deadline")
    overdue: bool = Field(description="已过截止日期仍未通过上报 / past the deadline, not in")


class SubmissionOverview(BaseModel):
    region: RegionRead = Field(description="上级区划 / the upper region")
    plan: str = Field(description="规划 / plan")
    year: int = Field(description="统计年度 / year")
    counts: dict[ChildStatus, int] = Field(description="各状态数量 / regions per status")
    regions: list[ChildSubmission] = Field(description="各下级区划 / every region below")
