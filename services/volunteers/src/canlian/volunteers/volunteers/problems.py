"""Problems of looking volunteers up."""

from __future__ import annotations

from canlian.common.errors import Conflict, NotFound
from canlian.common.i18n import Message


class NotRegistered(NotFound):
    code = "volunteer-not-registered"
    title = Message(zh="尚未注册为志愿者", en="Not registered as a volunteer")
    detail = Message(
        zh="请先通过 POST /v1/me/registration 注册", en="Register first: POST /v1/me/registration"
    )


class VolunteerHasLeft(Conflict):
    code = "volunteer-has-left"
    title = Message(zh="志愿者已退出", en="The volunteer has left")
    detail = Message(
        zh="志愿者 {volunteer_id} 已退出,不能再进行此操作",
        en="Volunteer {volunteer_id} has left and cannot do this",
    )
