"""Events of the needs service (topic `canlian.needs`): household files, home visits, needs
and their referral, service platforms.

State-carrying like the other domains: each event holds the entity's snapshot after the
change and its `version`. No event carries a citizen ID, a name, a phone number or an
address: households are known by `household_id` and division, disabled members by the cards
service's person id, committee members by `member_id`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import ConfigDict, Field

from canlian.common.events.base import DomainEvent, EventModel
from canlian.common.events.policies import PolicyValueFields

TOPIC = "canlian.needs"


class DifficultyFlag(StrEnum):
    """特殊困难 (002): each flag sets how often the household is visited."""

    MULTIPLE_DISABLED = "multiple_disabled"  # 一户多残
    ELDERLY_DISABLED = "elderly_disabled"  # 老残一体
    SEVERE = "severe"  # 重度
    LIVING_ALONE = "living_alone"  # 独居


class ServiceKind(StrEnum):
    """The basic services a member's status is kept for, and the need catalogue (002)."""

    REHABILITATION = "rehabilitation"  # 康复服务
    ASSISTIVE_DEVICES = "assistive_devices"  # 辅助器具
    EDUCATION = "education"  # 教育
    EMPLOYMENT = "employment"  # 就业
    SOCIAL_SECURITY = "social_security"  # 社会保障(两项补贴、低保)
    CARE = "care"  # 托养照料
    POVERTY_RELIEF = "poverty_relief"  # 救助帮扶
    ACCESSIBILITY = "accessibility"  # 家庭无障碍改造
    LEGAL_AID = "legal_aid"  # 法律援助与维权
    CULTURE_SPORTS = "culture_sports"  # 文化体育


class Channel(StrEnum):
    VISIT = "visit"  # 入户访视
    HOTLINE = "hotline"  # 12385 残疾人服务热线
    PETITION = "petition"  # 网络信访
    WALK_IN = "walk_in"  # 来访
    VOLUNTEER = "volunteer"  # 志愿者反映


class NeedStatus(StrEnum):
    OPEN = "open"  # 已登记
    ASSESSED = "assessed"  # 已评估
    REFERRED = "referred"  # 已转介
    CLOSED = "closed"  # 已办结


class ReferralTarget(StrEnum):
    PLATFORM = "platform"  # 服务平台或机构
    DEPARTMENT = "department"  # 政府部门
    LOWER_FEDERATION = "lower_federation"  # 下级残联
    VOLUNTEERS = "volunteers"  # 志愿者服务


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意


class PlatformKind(StrEnum):
    HOME_OF_DISABLED = "home_of_disabled"  # 残疾人之家
    RUKANG = "rukang"  # 如康家园
    DAY_CARE = "day_care"  # 日间照料
    SHELTERED_WORK = "sheltered_work"  # 辅助性就业
    REHABILITATION_INSTITUTION = "rehabilitation_institution"  # 康复机构
    CARE_INSTITUTION = "care_institution"  # 托养机构


class PlatformService(StrEnum):
    DAY_CARE = "day_care"  # 日间照料
    SHELTERED_WORK = "sheltered_work"  # 辅助性就业
    COMMUNITY_REHABILITATION = "community_rehabilitation"  # 社区康复
    RESIDENTIAL_CARE = "residential_care"  # 托养
    TRAINING = "training"  # 技能培训
    CULTURE_SPORTS = "culture_sports"  # 文体活动


