"""Events of the volunteers service (topic `canlian.volunteers`).

State-carrying: a volunteer event holds the volunteer's snapshot after the change (region,
status, skills, training, star level, confirmed totals) and the volunteer's `version`, so a
consumer needs nothing else and can ignore stale events. The volunteer's version also moves
when confirmed hours change without an event of its own, so versions may skip numbers.
No event carries a name, phone or citizen ID.

Hours served come from `ServiceRecordConfirmed`: one event per confirmed record, with the
region where the service was given, the China-time date it was given on, minutes and
person-times (受助残疾人人次).

A need the needs service refers to the volunteers (its `NeedReferred`, target `volunteers`)
opens a volunteers' need; once served, `ReferredNeedFulfilled` tells the needs service, which
closes its need. The two services share nothing but these events.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import ConfigDict, Field

from canlian.common.events.base import DomainEvent, EventModel

TOPIC = "canlian.volunteers"


class Skill(StrEnum):
    """助残技能 / volunteer skills (also the skills a need asks for)."""

    SIGN_LANGUAGE = "sign_language"  # 手语
    REHABILITATION = "rehabilitation"  # 康复训练
    LEGAL_AID = "legal_aid"  # 法律援助
    COMPANIONSHIP = "companionship"  # 陪伴 / 精神慰藉
    TRANSPORT = "transport"  # 出行接送
    DAILY_CARE = "daily_care"  # 生活照料
    PSYCHOLOGICAL_SUPPORT = "psychological_support"  # 心理疏导
    EDUCATION = "education"  # 助学辅导
    EMPLOYMENT = "employment"  # 就业帮扶
    MEDICAL = "medical"  # 医疗保健
    READING = "reading"  # 助读(为盲人读书读报)
    ACCESSIBILITY = "accessibility"  # 无障碍改造


class VolunteerStatus(StrEnum):
    ACTIVE = "active"  # 在册
    LEFT = "left"  # 已退出


class RegistrationChannel(StrEnum):
    SELF = "self"  # 手机应用自行注册
    STATION = "station"  # 服务站代为登记


class TrainingKind(StrEnum):
    SIGN_LANGUAGE = "sign_language"  # 手语培训
    GENERAL = "general"  # 通用助残志愿服务培训
    REHABILITATION = "rehabilitation"  # 康复技能
    LEGAL_AID = "legal_aid"  # 法律援助
    SAFETY = "safety"  # 安全与急救


class VolunteerSnapshot(EventModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    volunteer_id: str = Field(description="志愿者编号 / volunteer id")
    version: int = Field(ge=1, description="版本号,每次变更加一 / version, raised by each change")
    division_code: str = Field(
        description="注册地区划代码(12位)/ 12-digit division the volunteer is registered in"
    )
    status: VolunteerStatus = Field(description="状态:在册/已退出 / status: active or left")
    channel: RegistrationChannel = Field(
        description="注册渠道:自行注册/服务站登记 / registration channel: self or station"
    )
    skills: list[Skill] = Field(description="助残技能 / skills")
    sign_language: bool = Field(description="会手语 / has the sign-language skill")
    sign_language_trained: bool = Field(
        description="已完成手语培训 / completed a sign-language training"
    )
    team_id: str | None = Field(description="所属志愿服务队 / team")
    station_id: str | None = Field(description="所属服务站 / station")
    star_level: int = Field(ge=0, le=5, description="星级(0-5)/ star level 0-5")
    confirmed_minutes: int = Field(ge=0, description="累计已确认服务分钟 / confirmed minutes")
    person_times: int = Field(ge=0, description="累计服务人次 / persons helped, cumulative")
    registered_on: date = Field(description="注册日期 / registered on")
    left_on: date | None = Field(description="退出日期 / left on")


class _VolunteerEvent(VolunteerSnapshot, DomainEvent):
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "volunteer_id"


class VolunteerRegistered(_VolunteerEvent):
    event_type: ClassVar[str] = "cn.canlian.volunteers.volunteer.registered"


class VolunteerChanged(_VolunteerEvent):
    """Profile change: region, skills, team, station."""

    event_type: ClassVar[str] = "cn.canlian.volunteers.volunteer.changed"


class VolunteerLeft(_VolunteerEvent):
    event_type: ClassVar[str] = "cn.canlian.volunteers.volunteer.left"


class VolunteerTrained(_VolunteerEvent):
    """A training was recorded; the snapshot shows whether sign-language training is done."""

    event_type: ClassVar[str] = "cn.canlian.volunteers.volunteer.trained"

    training_id: str
    training_kind: TrainingKind
    training_hours: float = Field(ge=0)
    completed_on: date


class StarLevelReached(_VolunteerEvent):
    """The volunteer's cumulative confirmed hours crossed a star threshold of their region."""

    event_type: ClassVar[str] = "cn.canlian.volunteers.volunteer.star-level-reached"

    previous_star_level: int = Field(ge=0, le=5)
    threshold_hours: int = Field(ge=0)
    policy_division_code: str | None = Field(
        description="division whose star policy applied; null for the national default"
    )


class ServiceRecordConfirmed(DomainEvent):
    """A service record was confirmed: only confirmed hours and person-times count."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str] = "cn.canlian.volunteers.service-record.confirmed"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "record_id"

    record_id: str = Field(description="服务记录编号 / service record id")
    version: int = Field(ge=1, description="版本号 / version")
    volunteer_id: str = Field(description="志愿者编号 / volunteer id")
    division_code: str = Field(
        description="服务所在区划代码(12位)/ 12-digit division where the service was given"
    )
    volunteer_division_code: str = Field(
        description="志愿者注册地区划代码 / the volunteer's own division"
    )
    team_id: str | None = Field(description="志愿服务队 / team")
    need_id: str | None = Field(description="所服务的需求 / the need served")
    service_kind: Skill = Field(description="服务类型 / kind of service")
    served_on: date = Field(description="服务日期(北京时间签到日)/ date of check-in, China time")
    checked_in_at: datetime = Field(description="签到时间 / checked in at")
    checked_out_at: datetime = Field(description="签退时间 / checked out at")
    minutes: int = Field(ge=1, description="服务分钟 / minutes served")
    hours: float = Field(ge=0, description="服务小时(分钟/60,两位小数)/ hours, minutes / 60")
    person_times: int = Field(ge=0, description="受助残疾人人次 / persons helped")
    confirmed_at: datetime = Field(description="确认时间 / confirmed at")


class ReferredNeedFulfilled(DomainEvent):
    """A need the needs service referred to the volunteers was served: the volunteers' need
    opened for it closed as served. The needs service closes its need with this outcome."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str] = "cn.canlian.volunteers.referred-need.fulfilled"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "source_need_id"

    source_need_id: str = Field(description="需求服务的需求编号 / the needs service's need id")
    volunteer_need_id: str = Field(description="志愿者服务的需求编号 / the volunteers' need id")
    version: int = Field(ge=1, description="志愿者需求的版本号 / the volunteers' need version")
    division_code: str = Field(description="服务所在区划代码(12位)/ 12-digit division served")
    service_kind: Skill = Field(description="服务类型 / kind of service")
    outcome: str = Field(
        max_length=500,
        description="服务结果摘要(不含个人信息)/ outcome summary, without personal data",
    )
    fulfilled_on: date = Field(description="完成日期(北京时间)/ date served, China time")
    volunteers: int = Field(ge=0, description="接受服务的志愿者人数 / volunteers who served")
