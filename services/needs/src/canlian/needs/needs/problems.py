"""Problems of needs and their steps."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class PetitionInFuture(InvalidInput):
    code = "petition-in-future"
    title = Message(zh="信访日期在未来", en="Petition dated in the future")
    detail = Message(
        zh="信访收到日期 {received_on} 晚于今天", en="Received on {received_on}, after today"
    )


class ChannelDetailsRequired(InvalidInput):
    code = "channel-details-required"
    title = Message(zh="缺少渠道信息", en="Channel details missing")
    detail = Message(
        zh="{channel_zh}须填写 {field}", en="A need from channel {channel} needs {field}"
    )


class VisitNeedsComeFromVisits(InvalidInput):
    code = "visit-needs-come-from-visits"
    title = Message(zh="访视需求随访视记录登记", en="Visit needs come with the visit")
    detail = Message(
        zh="入户访视发现的需求请在访视记录中登记(POST /v1/visits)",
        en="Needs found on a visit are recorded with the visit (POST /v1/visits)",
    )


class NeedClosed(Conflict):
    code = "need-closed"
    title = Message(zh="需求已办结", en="Need closed")
    detail = Message(zh="需求 {need_id} 已办结", en="Need {need_id} is closed")


class NeedNotAssessed(Conflict):
    code = "need-not-assessed"
    title = Message(zh="需求尚未评估", en="Need not assessed")
    detail = Message(
        zh="需求 {need_id} 须先评估再转介", en="Need {need_id} must be assessed before referral"
    )


class NeedNotClosed(Conflict):
    code = "need-not-closed"
    title = Message(zh="需求尚未办结", en="Need not closed")
    detail = Message(zh="需求 {need_id} 尚未办结", en="Need {need_id} is not closed")


class ReopenOnlyUnsatisfied(Conflict):
    code = "reopen-only-unsatisfied"
    title = Message(zh="仅不满意的可重新办理", en="Only an unsatisfied need reopens")
    detail = Message(
        zh="需求 {need_id} 的评价不是不满意", en="Need {need_id} was not rated unsatisfied"
    )


class ReferralTargetDetails(InvalidInput):
    code = "referral-target-details"
    title = Message(zh="转介对象信息不符", en="Referral target details")
    detail = Message(zh="{reason_zh}", en="{reason}")


class DueBeforeToday(InvalidInput):
    code = "due-before-today"
    title = Message(zh="办理期限早于今天", en="Due before today")
    detail = Message(zh="办理期限 {due_on} 早于今天", en="Due date {due_on} is before today")


class PetitionReplyRequired(InvalidInput):
    code = "petition-reply-required"
    title = Message(zh="信访事项须答复信访人", en="A petition needs its reply")
    detail = Message(
        zh="办结信访事项须填写给信访人的答复(petition_reply)",
        en="Closing a petition records the reply to the petitioner (petition_reply)",
    )
