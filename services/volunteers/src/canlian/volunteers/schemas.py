"""Request and response bodies of the volunteers API.

Responses to the mobile app are kept small: lists carry summaries, details come one object
at a time. Personal data leaves masked.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)
from pydantic_core import PydanticCustomError

from canlian.common import validation_messages
from canlian.common.citizen_id import CitizenId
from canlian.common.divisions import DivisionCode
from canlian.common.events.volunteers import (
    RegistrationChannel,
    Skill,
    TrainingKind,
    VolunteerStatus,
)
from canlian.common.i18n import Message

__all__ = ["RegistrationChannel", "Skill", "TrainingKind", "VolunteerStatus"]

MAX_BATCH = 200
ID_PATTERN = r"^[A-Za-z0-9._-]+$"
# Control characters (NUL above all, which PostgreSQL refuses) have no place in any text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHONE = re.compile(r"^1[3-9]\d{9}$")

validation_messages.register(
    "phone_number",
    Message(
        zh="手机号码应为11位中国大陆手机号(1开头)", en="Must be an 11-digit mainland mobile number"
    ),
)
validation_messages.register(
    "control_characters",
    Message(zh="不能包含控制字符", en="Must not contain control characters"),
)
validation_messages.register(
    "duplicate_items", Message(zh="列表中有重复项:{items}", en="Repeated items: {items}")
)


def _phone(value: str) -> str:
    digits = value.strip().replace(" ", "").replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if not _PHONE.match(digits):
        raise PydanticCustomError("phone_number", "Must be an 11-digit mainland mobile number")
    return digits


def _distinct_skills(values: list[Skill]) -> list[Skill]:
    repeated = sorted({skill.value for skill in values if values.count(skill) > 1})
    if repeated:
        raise PydanticCustomError(
            "duplicate_items", "Repeated items: {items}", {"items": ", ".join(repeated)}
        )
    return sorted(values)


PhoneNumber = Annotated[str, AfterValidator(_phone)]
Skills = Annotated[
    list[Skill],
    Field(max_length=len(Skill), description="技能 / skills"),
    AfterValidator(_distinct_skills),
]


# zh/en descriptions of fields that recur across bodies, filled into the OpenAPI schema
# wherever a field does not describe itself.
GLOSSARY: dict[str, str] = {
    "id": "编号 / identifier",
    "volunteer_id": "志愿者编号 / volunteer id",
    "need_id": "服务需求编号 / need id",
    "record_id": "服务记录编号 / service record id",
    "team_id": "志愿服务队编号 / team id",
    "station_id": "志愿服务站编号 / station id",
    "client_id": "客户端生成的记录编号 / client-generated record id",
    "division_code": "12位统计用区划代码 / 12-digit division code",
    "name": "名称或姓名(脱敏)/ name (masked for persons)",
    "title": "标题 / title",
    "status": "状态 / status",
    "level": "层级或级别 / level",
    "kind": "类别 / kind",
    "skills": "技能 / skills",
    "availability": "可服务时段 / weekly availability",
    "channel": "注册渠道:self 自行注册,station 服务站登记 / registration channel",
    "star_level": "星级(0-5)/ star level",
    "confirmed_hours": "累计已确认服务时长(小时)/ confirmed hours",
    "person_times": "服务残疾人人次 / person-times of disabled persons helped",
    "sign_language_trained": "已完成手语培训 / completed a sign-language training",
    "registered_on": "注册日期 / registered on",
    "left_on": "退出日期 / left on",
    "version": "版本号,每次变更加一 / version, +1 on every change",
    "leader_volunteer_id": "负责人(队长、站长)志愿者编号 / leader's volunteer id",
    "description": "说明 / description",
    "requested_by": "提出方 / who raised the need",
    "organisation_id": "提出组织编号 / organisation id",
    "persons": "受助人数 / persons to help",
    "volunteers_needed": "所需志愿者人数 / volunteers needed",
    "volunteers_accepted": "已接受的志愿者人数 / volunteers who accepted",
    "starts_at": "开始时间 / start",
    "ends_at": "结束时间 / end",
    "decline_reason": "谢绝原因 / why declined",
    "service_kind": "服务类别 / kind of service",
    "checked_in_at": "签到时间 / check-in",
    "checked_out_at": "签退时间 / check-out",
    "served_on": "服务日期(北京时间)/ date of service, China time",
    "hours": "时长(小时)/ hours",
    "rejection_reason": "退回原因 / why rejected",
    "note": "备注 / note",
    "outcome": "结果 / outcome",
    "reason": "原因 / reason",
    "code": "问题代码 / problem code",
    "message": "说明 / message",
    "accepted": "已接收条数 / records accepted",
    "duplicates": "重复(此前已收到)条数 / records received before",
    "rejected": "退回或拒收条数 / records rejected",
    "confirmed": "确认条数 / records confirmed",
    "failed": "未能审核条数 / records not reviewed",
    "results": "逐条结果 / one result per item",
    "records": "记录 / records",
    "decisions": "审核决定 / decisions",
    "skills_required": "需求所需技能数 / skills the need asks for",
    "phone": "手机号码 / mobile number",
    "citizen_id": "公民身份号码 / citizen ID number",
    "provider": "培训机构 / provider",
    "completed_on": "结业日期 / completed on",
    "certificate_no": "证书编号 / certificate number",
    "awarded_by": "授予单位 / awarded by",
    "awarded_on": "授予日期 / awarded on",
    "thresholds_hours": "一至五星所需小时数 / hours for stars 1-5",
    "next_star_level": "下一星级 / next star level",
    "hours_to_next_star": "距下一星级还需小时数 / hours to the next star",
    "trainings": "培训记录 / trainings",
    "honours": "荣誉表彰 / honours",
    "total": "合计 / total",
    "served_from": "起始日期(含)/ first day, inclusive",
    "served_to": "结束日期(含)/ last day, inclusive",
}


def _describe_fields(schema: dict[str, Any]) -> None:
    for name, field_schema in schema.get("properties", {}).items():
        if "description" not in field_schema and name in GLOSSARY:
            field_schema["description"] = GLOSSARY[name]


class _Output(BaseModel):
    model_config = ConfigDict(json_schema_extra=_describe_fields)


class _Input(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=_describe_fields
    )

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and _CONTROL.search(text) for text in texts):
            raise PydanticCustomError("control_characters", "Must not contain control characters")
        return value


class Period(StrEnum):
    """时段: morning 06-12, afternoon 12-18, evening 18-24 (China Standard Time)."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class AvailabilitySlot(_Input):
    weekday: int = Field(ge=1, le=7, description="星期几(1=周一) / ISO weekday, 1 = Monday")
    period: Period = Field(description="时段 / part of the day")


