"""Request and response bodies of needs. The hotline caller leaves masked."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from canlian.common.events.needs import (
    Channel,
    NeedStatus,
    ReferralTarget,
    Satisfaction,
    ServiceKind,
)
from canlian.common.values import Multiline, SaneDate, human_text

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HotlineCall(_Input):
    caller: Annotated[str, human_text(50)] = Field(description="来电人 / caller")
    called_at: AwareDatetime = Field(description="来电时间 / time of the call")
    operator: Annotated[str, human_text(100)] = Field(description="接线员 / operator")
    summary: Annotated[str, Multiline(2000)] = Field(description="通话摘要 / summary")


class Petition(_Input):
    received_on: SaneDate = Field(description="信访收到日期 / received on")


class NeedCreate(_Input):
    household_id: Id
    category: ServiceKind = Field(description="需求类别(GET /v1/need-categories)")
    channel: Channel = Field(description="渠道 / channel (visit needs come with the visit)")
    description: Annotated[str, human_text(1000)] = Field(description="需求描述")
    hotline: HotlineCall | None = Field(default=None, description="12385 热线来电")
    petition: Petition | None = Field(default=None, description="网络信访")
    volunteer_id: Id | None = Field(default=None, description="反映需求的志愿者")


class Assessment(_Input):
    assessment: Annotated[str, human_text(2000)] = Field(description="评估意见 / assessment")


class Referral(_Input):
    target: ReferralTarget = Field(description="转介对象类型 / referred to")
    platform_id: Id | None = Field(default=None, description="服务平台(target=platform)")
    referred_to: Annotated[str, human_text(100)] | None = Field(
        default=None, description="部门或下级残联名称(department / lower_federation)"
    )
    due_on: SaneDate | None = Field(default=None, description="办理期限 / due date")


class Closing(_Input):
    outcome: Annotated[str, Multiline(2000)] = Field(description="办理结果 / outcome")
    satisfaction: Satisfaction | None = Field(default=None, description="满意度 / rating")
    satisfaction_reason: Annotated[str, Multiline(500, required=False)] | None = Field(default=None)
    petition_reply: Annotated[str, human_text(2000)] | None = Field(
        default=None, description="给信访人的答复 / reply to the petitioner"
    )


class Rating(_Input):
    satisfaction: Satisfaction = Field(description="满意 / 基本满意 / 不满意")
    reason: Annotated[str, Multiline(500, required=False)] | None = Field(
        default=None, description="理由"
    )


class CategoryRead(BaseModel):
    code: ServiceKind
    name_zh: str
    name_en: str


class NeedSummary(BaseModel):
    id: str
    household_id: str
    division_code: str
    category: ServiceKind
    channel: Channel
    status: NeedStatus
    recorded_on: date
    due_on: date
    reports: int = Field(description="合并的反映次数 / reports merged into it")
    version: int


class NeedRead(NeedSummary):
    description: str
    merged: bool = Field(default=False, description="本次反映并入了已有需求 / merged")
    visit_id: str | None
    volunteer_id: str | None
    caller: str | None = Field(description="来电人(脱敏)/ caller, masked")
    called_at: datetime | None
    operator: str | None
    call_summary: str | None
    petition_received_on: date | None
    petition_acceptance_due: date | None
    petition_closing_due: date | None
    petition_reply: str | None
    assessed_on: date | None
    assessment: str | None
    referral_target: ReferralTarget | None
    platform_id: str | None
    referred_to: str | None
    referred_on: date | None
    closed_on: date | None
    outcome: str | None
    closed_within_deadline: bool | None
    satisfaction: Satisfaction | None
    satisfaction_reason: str | None
    handling_division: str = Field(description="当前负责的残联所在区划 / answering now")
    escalations: int = Field(description="逾期督办次数 / times escalated")
    overdue: bool = Field(
        description="本轮曾逾期未办结(计为逾期)/ found open past its closing deadline this round"
    )
    acceptance_overdue: bool = Field(
        description="信访曾逾期未受理 / a petition found not accepted past its deadline"
    )


class EscalationResult(BaseModel):
    escalated: int
    need_ids: list[str]
