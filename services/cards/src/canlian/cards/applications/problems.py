"""Problems of submitting and reviewing applications."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class ApplicationStillOpen(Conflict):
    code = "application-still-open"
    title = Message(zh="已有办理中的申请", en="An application is still open")
    detail = Message(
        zh="此人已有办理中的申请(编号 {application_id}),请先完成或处理该申请",
        en="This person has open application {application_id}; finish it first",
    )


class PersonDeceased(Conflict):
    code = "person-deceased"
    title = Message(zh="此人已故", en="This person has died")
    detail = Message(
        zh="此人的残疾人证已于 {died_on} 因死亡注销,不能再提出申请;如注销有误,请先更正注销记录",
        en="This person's card was cancelled for death on {died_on}; no new application. "
        "If the cancellation was wrong, correct it first",
    )


class FeeWaiverNeedsPoverty(InvalidInput):
    code = "fee-waiver-needs-poverty"
    detail = Message(
        zh="评定费用减免仅适用于贫困残疾人:请同时勾选“贫困残疾人”(poor),或取消减免",
        en="The assessment fee is waived only for poor applicants: set poor, or unset fee_waived",
    )


class RejectionNeedsReason(InvalidInput):
    code = "rejection-needs-reason"
    detail = Message(
        zh="审核不通过时必须填写理由(reason),申请人会据此补充材料",
        en="A rejection needs a reason, so the applicant knows what to do",
    )
