"""Queries of plans, targets, reported values and their audit trail. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.db.dialect import (
    upsert_replacing,
)
from canlian.common.db.metadata import platform_tables, utcnow
from canlian.common.log import current_request_id
from canlian.metrics.db import Base, chunks
from canlian.metrics.plans.models import Plan, PlanTarget, ReportedValue


async def plan(session: AsyncSession, code: str, *, lock: bool = False) -> Plan | None:
    return await session.get(Plan, code, with_for_update=lock, populate_existing=lock)


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


async def recorded_values(
    session: AsyncSession, keys: Sequence[tuple[str, str, int]]
) -> dict[tuple[str, str, int], tuple[float | None, int | None, int | None]]:
    """(indicator, region, year) -> what is stored now, for the keys that have one: (value,
    None, None) for a value reported alone, (None, numerator, denominator) for counts."""
    found: dict[tuple[str, str, int], tuple[float | None, int | None, int | None]] = {}
    wanted = set(keys)
    for chunk in chunks(sorted({code for code, _, _ in wanted})):
        rows = await session.execute(
            select(
                ReportedValue.indicator_code,
                ReportedValue.division_code,
                ReportedValue.year,
                ReportedValue.value,
                ReportedValue.numerator,
                ReportedValue.denominator,
            ).where(ReportedValue.indicator_code.in_(list(chunk)))
        )
        for code, region, year, value, numerator, denominator in rows:
            if (code, region, year) in wanted:
                found[(code, region, year)] = (
                    (None, numerator, denominator) if numerator is not None else (value, None, None)
                )
    return found


async def save_reported_values(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = upsert_replacing(
        session,
        ReportedValue.__table__,  # type: ignore[arg-type]
        ["indicator_code", "division_code", "year"],
        ["value", "numerator", "denominator", "plan_code", "submitted_by", "submitted_at"],
    )
    for chunk in chunks(list(rows)):
        await session.execute(statement, list(chunk))


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
