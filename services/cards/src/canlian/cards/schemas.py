"""Request and response bodies of the cards API (Chinese + English field descriptions)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from canlian.common.citizen_id import CitizenId
from canlian.common.divisions import DivisionCode
from canlian.common.events.cards import (
    ApplicationStatus,
    CardEndReason,
    CardGeneration,
    CardSource,
    CardStatus,
    DisabilityCategory,
    DisabilityGrade,
)

# Ids are 64-bit keys; anything larger is refused as input, not sent to the database.
MAX_ID = 2**63 - 1


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CancelReason(StrEnum):
    """注销原因."""

    DEATH = "death"  # 死亡
    RECOVERY = "recovery"  # 康复
    EMIGRATION = "emigration"  # 出国(境)定居


# ---- persons ---------------------------------------------------------------------------


class PersonCreate(_Body):
    citizen_id: CitizenId = Field(description="公民身份号码(18位)/ citizen ID number (GB 11643)")
    name: str = Field(min_length=1, max_length=50, description="姓名 / full name")
    phone: str | None = Field(
        default=None,
        pattern=r"^[0-9+\- ]{7,20}$",
        description="联系电话 / phone number",
    )
    residence_division_code: DivisionCode = Field(
        description="户籍所在地区划代码(12位)/ division of residence (12 digits)"
    )


class PersonUpdate(_Body):
    """Corrections of contact details; omitted fields stay, phone null clears it."""

    name: str | None = Field(default=None, min_length=1, max_length=50, description="姓名 / name")
    phone: str | None = Field(
        default=None, pattern=r"^[0-9+\- ]{7,20}$", description="联系电话 / phone number"
    )


class PersonLookup(_Body):
    citizen_id: CitizenId = Field(description="公民身份号码 / citizen ID number")


class PersonRead(BaseModel):
    """Masked: the citizen ID, name and phone are never shown in full here."""

    id: int = Field(description="人员编号 / person id")
    citizen_id_masked: str = Field(description="公民身份号码(脱敏)/ citizen ID, masked")
    name_masked: str = Field(description="姓名(脱敏)/ name, masked")
    phone_masked: str | None = Field(description="联系电话(脱敏)/ phone, masked")
    sex: Literal["male", "female"] = Field(description="性别 / sex")
    residence_division_code: str = Field(description="户籍所在地区划代码 / division of residence")
    version: int = Field(description="版本号 / version")
    created_at: datetime = Field(description="登记时间 / registered at")


class PersonUnmasked(BaseModel):
    """Unmasked personal data: only with the personal-data:read scope, and audited."""

    id: int = Field(description="人员编号 / person id")
    citizen_id: str = Field(description="公民身份号码 / citizen ID number")
    name: str = Field(description="姓名 / full name")
    phone: str | None = Field(description="联系电话 / phone")
    sex: Literal["male", "female"] = Field(description="性别 / sex")
    birth_date: date = Field(description="出生日期 / birth date")
    residence_division_code: str = Field(description="户籍所在地区划代码 / division of residence")


# ---- applications ----------------------------------------------------------------------


class ApplicationCreate(_Body):
    person_id: int = Field(ge=1, le=MAX_ID, description="申请人编号 / applicant's person id")
    applied_on: date | None = Field(
        default=None, description="申请日期,默认今天 / date of application, default today"
    )
    home_visit: bool = Field(default=False, description="上门办证 / home-visit service")
    poor: bool = Field(default=False, description="贫困残疾人 / applicant is poor")
    fee_waived: bool = Field(
        default=False, description="减免评定费用(仅限贫困残疾人)/ assessment fee waived (poor only)"
    )
    note: str | None = Field(default=None, max_length=500, description="备注 / note")


class InstitutionCreate(_Body):
    name: str = Field(
        min_length=2, max_length=200, description="机构名称(如某某医院)/ institution name"
    )
    division_code: DivisionCode = Field(
        description="指定它的市或县区划代码,服务该区划内的申请人 / the city or county that "
        "designates it; it assesses applicants living there"
    )


class InstitutionRead(BaseModel):
    id: int = Field(description="机构编号 / institution id")
    name: str = Field(description="机构名称 / name")
    division_code: str = Field(description="指定地区 / designating division")
    active: bool = Field(description="是否仍为指定机构 / still designated")
    version: int = Field(description="版本号 / version")


class AssessmentCreate(_Body):
    institution_id: int = Field(
        ge=1, le=MAX_ID, description="指定评定机构编号 / designated institution id"
    )
    assessor: str = Field(min_length=1, max_length=100, description="评定医生 / assessor")
    assessed_on: date = Field(description="评定日期 / date of assessment")
    category: DisabilityCategory = Field(
        description="残疾类别:1视力 2听力 3言语 4肢体 5智力 6精神 7多重 / category 1-7"
    )
    grade: DisabilityGrade = Field(description="残疾等级:1-4,1级最重 / grade 1-4, 1 most severe")


class ReviewCreate(_Body):
    decision: Literal["approve", "reject"] = Field(description="审核结论 / approve or reject")
    reason: str | None = Field(
        default=None, max_length=1000, description="不通过的理由(必填)/ reason, required to reject"
    )


class ApplicationRead(BaseModel):
    id: int = Field(description="申请编号 / application id")
    person_id: int = Field(description="申请人编号 / person id")
    applicant_name_masked: str = Field(description="申请人姓名(脱敏)/ applicant's name, masked")
    division_code: str = Field(description="区划代码 / division")
    status: ApplicationStatus = Field(description="状态 / status")
    allowed_actions: list[str] = Field(description="当前可执行的操作 / actions allowed now")
    applied_on: date = Field(description="申请日期 / applied on")
    home_visit: bool = Field(description="上门办证 / home visit")
    poor: bool = Field(description="贫困残疾人 / poor")
    fee_waived: bool = Field(description="减免评定费用 / fee waived")
    note: str | None = Field(description="备注 / note")
    institution_id: int | None = Field(description="评定机构编号 / institution id")
    institution: str | None = Field(description="评定机构 / institution")
    assessor: str | None = Field(description="评定医生 / assessor")
    assessed_on: date | None = Field(description="评定日期 / assessed on")
    category: DisabilityCategory | None = Field(description="残疾类别 / category")
    grade: DisabilityGrade | None = Field(description="残疾等级 / grade")
    reviewed_on: date | None = Field(description="审核日期 / reviewed on")
    reviewer: str | None = Field(description="审核人 / reviewer")
    rejection_reason: str | None = Field(description="不通过理由 / rejection reason")
    card_id: int | None = Field(description="所发证件编号 / card issued for it")
    version: int = Field(description="版本号 / version")


class BacklogItem(ApplicationRead):
    days_waiting: int = Field(description="审核通过后等待天数 / days since approval")


# ---- cards -----------------------------------------------------------------------------


class CardIssue(_Body):
    generation: CardGeneration = Field(
        default=CardGeneration.SMART,
        description="证件类型:second_generation 第二代 / smart 智能化 / card generation",
    )


class CardReplace(_Body):
    generation: CardGeneration = Field(description="新证类型 / generation of the new card")


class CardReissue(_Body):
    note: str | None = Field(default=None, max_length=500, description="遗失情况 / loss note")


class CardChange(_Body):
    application_id: int = Field(
        ge=1,
        le=MAX_ID,
        description="已审核通过的变更申请 / approved application with the new assessment",
    )


class CardTransfer(_Body):
    division_code: DivisionCode = Field(description="迁入地区划代码 / division moved to")


class CardCancel(_Body):
    reason: CancelReason = Field(
        description="注销原因:death 死亡 / recovery 康复 / emigration 出国(境)定居"
    )
    ended_on: date | None = Field(default=None, description="注销日期,默认今天 / default today")


class CardRead(BaseModel):
    id: int = Field(description="证件编号 / card id")
    person_id: int = Field(description="持证人编号 / holder's person id")
    holder_name_masked: str = Field(description="持证人姓名(脱敏)/ holder's name, masked")
    card_number_masked: str = Field(description="残疾人证号(脱敏)/ card number, masked")
    division_code: str = Field(description="管理地区划代码 / managing division")
    status: CardStatus = Field(description="状态 / status")
    allowed_actions: list[str] = Field(description="当前可执行的操作 / actions allowed now")
    category: DisabilityCategory = Field(description="残疾类别 / category")
    grade: DisabilityGrade = Field(description="残疾等级 / grade")
    generation: CardGeneration = Field(description="证件类型 / generation")
    issued_on: date = Field(description="发证日期 / issued on")
    valid_until: date = Field(description="有效期至 / valid until")
    source: CardSource = Field(description="来源 / issued here or imported")
    home_visit: bool = Field(description="上门办证 / issued on a home visit")
    application_id: int | None = Field(description="申请编号 / application")
    previous_card_id: int | None = Field(description="前一张证 / card this one follows")
    superseded_by_card_id: int | None = Field(description="替代它的新证 / card that replaced it")
    end_reason: CardEndReason | None = Field(description="失效原因 / why it ended")
    ended_on: date | None = Field(description="失效日期 / ended on")
    version: int = Field(description="版本号 / version")


class VerificationRequest(_Body):
    card_number: str = Field(
        max_length=40, description="20位残疾人证号 / the 20-character card number"
    )


class Verification(BaseModel):
    """What another portal learns: valid or not and the minimum for 凭证享受优惠政策."""

    valid: bool = Field(description="是否有效 / valid now")
    category: DisabilityCategory | None = Field(description="残疾类别 / category (valid only)")
    grade: DisabilityGrade | None = Field(description="残疾等级 / grade (valid only)")
    valid_until: date | None = Field(description="有效期至 / valid until (valid only)")


class ExpiryRun(BaseModel):
    expired: int = Field(description="本次置为过期的证件数 / cards marked expired")
    today: date = Field(description="判定日期 / the date used")


class HolderCount(BaseModel):
    category: DisabilityCategory = Field(description="残疾类别 / category")
    grade: DisabilityGrade = Field(description="残疾等级 / grade")
    holders: int = Field(description="持证人数 / holders of a valid card")


class HoldersReport(BaseModel):
    region: str = Field(description="区划代码 / division")
    total: int = Field(description="持有效证人数 / holders of a valid card")
    second_generation: int = Field(description="其中第二代证 / of which second-generation")
    smart: int = Field(description="其中智能化证 / of which smart cards")
    by_category_grade: list[HolderCount] = Field(description="按类别和等级 / by category, grade")
