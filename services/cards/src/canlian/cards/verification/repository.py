"""The verification look-up by the number's keyed hash; never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.cards.models import Card


async def cards_by_number_index(session: AsyncSession, number_index: str) -> list[Card]:
    rows = await session.scalars(
        select(Card).where(Card.number_index == number_index).order_by(Card.id.desc())
    )
    return list(rows)
