"""Verification for other portals: valid or not, nothing more.

A verification answers yes / no per guess, so it must not be an oracle: the portal gives the
full card number (citizen ID, category, grade) and a second factor the card carries, its
validity end date; a wrong category, grade or date answers like an unknown card. Calls are
limited per principal with the shared limiter (`VERIFICATIONS`, 429 past it), bursts of
misses are reported, and every check is audited (never the number itself). A portal sees the
cards of its region: a national portal (000000000000) any card, a provincial one its
province's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from canlian.cards.cards.models import Card
from canlian.cards.cards.number import card_number, parse_card_number
from canlian.cards.context import Context
from canlian.cards.verification import repository
from canlian.common import audit, rate_limit
from canlian.common.events.cards import CardStatus

# Misses of verifications: a portal meets some invalid cards, a guesser meets mostly misses.
VERIFICATION_MISSES = rate_limit.Limit("verification-miss", hits=30, window_seconds=600)

VERIFIED = "card.verified"


@dataclass(frozen=True)
class VerificationResult:
    valid: bool
    card: Card | None = None


async def verify(ctx: Context, number: str, valid_until: date) -> VerificationResult:
    """Answer a portal, and record who asked about which card (never the number itself)."""
    holder, category, grade = parse_card_number(number)
    await ctx.limiter.hit(ctx.principal, rate_limit.VERIFICATIONS, session=ctx.session)
    cards = await repository.cards_by_number_index(
        ctx.session, ctx.pii.index(card_number(holder, category, grade))
    )
    today = ctx.today()
    result = VerificationResult(valid=False)
    for card in cards:
        if (
            card.status == CardStatus.VALID
            and card.valid_until == valid_until
            and card.valid_until >= today
            and ctx.principal.covers(card.division_code)
        ):
            result = VerificationResult(valid=True, card=card)
            break
    await audit.record_audit(
        ctx.session,
        ctx.tables,
        ctx.principal,
        action=VERIFIED,
        object_type="cards.card",
        object_id=str(result.card.id) if result.card else "-",
        reason="valid" if result.valid else "not valid",
    )
    if not result.valid:
        await ctx.limiter.miss(ctx.principal, VERIFICATION_MISSES, session=ctx.session)
    return result
