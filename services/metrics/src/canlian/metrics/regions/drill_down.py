"""Drill-down: the regions below with an indicator, largest gap first."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, literal
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.pagination import InvalidCursor, decode_cursor, encode_cursor
from canlian.metrics.catalogue.cache import catalogue_indicator
from canlian.metrics.catalogue.definitions import indicator_counters, indicator_read
from canlian.metrics.catalogue.problems import UnknownIndicator
from canlian.metrics.plans.service import plan_or_none
from canlian.metrics.regions import repository, schemas
from canlian.metrics.regions.evaluation import evaluate_regions
from canlian.metrics.regions.service import (
    child_regions_without_divisions,
    descendant_regions,
    ensure_covers,
    get_region,
    known_region,
    named_region,
)

_STATUS_ORDER = {
    schemas.Status.BEHIND: 0,
    schemas.Status.NO_DATA: 1,
    schemas.Status.NO_TARGET: 2,
    schemas.Status.MET: 3,
}


def by_gap(item: schemas.ChildValue) -> tuple[int, float, str]:
    """Largest shortfall first; then regions with no data, no target, met."""
    value = item.value
    return (_STATUS_ORDER[value.status], -(value.gap or 0.0), item.region.code)


def decode_offset(cursor: str) -> int:
    offset = int(decode_cursor(cursor, [literal(0, Integer)])[0])
    if offset < 0:
        raise InvalidCursor()
    return offset


async def drill_down(
    session: AsyncSession,
    principal: Principal,
    code: str,
    indicator_code: str,
    *,
    plan_code: str | None,
    as_of: date | None,
    milestone: schemas.Milestone,
    offset: int,
    limit: int,
    level: int | None = None,
) -> schemas.DrillDown:
    """Children (or every region of `level` below) with the indicator, largest gap first."""
    ensure_covers(principal, code)
    indicator = await catalogue_indicator(session, indicator_code)
    named_children: dict[str, str] = {}
    live: dict[str, dict[str, int]] | None = None
    if level is None:
        # The region, its children and their live counters in one round trip.
        wanted = indicator_counters(indicator) if indicator is not None and as_of is None else ()
        name, named_children, live = await repository.division_and_children(session, code, wanted)
        region = await known_region(session, code, name, has_counters=False)
    else:
        region = await get_region(session, principal, code)
    if indicator is None:
        raise UnknownIndicator(key=indicator_code)
    plan = await plan_or_none(session, principal, plan_code)
    if level is not None:
        children = await descendant_regions(session, code, level)
    elif named_children:
        children = [named_region(child, name) for child, name in named_children.items()]
    else:
        children = await child_regions_without_divisions(session, code)
        live = None
    values = await evaluate_regions(
        session,
        children,
        [indicator],
        plan=plan,
        as_of=as_of,
        milestone=milestone,
        live_counters=live,
    )
    ranked = sorted(
        (schemas.ChildValue(region=child, value=values[child.code][0]) for child in children),
        key=by_gap,
    )
    page = ranked[offset : offset + limit]
    next_offset = offset + limit if offset + limit < len(ranked) else None
    return schemas.DrillDown(
        region=region,
        indicator=indicator_read(indicator),
        plan=plan.code if plan is not None else None,
        as_of=as_of,
        children=page,
        next_cursor=encode_cursor([next_offset]) if next_offset is not None else None,
    )
