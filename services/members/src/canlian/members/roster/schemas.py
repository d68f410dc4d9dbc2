"""One row of a county's roster spreadsheet, with the labels officials type."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from canlian.common import validation_messages
from canlian.common.citizen_id import CitizenId
from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.members import (
    AppointmentStatus,
    DisabilityRelation,
    MemberKind,
    Post,
    SelectionMethod,
)
from canlian.common.i18n import Message
from canlian.common.tabular_import import ImportDate
from canlian.common.values import Phone
from canlian.members.appointments.schemas import Yuan
from canlian.members.archive.schemas import DisabilityCategory, Education, Name


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


RosterDate = ImportDate  # the kit's parser, shared with every importer
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

    name: Name
    citizen_id: CitizenId
    phone: Phone | None = None
    kind: Annotated[MemberKind, _choice(KIND_LABELS)] = MemberKind.COMMITTEE_MEMBER
    division_code: KnownDivisionCode | None = None
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
    social_work_post: YesNo = False
    monthly_allowance_yuan: Yuan
    social_insurance_subsidy: YesNo = False
    status: Annotated[
        Literal[AppointmentStatus.APPOINTED, AppointmentStatus.ACTIVE], _choice(STATUS_LABELS)
    ] = AppointmentStatus.ACTIVE
