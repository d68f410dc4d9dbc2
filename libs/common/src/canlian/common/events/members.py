"""Events of the members service (topic `canlian.members`).

State-carrying: an appointment event holds the appointment's whole metrics-relevant snapshot
after the change and its `version`, so a consumer (the metrics rollups) needs nothing else
and can ignore a stale event by comparing versions. No event carries a citizen ID, a name or
a phone number: people are identified by `member_id` only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import ConfigDict, Field

from canlian.common.events.base import DomainEvent, EventModel
from canlian.common.events.policies import PolicyValueFields

TOPIC = "canlian.members"


class MemberKind(StrEnum):
    COMMITTEE_MEMBER = "committee_member"  # 专职委员 (township, village, community)
    FEDERATION_STAFF = "federation_staff"  # 残联工作人员


class DisabilityRelation(StrEnum):
    DISABLED = "disabled"  # 残疾人
    RELATIVE = "relative"  # 残疾人亲属
    NONE = "none"  # 非残疾人及亲属


class Post(StrEnum):
    COMMITTEE_MEMBER = "committee_member"  # 专职委员: seats per township / street / village
    LIAISON_OFFICER = "liaison_officer"  # 村残疾人联络员 (003)
    FULL_TIME_CHAIR = "full_time_chair"  # 专职理事长 (township federations)
    CHAIR = "chair"  # 理事长 / 主席
    VICE_CHAIR = "vice_chair"  # 副主席 / 副理事长
    STAFF = "staff"  # 工作人员 / 委员


class SelectionMethod(StrEnum):
    OPEN_EXAMINATION = "open_examination"  # 公开考试, 择优录取
    TRANSFER = "transfer"  # 调任 / 选调
    ELECTION = "election"  # 选举


class AppointmentStatus(StrEnum):
    APPOINTED = "appointed"  # 已聘任, not yet at work
    ACTIVE = "active"  # 在岗
    SUSPENDED = "suspended"  # 暂停
    DISMISSED = "dismissed"  # 解聘
    RESIGNED = "resigned"  # 辞职


class PostLevel(StrEnum):
    """Level of the place a post serves; the allowance minimum is set per level."""

    TOWNSHIP = "township"  # 乡镇 / 街道
    VILLAGE = "village"  # 村 / 社区


class AssessmentGrade(StrEnum):
    EXCELLENT = "excellent"  # 优秀
    COMPETENT = "competent"  # 称职
    BASICALLY_COMPETENT = "basically_competent"  # 基本称职
    INCOMPETENT = "incompetent"  # 不称职


class AssessmentDecision(StrEnum):
    """What the annual assessment's grade decides (能进能出)."""

    RENEW = "renew"  # 续聘: 考核合格连续使用
    IMPROVEMENT_PLAN = "improvement_plan"  # 限期改进
    DISMISS = "dismiss"  # 解聘


class MemberSnapshot(EventModel):
    """A person in the real-name archive, without any personal identifier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    member_id: str
    version: int = Field(ge=1)
    division_code: str = Field(description="12-digit division whose archive holds the person")
    kind: MemberKind
    disability_relation: DisabilityRelation
    disability_category: int | None = Field(default=None, ge=1, le=7)
    in_talent_pool: bool = False  # 优秀残疾人人才库
    reserve_cadre: bool = False  # 后备干部


class _MemberEvent(MemberSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "member_id"


class MemberRegistered(_MemberEvent):
    event_type: ClassVar[str] = "cn.canlian.members.member.registered"


class MemberChanged(_MemberEvent):
    """Any change of the archive entry that a snapshot shows (talent pool, disability...)."""

    event_type: ClassVar[str] = "cn.canlian.members.member.changed"


class AppointmentSnapshot(EventModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    appointment_id: str
    version: int = Field(ge=1)
    member_id: str
    organisation_id: str
    division_code: str = Field(description="12-digit division of the organisation")
    post_level: PostLevel | None = Field(description="township/village, null above")
    post: Post
    member_kind: MemberKind
    member_disability_relation: DisabilityRelation
    member_disability_category: int | None = None
    status: AppointmentStatus
    status_since: date
    holds_post: bool = Field(description="appointed, active or suspended")
    selection_method: SelectionMethod
    contract_start: date
    contract_end: date | None
    public_welfare_post: bool  # 公益性岗位
    social_work_post: bool = Field(
        default=False,
        description="纳入社工岗位(004:乡镇(街道)专职委员纳入社工岗位) / on a social-work post; "
        "false in older events",
    )
    monthly_allowance_yuan: Decimal
    social_insurance_subsidy: bool
    allowance_minimum_yuan: Decimal | None = Field(
        description="regional minimum applying to this post, null when none is set"
    )
    allowance_compliant: bool | None = Field(
        description="allowance >= regional minimum; null when no minimum applies"
    )
    served_divisions: list[str] = Field(
        default_factory=list,
        description="服务的乡镇/村(社区) / the places the post serves: a township federation's "
        "township, every village a (joint) association covers (canlian.common.rules.staffing); "
        "empty in older events, read as the organisation's division",
    )


class _AppointmentEvent(AppointmentSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "appointment_id"


class MemberAppointed(_AppointmentEvent):
    event_type: ClassVar[str] = "cn.canlian.members.appointment.appointed"


class AppointmentChanged(_AppointmentEvent):
    """Status (active, suspended), contract, pay, or compliance after a policy change."""

    event_type: ClassVar[str] = "cn.canlian.members.appointment.changed"


class MemberLeft(_AppointmentEvent):
    """The appointment ended: dismissed or resigned (能进能出)."""

    event_type: ClassVar[str] = "cn.canlian.members.appointment.left"


class MemberAssessed(DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "assessment_id"
    event_type: ClassVar[str] = "cn.canlian.members.assessment.recorded"

    assessment_id: str
    version: int = Field(ge=1)
    member_id: str
    appointment_id: str
    division_code: str
    year: int
    performance_score: Decimal
    evaluation_score: Decimal
    grade: AssessmentGrade


class AssessmentDecided(DomainEvent):
    """The annual assessment's grade decided the appointment's next step: renewed (the contract
    end moved), an improvement plan, or dismissed (MemberLeft follows, the seat is vacant)."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "assessment_id"
    event_type: ClassVar[str] = "cn.canlian.members.assessment.decided"

    assessment_id: str
    version: int = Field(ge=1)
    member_id: str
    appointment_id: str
    division_code: str
    year: int
    performance_weight: Decimal = Field(description="percent, from the region's policy")
    combined_score: Decimal
    grade: AssessmentGrade
    decision: AssessmentDecision
    decided_on: date
    contract_end_before: date | None = None
    contract_end_after: date | None = None


