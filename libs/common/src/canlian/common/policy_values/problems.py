"""Problems of policy values, in the caller's language."""

from __future__ import annotations

from typing import Any

from canlian.common.errors import InvalidInput, MissingRole, NotFound
from canlian.common.i18n import Message

UNIT_ZH = {"seats": "名", "yuan": "元", "percent": "%", "flag": ""}


class UnknownPolicy(NotFound):
    code = "policy-not-found"
    title = Message(zh="未找到该政策参数", en="No such policy parameter")
    detail = Message(
        zh="本服务没有政策参数 {name}(GET /v1/policies 列出全部)",
        en="This service has no policy parameter {name} (GET /v1/policies lists them)",
    )


class PolicyValueOutOfRange(InvalidInput):
    code = "policy-value-out-of-range"
    title = Message(zh="政策参数值超出合理范围", en="The policy value is outside its range")
    detail = Message(
        zh="{title_zh}应在 {minimum}—{maximum}{unit_zh} 之间(整数:{whole_zh}),您提交的是 {value}",
        en="{title_en} must lie between {minimum} and {maximum} {unit} (whole numbers: "
        "{whole_en}); you sent {value}",
    )

    def extensions(self) -> dict[str, Any]:
        return {
            "policy": self.params["name"],
            "minimum": self.params["minimum"],
            "maximum": self.params["maximum"],
        }


class PolicyAdministratorRequired(MissingRole):
    code = "policy-administrator-required"
    title = Message(zh="需要管理员角色", en="An administrator is required")
    detail = Message(
        zh="设置地区政策参数需要该地区或其上级的管理员(admin)角色",
        en="Setting a region's policy value needs an administrator (admin) of that region or above",
    )
