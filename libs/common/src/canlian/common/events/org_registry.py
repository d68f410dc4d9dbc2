"""Events of the organisation registry (topic `canlian.org-registry`).

State-carrying: each event holds the organisation's whole snapshot after the change and its
version, so a consumer (the members read model, the metrics rollups) needs nothing else and
can ignore a stale event by comparing versions.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import ConfigDict, Field

from canlian.common.events.base import DomainEvent, Downgrade, EventModel
from canlian.common.events.policies import PolicyValueFields
from canlian.common.events.versions import integer_ids
from canlian.common.ids import WireId

TOPIC = "canlian.org-registry"


class OrganisationKind(StrEnum):
    FEDERATION = "federation"  # 残联, province to township
    ASSOCIATION = "association"  # 残协, village/community; may cover several villages
    GROUP = "group"  # 残疾人小组 inside a large village
    SPECIAL_ASSOCIATION = "special_association"  # 专门协会, city and county
    ENTERPRISE_ASSOCIATION = "enterprise_association"


class SpecialCategory(StrEnum):
    BLIND = "blind"  # 盲人协会
    DEAF = "deaf"  # 聋人协会
    PHYSICAL = "physical"  # 肢残人协会
    INTELLECTUAL = "intellectual"  # 智力残疾人及亲友协会
    MENTAL = "mental"  # 精神残疾人及亲友协会


class OrganisationStatus(StrEnum):
    ESTABLISHED = "established"
    DISSOLVED = "dissolved"


class Standardisation(EventModel):
    """规范化建设: the five haves and the places and platforms the seeds name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    has_sign: bool = False  # 有牌子
    has_seal: bool = False  # 有章子
    has_staff: bool = False  # 有人员
    has_funds: bool = False  # 有经费
    has_work: bool = False  # 有工作
    has_office: bool = False  # 办公场所
    has_activity_room: bool = False  # 活动室
    has_service_platform: bool = False  # 残疾人之家 / 如康家园
    is_demonstration_site: bool = False  # 示范点
    yearly_activity_funds_yuan: int | None = None  # special associations
    has_premises: bool = False  # 场地 (special associations: funds, premises, staff)


