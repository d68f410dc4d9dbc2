"""Request and response bodies of cards through their life."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from canlian.cards.bodies import StrictBody
from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.cards import (
    CardEndReason,
    CardGeneration,
    CardSource,
    CardStatus,
    DisabilityCategory,
    DisabilityGrade,
)
from canlian.common.ids import RequestId, WireId
from canlian.common.values import Multiline, SaneDate


class CancelReason(StrEnum):
    """注销原因."""

    DEATH = "death"  # 死亡
    RECOVERY = "recovery"  # 康复
    EMIGRATION = "emigration"  # 出国(境)定居


class CardIssue(StrictBody):
    generation: CardGeneration = Field(
        default=CardGeneration.SMART,
        description="证件类型:second_generation 第二代 / smart 智能化 / card generation",
    )


class CardReplace(StrictBody):
    generation: CardGeneration = Field(description="新证类型 / generation of the new card")


class CardReissue(StrictBody):
    note: Annotated[str, Multiline(500, required=False)] | None = Field(
        default=None, description="遗失情况 / loss note"
    )


class CardChange(StrictBody):
    application_id: RequestId = Field(
        description="已审核通过的变更申请 / approved application with the new assessment",
    )


class CardTransfer(StrictBody):
    division_code: KnownDivisionCode = Field(description="迁入地区划代码 / division moved to")


class CardCancel(StrictBody):
    reason: CancelReason = Field(
        description="注销原因:death 死亡 / recovery 康复 / emigration 出国(境)定居"
    )
    ended_on: SaneDate | None = Field(default=None, description="注销日期,默认今天 / default today")


class CardRead(BaseModel):
    id: WireId = Field(description="证件编号 / card id")
    person_id: WireId = Field(description="持证人编号 / holder's person id")
    holder_name_masked: str = Field(description="持证人姓名(脱敏)/ holder's name, masked")
    card_number_masked: str = Field(description="残疾人证号(脱敏)/ card number, masked")
    division_code: str = Field(description="管理地区划代码 / managing division")
    status: CardStatus = Field(description="状态 / status")
    allowed_actions: list[str] = Field(description="当前可执行的操作 / actions allowed now")
    category: DisabilityCategory = Field(description="残疾类别 / category")
    grade: DisabilityGrade = Field(description="残疾等级 / grade")
    generation: CardGeneration = Field(description="证件类型 / generation")
    issued_on: date = Field(description="发证日期 / issued on")
    valid_until: date = Field(description="有效期至 / valid until")
    source: CardSource = Field(description="来源 / issued here or imported")
    home_visit: bool = Field(description="上门办证 / issued on a home visit")
    application_id: WireId | None = Field(description="申请编号 / application")
    previous_card_id: WireId | None = Field(description="前一张证 / card this one follows")
    superseded_by_card_id: WireId | None = Field(description="替代它的新证 / card that replaced it")
    end_reason: CardEndReason | None = Field(description="失效原因 / why it ended")
    ended_on: date | None = Field(description="失效日期 / ended on")
    version: int = Field(description="版本号 / version")


class ExpiryRun(BaseModel):
    expired: int = Field(description="本次置为过期的证件数 / cards marked expired")
    today: date = Field(description="判定日期 / the date used")
