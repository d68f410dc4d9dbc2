"""Every query of the metrics service. Takes a session, never commits."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Select,
    String,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.db.dialect import (
    add_rows,
    empty_tables,
    insert_ignoring_conflicts,
    insert_in_bulk,
    lock_or_create_rows,
    replace_rows,
    upsert_adding,
    upsert_replacing,
)
from canlian.common.db.metadata import platform_tables, utcnow
from canlian.common.log import current_request_id
from canlian.metrics.models import (
    Base,
    CounterValue,
    DailyChange,
    Division,
    DivisionTally,
    EntityState,
    Indicator,
    ParkedEvent,
    Plan,
    PlanTarget,
    ReportedValue,
)

# Keep each statement's IN list and parameter set a reasonable size on both dialects.
_CHUNK = 500


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- rollup state -------------------------------------------------------------------------


async def lock_entity_states(
    session: AsyncSession, keys: Collection[str], now: datetime
) -> dict[str, tuple[int, dict[str, Any]]]:
    """The stored states of these entities, locked until the transaction ends.

    Absent entities get a placeholder row (version 0, nothing contributed) first, so that two
    workers handling events of the same new entity (during a rebalance) queue on its row
    instead of both applying their difference to nothing. Keys go in sorted order.
    """
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    placeholder = {"version": 0, "contribution": {}, "event_type": "", "updated_at": now}
    for chunk in _chunks(sorted(keys), 2000):
        rows = await lock_or_create_rows(
            session,
            EntityState.__table__,  # type: ignore[arg-type]
            "entity_key",
            chunk,
            placeholder,
            ["entity_key", "version", "contribution"],
        )
        for row in rows:
            found[row.entity_key] = (row.version, dict(row.contribution))
    return found


async def save_entity_states(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    ordered = sorted(rows, key=lambda row: str(row["entity_key"]))
    for chunk in _chunks(ordered, 5000):
        await replace_rows(
            session,
            EntityState.__table__,  # type: ignore[arg-type]
            ["entity_key"],
            ["version", "contribution", "event_type", "updated_at"],
            chunk,
        )


async def add_to_tallies(
    session: AsyncSession, deltas: dict[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    """Add to the tallies and return their values after the addition, read under the row lock
    the upsert takes, so concurrent workers see each other's counts."""
    rows = [
        {"division_code": division, "tally": name, "value": delta}
        for (division, name), delta in sorted(deltas.items())
        if delta
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
    for chunk in _chunks(rows):
        # executemany with RETURNING (SQLAlchemy's insertmanyvalues), one row back per row in.
        result = await session.execute(statement, list(chunk))
        for division, name, value in result.all():
            after[(division, name)] = int(value)
    return after


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
    for chunk in _chunks(rows, 5000):
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
    for chunk in _chunks(rows, 5000):
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
    for chunk in _chunks(list(event_ids)):
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
    entity_states: Sequence[tuple[str, int, str, str, datetime]],
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
        ["entity_key", "version", "contribution", "event_type", "updated_at"],
        entity_states,  # contributions already encoded as JSON text
    )


async def iter_entity_states(session: AsyncSession) -> list[tuple[str, dict[str, Any]]]:
    rows = await session.execute(
        select(EntityState.entity_key, EntityState.contribution).order_by(EntityState.entity_key)
    )
    return [(key, dict(contribution)) for key, contribution in rows]


async def all_counters(session: AsyncSession) -> dict[tuple[str, str], int]:
    rows = await session.execute(
        select(CounterValue.division_code, CounterValue.counter, CounterValue.value)
    )
    return {(division, name): int(value) for division, name, value in rows}


async def all_tallies(session: AsyncSession) -> dict[tuple[str, str], int]:
    rows = await session.execute(
        select(DivisionTally.division_code, DivisionTally.tally, DivisionTally.value)
    )
    return {(division, name): int(value) for division, name, value in rows}


