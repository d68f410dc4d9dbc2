"""Problems about divisions, and the names of the levels their texts (and others') use."""

from __future__ import annotations

from canlian.common.errors import InvalidInput, NotFound
from canlian.common.i18n import Message


class UnknownDivision(InvalidInput):
    code = "unknown-division"
    title = Message(zh="区划不存在", en="Unknown division")
    detail = Message(
        zh="区划代码 {division} 不存在或已撤销;请用 GET /v1/divisions?name= 查找现行代码",
        en="Division {division} does not exist or no longer exists; find the current code "
        "with GET /v1/divisions?name=",
    )


class DivisionNotFound(NotFound):
    code = "division-not-found"
    detail = Message(
        zh="未找到区划 {key}(该日期不存在或代码有误)",
        en="No division {key} (not in force on that date, or a wrong code)",
    )


LEVEL_ZH = {0: "全国", 1: "省级", 2: "市级", 3: "县级", 4: "乡镇级", 5: "村级"}


LEVEL_EN = {0: "nation", 1: "province", 2: "city", 3: "county", 4: "township", 5: "village"}
