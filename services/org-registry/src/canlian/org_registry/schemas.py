"""Request and response bodies of the org-registry API (Chinese + English descriptions)."""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from canlian.common.divisions import DivisionCode
from canlian.common.events.org_registry import (
    BodyKind,
    DivisionChangeKind,
    OrganisationKind,
    OrganisationStatus,
    SpecialCategory,
    Standardisation,
)

Name = Annotated[str, Field(min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------- divisions


class DivisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="12位统计用区划代码 / 12-digit statistical division code")
    name: str = Field(description="名称 / name")
    level: int = Field(description="层级 1省 2市 3县 4乡 5村 / level: 1 province … 5 village")
    parent_code: str | None = Field(description="上级区划代码 / parent division code")
    valid_from: date | None = Field(
        description="本版本生效日期,空表示登记之前已存在 / in force from (empty: before records)"
    )
    valid_to: date | None = Field(
        description="本版本失效日期,空表示现行 / version ended on (empty: current)"
    )


class DivisionDetail(DivisionRead):
    child_count: int = Field(description="下级区划数 / number of child divisions")


class DivisionChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    change: DivisionChangeKind = Field(description="变更类型 / kind of change")
    code: str = Field(description="被变更的区划 / the division changed")
    successor_code: str | None = Field(description="承继区划 / successor division")
    effective_on: date = Field(description="生效日期 / effective date")
    old_name: str | None
    new_name: str | None
    note: str | None
    recorded_at: datetime
    recorded_by: str


class DivisionHistory(BaseModel):
    code: str
    versions: list[DivisionRead] = Field(description="各版本 / versions, oldest first")
    changes: list[DivisionChangeRead] = Field(description="变更记录 / recorded changes")


class NewDivision(Strict):
    code: DivisionCode = Field(description="新区划代码 / code of the new division")
    name: Name = Field(description="新区划名称 / its name")


class DivisionChangeCreate(Strict):
    change: DivisionChangeKind = Field(
        description="established新设 renamed更名 merged撤并 split拆分 / kind of change"
    )
    code: DivisionCode = Field(description="被变更(或新设)的区划代码 / the division")
    effective_on: date = Field(description="生效日期 / effective date")
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="更名后或新设区划的名称 / new name (renamed, established)",
    )
    successor_code: DivisionCode | None = Field(
        default=None, description="撤并后并入的区划 / the division it merges into (merged)"
    )
    successors: list[NewDivision] = Field(
        default_factory=list, max_length=20, description="拆分出的新区划 / new divisions (split)"
    )
    note: str | None = Field(default=None, max_length=1000, description="依据文件等 / note")


class DivisionLoadResult(BaseModel):
    read: int
    inserted: int
    renamed: int
    unchanged: int
    skipped: int


# ------------------------------------------------------------------------ organisations


class StandardisationInput(Strict):
    has_sign: bool = Field(default=False, description="有牌子 / has a sign")
    has_seal: bool = Field(default=False, description="有章子 / has a seal")
    has_staff: bool = Field(default=False, description="有人员 / has staff")
    has_funds: bool = Field(default=False, description="有经费 / has funds")
    has_work: bool = Field(default=False, description="有工作 / does its work")
    has_office: bool = Field(default=False, description="有办公场所 / has an office")
    has_activity_room: bool = Field(default=False, description="有活动室 / has an activity room")
    has_service_platform: bool = Field(
        default=False, description="有服务平台(残疾人之家/如康家园)/ has a service platform"
    )
    is_demonstration_site: bool = Field(default=False, description="示范点 / demonstration site")
    has_premises: bool = Field(default=False, description="有场地(专门协会)/ has premises")
    yearly_activity_funds_yuan: int | None = Field(
        default=None, ge=0, le=1_000_000_000, description="年度活动经费(元)/ yearly activity funds"
    )


class StandardisationPatch(Strict):
    has_sign: bool | None = None
    has_seal: bool | None = None
    has_staff: bool | None = None
    has_funds: bool | None = None
    has_work: bool | None = None
    has_office: bool | None = None
    has_activity_room: bool | None = None
    has_service_platform: bool | None = None
    is_demonstration_site: bool | None = None
    has_premises: bool | None = None
    yearly_activity_funds_yuan: int | None = Field(default=None, ge=0, le=1_000_000_000)


class OrganisationCreate(Strict):
    name: Name = Field(description="组织名称 / name, e.g. 城关区残疾人联合会")
    kind: OrganisationKind = Field(
        description="federation残联 association残协 group残疾人小组 "
        "special_association专门协会 enterprise_association企业残协 / kind"
    )
    division_code: DivisionCode = Field(
        description="所在区划代码(残协:所在村)/ division; for an association its own village"
    )
    special_category: SpecialCategory | None = Field(
        default=None, description="专门协会类别(专门协会必填)/ category of a special association"
    )
    covered_divisions: list[DivisionCode] = Field(
        default_factory=list,
        max_length=30,
        description="残协覆盖的村(社区),联合残协可多个,须同属一个乡镇 / villages an association "
        "covers (joint: several, all in one township); its own village is always included",
    )
    established_on: date | None = Field(default=None, description="成立日期 / established on")
    standardisation: StandardisationInput = Field(
        default_factory=StandardisationInput, description="规范化建设 / standardisation record"
    )


class OrganisationUpdate(Strict):
    name: Name | None = None
    established_on: date | None = None
    covered_divisions: list[DivisionCode] | None = Field(default=None, max_length=30)
    standardisation: StandardisationPatch | None = None


class DissolutionCreate(Strict):
    dissolved_on: date = Field(description="撤销日期 / dissolved on")
    reason: str = Field(min_length=2, max_length=500, description="撤销原因 / reason")


