"""Request and response bodies of recruitment rounds, applicants and selections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from canlian.common.citizen_id import CitizenId
from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.members import AppointmentStatus, DisabilityRelation, Post, RankingRule
from canlian.common.ids import RequestId, WireId
from canlian.common.values import HumanText, Multiline, Phone, SaneDate
from canlian.members.api import RequestBody
from canlian.members.appointments.schemas import Yuan
from canlian.members.archive.schemas import DisabilityCategory, Education, Name

RoundId = Annotated[int, Path(ge=1, le=2**62, description="招聘编号 / recruitment round id")]
ApplicantId = Annotated[int, Path(ge=1, le=2**62, description="报名编号 / applicant id")]
Score = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
RecruitedPost = Literal[Post.COMMITTEE_MEMBER, Post.LIAISON_OFFICER]


class RoundStatus(StrEnum):
    ANNOUNCED = "announced"  # 已公告, taking applications and scores
    RANKED = "ranked"  # 已排名, selections follow the ranking


class ApplicantStatus(StrEnum):
    APPLIED = "applied"  # 已报名
    SELECTED = "selected"  # 已录取, appointed
    WITHDRAWN = "withdrawn"  # 已放弃: ranked or not, no longer in the running


class OfferedPostCreate(RequestBody):
    organisation_id: str = Field(
        min_length=1, max_length=64, description="组织编号(组织登记)/ registry organisation id"
    )
    post: RecruitedPost = Field(
        description="岗位:committee_member 专职委员 / liaison_officer 村残疾人联络员"
    )
    seats: int = Field(ge=1, le=10, description="招聘名额 / places offered")


class RoundCreate(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "城关区2025年公开招聘社区残疾人专职委员公告",
                    "division_code": "620102000000",
                    "announced_on": "2025-03-01",
                    "applications_close_on": "2025-03-15",
                    "exam_on": "2025-03-29",
                    "posts": [{"organisation_id": "1", "post": "committee_member", "seats": 3}],
                }
            ]
        },
    )

    title: HumanText = Field(max_length=200, description="公告标题 / title of the announcement")
    division_code: KnownDivisionCode = Field(description="发布招聘的区划 / announcing region")
    announced_on: SaneDate = Field(description="公告日期 / announced on")
    applications_close_on: SaneDate = Field(description="报名截止日期 / applications close")
    exam_on: SaneDate = Field(description="考试日期 / exam date")
    posts: list[OfferedPostCreate] = Field(
        min_length=1, max_length=50, description="招聘岗位 / posts offered"
    )


class OfferedPostRead(BaseModel):
    id: WireId = Field(description="招聘岗位编号 / offered post id")
    organisation_id: str = Field(description="组织编号 / organisation id")
    division_code: str = Field(description="组织所在区划 / division of the organisation")
    post: Post = Field(description="岗位 / post")
    seats: int = Field(description="招聘名额 / places offered")
    selected: int = Field(description="已录取人数 / selected so far")


class RoundRead(BaseModel):
    id: WireId = Field(description="招聘编号 / round id")
    division_code: str = Field(description="发布区划 / announcing region")
    title: str = Field(description="公告标题 / title")
    announced_on: date = Field(description="公告日期 / announced on")
    applications_close_on: date = Field(description="报名截止 / applications close")
    exam_on: date = Field(description="考试日期 / exam date")
    status: RoundStatus = Field(description="状态:announced 已公告 / ranked 已排名")
    written_exam_weight: Decimal | None = Field(
        description="排名所用笔试权重(%,地区政策 recruitment.written_exam_weight,未设为50)"
        " / written-exam weight the ranking applied, percent, from the region's policy"
    )
    ranking_rule: RankingRule | None = Field(
        description="排名规则:综合成绩相同时残疾人及亲属优先,再比笔试成绩,再按报名先后 / the "
        "rule applied: combined score, then disabled persons and relatives first on a tie, "
        "then the written score, then who applied first"
    )
    ranked_on: date | None = Field(description="排名日期 / ranked on")
    posts: list[OfferedPostRead] = Field(description="招聘岗位 / posts offered")
    version: int = Field(description="版本号 / version")
    updated_by: str = Field(description="最近修改人 / last changed by")


class ApplicantCreate(RequestBody):
    round_id: RequestId = Field(description="招聘编号 / recruitment round id")
    offered_post_id: RequestId = Field(description="报考岗位编号 / offered post id")
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


class ScoresSet(RequestBody):
    written_score: Score = Field(description="笔试成绩 0–100 / written exam score")
    interview_score: Score = Field(description="面试成绩 0–100 / interview score")


class ApplicantRead(BaseModel):
    id: WireId = Field(description="报名编号 / applicant id")
    round_id: WireId = Field(description="招聘编号 / round id")
    offered_post_id: WireId = Field(description="报考岗位 / offered post id")
    division_code: str = Field(description="报考岗位所在区划 / division of the post")
    name: str = Field(description="姓名(脱敏)/ name, masked")
    citizen_id: str = Field(description="公民身份号码(脱敏)/ citizen ID, masked")
    phone: str | None = Field(description="联系电话(脱敏)/ phone, masked")
    sex: Literal["male", "female"] = Field(description="性别(由身份号码得出)/ sex")
    birth_year: int = Field(description="出生年份 / year of birth")
    disability_relation: DisabilityRelation = Field(description="残疾人或亲属 / relation")
    disability_category: int | None = Field(description="残疾类别 / category")
    disability_grade: int | None = Field(description="残疾等级 / grade")
    education: str | None = Field(description="文化程度代码 / education code")
    written_score: Decimal | None = Field(description="笔试成绩 / written exam score")
    interview_score: Decimal | None = Field(description="面试成绩 / interview score")
    combined_score: Decimal | None = Field(description="综合成绩(排名后)/ combined, once ranked")
    rank: int | None = Field(description="岗位内名次(排名后)/ rank within the post")
    preference_applied: bool = Field(
        description="是否因残疾人及亲属优先而排在同分者之前 / ranked above an equal combined "
        "score by the preference for disabled persons and relatives"
    )
    status: ApplicantStatus = Field(
        description="状态:applied 已报名 / selected 已录取 / withdrawn 已放弃"
    )
    member_id: WireId | None = Field(description="录取后的档案编号 / archive id once selected")
    appointment_id: WireId | None = Field(
        description="录取后的聘任编号 / appointment once selected"
    )
    version: int = Field(description="版本号 / version")
    updated_by: str = Field(description="最近修改人 / last changed by")


class ApplicantPersonalData(BaseModel):
    id: WireId = Field(description="报名编号 / applicant id")
    name: str = Field(description="姓名 / name")
    citizen_id: str = Field(description="公民身份号码 / citizen ID")
    phone: str | None = Field(description="联系电话 / phone")


class WithdrawalCreate(RequestBody):
    reason: Annotated[str, Multiline(500, min_length=2)] = Field(
        description="放弃原因 / why the applicant withdrew"
    )


class SelectionCreate(RequestBody):
    contract_start: SaneDate = Field(description="合同开始日期 / contract start")
    contract_end: SaneDate | None = Field(default=None, description="合同结束日期 / contract end")
    public_welfare_post: bool = Field(description="是否公益性岗位 / public-welfare post")
    social_work_post: bool = Field(
        default=False, description="是否纳入社工岗位 / social-work post (seed 004)"
    )
    monthly_allowance_yuan: Yuan = Field(description="每月补贴(元)/ monthly allowance, yuan")
    social_insurance_subsidy: bool = Field(
        default=False, description="是否享受社会保险补贴 / social insurance subsidy"
    )
    status: Literal[AppointmentStatus.APPOINTED, AppointmentStatus.ACTIVE] = Field(
        default=AppointmentStatus.APPOINTED,
        description="聘任初始状态:appointed 已聘任 / active 在岗",
    )


class SelectionRead(BaseModel):
    applicant_id: WireId = Field(description="报名编号 / applicant id")
    round_id: WireId = Field(description="招聘编号 / round id")
    member_id: WireId = Field(description="档案编号 / archive id")
    appointment_id: WireId = Field(description="聘任编号 / appointment id")
    rank: int = Field(description="岗位内名次 / rank within the post")
    combined_score: Decimal = Field(description="综合成绩 / combined score")
    preference_applied: bool = Field(description="残疾人及亲属优先是否起作用 / preference decided")
    ranking_rule: RankingRule = Field(description="所用排名规则 / the ranking rule applied")
    selection_method: Literal["open_examination"] = Field(
        description="选聘方式:公开考试 / selected by open examination"
    )
