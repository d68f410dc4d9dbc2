"""The roster as officials file it, masked (the unmasked archive stays in the system). Rows
go through the kit's formula-safe writer: a name or an organisation id that looks like a
formula is stored as text."""

from __future__ import annotations

import io
from collections.abc import Sequence

from canlian.common.personal_data import PersonalDataProtector
from canlian.common.spreadsheets import append_row
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.state_machine import STATUS_NAMES
from canlian.members.archive.service import masked_citizen_id, masked_name

_EXPORT_HEADER = (
    "聘任编号", "档案编号", "姓名", "公民身份号码", "性别", "出生年份", "残疾人或亲属",
    "残疾类别", "组织编号", "所在区划", "岗位", "选聘方式", "状态", "状态起始日",
    "合同开始日期", "合同结束日期", "公益性岗位", "社工岗位", "月补贴(元)", "最低标准(元)",
    "补贴达标",
)  # fmt: skip
_LABELS = {
    "male": "男", "female": "女", "disabled": "残疾人", "relative": "亲属", "none": "否",
    "committee_member": "专职委员", "full_time_chair": "专职理事长", "chair": "理事长/主席",
    "vice_chair": "副主席", "staff": "工作人员", "open_examination": "公开考试",
    "transfer": "调任", "election": "选举", **{str(k): v for k, v in STATUS_NAMES.items()},
}  # fmt: skip


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def roster_workbook(protector: PersonalDataProtector, appointments: Sequence[Appointment]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("专职委员花名册")
    append_row(sheet, list(_EXPORT_HEADER))
    for appointment in appointments:
        member = appointment.member
        append_row(
            sheet,
            [
                appointment.id,
                member.id,
                masked_name(protector, member),
                masked_citizen_id(protector, member),
                _LABELS[member.sex],
                member.birth_year,
                _LABELS[member.disability_relation],
                member.disability_category,
                appointment.organisation_id,
                appointment.division_code,
                _LABELS[appointment.post],
                _LABELS[appointment.selection_method],
                _LABELS[appointment.status],
                appointment.status_since,
                appointment.contract_start,
                appointment.contract_end,
                _yes_no(appointment.public_welfare_post),
                _yes_no(appointment.social_work_post),
                float(appointment.monthly_allowance_yuan),
                None
                if appointment.allowance_minimum_yuan is None
                else float(appointment.allowance_minimum_yuan),
                _yes_no(appointment.allowance_compliant),
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