class OrganisationRead(BaseModel):
    id: str
    version: int = Field(description="版本号,每次变更加一 / version, +1 on every change")
    name: str
    kind: OrganisationKind
    level: int = Field(description="所在区划层级 / level of its division")
    division_code: str
    parent_organisation_id: str | None = Field(description="上级组织 / parent organisation")
    special_category: SpecialCategory | None
    status: OrganisationStatus = Field(description="established存续 dissolved已撤销 / status")
    established_on: date | None
    dissolved_on: date | None
    covered_divisions: list[str] = Field(description="覆盖的村(社区)/ villages covered")
    standardisation: Standardisation
    failing_items: list[str] = Field(
        description="未达标的规范化建设项目 / standardisation items not met"
    )
    has_full_time_chair: bool = Field(description="配备专职理事长 / has a full-time chair")
    has_disabled_cadre: bool = Field(description="领导班子有残疾人干部 / has a disabled cadre")
    leadership_compliant: bool = Field(description="班子结构全部达标 / every composition rule met")
    created_at: datetime
    updated_at: datetime


class OrganisationSummary(BaseModel):
    id: str
    name: str
    kind: OrganisationKind
    level: int
    division_code: str
    status: OrganisationStatus
    parent_organisation_id: str | None


class OrganisationTreeNode(OrganisationSummary):
    children: list[OrganisationTreeNode] = Field(default_factory=list)


class ChangeRecordRead(BaseModel):
    id: int
    occurred_at: datetime
    actor: str = Field(description="操作人 / who")
    action: str = Field(description="操作 / what")
    before: dict[str, Any] | None = Field(description="变更前 / state before")
    after: dict[str, Any] | None = Field(description="变更后 / state after")
    request_id: str | None


# ------------------------------------------------------------------ terms and leadership


class Role(StrEnum):
    CHAIR = "chair"  # 主席 / 理事长
    VICE_CHAIR = "vice_chair"  # 副主席 / 副理事长
    MEMBER = "member"  # 委员 / 成员
    FULL_TIME_CHAIR = "full_time_chair"  # 专职理事长


class DisabilityCategory(IntEnum):
    """GB/T 26341 categories as on the disability card: 1 visual … 7 multiple."""

    VISUAL = 1
    HEARING = 2
    SPEECH = 3
    PHYSICAL = 4
    INTELLECTUAL = 5
    MENTAL = 6
    MULTIPLE = 7


class TermCreate(Strict):
    starts_on: date = Field(description="任期开始 / term starts on")
    ends_on: date = Field(description="任期届满 / term ends on")
    next_election_due: date | None = Field(
        default=None, description="下次换届应在此日前 / next election due (default: ends_on)"
    )


class TermRead(BaseModel):
    number: int = Field(description="第几届 / term number")
    starts_on: date
    ends_on: date
    next_election_due: date
    bodies: list[BodyKind] = Field(description="已登记的机构 / bodies recorded")


class MemberInput(Strict):
    name: str = Field(min_length=1, max_length=50, description="姓名(加密存储)/ name, encrypted")
    role: Role = Field(
        description="chair主席/理事长 vice_chair副职 member委员 full_time_chair专职理事长 / role"
    )
    is_full_time: bool = Field(default=False, description="专职 / full-time")
    is_disabled: bool = Field(default=False, description="残疾人 / disabled person")
    is_relative: bool = Field(default=False, description="残疾人亲友 / relative of one")
    is_role_model: bool = Field(default=False, description="自强模范 / role model")
    is_grassroots: bool = Field(default=False, description="基层一线 / grass-roots")
    disability_category: DisabilityCategory | None = Field(
        default=None, description="残疾类别 1视力 2听力 3言语 4肢体 5智力 6精神 7多重 / category"
    )


class BodyUpdate(Strict):
    members: list[MemberInput] = Field(max_length=1000, description="全部成员 / all members")


class MemberRead(BaseModel):
    name: str = Field(description="姓名(脱敏)/ name, masked")
    role: Role
    is_full_time: bool
    is_disabled: bool
    is_relative: bool
    is_role_model: bool
    is_grassroots: bool
    disability_category: DisabilityCategory | None


class BodyRead(BaseModel):
    kind: BodyKind
    term_number: int
    members: list[MemberRead]
    updated_at: datetime


class RuleRead(BaseModel):
    rule: str = Field(description="规则 / rule")
    met: bool = Field(description="是否达标 / met")
    reason: str | None = Field(description="未达标原因 / why not met")


class LeadershipRead(BaseModel):
    organisation_id: str
    term: TermRead | None
    bodies: list[BodyRead]
    rules: list[RuleRead]
    leadership_compliant: bool


# -------------------------------------------------------------------------- questions


class CoverageSummary(BaseModel):
    division_code: str
    as_of: date | None = Field(description="统计日期,空为当前 / as of this date; empty: now")
    villages: int = Field(description="村(社区)总数 / villages in force")
    covered: int = Field(description="已建残协覆盖 / covered by an association")
    uncovered: int
    coverage_rate: float = Field(description="覆盖率 0–1 / coverage rate")


class ElectionDue(BaseModel):
    organisation_id: str
    name: str
    kind: OrganisationKind
    level: int
    division_code: str
    term_number: int
    ends_on: date
    next_election_due: date
    overdue: bool = Field(description="已逾期 / already overdue")


class StandardisationItem(StrEnum):
    SIGN = "sign"
    SEAL = "seal"
    STAFF = "staff"
    FUNDS = "funds"
    WORK = "work"
    OFFICE = "office"
    ACTIVITY_ROOM = "activity_room"
    SERVICE_PLATFORM = "service_platform"
    DEMONSTRATION_SITE = "demonstration_site"
    PREMISES = "premises"
    ACTIVITY_FUNDS = "activity_funds"