async def journal_totals(session: AsyncSession) -> dict[tuple[str, str], int]:
    rows = await session.execute(
        select(
            DailyChange.division_code, DailyChange.counter, func.sum(DailyChange.delta)
        ).group_by(DailyChange.division_code, DailyChange.counter)
    )
    return {(division, name): int(total) for division, name, total in rows}


# --- counters for queries -----------------------------------------------------------------


async def counter_values(
    session: AsyncSession,
    division_codes: Sequence[str],
    counters: Collection[str],
    as_of: date | None = None,
) -> dict[str, dict[str, int]]:
    """{division: {counter: value}}; with `as_of`, summed from the daily journal."""
    found: dict[str, dict[str, int]] = {code: {} for code in division_codes}
    names = sorted(counters)
    if not names:
        return found
    for chunk in _chunks(list(division_codes)):
        if as_of is None:
            statement: Select[str, str, int] = select(
                CounterValue.division_code, CounterValue.counter, CounterValue.value
            ).where(CounterValue.division_code.in_(chunk), CounterValue.counter.in_(names))
        else:
            statement = (
                select(
                    DailyChange.division_code,
                    DailyChange.counter,
                    func.sum(DailyChange.delta).cast(BigInteger),
                )
                .where(
                    DailyChange.division_code.in_(chunk),
                    DailyChange.counter.in_(names),
                    DailyChange.day <= as_of,
                )
                .group_by(DailyChange.division_code, DailyChange.counter)
            )
        for division, name, value in await session.execute(statement):
            found[division][name] = int(value)
    return found


# The hot reads (a region's indicators, a drill-down) are built once: plain Core statements of
# table columns, bound per request, so a request pays neither building nor ORM row handling.
_divisions = Division.__table__.c
_counters = CounterValue.__table__.c
_reported = ReportedValue.__table__.c
_region = select(bindparam("code", type_=String(12)).label("code")).subquery("region")
_DIVISION_WITH_COUNTERS = (
    select(_divisions.name, _counters.counter, _counters.value)
    .select_from(_region)
    .outerjoin(Division.__table__, _divisions.code == _region.c.code)
    .outerjoin(CounterValue.__table__, _counters.division_code == _region.c.code)
)
_DIVISION_AND_CHILDREN = (
    select(_divisions.code, _divisions.name, _counters.counter, _counters.value)
    .select_from(Division.__table__)
    .outerjoin(
        CounterValue.__table__,
        and_(
            _counters.division_code == _divisions.code,
            _divisions.parent_code == bindparam("code"),
            _counters.counter.in_(bindparam("counters", expanding=True)),
        ),
    )
    .where(or_(_divisions.code == bindparam("code"), _divisions.parent_code == bindparam("code")))
    .order_by(_divisions.code)
)
_REPORTED_OF_DIVISION = (
    select(_reported.indicator_code, _reported.year, _reported.value)
    .where(_reported.division_code == bindparam("code"), _reported.year <= bindparam("until_year"))
    .order_by(_reported.year)
)


async def division_with_counters(
    session: AsyncSession, code: str
) -> tuple[str | None, dict[str, int]]:
    """In one round trip, the division's name (None when the division read model does not
    hold it) and all its live counter values (a division has some dozens: reading them all
    costs less than naming them)."""
    name: str | None = None
    values: dict[str, int] = {}
    for division_name, counter, value in await session.execute(
        _DIVISION_WITH_COUNTERS, {"code": code}
    ):
        name = division_name
        if counter is not None:
            values[counter] = int(value)
    return name, values


