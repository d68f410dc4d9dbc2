"""Queries of the `policy_values` table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.db.dialect import insert_missing
from canlian.common.policy import SetValue, Values


def _set_value(row: Any) -> SetValue:
    return SetValue(
        division_code=row.division_code,
        effective_from=row.effective_from,
        value=Decimal(row.value),
        version=row.version,
    )


async def values_of(session: AsyncSession, table: Table, names: Iterable[str]) -> Values:
    """Every stored value of the parameters (the table holds few rows: regions that set one)."""
    wanted = sorted(set(names))
    rows = await session.execute(select(table).where(table.c.parameter.in_(wanted)))
    by_name: dict[str, list[SetValue]] = {}
    for row in rows:
        by_name.setdefault(row.parameter, []).append(_set_value(row))
    return Values(by_name)


async def lineage_values(
    session: AsyncSession, table: Table, name: str, division_code: str
) -> list[SetValue]:
    """The values of the parameter the region and its ancestors set."""
    rows = await session.execute(
        select(table).where(
            table.c.parameter == name,
            table.c.division_code.in_(divisions.lineage(division_code)),
        )
    )
    return [_set_value(row) for row in rows]


async def history(
    session: AsyncSession, table: Table, name: str, division_code: str
) -> list[Row[tuple[object, ...]]]:
    """The region's own values of the parameter, oldest version first."""
    rows = await session.execute(
        select(table)
        .where(table.c.parameter == name, table.c.division_code == division_code)
        .order_by(table.c.version)
    )
    return list(rows)


async def lock_region(session: AsyncSession, name: str, division_code: str) -> None:
    """Serialise writers of one region's parameter until the transaction ends (PostgreSQL):
    two writers that read the same version cannot both write the next one."""
    if session.get_bind().dialect.name == "postgresql":
        key = f"policy_values|{name}|{division_code}"
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))


async def region_version(session: AsyncSession, table: Table, name: str, division_code: str) -> int:
    """The version of the region's values of the parameter (0: it set none)."""
    found = await session.scalar(
        select(func.max(table.c.version)).where(
            table.c.parameter == name, table.c.division_code == division_code
        )
    )
    return int(found or 0)


async def add_value(
    session: AsyncSession,
    table: Table,
    *,
    name: str,
    division_code: str,
    effective_from: date,
    value: Decimal,
    set_by: str,
    reason: str,
    version: int,
    created_at: datetime,
) -> None:
    await session.execute(
        table.insert().values(
            parameter=name,
            division_code=division_code,
            effective_from=effective_from,
            value=value,
            set_by=set_by,
            reason=reason,
            version=version,
            created_at=created_at,
        )
    )


async def coming_into_force(
    session: AsyncSession, table: Table, names: Iterable[str], after: date, until: date
) -> list[tuple[str, str]]:
    """(parameter, region) of the values whose date falls in (after, until]: set earlier for
    a later date, they come into force without anyone writing."""
    rows = await session.execute(
        select(table.c.parameter, table.c.division_code)
        .where(
            table.c.parameter.in_(sorted(set(names))),
            table.c.effective_from > after,
            table.c.effective_from <= until,
        )
        .distinct()
        .order_by(table.c.parameter, table.c.division_code)
    )
    return [(name, code) for name, code in rows]


async def claim_run(session: AsyncSession, runs: Table, day: date, now: datetime) -> bool:
    """Claim the day's in-force run; False when it ran (or runs) already that day. A second
    replica's insert waits for the first one's transaction and then finds the day taken."""
    claimed = await insert_missing(
        session,
        runs,
        ["run_on"],
        [{"run_on": day, "ran_at": now, "values_in_force": 0, "changed": 0}],
        returning="run_on",
    )
    return bool(claimed)


async def last_run_before(session: AsyncSession, runs: Table, day: date) -> date | None:
    """The latest day a run was claimed before `day` (None: never)."""
    found: date | None = await session.scalar(
        select(func.max(runs.c.run_on)).where(runs.c.run_on < day)
    )
    return found


async def record_run(
    session: AsyncSession, runs: Table, day: date, values_in_force: int, changed: int
) -> None:
    await session.execute(
        update(runs)
        .where(runs.c.run_on == day)
        .values(values_in_force=values_in_force, changed=changed)
    )
