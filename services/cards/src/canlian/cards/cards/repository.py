"""Queries about cards; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, Table, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.cards.models import Card
from canlian.common.db.dialect import analyze, insert_in_bulk, matching, reserve_ids
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
    for condition in matching(session, _cards_table().c.person_id, list(person_ids)):
        rows = await session.scalars(
            select(Card.person_id).where(condition, Card.status == CardStatus.VALID.value)
        )
        found.update(rows)
    return found


async def analyze_cards(session: AsyncSession) -> None:
    """Planner statistics after a bulk import (the next import's look-ups by person)."""
    await analyze(session, [_cards_table()])


async def card_keys_of_persons(
    session: AsyncSession, person_ids: Sequence[int]
) -> set[tuple[int, int, int, date]]:
    """(person, category, grade, issued on) of every card the persons hold or held."""
    found: set[tuple[int, int, int, date]] = set()
    for condition in matching(session, _cards_table().c.person_id, list(person_ids)):
        rows = await session.execute(
            select(Card.person_id, Card.category, Card.grade, Card.issued_on).where(condition)
        )
        found.update((row[0], row[1], row[2], row[3]) for row in rows)
    return found


BULK_CARD_COLUMNS = (
    "id",
    "person_id",
    "number_index",
    "division_code",
    "status",
    "category",
    "grade",
    "generation",
    "issued_on",
    "valid_until",
    "source",
    "home_visit",
    "version",
    "created_at",
    "updated_at",
)
"""The columns of a record `insert_cards` takes, in order (the others stay empty)."""


async def reserve_card_ids(session: AsyncSession, count: int) -> list[int]:
    return await reserve_ids(session, _cards_table(), count)


async def insert_cards(session: AsyncSession, records: Sequence[Sequence[Any]]) -> None:
    """New cards in one set-based write (COPY on PostgreSQL), ids from `reserve_card_ids`; a
    second valid card of a person raises IntegrityError (the partial unique index)."""
    await insert_in_bulk(session, _cards_table(), BULK_CARD_COLUMNS, records)


def _cards_table() -> Table:
    table = Card.__table__
    assert isinstance(table, Table)
    return table


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
