"""Reads of the rollup tables for reconciliation. Takes a session, never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.metrics.rollups.models import CounterValue, DailyChange, DivisionTally, EntityState


async def iter_entity_states(session: AsyncSession) -> list[tuple[str, dict[str, Any]]]:
    rows = await session.execute(
        select(EntityState.entity_key, EntityState.contribution).order_by(EntityState.entity_key)
    )
    return [(key, dict(contribution)) for key, contribution in rows]


async def all_counters(session: AsyncSession, prefix: str = "") -> dict[tuple[str, str], int]:
    """The counters of the divisions whose codes start with `prefix` ("" for all)."""
    rows = await session.execute(
        select(CounterValue.division_code, CounterValue.counter, CounterValue.value).where(
            CounterValue.division_code.startswith(prefix)
        )
    )
    return {(division, name): int(value) for division, name, value in rows}


async def all_tallies(session: AsyncSession, prefix: str = "") -> dict[tuple[str, str], int]:
    rows = await session.execute(
        select(DivisionTally.division_code, DivisionTally.tally, DivisionTally.value).where(
            DivisionTally.division_code.startswith(prefix),
            DivisionTally.value != 0,  # a tally back at zero counts nothing
        )
    )
    return {(division, name): int(value) for division, name, value in rows}


async def journal_totals(session: AsyncSession, prefix: str = "") -> dict[tuple[str, str], int]:
    rows = await session.execute(
        select(DailyChange.division_code, DailyChange.counter, func.sum(DailyChange.delta))
        .where(
            DailyChange.division_code.startswith(prefix),
            # Tallies' own journal rows ("@...") are summed into no counter.
            ~DailyChange.counter.startswith("@"),
        )
        .group_by(DailyChange.division_code, DailyChange.counter)
    )
    # Days that added up to nothing leave a zero behind: no change at all.
    return {(division, name): int(total) for division, name, total in rows if total}


async def entity_states_of_kind(
    session: AsyncSession, prefix: str
) -> dict[str, tuple[int, dict[str, Any]]]:
    rows = await session.execute(
        select(EntityState.entity_key, EntityState.version, EntityState.contribution).where(
            EntityState.entity_key.startswith(prefix)
        )
    )
    return {key: (version, dict(contribution)) for key, version, contribution in rows}
