"""Problems a recorded division change can meet."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, ProblemError
from canlian.common.i18n import Message


class DivisionChangeInvalid(InvalidInput):
    code = "division-change-invalid"
    title = Message(zh="区划变更无效", en="Invalid division change")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


class DivisionChangeConflict(Conflict):
    code = "division-change-conflict"
    title = Message(zh="区划变更与现状冲突", en="Division change conflicts")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


class RenameNeedsProvince(ProblemError):
    """Division names are approved by the province (民政): a county's clerk records what
    happens inside the county, not what the divisions are called."""

    status = 403
    code = "rename-needs-province"
    title = Message(zh="无权为区划更名", en="Not allowed to rename a division")
    detail = Message(
        zh="区划更名由省级(或全国)或登记系统管理员登记;您的管辖范围 {scope} 为{level}",
        en="A division is renamed by the province (or the nation) or a registry "
        "administrator; your scope {scope} is a {level_en}",
    )


def invalid_change(zh: str, en: str) -> DivisionChangeInvalid:
    return DivisionChangeInvalid(reason_zh=zh, reason_en=en)