Availability = Annotated[
    list[AvailabilitySlot],
    Field(max_length=21, description="可服务时段 / when the volunteer can serve"),
]


class StationLevel(StrEnum):
    COUNTY_STATION = "county_station"  # 县级志愿服务站
    TOWNSHIP_STATION = "township_station"  # 乡镇(街道)志愿服务站
    VILLAGE_POINT = "village_point"  # 村(社区)志愿服务点


class NeedRequester(StrEnum):
    ASSOCIATION = "association"  # 残协提出
    FEDERATION = "federation"  # 残联提出
    ON_BEHALF = "on_behalf"  # 代残疾人提出


class NeedStatus(StrEnum):
    OPEN = "open"  # 待对接
    MATCHED = "matched"  # 已对接(志愿者人数已满)
    CLOSED = "closed"  # 已服务完成
    CANCELLED = "cancelled"  # 已取消


class NeedOutcome(StrEnum):
    SERVED = "served"
    CANCELLED = "cancelled"


class AssignmentStatus(StrEnum):
    INVITED = "invited"  # 已邀请
    ACCEPTED = "accepted"  # 已接受
    DECLINED = "declined"  # 已谢绝


class RecordStatus(StrEnum):
    PENDING = "pending"  # 待确认
    CONFIRMED = "confirmed"  # 已确认
    REJECTED = "rejected"  # 已退回


