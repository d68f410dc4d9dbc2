"""Problems of issuing a card and of the steps of its life."""

from __future__ import annotations

from typing import Any

from canlian.common.errors import Conflict, InvalidInput, ProblemError
from canlian.common.i18n import Message


class PersonHasValidCard(Conflict):
    code = "person-has-valid-card"
    title = Message(zh="已持有有效残疾人证", en="Already holds a valid card")
    detail = Message(
        zh="此人已持有有效残疾人证(证件编号 {card_id}),每人只能持有一张有效证;"
        "类别或等级变化请使用变更(change),换证请使用换领(replace)",
        en="This person already holds valid card {card_id} and may hold only one; use change "
        "for a new category or grade, replace for a new card",
    )

    def extensions(self) -> dict[str, Any]:
        return {"card_id": str(self.params["card_id"])}


class PersonHasValidCardElsewhere(Conflict):
    """The valid card is managed outside the caller's scope: no card id."""

    code = "person-has-valid-card"
    title = Message(zh="已持有有效残疾人证", en="Already holds a valid card")
    detail = Message(
        zh="此人已持有由其他地区管理的有效残疾人证,每人只能持有一张有效证",
        en="This person already holds a valid card managed by another region, and one is the limit",
    )


class ValidCardIssuedConcurrently(Conflict):
    code = "person-has-valid-card"
    title = Message(zh="已持有有效残疾人证", en="Already holds a valid card")
    detail = Message(
        zh="另一个请求刚刚为此人发放了有效残疾人证,每人只能持有一张有效证;请刷新后查看",
        en="Another request has just issued this person a valid card, and one is the limit; "
        "reload to see it",
    )


class SameRegion(InvalidInput):
    code = "transfer-to-same-region"
    detail = Message(
        zh="迁入地 {division_code} 与当前管理地相同,无需迁移;请填写新的区划代码",
        en="The card is already managed by {division_code}; give the division it moves to",
    )


class TransferRequestRequired(ProblemError):
    """The caller manages the card but not the division it is to move to: the receiving
    county takes it over by accepting a transfer request."""

    status = 403
    code = "transfer-request-required"
    title = Message(zh="须由迁入地接收", en="The receiving county must accept the transfer")
    detail = Message(
        zh="迁入地 {division_code} 不在您的管辖范围 {scope} 内,不能直接迁移;请提交迁移申请"
        "(POST {requests}),由迁入地县级残联接收",
        en="{division_code} is outside your scope {scope}, so the card cannot be moved there "
        "directly; file a transfer request (POST {requests}) for the receiving county to accept",
    )

    def extensions(self) -> dict[str, Any]:
        return {"transfer_requests": self.params["requests"]}


class CardHasOpenTransferRequest(Conflict):
    code = "transfer-request-open"
    title = Message(zh="证件有待接收的迁移申请", en="The card has an open transfer request")
    detail = Message(
        zh="证件 {card_id} 有待接收的迁移申请(编号 {transfer_request_id}),"
        "须待迁入地接收或拒绝、或由迁出地撤回后才能办理",
        en="Card {card_id} has the open transfer request {transfer_request_id}; it must be "
        "accepted or rejected by the receiving county, or withdrawn, first",
    )

    def extensions(self) -> dict[str, Any]:
        return {"transfer_request_id": str(self.params["transfer_request_id"])}


class NotYetDue(InvalidInput):
    code = "not-yet-due"
    detail = Message(
        zh="证件有效期至 {valid_until},尚未过期", en="The card is valid until {valid_until}"
    )


class NoChange(InvalidInput):
    code = "no-change"
    detail = Message(
        zh="新的评定(类别 {category}、等级 {grade})与现有证件相同,无需变更",
        en="The new assessment (category {category}, grade {grade}) equals the card's; "
        "nothing to change",
    )


class ApplicationOfAnotherPerson(InvalidInput):
    code = "application-of-another-person"
    detail = Message(
        zh="申请 {application_id} 不属于该证件的持证人,请使用持证人本人的申请",
        en="Application {application_id} is not the card holder's; use the holder's own",
    )


class GenerationDowngrade(InvalidInput):
    code = "generation-downgrade"
    detail = Message(
        zh="智能化残疾人证不能换领为第二代证,请选择 smart",
        en="A smart card cannot be replaced by a second-generation card; choose smart",
    )


class NothingToReplace(InvalidInput):
    code = "nothing-to-replace"
    detail = Message(
        zh="该证件类型相同且有效期至 {valid_until},到期前 {window} 天内才能换领;"
        "如证件遗失请使用补办(reissue)",
        en="Same generation and valid until {valid_until}: replacement is possible in the "
        "last {window} days; for a lost card use reissue",
    )
