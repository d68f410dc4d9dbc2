"""What the annual assessment refuses."""

from __future__ import annotations

from canlian.common.errors import Conflict
from canlian.common.i18n import Message


class AssessmentExists(Conflict):
    code = "assessment-exists"
    title = Message(zh="该年度已考核", en="Already assessed for the year")
    detail = Message(
        zh="聘任 {appointment_id} 的 {year} 年度考核已录入(编号 {assessment_id})",
        en="Appointment {appointment_id} already has its {year} assessment ({assessment_id})",
    )
