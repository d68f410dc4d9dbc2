"""Verification for other portals: valid or not, and the minimum to grant a benefit; every
check is audited (never the number itself)."""

from __future__ import annotations

from dataclasses import dataclass

from canlian.cards.cards.models import Card
from canlian.cards.cards.number import card_number, parse_card_number
from canlian.cards.context import Context
from canlian.cards.verification import repository
from canlian.common.events.cards import CardStatus


@dataclass(frozen=True)
class VerificationResult:
    valid: bool
    card: Card | None = None


VERIFIED = "card.verified"


async def verify(ctx: Context, number: str) -> VerificationResult:
    """Answer a portal, and record who asked about which card (never the number itself)."""
    holder, category, grade = parse_card_number(number)
    cards = await repository.cards_by_number_index(
        ctx.session, ctx.pii.index(card_number(holder, category, grade))
    )
    today = ctx.today()
    result = VerificationResult(valid=False)
    for card in cards:
        if (
            card.status == CardStatus.VALID
            and card.valid_until >= today
            and ctx.principal.covers(card.division_code)
        ):
            result = VerificationResult(valid=True, card=card)
            break
    await repository.record_audit(
        ctx.session,
        ctx.tables,
        ctx.principal,
        action=VERIFIED,
        object_type="cards.card",
        object_id=str(result.card.id) if result.card else "-",
        reason="valid" if result.valid else "not valid",
    )
    return result
