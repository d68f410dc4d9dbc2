"""Queries of the rollup tables. Takes a session, never commits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    delete,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.dialect import (
    add_rows,
    empty_tables,
    insert_ignoring_conflicts,
    insert_in_bulk,
    lock_or_create_rows,
    replace_rows,
    upsert_adding,
)
from canlian.metrics.db import chunks
from canlian.metrics.rollups.models import (
    CounterValue,
    DailyChange,
    DivisionTally,
    EntityState,
    ParkedEvent,
)


async def lock_entity_states(
    session: AsyncSession, keys: Collection[str], now: datetime
) -> dict[str, tuple[int, dict[str, Any], list[Any] | None, datetime]]:
    """The stored states of these entities, locked until the transaction ends.

    Absent entities get a placeholder row (version 0, nothing contributed) first, so that two
    workers handling events of the same new entity (during a rebalance) queue on its row
    instead of both applying their difference to nothing. Keys go in sorted order.
    """
    found: dict[str, tuple[int, dict[str, Any], list[Any] | None, datetime]] = {}
    placeholder = {"version": 0, "contribution": {}, "event_type": "", "updated_at": now}
    for chunk in chunks(sorted(keys), 2000):
        rows = await lock_or_create_rows(
            session,
            EntityState.__table__,  # type: ignore[arg-type]
            "entity_key",
            chunk,
            placeholder,
            ["entity_key", "version", "contribution", "steps", "updated_at"],
        )
        for row in rows:
            found[row.entity_key] = (
                row.version,
                dict(row.contribution),
                row.steps,
                row.updated_at,
            )
    return found


async def save_entity_states(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    ordered = sorted(rows, key=lambda row: str(row["entity_key"]))
    for chunk in chunks(ordered, 5000):
        await replace_rows(
            session,
            EntityState.__table__,  # type: ignore[arg-type]
            ["entity_key"],
            ["version", "contribution", "steps", "event_type", "updated_at"],
            chunk,
        )


async def add_to_tallies(
    session: AsyncSession, deltas: dict[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    """Add to the tallies and return their values after the addition, read under the row lock
    the upsert takes, so concurrent workers see each other's counts."""
    # A zero too: a tally whose changes cancel out in the batch is locked all the same.
    rows = [
        {"division_code": division, "tally": name, "value": delta}
        for (division, name), delta in sorted(deltas.items())
    ]
    after: dict[tuple[str, str], int] = {}
    if not rows:
        return after
    table = DivisionTally.__table__
    statement = upsert_adding(
        session,
        table,  # type: ignore[arg-type]
        ["division_code", "tally"],
        ["value"],
    ).returning(table.c.division_code, table.c.tally, table.c.value)
    for chunk in chunks(rows):
        # executemany with RETURNING (SQLAlchemy's insertmanyvalues), one row back per row in.
        result = await session.execute(statement, list(chunk))
        for division, name, value in result.all():
            after[(division, name)] = int(value)
    return after


async def tally_journals(
    session: AsyncSession, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], dict[date, int]]:
    """The journal of these tallies (at their own division): (division, tally) -> day -> delta."""
    found: dict[tuple[str, str], dict[date, int]] = {}
    for chunk in chunks(list(keys), 1000):
        rows = await session.execute(
            select(
                DailyChange.division_code, DailyChange.counter, DailyChange.day, DailyChange.delta
            ).where(
                DailyChange.division_code.in_({code for code, _ in chunk}),
                DailyChange.counter.in_({tally for _, tally in chunk}),
            )
        )
        wanted = set(chunk)
        for code, tally, day, delta in rows:
            if (code, tally) in wanted and delta:
                found.setdefault((code, tally), {})[day] = int(delta)
    return found


async def add_to_counters(session: AsyncSession, deltas: dict[tuple[str, str], int]) -> None:
    """One upsert row per (division, counter), in sorted order so concurrent writers never
    deadlock."""
    rows = [
        {"division_code": division, "counter": name, "value": delta}
        for (division, name), delta in sorted(deltas.items())
        if delta
    ]
    if not rows:
        return
    table = CounterValue.__table__
    for chunk in chunks(rows, 5000):
        await add_rows(session, table, ["division_code", "counter"], ["value"], chunk)  # type: ignore[arg-type]


async def add_to_daily_changes(
    session: AsyncSession, deltas: dict[tuple[str, str, date], int]
) -> None:
    rows = [
        {"division_code": division, "counter": name, "day": day, "delta": delta}
        for (division, name, day), delta in sorted(deltas.items())
        if delta
    ]
    if not rows:
        return
    table = DailyChange.__table__
    for chunk in chunks(rows, 5000):
        await add_rows(session, table, ["division_code", "counter", "day"], ["delta"], chunk)  # type: ignore[arg-type]


async def park_events(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = insert_ignoring_conflicts(
        session,
        ParkedEvent.__table__,  # type: ignore[arg-type]
        ["event_id"],
    )
    await session.execute(statement, list(rows))


async def parked_batch(session: AsyncSession, limit: int) -> list[ParkedEvent]:
    rows = await session.scalars(
        select(ParkedEvent)
        .order_by(ParkedEvent.parked_at, ParkedEvent.event_id)
        .limit(limit)
        .with_for_update()
    )
    return list(rows.all())


async def unpark(session: AsyncSession, event_ids: Sequence[str]) -> None:
    for chunk in chunks(list(event_ids)):
        await session.execute(delete(ParkedEvent).where(ParkedEvent.event_id.in_(chunk)))


async def update_park_reasons(session: AsyncSession, reasons: dict[str, str]) -> None:
    for event_id, reason in reasons.items():
        await session.execute(
            update(ParkedEvent).where(ParkedEvent.event_id == event_id).values(reason=reason)
        )


async def clear_rollups(session: AsyncSession) -> None:
    """Rebuild starts from nothing (divisions and catalogue stay)."""
    for model in (EntityState, CounterValue, DivisionTally, DailyChange, ParkedEvent):
        await session.execute(delete(model))


async def replace_rollups(
    session: AsyncSession,
    *,
    counters: dict[tuple[str, str], int],
    daily_changes: dict[tuple[str, str, date], int],
    tallies: dict[tuple[str, str], int],
    entity_states: Sequence[tuple[str, int, str, str, str, datetime]],
) -> None:
    """Empty the rollup tables and write a rebuild's result into them in bulk."""
    await empty_tables(
        session,
        [
            model.__table__  # type: ignore[misc]
            for model in (EntityState, CounterValue, DivisionTally, DailyChange, ParkedEvent)
        ],
    )
    await insert_in_bulk(
        session,
        CounterValue.__table__,  # type: ignore[arg-type]
        ["division_code", "counter", "value"],
        [(code, name, value) for (code, name), value in sorted(counters.items())],
    )
    await insert_in_bulk(
        session,
        DailyChange.__table__,  # type: ignore[arg-type]
        ["division_code", "counter", "day", "delta"],
        [(*key, delta) for key, delta in sorted(daily_changes.items())],
    )
    await insert_in_bulk(
        session,
        DivisionTally.__table__,  # type: ignore[arg-type]
        ["division_code", "tally", "value"],
        [(code, name, value) for (code, name), value in sorted(tallies.items())],
    )
    await insert_in_bulk(
        session,
        EntityState.__table__,  # type: ignore[arg-type]
        ["entity_key", "version", "contribution", "steps", "event_type", "updated_at"],
        entity_states,  # contributions and steps already encoded as JSON text
    )
