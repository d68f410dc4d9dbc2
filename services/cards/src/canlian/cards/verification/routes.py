"""HTTP routes of verification for other portals (role `portal`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from canlian.cards.dependencies import PortalContext
from canlian.cards.verification import service
from canlian.cards.verification.schemas import (
    VALID_UNTIL_DESCRIPTION,
    Verification,
    VerificationRequest,
)
from canlian.common.rate_limit import RATE_LIMITED_RESPONSES
from canlian.common.values import SaneDate

router = APIRouter(prefix="/v1")

_ABOUT = (
    "需要完整证号和证件上的有效期截止日期(valid_until),两者与证件一致且证件有效时才返回 "
    "valid=true;类别、等级或日期不符与证件不存在的回答相同。只返回是否有效,不含任何个人信息。"
    "全国范围的平台(000000000000)可核验各省证件,省级平台只能核验本省证件。"
    "每个平台每 10 分钟至多核验 120 次(超出返回 429 及 Retry-After),每次核验留痕审计。"
    " / Needs the full card number and the validity end date printed on the card "
    "(valid_until): valid=true only when both match a card that is valid today; a wrong "
    "category, grade or date answers like an unknown card. Answers valid or not, nothing "
    "personal. A national portal (000000000000) verifies cards of every province, a "
    "provincial portal those of its province. At most 120 checks per portal in 10 minutes "
    "(then 429 with Retry-After); every check is audited."
)

_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "证号格式不符或缺少有效期 / malformed number, or valid_until missing",
        "content": {"application/problem+json": {"schema": {"type": "object"}}},
    },
    **RATE_LIMITED_RESPONSES,
}


@router.get(
    "/verifications/{card_number}",
    response_model=Verification,
    tags=["verification"],
    summary="核验残疾人证(其他平台凭证享受优惠政策)/ Verify a card for another portal",
    description=_ABOUT + " 证号含身份号码,会出现在 URL 中:如网关记录 URL,请改用 "
    "POST /v1/verifications。 / The number holds a citizen ID and sits in the URL: where "
    "gateways log URLs, use POST /v1/verifications.",
    responses=_RESPONSES,
)
async def verify_card(
    card_number: Annotated[str, Path(description="20位残疾人证号 / card number")],
    valid_until: Annotated[SaneDate, Query(description=VALID_UNTIL_DESCRIPTION)],
    ctx: PortalContext,
) -> Verification:
    result = await service.verify(ctx, card_number, valid_until)
    return Verification(valid=result.valid)


@router.post(
    "/verifications",
    response_model=Verification,
    tags=["verification"],
    summary="核验残疾人证(证号在请求体中)/ Verify a card, the number in the body",
    description=_ABOUT + " 与 GET 相同,但证号不出现在 URL 和网关日志中。"
    " / As the GET, with the number kept out of URLs and gateway logs.",
    responses=_RESPONSES,
)
async def verify_card_in_body(body: VerificationRequest, ctx: PortalContext) -> Verification:
    result = await service.verify(ctx, body.card_number, body.valid_until)
    return Verification(valid=result.valid)
