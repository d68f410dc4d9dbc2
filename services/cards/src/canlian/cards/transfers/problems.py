"""Problems of transfer requests."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, ProblemError
from canlian.common.i18n import Message


class SameCounty(InvalidInput):
    code = "transfer-within-county"
    detail = Message(
        zh="迁入地 {division_code} 与证件当前管理地同属县级区划 {county},"
        "同一县级区划内迁移无需申请,"
        "请直接迁移(POST /v1/cards/{card_id}/transfer)",
        en="{division_code} lies in {county}, the county managing the card: a move within a "
        "county needs no request; transfer it directly (POST /v1/cards/{card_id}/transfer)",
    )


class TransferRequestedConcurrently(Conflict):
    code = "transfer-request-open"
    title = Message(zh="证件有待接收的迁移申请", en="The card has an open transfer request")
    detail = Message(
        zh="另一个请求刚刚为该证件提交了迁移申请,每张证同时只能有一个待接收的申请;请刷新后查看",
        en="Another request has just filed a transfer request for this card, and one open "
        "request is the limit; reload to see it",
    )


class OtherSidesStep(ProblemError):
    """The request is in the caller's scope, but the step belongs to the other county."""

    status = 403
    code = "transfer-step-of-other-side"
    title = Message(zh="无权操作", en="Not allowed")
    detail = Message(
        zh="迁移申请的{action_zh}由{side_zh}({division_code})办理,不在您的管辖范围 {scope} 内",
        en="Only the {side} ({division_code}) may {action} a transfer request; your scope "
        "is {scope}",
    )
