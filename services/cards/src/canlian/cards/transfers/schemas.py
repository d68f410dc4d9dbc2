"""Request and response bodies of transfer requests."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from canlian.cards.bodies import StrictBody
from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.cards import TransferStatus
from canlian.common.ids import WireId
from canlian.common.values import Multiline

# Free text, line breaks kept (the kit's MultilineText), at most 500 characters.
Reason = Annotated[str, Multiline(500)]
OptionalReason = Annotated[str, Multiline(500, required=False)]


class TransferRequestCreate(StrictBody):
    division_code: KnownDivisionCode = Field(
        description="迁入地区划代码(另一县的县、乡镇或村)/ division in another county moved to"
    )
    reason: Reason = Field(description="迁移原因,如户籍迁入 / why the card moves")


class TransferRejection(StrictBody):
    reason: Reason = Field(description="拒绝理由(必填)/ why the receiving county refuses")


class TransferWithdrawal(StrictBody):
    reason: OptionalReason | None = Field(
        default=None, description="撤回原因 / why it is withdrawn"
    )


class TransferRequestRead(BaseModel):
    id: WireId = Field(description="迁移申请编号 / transfer request id")
    card_id: WireId = Field(description="证件编号 / card id")
    person_id: WireId = Field(description="持证人编号 / holder's person id")
    holder_name_masked: str = Field(description="持证人姓名(脱敏)/ holder's name, masked")
    from_division_code: str = Field(description="迁出地(申请时的管理地)/ division moved from")
    to_division_code: str = Field(description="迁入地 / division moved to")
    status: TransferStatus = Field(
        description="状态:requested 待接收 / accepted 已接收 / rejected 已拒绝 / "
        "withdrawn 已撤回 / status"
    )
    allowed_actions: list[str] = Field(description="当前可执行的操作 / actions allowed now")
    reason: str = Field(description="迁移原因 / why the card moves")
    requested_by: str = Field(description="申请人(迁出地工作人员)/ official who asked")
    requested_at: datetime = Field(description="申请时间 / asked at")
    decided_by: str | None = Field(description="处理人 / official who decided or withdrew")
    decided_at: datetime | None = Field(description="处理时间 / decided at")
    decision_reason: str | None = Field(description="拒绝或撤回理由 / reason given")
    version: int = Field(description="版本号 / version")