class HonourLevel(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"


# Stations and teams


class StationCreate(_Input):
    name: str = Field(min_length=1, max_length=200, description="名称 / name")
    level: StationLevel = Field(
        description="层级 / county station, township station, village point"
    )
    division_code: DivisionCode = Field(description="所在区划代码 / division code")


class StationRead(_Output):
    id: str
    name: str
    level: StationLevel
    division_code: str
    leader_volunteer_id: str | None
    version: int


class TeamCreate(_Input):
    name: str = Field(min_length=1, max_length=200, description="队名 / team name")
    division_code: DivisionCode = Field(description="所在区划代码 / division code")
    station_id: str | None = Field(default=None, max_length=64, description="所属服务站 / station")


class TeamRead(_Output):
    id: str
    name: str
    division_code: str
    station_id: str | None
    leader_volunteer_id: str | None = Field(description="队长志愿者编号 / leader's volunteer id")
    version: int


class LeaderAssignment(_Input):
    volunteer_id: str = Field(
        min_length=1, max_length=64, pattern=ID_PATTERN, description="负责人 / the new leader"
    )


# Volunteers


class SelfRegistration(_Input):
    """志愿者在手机应用上自行注册."""

    name: str = Field(min_length=1, max_length=50, description="姓名 / full name")
    phone: PhoneNumber = Field(description="手机号码 / mobile number")
    citizen_id: CitizenId | None = Field(default=None, description="公民身份号码(实名)/ citizen ID")
    division_code: DivisionCode = Field(description="常住区划代码 / where the volunteer lives")
    skills: Skills = Field(default_factory=list)
    availability: Availability = Field(default_factory=list)


class StationRegistration(SelfRegistration):
    """服务站代为登记."""

    team_id: str | None = Field(default=None, max_length=64, description="志愿服务队 / team")
    station_id: str | None = Field(default=None, max_length=64, description="服务站 / station")


class ProfileUpdate(_Input):
    """Fields the volunteer may change themselves; omitted fields stay as they are."""

    phone: PhoneNumber | None = Field(default=None, description="手机号码 / mobile number")
    skills: Skills | None = None
    availability: Availability | None = None


class VolunteerUpdate(ProfileUpdate):
    division_code: DivisionCode | None = Field(default=None, description="区划代码 / division")
    team_id: str | None = Field(default=None, max_length=64, description="志愿服务队 / team")
    station_id: str | None = Field(default=None, max_length=64, description="服务站 / station")


class Leaving(_Input):
    reason: str = Field(min_length=2, max_length=500, description="退出原因 / why")


class VolunteerSummary(_Output):
    id: str
    division_code: str
    name: str = Field(description="姓名(脱敏)/ masked name")
    status: VolunteerStatus
    skills: list[Skill]
    star_level: int
    confirmed_hours: float = Field(description="累计已确认服务时长(小时)/ confirmed hours")


class VolunteerRead(VolunteerSummary):
    channel: RegistrationChannel
    phone: str = Field(description="手机号码(脱敏)/ masked")
    citizen_id: str | None = Field(description="公民身份号码(脱敏)/ masked")
    availability: list[AvailabilitySlot]
    team_id: str | None
    station_id: str | None
    sign_language_trained: bool
    person_times: int = Field(description="累计服务残疾人人次 / person-times helped")
    registered_on: date
    left_on: date | None
    version: int


class VolunteerContact(_Output):
    """Unmasked; needs the personal-data:read scope and a reason, and is audited."""

    id: str
    name: str
    phone: str
    citizen_id: str | None


# Needs and matching


class NeedCreate(_Input):
    division_code: DivisionCode = Field(description="服务地区划代码 / where the service is")
    kind: Skill = Field(description="服务类别 / kind of service")
    skills: Skills = Field(default_factory=list, description="另需技能 / further skills")
    title: str = Field(min_length=2, max_length=200, description="标题 / short title")
    description: str | None = Field(
        default=None,
        max_length=2000,
        description="说明(勿填写身份证号等个人信息)/ details, no personal identifiers",
    )
    requested_by: NeedRequester = Field(description="提出方 / who raised it")
    organisation_id: str | None = Field(
        default=None, max_length=64, description="提出组织 / organisation that raised it"
    )
    persons: int = Field(default=1, ge=1, le=1000, description="受助人数 / persons to help")
    volunteers_needed: int = Field(
        default=1, ge=1, le=50, description="所需志愿者人数 / volunteers needed"
    )
    starts_at: AwareDatetime = Field(description="开始时间 / start (with time zone)")
    ends_at: AwareDatetime = Field(description="结束时间 / end (with time zone)")


class NeedRead(_Output):
    id: str
    division_code: str
    kind: Skill
    skills: list[Skill]
    title: str
    description: str | None
    requested_by: NeedRequester
    organisation_id: str | None
    persons: int
    volunteers_needed: int
    volunteers_accepted: int
    starts_at: datetime
    ends_at: datetime
    status: NeedStatus
    version: int


class NeedBrief(_Output):
    """A need as the app lists it."""

    id: str
    division_code: str
    kind: Skill
    title: str
    starts_at: datetime
    ends_at: datetime
    status: NeedStatus
    invited: bool = Field(description="是否被邀请 / whether I was invited")


class NeedClosing(_Input):
    outcome: NeedOutcome = Field(description="served 已服务 / cancelled 取消")
    note: str | None = Field(default=None, max_length=500)


class Candidate(_Output):
    volunteer_id: str
    division_code: str
    name: str = Field(description="姓名(脱敏)/ masked name")
    skills_matched: int = Field(description="匹配技能数 / required skills the volunteer has")
    skills_required: int
    available: bool = Field(description="可服务时段与需求时间相符 / availability overlaps")
    nearness: int = Field(
        description="区划相近程度:共同前缀层级 0-5(5=同一区划)/ common division level"
    )
    star_level: int


class Invitation(_Input):
    volunteer_ids: list[Annotated[str, Field(max_length=64, pattern=ID_PATTERN)]] = Field(
        min_length=1, max_length=50, description="被邀请志愿者 / volunteers to invite"
    )


class AssignmentRead(_Output):
    need_id: str
    volunteer_id: str
    status: AssignmentStatus
    decline_reason: str | None


class Declining(_Input):
    reason: str = Field(min_length=2, max_length=500, description="谢绝原因 / why")


# Service records


class RecordSubmission(_Input):
    client_id: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="客户端生成的记录编号(重试时不变)/ client-generated id, stable across retries",
    )
    need_id: str | None = Field(
        default=None, max_length=64, description="所服务的需求 / the need served"
    )
    service_kind: Skill | None = Field(
        default=None, description="服务类别;有需求时默认取需求类别 / defaults to the need's kind"
    )
    division_code: DivisionCode | None = Field(
        default=None, description="服务地区划;默认取需求或志愿者所在地 / where it was given"
    )
    checked_in_at: AwareDatetime = Field(description="签到时间 / check-in")
    checked_out_at: AwareDatetime = Field(description="签退时间 / check-out")
    person_times: int = Field(ge=0, le=1000, description="服务残疾人人次 / persons helped")
    note: str | None = Field(default=None, max_length=500)


