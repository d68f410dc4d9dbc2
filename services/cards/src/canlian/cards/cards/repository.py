"""Queries about cards; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.cards.models import Card
from canlian.common.events.cards import CardStatus


async def get_card(session: AsyncSession, card_id: int, *, lock: bool = False) -> Card | None:
    statement = select(Card).where(Card.id == card_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(statement)).first()


async def valid_card_of(session: AsyncSession, person_id: int) -> Card | None:
    statement = select(Card).where(
        Card.person_id == person_id, Card.status == CardStatus.VALID.value
    )
    return (await session.scalars(statement)).first()


async def person_ids_with_valid_cards(session: AsyncSession, person_ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(person_ids), 500):
        chunk = list(person_ids[start : start + 500])
        rows = await session.scalars(
            select(Card.person_id).where(
                Card.person_id.in_(chunk), Card.status == CardStatus.VALID.value
            )
        )
        found.update(rows)
    return found


async def card_keys_of_persons(
    session: AsyncSession, person_ids: Sequence[int]
) -> set[tuple[int, int, int, date]]:
    """(person, category, grade, issued on) of every card the persons hold or held."""
    found: set[tuple[int, int, int, date]] = set()
    for start in range(0, len(person_ids), 500):
        chunk = list(person_ids[start : start + 500])
        rows = await session.execute(
            select(Card.person_id, Card.category, Card.grade, Card.issued_on).where(
                Card.person_id.in_(chunk)
            )
        )
        found.update((row[0], row[1], row[2], row[3]) for row in rows)
    return found


def cards_query(
    region_prefix: str,
    *,
    status: str | None = None,
    generation: str | None = None,
    category: int | None = None,
    grade: int | None = None,
    person_id: int | None = None,
    valid_until_before: date | None = None,
) -> Select[Any]:
    conditions: list[Any] = [Card.division_code.startswith(region_prefix)]
    if status is not None:
        conditions.append(Card.status == status)
    if generation is not None:
        conditions.append(Card.generation == generation)
    if category is not None:
        conditions.append(Card.category == category)
    if grade is not None:
        conditions.append(Card.grade == grade)
    if person_id is not None:
        conditions.append(Card.person_id == person_id)
    if valid_until_before is not None:
        conditions.append(Card.valid_until <= valid_until_before)
    return select(Card).where(and_(*conditions))


async def due_for_expiry(
    session: AsyncSession, region_prefix: str, today: date, limit: int
) -> list[Card]:
    statement = (
        select(Card)
        .where(
            Card.division_code.startswith(region_prefix),
            Card.status == CardStatus.VALID.value,
            Card.valid_until < today,
        )
        .order_by(Card.id)
        .limit(limit)
        .with_for_update()
    )
    return list(await session.scalars(statement))
