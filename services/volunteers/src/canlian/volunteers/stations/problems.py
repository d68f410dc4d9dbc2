"""Problems of stations, teams and their leaders."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class StationLevelMismatch(InvalidInput):
    code = "station-level-mismatch"
    title = Message(zh="服务站层级与区划不符", en="Station level does not fit the division")
    detail = Message(
        zh="{level} 应设在{expected}级区划,而 {division} 是{actual}级",
        en="A {level} belongs to a {expected}-level division; {division} is {actual}-level",
    )


class OutsideDivision(InvalidInput):
    code = "outside-division"
    title = Message(zh="不在所属单位的区划内", en="Outside the division of the unit")
    detail = Message(
        zh="{what} 的区划 {division} 不在 {unit} 的区划 {unit_division} 内",
        en="{what} in {division} is not within {unit} in {unit_division}",
    )


class LeaderNotMember(InvalidInput):
    code = "leader-not-member"
    title = Message(zh="负责人须为本队(站)在册志愿者", en="The leader must be an active member")
    detail = Message(
        zh="志愿者 {volunteer_id} 不是本队(站)在册志愿者;请先将其加入",
        en="Volunteer {volunteer_id} is not an active member of this team or station; add "
        "them first",
    )


class UnitExists(Conflict):
    code = "unit-exists"
    title = Message(zh="该服务站(队)已登记", en="Already registered")
    detail = Message(
        zh="区划 {division} 已有名为“{name}”的{what}(编号 {existing});请勿重复登记",
        en="{division} already has a {what_en} named “{name}” (id {existing}); it is not "
        "registered twice",
    )
