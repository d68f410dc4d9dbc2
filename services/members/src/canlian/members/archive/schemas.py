"""Request and response bodies of the archive (Chinese + English descriptions)."""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, BeforeValidator, Field

from canlian.common.citizen_id import CitizenId
from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.members import (
    AppointmentStatus,
    DisabilityRelation,
    MemberKind,
    Post,
    SelectionMethod,
)
from canlian.common.ids import WireId
from canlian.common.values import HUMAN_TEXT_FORMAT, Phone, clean_text
from canlian.members.api import RequestBody

MemberId = Annotated[int, Path(ge=1, le=2**62, description="档案编号 / archive id")]


class DisabilityCategory(IntEnum):
    """残疾类别 (GB/T 26341): 1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重."""

    VISUAL = 1
    HEARING = 2
    SPEECH = 3
    PHYSICAL = 4
    INTELLECTUAL = 5
    MENTAL = 6
    MULTIPLE = 7


class Education(StrEnum):
    """文化程度 (GB/T 4658): 10 研究生 20 本科 30 专科 40 中专 60 高中 70 初中 80 小学 90 其他."""

    POSTGRADUATE = "10"
    UNDERGRADUATE = "20"
    COLLEGE = "30"
    SECONDARY_VOCATIONAL = "40"
    HIGH_SCHOOL = "60"
    JUNIOR_HIGH = "70"
    PRIMARY = "80"
    OTHER = "90"


# A person's name: the kit's human text (no control, bidi or invisible characters), ≤ 50.
Name = Annotated[str, BeforeValidator(lambda value: clean_text(value, 50)), HUMAN_TEXT_FORMAT]


class MemberCreate(RequestBody):
    kind: MemberKind = Field(
        description="人员类别:committee_member 专职委员 / federation_staff 残联工作人员"
    )
    division_code: KnownDivisionCode = Field(
        description="档案所属区划(12位统计用区划代码)/ division"
    )
    name: Name = Field(description="姓名 / full name")
    citizen_id: CitizenId = Field(description="公民身份号码(18位)/ citizen ID number")
    phone: Phone | None = Field(default=None, description="联系电话 / phone")
    disability_relation: DisabilityRelation = Field(
        description="残疾人或亲属:disabled 残疾人 / relative 残疾人亲属 / none 否"
    )
    disability_category: DisabilityCategory | None = Field(
        default=None, description="残疾类别 1–7(残疾人必填)/ disability category"
    )
    disability_grade: int | None = Field(
        default=None, ge=1, le=4, description="残疾等级 1–4 / disability grade"
    )
    education: Education | None = Field(default=None, description="文化程度代码 / education")
    in_talent_pool: bool = Field(default=False, description="优秀残疾人人才库 / talent pool")
    reserve_cadre: bool = Field(default=False, description="后备干部 / reserve cadre")


class MemberLookup(RequestBody):
    citizen_id: CitizenId = Field(description="公民身份号码 / citizen ID number")


class MemberUpdate(RequestBody):
    division_code: KnownDivisionCode | None = Field(
        default=None, description="档案转到的区划(调动)/ move the archive entry to this division"
    )
    phone: Phone | None = Field(default=None, description="联系电话 / phone")
    disability_relation: DisabilityRelation | None = Field(
        default=None, description="残疾人或亲属 / disabled person or relative"
    )
    disability_category: DisabilityCategory | None = Field(
        default=None, description="残疾类别 / category"
    )
    disability_grade: int | None = Field(default=None, ge=1, le=4, description="残疾等级 / grade")
    education: Education | None = Field(default=None, description="文化程度 / education")
    in_talent_pool: bool | None = Field(default=None, description="优秀残疾人人才库 / talent pool")
    reserve_cadre: bool | None = Field(default=None, description="后备干部 / reserve cadre")


class MemberRead(BaseModel):
    id: WireId = Field(description="档案编号 / archive id")
    kind: MemberKind = Field(description="人员类别 / kind")
    division_code: str = Field(description="档案所属区划 / division")
    name: str = Field(description="姓名(脱敏)/ name, masked")
    citizen_id: str = Field(description="公民身份号码(脱敏)/ citizen ID, masked")
    phone: str | None = Field(description="联系电话(脱敏)/ phone, masked")
    sex: Literal["male", "female"] = Field(description="性别(由身份号码得出)/ sex")
    birth_year: int = Field(description="出生年份 / year of birth")
    disability_relation: DisabilityRelation = Field(description="残疾人或亲属 / relation")
    disability_category: int | None = Field(description="残疾类别 / category")
    disability_grade: int | None = Field(description="残疾等级 / grade")
    education: str | None = Field(description="文化程度代码 / education code")
    in_talent_pool: bool = Field(description="优秀残疾人人才库 / talent pool")
    reserve_cadre: bool = Field(description="后备干部 / reserve cadre")
    version: int = Field(description="版本号 / version")
    created_at: datetime = Field(description="登记时间 / registered at")
    updated_at: datetime = Field(description="最近修改 / last changed")
    updated_by: str = Field(description="最近修改人 / last changed by")


class MemberSelection(BaseModel):
    """How the person came to a post: one line per appointment, newest first."""

    appointment_id: WireId = Field(description="聘任编号 / appointment id")
    organisation_id: str = Field(description="组织编号 / organisation id")
    post: Post = Field(description="岗位 / post")
    selection_method: SelectionMethod = Field(
        description="选聘方式:open_examination 公开考试 / transfer 调任 / election 选举"
    )
    recruitment_round_id: WireId | None = Field(
        description="公开考试录取的招聘编号(其他方式为空)/ the recruitment round, if by exam"
    )
    contract_start: date = Field(description="合同开始 / contract start")
    status: AppointmentStatus = Field(description="聘任状态 / status")


class MemberDetail(MemberRead):
    selections: list[MemberSelection] = Field(
        description="各岗位的选聘方式(公开考试录取注明招聘编号)/ how the person was selected "
        "for each post (by exam: with the round)"
    )


class MemberPersonalData(BaseModel):
    id: WireId = Field(description="档案编号 / archive id")
    name: str = Field(description="姓名 / name")
    citizen_id: str = Field(description="公民身份号码 / citizen ID")
    phone: str | None = Field(description="联系电话 / phone")
