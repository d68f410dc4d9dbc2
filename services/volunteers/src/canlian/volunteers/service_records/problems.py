"""Problems of submitting and reviewing service records."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, ProblemError
from canlian.common.i18n import Message


class CheckOutBeforeCheckIn(InvalidInput):
    code = "check-out-before-check-in"
    title = Message(zh="签退早于签到", en="Check-out before check-in")
    detail = Message(
        zh="签退时间须晚于签到时间,请核对后重新提交",
        en="Check-out must come after check-in; correct and resend",
    )


class RecordTooLong(InvalidInput):
    code = "record-too-long"
    title = Message(zh="单条记录超过24小时", en="Record longer than 24 hours")
    detail = Message(
        zh="一条服务记录不能超过24小时;跨天的服务请按天分开登记",
        en="A service record cannot exceed 24 hours; record longer service day by day",
    )


class RecordInFuture(InvalidInput):
    code = "record-in-future"
    title = Message(zh="记录时间在未来", en="Record in the future")
    detail = Message(
        zh="签退时间晚于当前时间;请检查手机时间设置",
        en="Check-out is in the future; check the phone's clock",
    )


class RecordTooOld(InvalidInput):
    code = "record-too-old"
    title = Message(zh="记录过于久远", en="Record too old")
    detail = Message(
        zh="只能补报 {days} 天内的服务记录;更早的请联系服务站",
        en="Only service in the last {days} days can be submitted; ask your station for older",
    )


class RecordOverlaps(Conflict):
    code = "record-overlaps"
    title = Message(zh="与已有记录时间重叠", en="Overlaps an existing record")
    detail = Message(
        zh="与记录 {client_id}({checked_in_at} 起)时间重叠;同一时间只能登记一条",
        en="Overlaps record {client_id} (from {checked_in_at}); one record at a time",
    )


class ClientIdReused(Conflict):
    code = "client-id-reused"
    title = Message(zh="记录编号已用于其他记录", en="Client id used for another record")
    detail = Message(
        zh="编号 {client_id} 已用于内容不同的记录;新记录请使用新编号",
        en="Client id {client_id} was used for a different record; use a new id",
    )


class NeedNotAccepted(InvalidInput):
    code = "need-not-accepted"
    title = Message(zh="未接受该需求", en="Need not accepted")
    detail = Message(
        zh="记录所服务的需求 {need_id} 不存在或您未接受",
        en="Need {need_id} does not exist or you did not accept it",
    )


class ServiceKindRequired(InvalidInput):
    code = "service-kind-required"
    title = Message(zh="缺少服务类别", en="Service kind missing")
    detail = Message(
        zh="未关联需求的记录须填写 service_kind", en="A record without a need needs service_kind"
    )


class CannotConfirmOwnRecord(ProblemError):
    status = 403
    code = "cannot-confirm-own-record"
    title = Message(zh="不能确认本人的记录", en="Cannot review one's own record")
    detail = Message(
        zh="服务记录须由队长或服务站工作人员确认,不能由本人确认",
        en="A record is confirmed by the team leader or station staff, never by its volunteer",
    )


class RecordAlreadyReviewed(Conflict):
    code = "record-already-reviewed"
    title = Message(zh="记录已审核", en="Record already reviewed")
    detail = Message(zh="该记录已是 {status} 状态", en="The record is already {status}")


class RejectionReasonRequired(InvalidInput):
    code = "rejection-reason-required"
    title = Message(zh="退回须说明原因", en="A rejection needs a reason")
    detail = Message(
        zh="退回服务记录时请填写 reason,以便志愿者更正",
        en="Give a reason so the volunteer can correct it",
    )


class RecordOutsideUnit(InvalidInput):
    code = "record-outside-unit"
    title = Message(zh="服务地不在服务范围内", en="Place of service outside the unit's region")
    detail = Message(
        zh="服务地 {division} 不在{unit}的区划 {unit_division} 内;请填写{unit}区划内的服务地",
        en="The place of service {division} is not within the {unit_en}'s division "
        "{unit_division}; give a place within it",
    )


class RecordOutsideTeam(ProblemError):
    status = 403
    code = "record-outside-team"
    title = Message(zh="不能审核本队区划以外的记录", en="Record outside the team's region")
    detail = Message(
        zh="服务记录的服务地 {division} 不在本队区划 {team_division} 内;"
        "请由服务地所在区划的工作人员审核",
        en="The record's place of service {division} is outside the team's division "
        "{team_division}; an official of that place reviews it",
    )
