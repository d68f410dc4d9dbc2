"""What training records refuse."""

from __future__ import annotations

from canlian.common.i18n import Message
from canlian.members.input_errors import MembersInputError


class TrainingInFuture(MembersInputError):
    code = "training-in-future"
    field = "held_on"
    title = Message(zh="培训日期有误", en="Training date is wrong")
    detail = Message(
        zh="培训日期 {held_on} 晚于今天;请在培训结束后录入",
        en="The training date {held_on} is in the future; record it once held",
    )
