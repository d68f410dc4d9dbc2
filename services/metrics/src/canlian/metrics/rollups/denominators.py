"""Divisions loaded from the dataset, each counted once: the denominators."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.metrics.contributions.divisions import division_contribution, division_entity_key
from canlian.metrics.contributions.mappers import DivisionRow
from canlian.metrics.days import BEIJING
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.rollups.engine import ApplyResult, Change, apply_changes

# Divisions loaded from the dataset existed long before this system: count them from a date
# early enough that as-of queries of past plans (十二五 from 2011) see their denominators.
DIVISIONS_COUNTED_FROM = datetime(2000, 1, 1, tzinfo=BEIJING)


async def load_divisions(
    session: AsyncSession,
    rows: Sequence[DivisionRow],
    counted_from: datetime = DIVISIONS_COUNTED_FROM,
) -> ApplyResult:
    """Store names and parents and count each division once (idempotent: a division's
    contribution never changes, so a second load adds nothing)."""
    await divisions_repository.save_divisions(
        session,
        [
            {"code": row.code, "name": row.name, "level": row.level, "parent_code": row.parent_code}
            for row in rows
        ],
    )
    return await apply_changes(
        session,
        [
            Change(
                division_entity_key(row.code),
                1,
                division_contribution(row.code),
                "division",
                counted_from,
            )
            for row in rows
        ],
    )
