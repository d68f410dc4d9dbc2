"""What the annual assessment refuses."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class AssessmentExists(Conflict):
    code = "assessment-exists"
    title = Message(zh="该年度已考核", en="Already assessed for the year")
    detail = Message(
        zh="聘任 {appointment_id} 的 {year} 年度考核已录入(编号 {assessment_id})",
        en="Appointment {appointment_id} already has its {year} assessment ({assessment_id})",
    )


class NotInPostThatYear(InvalidInput):
    code = "assessment-not-in-post"
    title = Message(zh="该年度不在岗", en="Not in post that year")
    detail = Message(
        zh="聘任 {appointment_id} 在 {year} 年度不在岗(合同 {contract_start} 至 {contract_end},"
        "状态 {status_zh} 自 {status_since}),不能考核",
        en="Appointment {appointment_id} was not in post in {year} (contract {contract_start} "
        "to {contract_end}, {status} since {status_since}); it cannot be assessed",
    )


class AssessedYearNotBegun(InvalidInput):
    code = "assessment-year-not-begun"
    title = Message(zh="考核年度尚未开始", en="The assessed year has not begun")
    detail = Message(
        zh="{year} 年度尚未开始(今天 {today}),不能考核",
        en="The year {year} has not begun (today is {today}); it cannot be assessed",
    )