class ServiceCounts(EventModel):
    """How many of a household's disabled members receive a basic service, and how many need
    it without receiving it, as the file records it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ServiceKind
    receiving: int = Field(ge=0, description="已享受 / receiving")
    needed: int = Field(ge=0, description="有需求未享受 / needed, not received")


class HouseholdSnapshot(EventModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    household_id: str
    version: int = Field(ge=1)
    division_code: str = Field(description="12-digit village (community) of the household")
    flags: list[DifficultyFlag]
    members: int = Field(ge=0)
    disabled_person_ids: list[str] = Field(
        description="the cards service's person ids of the household's disabled members"
    )
    visit_interval_days: int | None = Field(description="null: no regular visits due")
    next_visit_due: date | None
    last_visited_on: date | None
    # Added later (optional): the rehabilitation service rate's counts.
    services: list[ServiceCounts] = Field(
        default_factory=list,
        max_length=len(ServiceKind),
        description="per basic service, how many disabled members receive it or need it",
    )


class _HouseholdEvent(HouseholdSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "household_id"


class HouseholdRegistered(_HouseholdEvent):
    event_type: ClassVar[str] = "cn.canlian.needs.household.registered"


class HouseholdChanged(_HouseholdEvent):
    """Members, flags, service statuses or the visit schedule changed."""

    event_type: ClassVar[str] = "cn.canlian.needs.household.changed"


class HomeVisitRecorded(DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "visit_id"
    event_type: ClassVar[str] = "cn.canlian.needs.visit.recorded"

    visit_id: str
    version: int = Field(ge=1)
    household_id: str
    member_id: str = Field(description="the committee member who visited (members service)")
    division_code: str
    visited_on: date
    needs_found: int = Field(ge=0)
    due_on: date | None = Field(description="when the visit was due by the schedule")
    on_schedule: bool | None = Field(description="visited by its due date; null: none due")


class NeedSnapshot(EventModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    need_id: str
    version: int = Field(ge=1)
    household_id: str
    division_code: str
    category: ServiceKind
    channel: Channel
    status: NeedStatus
    recorded_on: date
    due_on: date = Field(description="the current step's due date")
    reports: int = Field(ge=1, description="how many reports were merged into this need")
    referral_target: ReferralTarget | None
    platform_id: str | None
    petition_acceptance_due: date | None
    petition_closing_due: date | None
    closed_on: date | None
    closed_within_deadline: bool | None
    satisfaction: Satisfaction | None
    handling_division: str | None = Field(
        default=None, description="the federation's division answering for it now"
    )
    escalations: int = Field(default=0, ge=0, description="times escalated when overdue")
    assessed_on: date | None = Field(
        default=None, description="the day it was assessed (a petition: accepted)"
    )
    # Added later (optional): a deadline that passed while the need was still open, marked by
    # the daily job so the in-time rates count a backlog as late without waiting for a closing.
    overdue: bool = Field(
        default=False,
        description="found open past its closing deadline (a petition: the statutory one) in "
        "this round; a reopening starts a new round",
    )
    acceptance_overdue: bool = Field(
        default=False,
        description="a petition found not accepted past its statutory acceptance deadline",
    )


class _NeedEvent(NeedSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "need_id"


class NeedRecorded(_NeedEvent):
    event_type: ClassVar[str] = "cn.canlian.needs.need.recorded"


class NeedMerged(_NeedEvent):
    """A further report of a household's open need was merged into it."""

    event_type: ClassVar[str] = "cn.canlian.needs.need.merged"


class NeedAssessed(_NeedEvent):
    event_type: ClassVar[str] = "cn.canlian.needs.need.assessed"


class NeedReferred(_NeedEvent):
    event_type: ClassVar[str] = "cn.canlian.needs.need.referred"


class NeedClosed(_NeedEvent):
    event_type: ClassVar[str] = "cn.canlian.needs.need.closed"


class NeedEscalated(_NeedEvent):
    """Overdue: the level above now answers for it, with a new due date."""

    event_type: ClassVar[str] = "cn.canlian.needs.need.escalated"


class NeedDeadlineMissed(_NeedEvent):
    """Found still open past its closing deadline, or a petition still not accepted past its
    acceptance deadline, by the daily job (the day after the deadline)."""

    event_type: ClassVar[str] = "cn.canlian.needs.need.deadline_missed"


class NeedRated(_NeedEvent):
    """The household's satisfaction with a closed need, asked by a call or given by it."""

    event_type: ClassVar[str] = "cn.canlian.needs.need.rated"


class NeedReopened(_NeedEvent):
    """An unsatisfied closing opened again for another round."""

    event_type: ClassVar[str] = "cn.canlian.needs.need.reopened"


class PlatformSnapshot(EventModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    platform_id: str
    version: int = Field(ge=1)
    division_code: str
    kind: PlatformKind
    services: list[PlatformService]
    capacity: int = Field(ge=0)
    occupied: int = Field(ge=0)
    staff: int = Field(ge=0)
    open: bool


class _PlatformEvent(PlatformSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "platform_id"


class PlatformRegistered(_PlatformEvent):
    event_type: ClassVar[str] = "cn.canlian.needs.platform.registered"


class PlatformChanged(_PlatformEvent):
    """Capacity, staff, opening, or places filled and freed by referrals."""

    event_type: ClassVar[str] = "cn.canlian.needs.platform.changed"


class PolicyValueSet(PolicyValueFields, DomainEvent):
    """A region set a value of a parameter the needs service owns (visit intervals, petition
    deadlines)."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "parameter"
    event_type: ClassVar[str] = "cn.canlian.needs.policy-value.set"