class OrganisationSnapshot(EventModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    organisation_id: str
    version: int = Field(ge=1)
    name: str
    kind: OrganisationKind
    level: int = Field(ge=1, le=5, description="division level the organisation sits at")
    division_code: str = Field(description="12-digit division the organisation belongs to")
    covered_divisions: list[str] = Field(
        default_factory=list,
        description="villages/communities an association covers (joint associations: several)",
    )
    parent_organisation_id: str | None = None
    special_category: SpecialCategory | None = None
    status: OrganisationStatus
    established_on: date | None = None
    dissolved_on: date | None = None
    standardisation: Standardisation = Field(default_factory=Standardisation)
    has_full_time_chair: bool = False  # 专职理事长 (township federations)
    has_disabled_cadre: bool = False  # leadership has at least one disabled cadre
    leadership_compliant: bool = False  # every composition rule met
    activity_funds_minimum_yuan: int | None = Field(
        default=None,
        description="special associations: the yearly activity funds minimum in force for the "
        "association's region (policy special_associations.*_activity_funds_minimum); absent "
        "in older events: the seed's minimum for the level",
    )


class _OrganisationEvent(OrganisationSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "organisation_id"


class OrganisationEstablished(_OrganisationEvent):
    event_type: ClassVar[str] = "cn.canlian.org-registry.organisation.established"


class OrganisationChanged(_OrganisationEvent):
    """Any change of the snapshot: details, standardisation, leadership compliance."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.organisation.changed"


class OrganisationDissolved(_OrganisationEvent):
    event_type: ClassVar[str] = "cn.canlian.org-registry.organisation.dissolved"


# Detail events. Each change of an organisation also emits OrganisationChanged with the whole
# snapshot; these say what changed, carry the organisation's version after that change (the
# same number as the snapshot event of the same change) and never a person's name or ID.


class CoverageChanged(DomainEvent):
    """The villages an association covers changed (established, edited or dissolved)."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.coverage.changed"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "organisation_id"

    organisation_id: str
    version: int = Field(ge=1)
    division_code: str
    township_code: str | None = Field(description="township the covered villages belong to")
    covered_divisions: list[str] = Field(description="villages covered after the change")
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)


class BodyKind(StrEnum):
    CONGRESS = "congress"  # 代表大会
    PRESIDIUM = "presidium"  # 主席团
    EXECUTIVE_COUNCIL = "executive_council"  # 执行理事会 / 领导班子
    ASSOCIATION_COMMITTEE = "association_committee"  # 残协委员会


class RuleOutcome(EventModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(description="e.g. congress-disabled-share, association-vice-chairs")
    met: bool


class LeadershipChanged(DomainEvent):
    """A body's composition in the current term changed; counts and rule outcomes only."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.leadership.changed"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "organisation_id"

    organisation_id: str
    version: int = Field(ge=1)
    division_code: str
    level: int = Field(ge=1, le=5)
    kind: OrganisationKind
    term_number: int
    body: BodyKind
    member_count: int
    disabled_or_relative_count: int
    role_model_or_grassroots_count: int
    disabled_count: int
    full_time_count: int
    has_full_time_chair: bool
    has_disabled_cadre: bool
    leadership_compliant: bool
    rules: list[RuleOutcome] = Field(default_factory=list)


class TermHeld(DomainEvent):
    """A new term began (换届): a congress or committee was elected for it."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.term.held"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "organisation_id"

    organisation_id: str
    version: int = Field(ge=1)
    division_code: str
    level: int = Field(ge=1, le=5)
    kind: OrganisationKind
    term_number: int
    starts_on: date
    ends_on: date
    next_election_due: date


class AcceptanceResult(StrEnum):
    """The outcome of a standardisation acceptance inspection (规范化建设验收)."""

    PASSED = "passed"  # 验收合格
    PASSED_WITH_CONDITIONS = "passed_with_conditions"  # 限期整改后合格
    FAILED = "failed"  # 不合格


class AcceptanceChecklistSet(DomainEvent):
    """A region set the acceptance checklist for organisations of a level under it, from a date."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.acceptance-checklist.set"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "checklist_id"

    checklist_id: str
    version: int = Field(ge=1)
    division_code: str
    level: int = Field(ge=1, le=5)
    effective_from: date
    total_points: int
    pass_mark: int
    conditional_mark: int
    validity_years: int
    items: list[str] = Field(description="item codes, in order")


class InspectionSnapshot(EventModel):
    """An acceptance inspection as its event carries it (also the registry's snapshot of a
    current inspection, for the metrics' reconciliation)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    inspection_id: str
    version: int = Field(ge=1)
    organisation_id: str
    division_code: str
    level: int = Field(ge=1, le=5)
    kind: OrganisationKind
    checklist_id: str | None = Field(description="None: the seed's checklist")
    inspector_division_code: str
    inspected_on: date
    total_score: Decimal
    pass_mark: int
    result: AcceptanceResult
    valid_until: date | None
    reinspection_of: str | None = None


class StandardisationInspected(InspectionSnapshot, DomainEvent):
    """The level above inspected an organisation's standardisation against a checklist: each
    item's score, the total, the result and how long it holds (a re-inspection names the one it
    replaces)."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.standardisation.inspected"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "inspection_id"


class InspectionSuperseded(DomainEvent):
    """A re-inspection replaced an inspection: its result no longer counts."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.standardisation.superseded"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "inspection_id"

    inspection_id: str
    version: int = Field(ge=1)
    organisation_id: str
    division_code: str
    superseded_by: str


class DemonstrationSiteDesignated(DomainEvent):
    """An organisation that passed acceptance was designated a demonstration site (示范点)."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.demonstration-site.designated"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "organisation_id"

    organisation_id: str
    version: int = Field(ge=1)
    division_code: str
    level: int = Field(ge=1, le=5)
    kind: OrganisationKind
    inspection_id: str
    designated_on: date


class DivisionChangeKind(StrEnum):
    ESTABLISHED = "established"  # 新设
    RENAMED = "renamed"  # 更名
    MERGED = "merged"  # 撤并 into a successor
    SPLIT = "split"  # 拆分 into successors


class DivisionChanged(DomainEvent):
    """A division was renamed, merged, split or established on `effective_on`.

    Keyed by the changed division's code; consumers keep figures before `effective_on` on the
    old code and later ones on the successors.
    """

    event_type: ClassVar[str] = "cn.canlian.org-registry.division.changed"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "code"
    # v2: the change's id as a string, as REST answers it; v1 (an integer) published beside.
    schema_version: ClassVar[int] = 2
    earlier_versions: ClassVar[dict[int, Downgrade]] = {1: integer_ids(("change_id",))}

    change_id: WireId
    version: int = Field(ge=1, description="number of recorded versions of this code")
    change: DivisionChangeKind
    code: str
    level: int = Field(ge=1, le=5)
    parent_code: str | None
    effective_on: date
    successor_codes: list[str] = Field(default_factory=list)
    name: str = Field(description="the division's name after the change (public, not personal)")


class CommendationProgramme(StrEnum):
    """The commendation series seed 004 names (000: 自强与助残 表彰)."""

    SELF_RELIANCE = "self_reliance"  # 自强系列评选: 自强模范, once in five years
    CARING = "caring"  # 爱心(助残)系列评选: 助残先进个人、先进集体, every two years


class NomineeKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class NominationStatus(StrEnum):
    NOMINATED = "nominated"
    APPROVED = "approved"
    REJECTED = "rejected"


class CommendationRoundOpened(DomainEvent):
    """A federation opened a round of a commendation programme for a year, the cycle in force
    for its region allowing it."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.commendation-round.opened"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "round_id"

    round_id: str
    version: int = Field(ge=1)
    programme: CommendationProgramme
    division_code: str
    year: int
    cycle_years: int = Field(description="the programme's cycle in force for the region")


class CommendationNominated(DomainEvent):
    """A federation nominated a person (by their owning service's id) or an organisation in a
    round; the person's name stays in the registry."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.commendation.nominated"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "nomination_id"

    nomination_id: str
    version: int = Field(ge=1)
    round_id: str
    programme: CommendationProgramme
    year: int
    nominee_kind: NomineeKind
    organisation_id: str | None = None
    person_service: str | None = None
    person_id: str | None = None
    division_code: str = Field(description="the nominee's division")
    nominating_division_code: str


class CommendationDecided(DomainEvent):
    """The level above the nominating federation approved (an honour) or rejected a
    nomination."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.commendation.decided"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "nomination_id"

    nomination_id: str
    version: int = Field(ge=1)
    round_id: str
    programme: CommendationProgramme
    year: int
    status: NominationStatus
    nominee_kind: NomineeKind
    organisation_id: str | None = None
    person_service: str | None = None
    person_id: str | None = None
    division_code: str
    decided_by_division_code: str
    decided_on: date


class PolicyValueSet(PolicyValueFields, DomainEvent):
    """A region set a value of a parameter the registry owns (special associations' funds)."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "parameter"
    event_type: ClassVar[str] = "cn.canlian.org-registry.policy-value.set"


class StaffEmployment(StrEnum):
    """How a person works for a federation (002: 专兼挂)."""

    CADRE = "cadre"  # 在编干部 / 专职
    SECONDED = "seconded"  # 挂职
    PART_TIME = "part_time"  # 兼职


class FederationStaffSnapshot(EventModel):
    """A person on a federation's staff, without the name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    staff_id: str
    version: int = Field(ge=1)
    organisation_id: str
    division_code: str = Field(description="12-digit division of the federation")
    employment: StaffEmployment
    is_disabled: bool
    on_executive_council: bool = Field(description="执行理事会成员 / executive council member")
    joined_on: date
    left_on: date | None = None


class _StaffEvent(FederationStaffSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "staff_id"


class FederationStaffJoined(_StaffEvent):
    event_type: ClassVar[str] = "cn.canlian.org-registry.federation-staff.joined"


class FederationStaffChanged(_StaffEvent):
    """Employment, disability, council seat, or the date the person left."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.federation-staff.changed"


class GrassrootsDaysRecorded(DomainEvent):
    """A staff member's days at the grass roots in a year were recorded (002: 每年下基层调研
    不少于60天), with the minimum in force for the federation's region."""

    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "staff_id"
    event_type: ClassVar[str] = "cn.canlian.org-registry.federation-staff.grassroots-days-recorded"

    staff_id: str
    version: int = Field(ge=1)
    organisation_id: str
    division_code: str
    year: int
    days: int = Field(ge=0, le=366)
    minimum_days: int
    met: bool


class BudgetDecision(StrEnum):
    """What the presidium decided on the yearly budget report (002: 年度预算执行情况向主席团
    报告)."""

    APPROVED = "approved"  # 审议通过
    RETURNED = "returned"  # 退回,附理由


class BudgetReviewSnapshot(EventModel):
    """A presidium's budget review as it now stands: the report's figures (yuan) and its
    decision; the note and reasons stay in the registry."""

    review_id: str
    version: int = Field(ge=1)
    organisation_id: str
    division_code: str
    level: int = Field(ge=1, le=5)
    term_number: int
    year: int
    reviewed_on: date
    budget_yuan: Decimal
    executed_yuan: Decimal
    decision: BudgetDecision


class BudgetReportReviewed(BudgetReviewSnapshot, DomainEvent):
    """A federation's presidium reviewed the year's budget execution report in a term: the
    report's figures (yuan) and its decision."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.budget-report.reviewed"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "review_id"


class BudgetReportReviewCorrected(BudgetReviewSnapshot, DomainEvent):
    """A budget review was corrected: a later version with a reason (kept in the registry
    with the earlier versions) replaces what the review says."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.budget-report.review-corrected"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "review_id"


class BudgetReportReviewWithdrawn(DomainEvent):
    """A budget review was withdrawn with a reason (recorded in error): it no longer counts,
    and the term's presidium may record the year's review again."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.budget-report.review-withdrawn"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "review_id"

    review_id: str
    version: int = Field(ge=1)
    organisation_id: str
    division_code: str
    term_number: int
    year: int
    withdrawn_on: date


class MidTermResult(StrEnum):
    """The overall result of a leadership's mid-term review (届中考评): 好 / 较好 / 一般 / 差."""

    GOOD = "good"
    FAIRLY_GOOD = "fairly_good"
    FAIR = "fair"
    POOR = "poor"


class MidTermReviewSnapshot(EventModel):
    """A term's mid-term review as it now stands; findings and conclusion stay in the
    registry."""

    review_id: str
    version: int = Field(ge=1)
    organisation_id: str
    division_code: str
    level: int = Field(ge=1, le=5)
    term_number: int
    middle_of_term: date | None = Field(
        default=None, description="届中日期(旧事件无)/ the term's middle (absent in older events)"
    )
    reviewer_division_code: str
    reviewed_on: date
    result: MidTermResult
    adjustment_recommended: bool = Field(description="建议调整班子 / adjustment recommended")


class MidTermReviewed(MidTermReviewSnapshot, DomainEvent):
    """The level above reviewed a federation's leadership past the middle of its term (000:
    换届前、届中…双重管理; 003: 届中考评和调整)."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.term.mid-term-reviewed"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "review_id"


class MidTermReviewCorrected(MidTermReviewSnapshot, DomainEvent):
    """A mid-term review was corrected: a later version with a reason (kept in the registry
    with the earlier versions) replaces what the review says."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.term.mid-term-review-corrected"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "review_id"


class MidTermReviewWithdrawn(DomainEvent):
    """A mid-term review was withdrawn with a reason (recorded in error): the term counts as
    not reviewed, and the level above may review it again."""

    event_type: ClassVar[str] = "cn.canlian.org-registry.term.mid-term-review-withdrawn"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "review_id"

    review_id: str
    version: int = Field(ge=1)
    organisation_id: str
    division_code: str
    term_number: int
    withdrawn_on: date
