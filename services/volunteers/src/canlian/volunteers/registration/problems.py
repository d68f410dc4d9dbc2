"""Problems of registering, changing, leaving and rejoining."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class AlreadyRegistered(Conflict):
    code = "volunteer-already-registered"
    title = Message(zh="已注册为志愿者", en="Already registered")
    detail = Message(
        zh="该账号已注册为志愿者,请用 PATCH /v1/me 修改资料",
        en="This account is already a volunteer; change the profile with PATCH /v1/me",
    )


class PhoneAlreadyRegistered(Conflict):
    code = "phone-already-registered"
    title = Message(zh="手机号码已被登记", en="Mobile number already registered")
    detail = Message(
        zh="该手机号码已登记为志愿者;如为本人,请联系所在志愿服务站处理",
        en="This mobile number belongs to a registered volunteer; if it is yours, "
        "ask your volunteer station",
    )


class CitizenIdAlreadyRegistered(Conflict):
    code = "citizen-id-already-registered"
    title = Message(zh="身份证号码已被登记", en="Citizen ID already registered")
    detail = Message(
        zh="该公民身份号码已登记为志愿者;如为本人,请联系所在志愿服务站处理",
        en="This citizen ID belongs to a registered volunteer; if it is yours, "
        "ask your volunteer station",
    )


class SubjectNotUsable(InvalidInput):
    code = "subject-not-usable"
    title = Message(zh="令牌主体不能作为志愿者编号", en="Token subject cannot be a volunteer id")
    detail = Message(
        zh="令牌的 sub 应为1-64个字母、数字或 -_. 字符",
        en="The token's sub must be 1-64 of A-Z a-z 0-9 - _ .",
    )


class EmptyUpdate(InvalidInput):
    code = "empty-update"
    title = Message(zh="没有要修改的内容", en="Nothing to change")
    detail = Message(zh="请至少提供一个要修改的字段", en="Send at least one field to change")


class NotLeft(Conflict):
    code = "volunteer-not-left"
    title = Message(zh="志愿者仍在册", en="The volunteer is active")
    detail = Message(
        zh="志愿者 {volunteer_id} 仍在册,无需重新加入",
        en="Volunteer {volunteer_id} is active already",
    )
