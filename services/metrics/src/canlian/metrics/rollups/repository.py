"""Queries of the rollup tables. Takes a session, never commits."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    delete,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.dialect import (
    add_rows,
    copy_in,
    empty_tables,
    insert_ignoring_conflicts,
    insert_in_bulk,
    lock_or_create_rows,
    replace_rows,
    upsert_adding,
)
from canlian.metrics.db import chunks
from canlian.metrics.divisions.models import Division
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


async def add_to_hot_rows(
    session: AsyncSession,
    counters: dict[tuple[str, str], int],
    daily_changes: dict[tuple[str, str, date], int],
) -> None:
    """The nation's and the provinces' counters and journal, after every other row: the rows
    all workers contend for (bench/workers.py times this call)."""
    await add_to_counters(session, counters)
    await add_to_daily_changes(session, daily_changes)


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
    entity_states: Iterable[Sequence[tuple[str, int, str, str, str, datetime]]],
) -> None:
    """Empty the rollup tables and write a rebuild's result into them in bulk (the entity
    states in chunks, which need not all be in memory at once)."""
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
    for chunk in entity_states:
        await insert_in_bulk(
            session,
            EntityState.__table__,  # type: ignore[arg-type]
            ["entity_key", "version", "contribution", "steps", "event_type", "updated_at"],
            chunk,  # contributions and steps already encoded as JSON text
        )


@dataclass(frozen=True)
class DivisionLoadOutcome:
    """What a set-based division load wrote: divisions new to the read model, divisions whose
    name, level or parent changed, divisions counted for the first time, counter rows moved."""

    added: int
    changed: int
    counted: int
    counter_rows: int


def _name_of(table: Any) -> str:
    return str(table.fullname)


# The level of a 12-digit code, from where its zero padding starts (`divisions.level_of`).
_LEVEL_OF_CODE = (
    "CASE WHEN substr(code, 10, 3) <> '000' THEN 5 WHEN substr(code, 7, 3) <> '000' THEN 4 "
    "WHEN substr(code, 5, 2) <> '00' THEN 3 WHEN substr(code, 3, 2) <> '00' THEN 2 "
    "WHEN substr(code, 1, 2) <> '00' THEN 1 ELSE 0 END"
)


async def load_divisions_in_bulk(
    session: AsyncSession,
    records: Iterable[tuple[int, str, str, int, str | None]],
    *,
    counters_of_level: Mapping[int, str],
    entity_prefix: str,
    day: date,
    now: datetime,
) -> DivisionLoadOutcome:
    """PostgreSQL: (ordinal, code, name, level, parent) records COPYed into a staging table,
    then the changes computed in SQL: divisions new or changed are written; divisions without
    an entity state get one (version 1, counting themselves at their level, from `day`), and
    their counts go to every division of their lineage (`divisions.lineage`) in the counters
    and the journal. Nothing is written when the read model holds every row as it is and
    every division is counted; when a code comes twice, the later record wins."""
    names = {
        "divisions": _name_of(Division.__table__),
        "states": _name_of(EntityState.__table__),
        "counters": _name_of(CounterValue.__table__),
        "journal": _name_of(DailyChange.__table__),
    }

    async def run(sql: str, **params: Any) -> Any:
        return await session.execute(text(sql.format(**names)), params)

    await run(
        "CREATE TEMPORARY TABLE division_load (ordinal integer, code varchar(12) "
        'COLLATE "C", name text, level smallint, parent_code varchar(12) COLLATE "C") '
        "ON COMMIT DROP"
    )
    await copy_in(
        session, "division_load", ["ordinal", "code", "name", "level", "parent_code"], records
    )
    counter_of_level = " ".join(
        f"WHEN {int(level)} THEN CAST(:counter_{int(level)} AS text)"
        for level in sorted(counters_of_level)
    )
    await run(
        "CREATE TEMPORARY TABLE division_staged ON COMMIT DROP AS "  # noqa: S608 - fixed SQL
        "SELECT code, name, level, parent_code, "
        f"CASE {_LEVEL_OF_CODE} {counter_of_level} END AS counter, "
        f"(ARRAY[0, 2, 4, 6, 9, 12])[{_LEVEL_OF_CODE} + 1] AS significant, "
        "CAST(:prefix AS text) || code AS entity_key "
        "FROM (SELECT DISTINCT ON (code) * FROM division_load ORDER BY code, ordinal DESC) "
        "AS latest ORDER BY code",
        prefix=entity_prefix,
        **{f"counter_{int(level)}": name for level, name in counters_of_level.items()},
    )
    await run("ANALYZE division_staged")
    changed_divisions = (
        "SELECT s.code, s.name, s.level, s.parent_code FROM division_staged AS s "
        "JOIN {divisions} AS d ON d.code = s.code WHERE d.name IS DISTINCT FROM s.name "
        "OR d.level IS DISTINCT FROM s.level OR d.parent_code IS DISTINCT FROM s.parent_code"
    )
    new_divisions = (
        "SELECT s.code, s.name, s.level, s.parent_code FROM division_staged AS s "
        "WHERE NOT EXISTS (SELECT FROM {divisions} AS d WHERE d.code = s.code)"
    )
    uncounted = (
        "SELECT s.code, s.counter, s.significant, s.entity_key FROM division_staged AS s "
        "WHERE NOT EXISTS (SELECT FROM {states} AS e WHERE e.entity_key = s.entity_key)"
    )
    pending = await run(
        f"SELECT EXISTS ({changed_divisions}) OR EXISTS ({new_divisions}) OR EXISTS ({uncounted})"
    )
    if not pending.scalar():
        await run("DROP TABLE division_load, division_staged")
        return DivisionLoadOutcome(0, 0, 0, 0)
    # Writers of these tables (the rollup consumers) wait until the load commits: what is
    # computed below stays true until then, and plain INSERTs (no upsert) need no arbiter.
    # Taken before this transaction writes anything, in one order.
    await run("LOCK TABLE {divisions}, {states}, {counters}, {journal} IN SHARE ROW EXCLUSIVE MODE")
    changed = await run(
        "UPDATE {divisions} AS d SET name = c.name, level = c.level, "  # noqa: S608 - fixed SQL
        f"parent_code = c.parent_code FROM ({changed_divisions}) AS c WHERE d.code = c.code"
    )
    added = await run(
        "INSERT INTO {divisions} (code, name, level, parent_code) "
        f"{new_divisions} ORDER BY s.code"
    )
    # A division counts once: one holding an entity state (loaded before, or changed by an
    # event of the registry) is left as it is.
    await run(f"CREATE TEMPORARY TABLE division_counted ON COMMIT DROP AS {uncounted}")
    counted = await run(
        "INSERT INTO {states} "
        "(entity_key, version, contribution, steps, event_type, updated_at) "
        # As the engine encodes it; a code and a counter name need no JSON escaping.
        "SELECT entity_key, 1, CAST('{{\"' || code || '|' || counter || :closing AS json), "
        "CAST(:steps AS json), 'division', CAST(:now AS timestamptz) "
        "FROM division_counted ORDER BY entity_key",
        closing='":1}',
        steps=json.dumps([[day.isoformat(), None]], separators=(",", ":")),
        now=now,
    )
    # Each counted division adds one at every prefix of its code up to its own, summed level
    # by level: a level's sums are its own divisions' and those of the level below, so each
    # statement reads the rows of one level (prefixes unpadded, as `divisions.prefix`).
    await run(
        "CREATE TEMPORARY TABLE division_sums ON COMMIT DROP AS "
        "SELECT substr(code, 1, significant) AS prefix, counter, 1::bigint AS value "
        "FROM division_counted"
    )
    for length, below in ((9, 12), (6, 9), (4, 6), (2, 4), (0, 2)):
        await run(
            "INSERT INTO division_sums (prefix, counter, value) "
            "SELECT substr(prefix, 1, :length), counter, sum(value) FROM division_sums "
            "WHERE char_length(prefix) = :below GROUP BY 1, 2",
            length=length,
            below=below,
        )
    # Under a city without counties (东莞 4419) the county prefix (441900) is the city again:
    # its sums are the city's, counted there once.
    await run(
        "CREATE TEMPORARY TABLE division_deltas ON COMMIT DROP AS "
        "SELECT CAST(rpad(prefix, 12, '0') AS varchar(12)) COLLATE \"C\" AS division_code, "
        "counter, sum(value) AS value FROM division_sums "
        "WHERE NOT (char_length(prefix) = 6 AND substr(prefix, 5, 2) = '00') GROUP BY 1, 2"
    )
    await run("ANALYZE division_deltas")
    moved = await run(
        "UPDATE {counters} AS c SET value = c.value + d.value FROM division_deltas AS d "
        "WHERE c.division_code = d.division_code AND c.counter = d.counter"
    )
    inserted = await run(
        "INSERT INTO {counters} (division_code, counter, value) "
        "SELECT division_code, counter, value FROM division_deltas AS d "
        "WHERE NOT EXISTS (SELECT FROM {counters} AS c "
        "WHERE c.division_code = d.division_code AND c.counter = d.counter) ORDER BY 1, 2"
    )
    await run(
        "UPDATE {journal} AS j SET delta = j.delta + d.value FROM division_deltas AS d "
        "WHERE j.division_code = d.division_code AND j.counter = d.counter "
        "AND j.day = CAST(:day AS date)",
        day=day,
    )
    await run(
        "INSERT INTO {journal} (division_code, counter, day, delta) "
        "SELECT division_code, counter, CAST(:day AS date), value FROM division_deltas AS d "
        "WHERE NOT EXISTS (SELECT FROM {journal} AS j WHERE j.division_code = d.division_code "
        "AND j.counter = d.counter AND j.day = CAST(:day AS date)) ORDER BY 1, 2",
        day=day,
    )
    # Statistics for the next load's probe: a planner that takes these tables for empty
    # chooses nested loops over 665,000 rows.
    await run("ANALYZE {divisions}")
    await run("ANALYZE {states}")
    # Dropped at commit too; now, for a caller whose transaction goes on (a savepoint).
    await run(
        "DROP TABLE division_load, division_staged, division_counted, division_sums, "
        "division_deltas"
    )
    return DivisionLoadOutcome(
        added.rowcount, changed.rowcount, counted.rowcount, moved.rowcount + inserted.rowcount
    )


async def entity_versions(session: AsyncSession, keys: Collection[str]) -> dict[str, int]:
    """The stored version of each of these entities that has a state."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(keys), 2000):
        rows = await session.execute(
            select(EntityState.entity_key, EntityState.version).where(
                EntityState.entity_key.in_(chunk)
            )
        )
        found.update({key: int(version) for key, version in rows})
    return found
