"""The queries behind the reports; never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.applications.models import Application
from canlian.cards.cards.models import Card
from canlian.common.events.cards import ApplicationStatus, CardStatus


def backlog_query(region_prefix: str) -> Select[Any]:
    """应发尽发: approved (assessed eligible) applications whose person holds no valid card."""
    holds_valid_card = exists().where(
        Card.person_id == Application.person_id, Card.status == CardStatus.VALID.value
    )
    return select(Application).where(
        Application.division_code.startswith(region_prefix),
        Application.status == ApplicationStatus.APPROVED.value,
        ~holds_valid_card,
    )


async def holders_by_category_grade(
    session: AsyncSession, region_prefix: str
) -> list[tuple[int, int, str, int]]:
    """(category, grade, generation, holders) of valid cards in the region."""
    statement = (
        select(Card.category, Card.grade, Card.generation, func.count())
        .where(
            Card.division_code.startswith(region_prefix),
            Card.status == CardStatus.VALID.value,
        )
        .group_by(Card.category, Card.grade, Card.generation)
        .order_by(Card.category, Card.grade, Card.generation)
    )
    rows = await session.execute(statement)
    return [(int(c), int(g), str(gen), int(n)) for c, g, gen, n in rows.all()]
