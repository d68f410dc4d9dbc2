"""A card as the API shows it: the holder's name and the number masked, the actions allowed
now."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select

from canlian.cards.cards.models import Card
from canlian.cards.cards.number import card_number_masked
from canlian.cards.cards.schemas import CardRead
from canlian.cards.cards.snapshot import card_snapshot
from canlian.cards.cards.state_machine import allowed_card_actions
from canlian.cards.context import Context
from canlian.cards.persons.models import Person
from canlian.cards.persons.service import holders_of, masked
from canlian.common.pagination import OrderColumn, Page, PageParams, paginate
from canlian.common.personal_data import PersonalDataProtector
from canlian.common.sorting import SortOrder


def card_view(pii: PersonalDataProtector, card: Card, person: Person) -> CardRead:
    snapshot = card_snapshot(card)
    return CardRead(
        id=card.id,
        person_id=card.person_id,
        holder_name_masked=masked(pii, person).name,
        card_number_masked=card_number_masked(pii, person, card),
        division_code=card.division_code,
        status=snapshot["status"],
        allowed_actions=allowed_card_actions(card.status),
        category=snapshot["category"],
        grade=snapshot["grade"],
        generation=snapshot["generation"],
        issued_on=card.issued_on,
        valid_until=card.valid_until,
        source=snapshot["source"],
        home_visit=card.home_visit,
        application_id=card.application_id,
        previous_card_id=card.previous_card_id,
        superseded_by_card_id=card.superseded_by_card_id,
        end_reason=snapshot["end_reason"],
        ended_on=card.ended_on,
        version=card.version,
    )


async def card_read(ctx: Context, card: Card) -> CardRead:
    persons = await holders_of(ctx.session, [card])
    return card_view(ctx.pii, card, persons[card.person_id])


async def card_page(
    ctx: Context,
    statement: Select[Any],
    order: Sequence[OrderColumn] | SortOrder,
    paging: PageParams,
    *,
    keys_first: bool = False,
) -> Page[CardRead]:
    """A page of cards; `keys_first` (see `paginate`) for a region's whole list."""
    if isinstance(order, SortOrder):
        rows, cursor = await paginate(
            ctx.session,
            statement,
            order.columns,
            paging,
            descending=order.descending,
            sort=order.name,
            keys_first=keys_first,
        )
    else:
        rows, cursor = await paginate(ctx.session, statement, order, paging, keys_first=keys_first)
    persons = await holders_of(ctx.session, rows)
    return Page(
        items=[card_view(ctx.pii, card, persons[card.person_id]) for card in rows],
        next_cursor=cursor,
    )
