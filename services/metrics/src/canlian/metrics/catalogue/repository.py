"""Queries of the indicator catalogue. Takes a session, never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.metrics.catalogue.models import Indicator


async def indicator(session: AsyncSession, code: str) -> Indicator | None:
    return await session.get(Indicator, code)


async def all_indicators(session: AsyncSession) -> list[Indicator]:
    rows = await session.scalars(select(Indicator).order_by(Indicator.position, Indicator.code))
    return list(rows.all())


async def catalogue(session: AsyncSession) -> list[dict[str, Any]]:
    """Every indicator's definition, in catalogue order, as plain values (no ORM objects)."""
    rows = await session.execute(
        select(
            Indicator.code,
            Indicator.name_zh,
            Indicator.name_en,
            Indicator.kind,
            Indicator.unit,
            Indicator.measure,
            Indicator.numerator,
            Indicator.denominator,
            Indicator.factor,
            Indicator.description,
            Indicator.source,
            Indicator.built_in,
        ).order_by(Indicator.position, Indicator.code)
    )
    return [dict(row._mapping) for row in rows]


async def max_indicator_position(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.max(Indicator.position))) or 0)