class MemberTrained(DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "training_id"
    event_type: ClassVar[str] = "cn.canlian.members.training.recorded"

    training_id: str
    version: int = Field(ge=1)
    member_id: str
    division_code: str
    held_on: date
    hours: Decimal
    plan_period_start: int = Field(description="first year of the five-year plan, e.g. 2026")


class RankingRule(StrEnum):
    """How a recruitment round orders its applicants (公开考试, 择优录取; 001/003: preferably
    disabled persons or their relatives)."""

    # Combined score first; on an equal combined score a disabled person or a relative ranks
    # before an applicant who is neither; then the written score; then who applied first.
    COMBINED_THEN_DISABLED_OR_RELATIVE = "combined_then_disabled_or_relative"


class RecruitmentPostOffered(EventModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    offered_post_id: str
    organisation_id: str
    division_code: str = Field(description="12-digit division of the organisation")
    post: Post
    seats: int = Field(ge=1, description="places the round offers for the post")


class RecruitmentRoundAnnounced(DomainEvent):
    """A recruitment round (公开招聘) was announced for posts of organisations."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "round_id"
    event_type: ClassVar[str] = "cn.canlian.members.recruitment-round.announced"

    round_id: str
    version: int = Field(ge=1)
    division_code: str = Field(description="12-digit division that announced the round")
    announced_on: date
    applications_close_on: date
    exam_on: date
    posts: list[RecruitmentPostOffered]


class RecruitmentApplicantScored(DomainEvent):
    """An applicant's written exam and interview scores were recorded (no personal data: the
    applicant is named by id only)."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "applicant_id"
    event_type: ClassVar[str] = "cn.canlian.members.recruitment-applicant.scored"

    applicant_id: str
    version: int = Field(ge=1)
    round_id: str
    offered_post_id: str
    division_code: str = Field(description="12-digit division of the post applied for")
    written_score: Decimal
    interview_score: Decimal


class RecruitmentRoundRanked(DomainEvent):
    """The round's scored applicants were ranked per post with the region's weight and the
    recorded preference rule."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "round_id"
    event_type: ClassVar[str] = "cn.canlian.members.recruitment-round.ranked"

    round_id: str
    version: int = Field(ge=1)
    division_code: str
    written_exam_weight: Decimal = Field(description="percent, from the region's policy")
    ranking_rule: RankingRule
    ranked_on: date
    applicants_ranked: int = Field(ge=0)
    preference_decided: int = Field(
        ge=0, description="applicants placed above an equal combined score by the preference"
    )


class MemberSelectedByExam(DomainEvent):
    """择优录取: a ranked applicant was selected; the archive entry and the appointment exist
    (MemberAppointed follows with the appointment's snapshot)."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "applicant_id"
    event_type: ClassVar[str] = "cn.canlian.members.recruitment-applicant.selected"

    applicant_id: str
    version: int = Field(ge=1)
    round_id: str
    member_id: str
    appointment_id: str
    organisation_id: str
    division_code: str
    post: Post
    member_disability_relation: DisabilityRelation
    rank: int = Field(ge=1)
    combined_score: Decimal
    preference_applied: bool = Field(
        description="ranked above an applicant of equal combined score by the preference rule"
    )
    ranking_rule: RankingRule
    selected_on: date


class PolicyValueSet(PolicyValueFields, DomainEvent):
    """A region set a value of a parameter the members service owns (committee-member seats)."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "parameter"
    event_type: ClassVar[str] = "cn.canlian.members.policy-value.set"
