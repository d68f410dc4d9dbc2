"""Needs, candidates and assignments as the API takes and shows them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.volunteers import Skill
from canlian.common.values import HumanText, Multiline
from canlian.volunteers.bodies import ID_PATTERN, InputBody, OutputBody, Skills


class NeedRequester(StrEnum):
    ASSOCIATION = "association"  # 残协提出
    FEDERATION = "federation"  # 残联提出
    ON_BEHALF = "on_behalf"  # 代残疾人提出
    REFERRAL = "referral"  # 需求服务转介


class NeedStatus(StrEnum):
    OPEN = "open"  # 待对接
    MATCHED = "matched"  # 已对接(志愿者人数已满)
    CLOSED = "closed"  # 已服务完成
    CANCELLED = "cancelled"  # 已取消


class NeedOutcome(StrEnum):
    SERVED = "served"
    CANCELLED = "cancelled"


class AssignmentStatus(StrEnum):
    INVITED = "invited"  # 已邀请
    ACCEPTED = "accepted"  # 已接受
    DECLINED = "declined"  # 已谢绝


class NeedCreate(InputBody):
    division_code: KnownDivisionCode = Field(description="服务地区划代码 / where the service is")
    kind: Skill = Field(description="服务类别 / kind of service")
    skills: Skills = Field(default_factory=list, description="另需技能 / further skills")
    title: HumanText = Field(min_length=2, max_length=200, description="标题 / short title")
    description: Annotated[str, Multiline(2000, required=False)] | None = Field(
        default=None,
        description="说明(勿填写身份证号等个人信息)/ details, no personal identifiers",
    )
    requested_by: NeedRequester = Field(description="提出方 / who raised it")
    organisation_id: str | None = Field(
        default=None, max_length=64, description="提出组织 / organisation that raised it"
    )
    persons: int = Field(default=1, ge=1, le=1000, description="受助人数 / persons to help")
    volunteers_needed: int = Field(
        default=1, ge=1, le=50, description="所需志愿者人数 / volunteers needed"
    )
    starts_at: AwareDatetime = Field(description="开始时间 / start (with time zone)")
    ends_at: AwareDatetime = Field(description="结束时间 / end (with time zone)")


class NeedRead(OutputBody):
    id: str
    division_code: str
    kind: Skill
    skills: list[Skill]
    title: str
    description: str | None
    requested_by: NeedRequester
    organisation_id: str | None
    persons: int
    volunteers_needed: int
    volunteers_accepted: int
    starts_at: datetime
    ends_at: datetime
    status: NeedStatus
    source_need_id: str | None = Field(
        description="转介来源需求(需求服务)/ the needs service's need it was referred from"
    )
    version: int


class NeedBrief(OutputBody):
    """A need as the app lists it."""

    id: str
    division_code: str
    kind: Skill
    title: str
    starts_at: datetime
    ends_at: datetime
    status: NeedStatus
    invited: bool = Field(description="是否被邀请 / whether I was invited")


class NeedClosing(InputBody):
    outcome: NeedOutcome = Field(description="served 已服务 / cancelled 取消")
    note: Annotated[str, Multiline(500, required=False)] | None = None


class Candidate(OutputBody):
    volunteer_id: str
    division_code: str
    name: str = Field(description="姓名(脱敏)/ masked name")
    skills_matched: int = Field(description="匹配技能数 / required skills the volunteer has")
    skills_required: int
    available: bool = Field(description="可服务时段与需求时间相符 / availability overlaps")
    nearness: int = Field(
        description="区划相近程度:共同前缀层级 0-5(5=同一区划)/ common division level"
    )
    star_level: int


class Invitation(InputBody):
    volunteer_ids: list[Annotated[str, Field(max_length=64, pattern=ID_PATTERN)]] = Field(
        min_length=1, max_length=50, description="被邀请志愿者 / volunteers to invite"
    )


class AssignmentRead(OutputBody):
    need_id: str
    volunteer_id: str
    status: AssignmentStatus
    decline_reason: str | None


class Declining(InputBody):
    reason: Annotated[str, Multiline(500, min_length=2)] = Field(description="谢绝原因 / why")
