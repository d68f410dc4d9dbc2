"""Queries of score sheets, item scores and results. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from canlian.metrics.township_scores.models import ItemScore, ScoreSheet, TownshipResult


async def sheet(
    session: AsyncSession, sheet_id: int, *, for_update: bool = False
) -> ScoreSheet | None:
    statement = (
        select(ScoreSheet).where(ScoreSheet.id == sheet_id).options(selectinload(ScoreSheet.items))
    )
    if for_update:
        statement = statement.with_for_update(of=ScoreSheet)
    return await session.scalar(statement)


async def sheet_of_year(session: AsyncSession, county: str, year: int) -> ScoreSheet | None:
    return await session.scalar(
        select(ScoreSheet).where(ScoreSheet.county_code == county, ScoreSheet.year == year)
    )


def sheets_in(prefix: str, year: int | None) -> Select[ScoreSheet]:
    statement = (
        select(ScoreSheet)
        .where(ScoreSheet.county_code.startswith(prefix))
        .options(selectinload(ScoreSheet.items))
    )
    if year is not None:
        statement = statement.where(ScoreSheet.year == year)
    return statement


async def item_scores(session: AsyncSession, sheet_id: int) -> list[ItemScore]:
    rows = await session.scalars(select(ItemScore).where(ItemScore.sheet_id == sheet_id))
    return list(rows)


async def replace_item_scores(
    session: AsyncSession,
    sheet_id: int,
    township: str,
    codes: Sequence[str],
    rows: Sequence[ItemScore],
) -> None:
    await session.execute(
        delete(ItemScore).where(
            ItemScore.sheet_id == sheet_id,
            ItemScore.township_code == township,
            ItemScore.item_code.in_(codes),
        )
    )
    await session.flush()
    session.add_all(rows)


def results_of(sheet_id: int) -> Select[TownshipResult]:
    return select(TownshipResult).where(TownshipResult.sheet_id == sheet_id)


async def ranked_results(session: AsyncSession, sheet_id: int) -> list[TownshipResult]:
    rows = await session.scalars(
        results_of(sheet_id).order_by(TownshipResult.rank, TownshipResult.township_code)
    )
    return list(rows)
