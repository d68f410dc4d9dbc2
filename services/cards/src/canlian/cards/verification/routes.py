"""HTTP routes of verification for other portals (role `portal`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from canlian.cards.dependencies import PortalContext
from canlian.cards.verification import service
from canlian.cards.verification.schemas import Verification, VerificationRequest
from canlian.common.events.cards import (
    DisabilityCategory,
    DisabilityGrade,
)

router = APIRouter(prefix="/v1")


def _verification(result: service.VerificationResult) -> Verification:
    if not result.valid or result.card is None:
        return Verification(valid=False, category=None, grade=None, valid_until=None)
    return Verification(
        valid=True,
        category=DisabilityCategory(result.card.category),
        grade=DisabilityGrade(result.card.grade),
        valid_until=result.card.valid_until,
    )


@router.get(
    "/verifications/{card_number}",
    response_model=Verification,
    tags=["verification"],
    summary="核验残疾人证(其他平台凭证享受优惠政策)/ Verify a card for another portal",
    description="只返回是否有效及类别、等级、有效期,不含任何个人信息;每次核验留痕。"
    "证号含身份号码,会出现在 URL 中:如网关记录 URL,请改用 POST /v1/verifications。"
    " / Answers valid or not, with category, grade and validity only; nothing personal; every "
    "check is audited. The number holds a citizen ID and sits in the URL: where gateways log "
    "URLs, use POST /v1/verifications.",
)
async def verify_card(
    card_number: Annotated[str, Path(description="20位残疾人证号 / card number")],
    ctx: PortalContext,
) -> Verification:
    return _verification(await service.verify(ctx, card_number))


@router.post(
    "/verifications",
    response_model=Verification,
    tags=["verification"],
    summary="核验残疾人证(证号在请求体中)/ Verify a card, the number in the body",
    description="与 GET 相同,但证号不出现在 URL 和网关日志中。"
    " / As the GET, with the number kept out of URLs and gateway logs.",
)
async def verify_card_in_body(body: VerificationRequest, ctx: PortalContext) -> Verification:
    return _verification(await service.verify(ctx, body.card_number))
