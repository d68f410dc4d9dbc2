"""Request and response bodies of the members API (Chinese + English descriptions)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from canlian.common import validation_messages
from canlian.common.citizen_id import CitizenId
from canlian.common.divisions import DivisionCode
from canlian.common.events.members import (
    AppointmentStatus,
    AssessmentGrade,
    DisabilityRelation,
    MemberKind,
    Post,
    PostLevel,
    SelectionMethod,
)
from canlian.common.i18n import Message


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


Yuan = Annotated[
    Decimal,
    Field(ge=0, le=Decimal("99999999.99"), max_digits=10, decimal_places=2),
]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")]
Reason = Annotated[str, Field(min_length=2, max_length=1000)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemberCreate(_Body):
    kind: MemberKind = Field(
        description="人员类别:committee_member 专职委员 / federation_staff 残联工作人员"
    )
    division_code: DivisionCode = Field(description="档案所属区划(12位统计用区划代码)/ division")
    name: str = Field(min_length=1, max_length=50, description="姓名 / full name")
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


class MemberLookup(_Body):
    citizen_id: CitizenId = Field(description="公民身份号码 / citizen ID number")


class MemberUpdate(_Body):
    division_code: DivisionCode | None = Field(
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
    id: int = Field(description="档案编号 / archive id")
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


class MemberPersonalData(BaseModel):
    id: int = Field(description="档案编号 / archive id")
    name: str = Field(description="姓名 / name")
    citizen_id: str = Field(description="公民身份号码 / citizen ID")
    phone: str | None = Field(description="联系电话 / phone")


class AppointmentCreate(_Body):
    organisation_id: str = Field(
        min_length=1, max_length=64, description="组织编号(组织登记)/ registry organisation id"
    )
    post: Post = Field(description="岗位 / post")
    selection_method: SelectionMethod = Field(
        description="选聘方式:open_examination 公开考试 / transfer 调任 / election 选举"
    )
    contract_start: date = Field(description="合同开始日期 / contract start")
    contract_end: date | None = Field(default=None, description="合同结束日期 / contract end")
    public_welfare_post: bool = Field(description="是否公益性岗位 / public-welfare post")
    monthly_allowance_yuan: Yuan = Field(description="每月补贴(元)/ monthly allowance, yuan")
    social_insurance_subsidy: bool = Field(
        default=False, description="是否享受社会保险补贴 / social insurance subsidy"
    )
    status: Literal[AppointmentStatus.APPOINTED, AppointmentStatus.ACTIVE] = Field(
        default=AppointmentStatus.APPOINTED,
        description="初始状态:appointed 已聘任 / active 在岗(录入已在岗人员)",
    )
    reason: Reason = Field(default="聘任", description="说明 / note on the appointment")


class AppointmentUpdate(_Body):
    contract_start: date | None = Field(default=None, description="合同开始 / contract start")
    contract_end: date | None = Field(default=None, description="合同结束(续签)/ contract end")
    public_welfare_post: bool | None = Field(default=None, description="公益性岗位 / post")
    monthly_allowance_yuan: Yuan | None = Field(default=None, description="每月补贴 / allowance")
    social_insurance_subsidy: bool | None = Field(default=None, description="社保补贴 / subsidy")


class TransitionCreate(_Body):
    status: AppointmentStatus = Field(
        description="新状态:active 在岗 / suspended 暂停 / dismissed 解聘 / resigned 辞职"
    )
    effective_on: date = Field(description="生效日期 / effective date")
    reason: Reason = Field(description="原因 / reason")


class StatusChangeRead(BaseModel):
    from_status: AppointmentStatus | None = Field(description="原状态 / from")
    to_status: AppointmentStatus = Field(description="新状态 / to")
    effective_on: date = Field(description="生效日期 / effective date")
    reason: str = Field(description="原因 / reason")
    recorded_by: str = Field(description="录入人 / recorded by")
    recorded_at: datetime = Field(description="录入时间 / recorded at")


class AppointmentRead(BaseModel):
    id: int = Field(description="聘任编号 / appointment id")
    member_id: int = Field(description="档案编号 / archive id")
    organisation_id: str = Field(description="组织编号 / organisation id")
    division_code: str = Field(description="组织所在区划 / division of the organisation")
    post_level: PostLevel | None = Field(description="岗位层级 乡镇/村 / township or village")
    post: Post = Field(description="岗位 / post")
    selection_method: SelectionMethod = Field(description="选聘方式 / selection method")
    contract_start: date = Field(description="合同开始 / contract start")
    contract_end: date | None = Field(description="合同结束 / contract end")
    public_welfare_post: bool = Field(description="公益性岗位 / public-welfare post")
    monthly_allowance_yuan: Decimal = Field(description="每月补贴(元)/ monthly allowance")
    social_insurance_subsidy: bool = Field(description="社保补贴 / social insurance subsidy")
    allowance_minimum_yuan: Decimal | None = Field(description="适用的最低补贴标准 / minimum")
    allowance_compliant: bool | None = Field(description="补贴是否达标 / meets the minimum")
    status: AppointmentStatus = Field(description="状态 / status")
    status_since: date = Field(description="当前状态起始日 / status since")
    version: int = Field(description="版本号 / version")
    updated_by: str = Field(description="最近修改人 / last changed by")


class AppointmentDetail(AppointmentRead):
    history: list[StatusChangeRead] = Field(description="状态变更记录 / status history")


class AllowanceMinimumSet(_Body):
    monthly_minimum_yuan: Yuan = Field(description="每人每月最低补贴(元)/ monthly minimum")
    basis: str | None = Field(
        default=None, max_length=500, description="政策依据(文号)/ policy document"
    )


class AllowanceMinimumRead(BaseModel):
    division_code: str = Field(description="区划 / region the policy is set for")
    post_level: PostLevel = Field(description="岗位层级 / level")
    monthly_minimum_yuan: Decimal = Field(description="每人每月最低补贴(元)/ minimum")
    basis: str | None = Field(description="政策依据 / policy document")
    updated_by: str = Field(description="设置人 / set by")
    updated_at: datetime = Field(description="设置时间 / set at")


class AllowanceMinimumSaved(AllowanceMinimumRead):
    appointments_rechecked: int = Field(description="重新核对的聘任数 / appointments re-checked")
    compliance_changed: int = Field(description="达标状态变化数 / whose compliance changed")


class AssessmentCreate(_Body):
    year: int = Field(ge=2000, le=2100, description="考核年度 / year")
    performance_score: Decimal = Field(
        ge=0, le=100, max_digits=5, decimal_places=2, description="绩效考评得分 / performance"
    )
    evaluation_score: Decimal = Field(
        ge=0, le=100, max_digits=5, decimal_places=2, description="残疾人评价得分 / evaluation"
    )
    grade: AssessmentGrade = Field(
        description="等次:excellent 优秀 / competent 称职 / basically_competent 基本称职 / "
        "incompetent 不称职"
    )
    remarks: str | None = Field(default=None, max_length=2000, description="评语 / remarks")


class AssessmentRead(BaseModel):
    id: int = Field(description="考核编号 / assessment id")
    appointment_id: int = Field(description="聘任编号 / appointment id")
    member_id: int = Field(description="档案编号 / archive id")
    division_code: str = Field(description="区划 / division")
    year: int = Field(description="考核年度 / year")
    performance_score: Decimal = Field(description="绩效考评得分 / performance")
    evaluation_score: Decimal = Field(description="残疾人评价得分 / evaluation")
    grade: AssessmentGrade = Field(description="等次 / grade")
    remarks: str | None = Field(description="评语 / remarks")
    recorded_at: datetime = Field(description="录入时间 / recorded at")


class TrainingCreate(_Body):
    course: str = Field(min_length=2, max_length=200, description="培训课程 / course")
    hours: Decimal = Field(
        gt=0, le=1000, max_digits=6, decimal_places=1, description="学时 / hours"
    )
    held_on: date = Field(description="培训日期 / date")
    organiser: str = Field(min_length=2, max_length=200, description="主办单位 / organiser")


class TrainingRead(BaseModel):
    id: int = Field(description="培训记录编号 / training id")
    member_id: int = Field(description="档案编号 / archive id")
    division_code: str = Field(description="区划 / division")
    course: str = Field(description="课程 / course")
    hours: Decimal = Field(description="学时 / hours")
    held_on: date = Field(description="培训日期 / date")
    organiser: str = Field(description="主办单位 / organiser")
    plan_period: str = Field(description="所属五年规划期 / five-year plan period")


class OrganisationRead(BaseModel):
    organisation_id: str = Field(description="组织编号 / organisation id")
    name: str = Field(description="名称 / name")
    kind: str = Field(description="类型 / kind")
    level: int = Field(description="层级 1–5 / division level")
    division_code: str = Field(description="区划 / division")
    status: str = Field(description="状态 / status")
    covered_divisions: list[str] = Field(description="服务的乡镇或村 / places it serves")
    version: int = Field(description="登记版本 / registry version")


class VacancyRead(BaseModel):
    division_code: str = Field(description="缺配专职委员的乡镇或村 / township or village")
    level: PostLevel = Field(description="乡镇或村 / township or village")
    organisation_id: str = Field(description="应配备的组织 / organisation to appoint to")
    organisation_name: str = Field(description="组织名称 / organisation name")


class TownshipSummary(BaseModel):
    township_code: str = Field(description="乡镇(街道)区划 / township")
    places: int = Field(description="应配专职委员的乡镇和村数 / places needing a member")
    vacancies: int = Field(description="未配备数 / places without an active member")
    active_committee_members: int = Field(description="在岗专职委员 / active committee members")
    allowance_non_compliant: int = Field(description="补贴低于标准 / allowance below minimum")
    public_welfare_posts: int = Field(description="公益性岗位 / in public-welfare posts")


class PlanPeriod(BaseModel):
    name: str = Field(description="规划期,如 十五五 / plan period")
    start: date = Field(description="开始 / start")
    end: date = Field(description="结束 / end")


class TrainingCoverage(BaseModel):
    region: str = Field(description="区划 / region")
    plan_period: PlanPeriod = Field(description="当前五年规划期 / current plan period")
    workers: int = Field(description="在岗残疾人工作者 / people holding a post")
    trained: int = Field(description="本规划期内已培训 / trained in the period")
    coverage: float = Field(description="培训覆盖率 / trained ÷ workers")
    person_times: int = Field(description="培训人次 / person-times in the period")


class TalentPoolSummary(BaseModel):
    region: str = Field(description="区划 / region")
    in_talent_pool: int = Field(description="优秀残疾人人才库人数 / talent pool size")
    reserve_cadres: int = Field(description="后备干部人数 / reserve cadres")
    target: int | None = Field(description="目标(市级80,县级30)/ target, city 80 county 30")
    target_met: bool | None = Field(description="是否达标 / target met")


# Roster import: one row of a county's spreadsheet, with the labels officials type.


def _choice(labels: dict[str, Any]) -> Any:
    """Accept the stored value or a Chinese label; otherwise say which labels are allowed."""
    allowed = "、".join(dict.fromkeys(labels))

    def convert(value: Any) -> Any:
        if value is None:
            return None
        text = str(value).strip()
        if text in {str(stored) for stored in labels.values()}:
            return int(text) if text.isdigit() and len(text) == 1 else text
        key = text.replace("残疾", "") if text.endswith("残疾") and len(text) > 2 else text
        found = labels.get(key, labels.get(text))
        if found is not None:
            return found
        raise PydanticCustomError(
            "roster_choice", "Must be one of: {choices}", {"choices": allowed}
        )

    return BeforeValidator(convert)


validation_messages.register(
    "roster_choice", Message(zh="取值应为:{choices}", en="Must be one of: {choices}")
)


def _roster_date(value: Any) -> Any:
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip().split("T")[0].split(" ")[0]
    for separator in ("/", ".", "年"):
        text = text.replace(separator, "-")
    text = text.replace("月", "-").replace("日", "")
    if text.isdigit() and len(text) == 8:
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    parts = text.split("-")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return text


RosterDate = Annotated[date, BeforeValidator(_roster_date)]
YES_NO = {"是": "true", "否": "false", "有": "true", "无": "false", "Y": "true", "N": "false"}

KIND_LABELS = {
    "专职委员": "committee_member",
    "残联工作人员": "federation_staff",
    "工作人员": "federation_staff",
}
RELATION_LABELS = {
    "残疾人": "disabled",
    "本人残疾": "disabled",
    "亲属": "relative",
    "残疾人亲属": "relative",
    "亲友": "relative",
    "否": "none",
    "无": "none",
}
CATEGORY_LABELS = {"视力": 1, "听力": 2, "言语": 3, "肢体": 4, "智力": 5, "精神": 6, "多重": 7}
EDUCATION_LABELS = {
    "研究生": "10",
    "本科": "20",
    "大学本科": "20",
    "大专": "30",
    "专科": "30",
    "大学专科": "30",
    "中专": "40",
    "高中": "60",
    "初中": "70",
    "小学": "80",
    "其他": "90",
}
POST_LABELS = {
    "专职委员": "committee_member",
    "专职理事长": "full_time_chair",
    "理事长": "chair",
    "主席": "chair",
    "副主席": "vice_chair",
    "副理事长": "vice_chair",
    "工作人员": "staff",
    "委员": "staff",
}
SELECTION_LABELS = {
    "公开考试": "open_examination",
    "考试": "open_examination",
    "调任": "transfer",
    "选调": "transfer",
    "选举": "election",
}
STATUS_LABELS = {"在岗": "active", "已聘任": "appointed", "聘任": "appointed"}


def _yes_no(value: Any) -> Any:
    if value is None:
        return None
    text = str(value).strip()
    return YES_NO.get(text, YES_NO.get(text.upper(), text))


YesNo = Annotated[bool, BeforeValidator(_yes_no)]


class RosterRow(BaseModel):
    """A roster line: the person and their appointment. Labels may be Chinese."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50)
    citizen_id: CitizenId
    phone: Phone | None = None
    kind: Annotated[MemberKind, _choice(KIND_LABELS)] = MemberKind.COMMITTEE_MEMBER
    division_code: DivisionCode | None = None
    disability_relation: Annotated[DisabilityRelation, _choice(RELATION_LABELS)]
    disability_category: Annotated[DisabilityCategory | None, _choice(CATEGORY_LABELS)] = None
    disability_grade: int | None = Field(default=None, ge=1, le=4)
    education: Annotated[Education | None, _choice(EDUCATION_LABELS)] = None
    organisation_id: str = Field(min_length=1, max_length=64)
    post: Annotated[Post, _choice(POST_LABELS)] = Post.COMMITTEE_MEMBER
    selection_method: Annotated[SelectionMethod, _choice(SELECTION_LABELS)]
    contract_start: RosterDate
    contract_end: RosterDate | None = None
    public_welfare_post: YesNo
    monthly_allowance_yuan: Yuan
    social_insurance_subsidy: YesNo = False
    status: Annotated[
        Literal[AppointmentStatus.APPOINTED, AppointmentStatus.ACTIVE], _choice(STATUS_LABELS)
    ] = AppointmentStatus.ACTIVE
