"""Problems a recorded division change can meet."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class DivisionChangeInvalid(InvalidInput):
    code = "division-change-invalid"
    title = Message(zh="区划变更无效", en="Invalid division change")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


class DivisionChangeConflict(Conflict):
    code = "division-change-conflict"
    title = Message(zh="区划变更与现状冲突", en="Division change conflicts")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


def invalid_change(zh: str, en: str) -> DivisionChangeInvalid:
    return DivisionChangeInvalid(reason_zh=zh, reason_en=en)
