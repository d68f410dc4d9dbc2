"""Problems of needs and of answering them."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class NeedTimesInvalid(InvalidInput):
    code = "need-times-invalid"
    title = Message(zh="需求时间无效", en="Invalid need times")
    detail = Message(
        zh="结束时间须晚于开始时间,跨度不超过31天,且在过去一年至未来两年之内",
        en="The end must be after the start, at most 31 days later, between a year ago and "
        "two years ahead",
    )


class NeedNotOpen(Conflict):
    code = "need-not-open"
    title = Message(zh="需求不在待对接状态", en="The need is not open")
    detail = Message(zh="需求当前状态为 {status}", en="The need is {status}")


class NeedEnded(Conflict):
    code = "need-ended"
    title = Message(zh="需求时间已过", en="The need is over")
    detail = Message(zh="该需求的服务时间已经结束", en="The time of this need has passed")


class NeedFull(Conflict):
    code = "need-full"
    title = Message(zh="志愿者人数已满", en="Enough volunteers already")
    detail = Message(
        zh="该需求所需的 {needed} 名志愿者已满",
        en="All {needed} volunteers this need asks for accepted",
    )


class OverlappingNeed(Conflict):
    code = "overlapping-need"
    title = Message(zh="时间冲突", en="Time clash")
    detail = Message(
        zh="您已接受时间重叠的需求 {need_id}", en="You already accepted need {need_id} at that time"
    )


class NothingToDecline(Conflict):
    code = "nothing-to-decline"
    title = Message(zh="没有可谢绝的邀请", en="Nothing to decline")
    detail = Message(
        zh="您没有收到该需求的邀请,也没有接受过它",
        en="You were not invited to this need and did not accept it",
    )


class NoVolunteerServed(Conflict):
    code = "no-volunteer-served"
    title = Message(zh="没有志愿者接受该需求", en="No volunteer accepted the need")
    detail = Message(
        zh="没有志愿者接受的需求不能标记为已服务;请改为取消",
        en="A need no volunteer accepted cannot be closed as served; cancel it instead",
    )


class ReferralOnlyByEvent(InvalidInput):
    code = "referral-only-by-event"
    title = Message(zh="转介需求不能手工登记", en="Referred needs are not raised by hand")
    detail = Message(
        zh="requested_by=referral 的需求只由需求服务转介产生",
        en="A need requested_by referral comes only from a referral of the needs service",
    )