class RecordBatch(_Input):
    records: list[RecordSubmission] = Field(min_length=1, max_length=MAX_BATCH)


class BatchOutcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class RejectionReason(_Output):
    code: str
    message: str


class BatchItemResult(_Output):
    client_id: str
    outcome: BatchOutcome
    record_id: str | None = None
    status: RecordStatus | None = None
    reason: RejectionReason | None = None


class BatchResult(_Output):
    accepted: int
    duplicates: int
    rejected: int
    results: list[BatchItemResult]


class RecordRead(_Output):
    id: str
    client_id: str
    volunteer_id: str
    need_id: str | None
    team_id: str | None
    division_code: str
    service_kind: Skill
    checked_in_at: datetime
    checked_out_at: datetime
    served_on: date
    hours: float
    person_times: int
    status: RecordStatus
    rejection_reason: str | None
    version: int


class RecordRejection(_Input):
    reason: str = Field(min_length=2, max_length=500, description="退回原因 / why")


class Decision(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"


class ReviewDecision(_Input):
    record_id: str = Field(min_length=1, max_length=64, pattern=ID_PATTERN)
    decision: Decision = Field(description="confirm 确认 / reject 退回")
    reason: str | None = Field(
        default=None,
        min_length=2,
        max_length=500,
        description="退回原因(退回时必填)/ why, required to reject",
    )


class ReviewBatch(_Input):
    decisions: list[ReviewDecision] = Field(min_length=1, max_length=100)


class ReviewResult(_Output):
    record_id: str
    status: RecordStatus | None = Field(description="审核后的状态;失败时为空 / null on failure")
    reason: RejectionReason | None = Field(
        default=None, description="未能审核的原因 / why it could not be reviewed"
    )


class ReviewBatchResult(_Output):
    confirmed: int
    rejected: int
    failed: int
    results: list[ReviewResult]


# Recognition


class TrainingCreate(_Input):
    kind: TrainingKind = Field(description="培训类别 / kind")
    title: str = Field(min_length=2, max_length=200)
    provider: str | None = Field(default=None, max_length=200, description="培训机构 / provider")
    hours: int = Field(ge=1, le=2000, description="学时 / hours")
    completed_on: date = Field(description="结业日期 / completed on")
    certificate_no: str | None = Field(
        default=None, max_length=100, description="证书编号 / certificate number"
    )


class TrainingRead(_Output):
    id: str
    volunteer_id: str
    kind: TrainingKind
    title: str
    provider: str | None
    hours: int
    completed_on: date
    certificate_no: str | None


class HonourCreate(_Input):
    title: str = Field(min_length=2, max_length=200, description="荣誉名称 / honour")
    level: HonourLevel = Field(description="级别 / level")
    awarded_by: str = Field(min_length=2, max_length=200, description="授予单位 / awarded by")
    awarded_on: date


class HonourRead(_Output):
    id: str
    volunteer_id: str
    title: str
    level: HonourLevel
    awarded_by: str
    awarded_on: date


class StarPolicyWrite(_Input):
    thresholds_hours: list[int] = Field(
        min_length=5,
        max_length=5,
        description="一至五星所需累计服务小时数,递增 / hours for stars 1-5, increasing",
    )


class StarPolicyRead(_Output):
    division_code: str
    thresholds_hours: list[int]
    source_division_code: str | None = Field(
        description="生效政策所在区划;为空表示全国默认 / whose policy applies, null = default"
    )


class Recognition(_Output):
    star_level: int
    confirmed_hours: float
    person_times: int
    next_star_level: int | None
    hours_to_next_star: float | None
    thresholds_hours: list[int]
    trainings: list[TrainingRead]
    honours: list[HonourRead]


# Officials' questions


class VolunteerCounts(_Output):
    division_code: str
    registered: int = Field(description="在册志愿者 / active volunteers")
    sign_language: int = Field(description="手语志愿者 / with the sign-language skill")
    sign_language_trained: int = Field(description="经培训的手语志愿者 / trained in sign language")
    left: int = Field(description="已退出 / left")
    by_star_level: list[int] = Field(description="各星级人数(0-5星)/ count per star level")


class VolunteerReport(_Output):
    division_code: str
    total: VolunteerCounts
    rows: list[VolunteerCounts] = Field(description="按下一级区划 / per child division")


class ServiceTotals(_Output):
    division_code: str
    month: str | None = Field(
        default=None, description="月份 YYYY-MM(按月统计时)/ month, when grouped by month"
    )
    records: int
    volunteers: int = Field(description="提供服务的志愿者人数 / distinct volunteers")
    hours: float = Field(description="已确认服务时长 / confirmed hours")
    person_times: int = Field(description="服务残疾人人次 / person-times")


class ServiceReport(_Output):
    division_code: str
    served_from: date
    served_to: date
    total: ServiceTotals
    rows: list[ServiceTotals] = Field(description="按下一级区划 / per child division")
