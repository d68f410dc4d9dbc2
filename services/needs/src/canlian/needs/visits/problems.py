"""Problems of home visits."""

from __future__ import annotations

from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message


class VisitInFuture(InvalidInput):
    code = "visit-in-future"
    title = Message(zh="访视日期在未来", en="Visit dated in the future")
    detail = Message(zh="访视日期 {visited_on} 晚于今天", en="{visited_on} is after today")


class VisitTooOld(InvalidInput):
    code = "visit-too-old"
    title = Message(zh="访视日期过早", en="Visit too old")
    detail = Message(
        zh="只能补录 {days} 天内的访视", en="Only visits of the last {days} days can be recorded"
    )


class ClientIdReused(InvalidInput):
    code = "client-id-reused"
    title = Message(zh="客户端编号已用于另一次访视", en="Client id used for another visit")
    detail = Message(
        zh="客户端编号 {client_id} 已记录了另一次访视",
        en="Client id {client_id} already recorded a different visit",
    )


class ReportLevelTooCoarse(InvalidInput):
    code = "report-level-too-coarse"
    title = Message(zh="汇总层级应细于所选区划", en="Level must be below the division")
    detail = Message(
        zh="{division_code} 不能按{level}汇总", en="{division_code} cannot be grouped by {level}"
    )
