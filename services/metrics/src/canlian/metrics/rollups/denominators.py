"""Divisions loaded from the dataset, each counted once: the denominators."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.metadata import utcnow
from canlian.metrics.contributions.divisions import (
    DIVISIONS,
    division_contribution,
    division_entity_key,
)
from canlian.metrics.contributions.mappers import DivisionRow
from canlian.metrics.days import BEIJING
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.hierarchy import LEVEL_NAMES
from canlian.metrics.rankings import keeping as rankings
from canlian.metrics.rollups import excluded_places, repository
from canlian.metrics.rollups.engine import ApplyResult, Change, apply_changes

# Divisions loaded from the dataset existed long before this system: count them from a date
# early enough that as-of queries of past plans (十二五 from 2011) see their denominators.
DIVISIONS_COUNTED_FROM = datetime(2000, 1, 1, tzinfo=BEIJING)

DivisionLoadOutcome = repository.DivisionLoadOutcome


async def load_divisions(
    session: AsyncSession,
    rows: Sequence[DivisionRow],
    counted_from: datetime = DIVISIONS_COUNTED_FROM,
) -> ApplyResult:
    """Store names and parents and count each division once (idempotent: a division's
    contribution never changes, so a second load adds nothing); a development zone or
    virtual community the region's policy leaves out gets its exclusion (excluded_places)."""
    await divisions_repository.save_divisions(
        session,
        [
            {"code": row.code, "name": row.name, "level": row.level, "parent_code": row.parent_code}
            for row in rows
        ],
    )
    result = await apply_changes(
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
    excluded = await excluded_places.restate(
        session, [row.code for row in rows], _day(counted_from), only_new=True
    )
    result.applied += excluded.applied
    result.changed_counters |= excluded.changed_counters
    # A division new to the read model has a place in every ranking of its level.
    await rankings.refresh(session, (), added=[row.code for row in rows])
    return result


def _day(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()


def loads_in_bulk(session: AsyncSession) -> bool:
    """Whether `load_divisions_in_bulk` serves this database (PostgreSQL's COPY)."""
    return session.get_bind().dialect.name == "postgresql"


async def load_divisions_in_bulk(
    session: AsyncSession,
    rows: Iterable[DivisionRow],
    *,
    counted_from: datetime = DIVISIONS_COUNTED_FROM,
    tick: Callable[[int], None] | None = None,
    tick_every: int = 10_000,
) -> DivisionLoadOutcome:
    """`load_divisions` for a whole dataset on PostgreSQL, set-based: the same divisions,
    entity states, counters and journal, written in a few statements (the rows stream
    through COPY); a second load of the same rows writes nothing."""

    def records() -> Iterator[tuple[int, str, str, int, str | None]]:
        pending = 0
        for ordinal, row in enumerate(rows):
            yield (ordinal, row.code, row.name, row.level, row.parent_code)
            pending += 1
            if tick is not None and pending >= tick_every:
                tick(pending)
                pending = 0
        if tick is not None and pending:
            tick(pending)

    # entity key and counter names as `division_entity_key` and `division_contribution`
    outcome = await repository.load_divisions_in_bulk(
        session,
        records(),
        counters_of_level={level: f"{DIVISIONS}.{name}" for level, name in LEVEL_NAMES.items()},
        entity_prefix=division_entity_key(""),
        day=_day(counted_from),
        now=utcnow(),
    )
    # The governed divisions loaded without an exclusion yet (a second load adds none).
    await excluded_places.restate(
        session,
        await divisions_repository.governed_codes_within(session, ""),
        _day(counted_from),
        only_new=True,
    )
    # Set-based as the load: every ranking again, in the load's unit of work.
    await rankings.rebuild_all(session)
    return outcome
