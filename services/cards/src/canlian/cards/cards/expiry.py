"""Cards past their validity become expired: one on request, or all that are due (daily)."""

from __future__ import annotations

from datetime import date, timedelta

from canlian.cards.cards import repository
from canlian.cards.cards.models import Card
from canlian.cards.cards.problems import NotYetDue
from canlian.cards.cards.service import locked_card_and_holder
from canlian.cards.cards.snapshot import card_snapshot
from canlian.cards.cards.state_machine import CardAction, next_card_status
from canlian.cards.context import Context
from canlian.cards.versioning import touch
from canlian.common.business_day import back_dated
from canlian.common.concurrency import Precondition
from canlian.common.events.cards import CardExpired

EXPIRY_BATCH = 1000


async def expire_card(ctx: Context, card_id: int, precondition: Precondition) -> Card:
    card, _person = await locked_card_and_holder(
        ctx, card_id, precondition, while_transfer_open=True
    )
    target = next_card_status(card.status, CardAction.EXPIRE)
    if card.valid_until >= ctx.today():
        raise NotYetDue(valid_until=card.valid_until.isoformat())
    card.status = target.value
    card.ended_on = card.valid_until + timedelta(days=1)
    touch(card)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, _expired(card, ctx.today()))
    return card


async def expire_due_cards(ctx: Context) -> tuple[int, date]:
    """Mark valid cards past their validity as expired, in batches, with one event each."""
    today = ctx.today()
    total = 0
    while True:
        due = await repository.due_for_expiry(
            ctx.session, ctx.principal.region_prefix, today, EXPIRY_BATCH
        )
        for card in due:
            card.status = next_card_status(card.status, CardAction.EXPIRE).value
            card.end_reason = None
            card.ended_on = card.valid_until + timedelta(days=1)
            touch(card)
        await ctx.session.flush()
        for card in due:
            await ctx.outbox.add(ctx.session, _expired(card, today))
        total += len(due)
        if len(due) < EXPIRY_BATCH:
            return total, today


def _expired(card: Card, today: date) -> CardExpired:
    # The card ended the day after its validity, however late the expiry runs.
    return CardExpired(**card_snapshot(card), effective_on=back_dated(card.ended_on, today))