async def division_and_children(
    session: AsyncSession, code: str, counters: Collection[str]
) -> tuple[str | None, dict[str, str], dict[str, dict[str, int]]]:
    """In one round trip, for a drill-down: the division's name (None when the division read
    model does not hold it), its children {code: name} in code order, and each child's live
    values of `counters`."""
    name: str | None = None
    children: dict[str, str] = {}
    values: dict[str, dict[str, int]] = {}
    rows = await session.execute(
        _DIVISION_AND_CHILDREN, {"code": code, "counters": sorted(counters)}
    )
    for division, division_name, counter, value in rows:
        if division == code:
            name = division_name
            continue
        children[division] = division_name
        found = values.setdefault(division, {})
        if counter is not None:
            found[counter] = int(value)
    return name, children, values


async def reported_values_of_division(
    session: AsyncSession, code: str, until_year: int
) -> dict[str, list[tuple[int, float]]]:
    """{indicator: [(year, value), ...]} of one division in year order, up to `until_year`."""
    found: dict[str, list[tuple[int, float]]] = {}
    rows = await session.execute(_REPORTED_OF_DIVISION, {"code": code, "until_year": until_year})
    for indicator, year, value in rows:
        found.setdefault(indicator, []).append((int(year), float(value)))
    return found


async def counters_of_division(session: AsyncSession, division_code: str) -> dict[str, int]:
    rows = await session.execute(
        select(CounterValue.counter, CounterValue.value)
        .where(CounterValue.division_code == division_code)
        .order_by(CounterValue.counter)
    )
    return {name: int(value) for name, value in rows}


async def daily_changes(
    session: AsyncSession, division_code: str, counters: Collection[str], until: date
) -> list[tuple[date, str, int]]:
    rows = await session.execute(
        select(DailyChange.day, DailyChange.counter, DailyChange.delta)
        .where(
            DailyChange.division_code == division_code,
            DailyChange.counter.in_(sorted(counters)),
            DailyChange.day <= until,
        )
        .order_by(DailyChange.day)
    )
    return [(day, name, int(delta)) for day, name, delta in rows]


async def division_has_counters(session: AsyncSession, division_code: str) -> bool:
    found = await session.scalar(
        select(CounterValue.counter).where(CounterValue.division_code == division_code).limit(1)
    )
    return found is not None


async def counter_divisions_below(
    session: AsyncSession, prefix: str, level_length: int
) -> list[str]:
    """Divisions with counters whose code starts with `prefix` and has exactly `level_length`
    significant digits (a fallback when the division read model is not loaded)."""
    padding = "0" * (12 - level_length)
    rows = await session.execute(
        select(CounterValue.division_code)
        .where(CounterValue.division_code.startswith(prefix))
        .distinct()
    )
    return sorted(
        code
        for (code,) in rows
        if code.endswith(padding) and code[len(prefix) : level_length].strip("0")
    )


# --- divisions ----------------------------------------------------------------------------


async def division(session: AsyncSession, code: str) -> Division | None:
    return await session.get(Division, code)


async def divisions_by_code(session: AsyncSession, codes: Sequence[str]) -> dict[str, Division]:
    found: dict[str, Division] = {}
    for chunk in _chunks(list(codes)):
        for row in (await session.scalars(select(Division).where(Division.code.in_(chunk)))).all():
            found[row.code] = row
    return found


async def child_divisions(session: AsyncSession, parent_code: str) -> list[Division]:
    rows = await session.scalars(
        select(Division).where(Division.parent_code == parent_code).order_by(Division.code)
    )
    return list(rows.all())


async def divisions_at_level(session: AsyncSession, prefix: str, level: int) -> list[Division]:
    rows = await session.scalars(
        select(Division)
        .where(Division.code.startswith(prefix), Division.level == level)
        .order_by(Division.code)
    )
    return list(rows.all())


