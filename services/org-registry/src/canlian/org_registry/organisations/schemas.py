"""Request and response bodies of the organisations (Chinese + English descriptions)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, Field

from canlian.common.divisions import DivisionCode
from canlian.common.events.org_registry import (
    OrganisationKind,
    OrganisationStatus,
    SpecialCategory,
    Standardisation,
)
from canlian.common.ids import WireId
from canlian.common.values import Multiline, SaneDate
from canlian.org_registry.api import Name, Strict


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
    established_on: SaneDate | None = Field(default=None, description="成立日期 / established on")
    standardisation: StandardisationInput = Field(
        default_factory=StandardisationInput, description="规范化建设 / standardisation record"
    )


class OrganisationUpdate(Strict):
    name: Name | None = None
    established_on: SaneDate | None = None
    covered_divisions: list[DivisionCode] | None = Field(default=None, max_length=30)
    standardisation: StandardisationPatch | None = None


class DissolutionCreate(Strict):
    dissolved_on: SaneDate = Field(description="撤销日期 / dissolved on")
    reason: Annotated[str, Multiline(500, min_length=2)] = Field(description="撤销原因 / reason")


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


class ChangeRecordRead(BaseModel):
    id: WireId
    occurred_at: datetime
    actor: str = Field(description="操作人 / who")
    action: str = Field(description="操作 / what")
    before: dict[str, Any] | None = Field(description="变更前 / state before")
    after: dict[str, Any] | None = Field(description="变更后 / state after")
    request_id: str | None


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
    THREE_IN_PLACE = "three_in_place"  # 专门协会三落实 (canlian.common.rules.special_associations)
