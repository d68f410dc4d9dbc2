"""Problems of committee members as visits meet them."""

from __future__ import annotations

from canlian.common.errors import InvalidInput, ProblemError
from canlian.common.i18n import Message


class UnknownCommitteeMember(InvalidInput):
    code = "unknown-committee-member"
    title = Message(zh="未知的专职委员", en="Unknown committee member")
    detail = Message(
        zh="专职委员 {member_id} 未在任(或尚未从委员服务同步)",
        en="Committee member {member_id} holds no post (or is not yet known from members)",
    )


class OutsideMemberArea(ProblemError):
    status = 403
    code = "outside-member-area"
    title = Message(zh="超出专职委员服务范围", en="Outside the committee member's area")
    detail = Message(
        zh="户籍地 {division_code} 不在专职委员 {member_id} 服务的乡级或村级区划内",
        en="Division {division_code} is outside the places member {member_id} serves",
    )


class NoPostHeld(ProblemError):
    """A committee member's own token once they resigned (or before members said so)."""

    status = 403
    code = "no-committee-post"
    title = Message(zh="专职委员未在任", en="No committee post held")
    detail = Message(
        zh="专职委员 {member_id} 当前未在任,不能访视或查看家庭档案",
        en="Committee member {member_id} holds no post: no visits, no household files",
    )