async def save_divisions(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = upsert_replacing(
        session,
        Division.__table__,  # type: ignore[arg-type]
        ["code"],
        ["name", "level", "parent_code"],
    )
    for chunk in _chunks(list(rows)):
        await session.execute(statement, list(chunk))


async def division_codes(session: AsyncSession) -> list[str]:
    return list((await session.scalars(select(Division.code).order_by(Division.code))).all())


# --- catalogue, plans, targets, reported values ------------------------------------------


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


async def plan(session: AsyncSession, code: str) -> Plan | None:
    return await session.get(Plan, code)


async def targets_on_lineage(
    session: AsyncSession, plan_code: str, lineage: Sequence[str]
) -> list[PlanTarget]:
    rows = await session.scalars(
        select(PlanTarget).where(
            PlanTarget.plan_code == plan_code, PlanTarget.division_code.in_(list(lineage))
        )
    )
    return list(rows.all())


async def targets_below(session: AsyncSession, plan_code: str, prefix: str) -> list[PlanTarget]:
    rows = await session.scalars(
        select(PlanTarget).where(
            PlanTarget.plan_code == plan_code, PlanTarget.division_code.startswith(prefix)
        )
    )
    return list(rows.all())


async def target(
    session: AsyncSession,
    plan_code: str,
    indicator_code: str,
    division_code: str,
    applies_to_level: int,
) -> PlanTarget | None:
    return await session.scalar(
        select(PlanTarget).where(
            PlanTarget.plan_code == plan_code,
            PlanTarget.indicator_code == indicator_code,
            PlanTarget.division_code == division_code,
            PlanTarget.applies_to_level == applies_to_level,
        )
    )


async def reported_values(
    session: AsyncSession,
    division_codes: Sequence[str],
    indicator_codes: Collection[str],
    until_year: int,
) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """{(division, indicator): [(year, value), ...]} in year order, years up to `until_year`."""
    found: dict[tuple[str, str], list[tuple[int, float]]] = {}
    if not indicator_codes:
        return found
    for chunk in _chunks(list(division_codes)):
        rows = await session.execute(
            select(
                ReportedValue.division_code,
                ReportedValue.indicator_code,
                ReportedValue.year,
                ReportedValue.value,
            )
            .where(
                ReportedValue.division_code.in_(chunk),
                ReportedValue.indicator_code.in_(sorted(indicator_codes)),
                ReportedValue.year <= until_year,
            )
            .order_by(ReportedValue.year)
        )
        for division, code, year, value in rows:
            found.setdefault((division, code), []).append((int(year), float(value)))
    return found


async def save_reported_values(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = upsert_replacing(
        session,
        ReportedValue.__table__,  # type: ignore[arg-type]
        ["indicator_code", "division_code", "year"],
        ["value", "plan_code", "submitted_by", "submitted_at"],
    )
    for chunk in _chunks(list(rows)):
        await session.execute(statement, list(chunk))


async def entity_states_of_kind(
    session: AsyncSession, prefix: str
) -> dict[str, tuple[int, dict[str, Any]]]:
    rows = await session.execute(
        select(EntityState.entity_key, EntityState.version, EntityState.contribution).where(
            EntityState.entity_key.startswith(prefix)
        )
    )
    return {key: (version, dict(contribution)) for key, version, contribution in rows}


async def write_audit(
    session: AsyncSession,
    principal: Principal,
    *,
    action: str,
    object_type: str,
    object_id: str,
    detail: str,
) -> None:
    table = platform_tables(Base.metadata).audit_log
    await session.execute(
        table.insert().values(
            occurred_at=utcnow(),
            actor=principal.subject,
            actor_region=principal.region,
            action=action,
            object_type=object_type,
            object_id=object_id[:100],
            reason=detail,
            request_id=current_request_id(),
        )
    )


async def audit_entries(
    session: AsyncSession, object_type: str, object_prefix: str
) -> list[dict[str, Any]]:
    table = platform_tables(Base.metadata).audit_log
    rows = await session.execute(
        select(table)
        .where(table.c.object_type == object_type, table.c.object_id.startswith(object_prefix))
        .order_by(table.c.occurred_at, table.c.id)
    )
    return [dict(row._mapping) for row in rows]
