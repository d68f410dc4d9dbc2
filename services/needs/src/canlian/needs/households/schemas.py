"""Request and response bodies of household files. Names and the address leave masked."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from canlian.common.divisions import DivisionCode
from canlian.common.events.needs import DifficultyFlag, ServiceKind
from canlian.common.values import SaneDate, human_text

PersonId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


class Relation(StrEnum):
    HEAD = "head"  # 户主
    SPOUSE = "spouse"  # 配偶
    CHILD = "child"  # 子女
    PARENT = "parent"  # 父母
    GRANDCHILD = "grandchild"  # 孙子女
    SIBLING = "sibling"  # 兄弟姐妹
    OTHER = "other"  # 其他


class ServiceStatus(StrEnum):
    RECEIVING = "receiving"  # 已享受
    NEEDED = "needed"  # 有需求未享受
    NOT_NEEDED = "not_needed"  # 无需求


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemberInput(_Input):
    name: Annotated[str, human_text(50)] = Field(description="姓名 / name")
    relation: Relation = Field(description="与户主关系 / relation to the head")
    disabled: bool = Field(default=False, description="是否残疾人 / disabled")
    elderly: bool = Field(default=False, description="是否60岁以上老人 / aged 60 or over")
    person_id: PersonId | None = Field(
        default=None, description="残疾人证系统的人员编号 / the cards service's person id"
    )


class HouseholdCreate(_Input):
    division_code: DivisionCode = Field(description="所在村(社区)/ village or community")
    address: Annotated[str, human_text(200)] = Field(description="住址 / address")
    flags: list[DifficultyFlag] = Field(
        default_factory=list, max_length=4, description="特殊困难 / special difficulty"
    )
    members: list[MemberInput] = Field(min_length=1, max_length=30, description="家庭成员")


class HouseholdChange(_Input):
    address: Annotated[str, human_text(200)] | None = Field(default=None, description="住址")
    flags: list[DifficultyFlag] | None = Field(
        default=None, max_length=4, description="申报的特殊困难 / declared difficulty"
    )


class ServiceStatusInput(_Input):
    status: ServiceStatus
    since: SaneDate = Field(description="起始日期 / since")
    until: SaneDate | None = Field(default=None, description="结束日期 / until")
    source: Annotated[str, human_text(100)] = Field(
        description="信息来源,如 入户访视、民政数据 / where this is known from"
    )


class MemberServiceRead(BaseModel):
    kind: ServiceKind
    status: ServiceStatus
    since: date
    until: date | None
    source: str


class MemberRead(BaseModel):
    id: str
    name: str = Field(description="姓名(脱敏)/ name, masked")
    relation: Relation
    disabled: bool
    elderly: bool
    person_id: str | None
    services: list[MemberServiceRead]


class HouseholdSummary(BaseModel):
    id: str
    division_code: str
    flags: list[DifficultyFlag]
    visit_interval_days: int | None
    last_visited_on: date | None
    next_visit_due: date | None
    version: int


class HouseholdRead(HouseholdSummary):
    address: str = Field(description="住址(脱敏)/ address, masked")
    declared_flags: list[DifficultyFlag]
    registered_on: date
    members: list[MemberRead]


class MemberContact(BaseModel):
    id: str
    name: str


class HouseholdContact(BaseModel):
    """Unmasked: read with the personal-data:read scope and a reason, audited."""

    id: str
    address: str
    members: list[MemberContact]
