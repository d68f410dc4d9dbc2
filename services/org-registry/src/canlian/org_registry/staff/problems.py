"""What federation staff records refuse."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class NotAFederation(InvalidInput):
    code = "staff-not-a-federation"
    title = Message(zh="不是残联", en="Not a federation")
    detail = Message(
        zh="组织 {organisation_id} 不是残联;工作人员只登记在残联",
        en="Organisation {organisation_id} is not a federation; staff are recorded at federations",
    )


class StaffDisabilityInconsistent(InvalidInput):
    code = "staff-disability-inconsistent"
    title = Message(zh="残疾情况有误", en="Disability facts disagree")
    detail = Message(
        zh="只有残疾人干部才填写残疾类别", en="Only a disabled cadre has a disability category"
    )


class LeftBeforeJoined(InvalidInput):
    code = "staff-left-before-joined"
    title = Message(zh="离岗日期有误", en="Left before joining")
    detail = Message(
        zh="离岗日期 {left_on} 早于到岗日期 {joined_on}",
        en="The person left ({left_on}) before joining ({joined_on})",
    )


class YearNotServed(InvalidInput):
    code = "staff-year-not-served"
    title = Message(zh="该年度不在岗", en="Not on the staff that year")
    detail = Message(
        zh="工作人员 {staff_id} 在 {year} 年度不在岗(到岗 {joined_on},离岗 {left_on})",
        en="Staff member {staff_id} was not on the staff in {year} (joined {joined_on}, left "
        "{left_on})",
    )


class StaffLeft(Conflict):
    code = "staff-left"
    title = Message(zh="已离岗", en="Has left")
    detail = Message(
        zh="工作人员 {staff_id} 已于 {left_on} 离岗,不能再修改",
        en="Staff member {staff_id} left on {left_on}; the record is closed",
    )
