"""What every request and response body of the volunteers API builds on: the zh/en
glossary of recurring fields, the input and output base classes, and the field types
shared by several concepts.

Responses to the mobile app are kept small: lists carry summaries, details come one object
at a time. Personal data leaves masked.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from canlian.common import validation_messages
from canlian.common.events.volunteers import Skill
from canlian.common.i18n import Message

ID_PATTERN = r"^[A-Za-z0-9._-]+$"
# Control characters (NUL above all, which PostgreSQL refuses) have no place in any text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

validation_messages.register(
    "control_characters",
    Message(zh="不能包含控制字符", en="Must not contain control characters"),
)
validation_messages.register(
    "duplicate_items", Message(zh="列表中有重复项:{items}", en="Repeated items: {items}")
)


def _distinct_skills(values: list[Skill]) -> list[Skill]:
    repeated = sorted({skill.value for skill in values if values.count(skill) > 1})
    if repeated:
        raise PydanticCustomError(
            "duplicate_items", "Repeated items: {items}", {"items": ", ".join(repeated)}
        )
    return sorted(values)


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


class OutputBody(BaseModel):
    """A response body: fields described from the glossary."""

    model_config = ConfigDict(json_schema_extra=_describe_fields)


class InputBody(BaseModel):
    """A request body: no unknown fields, text stripped and free of control characters."""

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
