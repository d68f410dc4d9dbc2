"""Drill-down: the regions below with an indicator, largest gap first."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, literal
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.pagination import InvalidCursor, decode_cursor, encode_cursor
from canlian.metrics.catalogue.cache import catalogue_indicator
from canlian.metrics.catalogue.definitions import (
    AnyIndicator,
    expression_counters,
    indicator_counters,
    indicator_read,
    is_count,
)
from canlian.metrics.catalogue.problems import UnknownIndicator
from canlian.metrics.catalogue.schemas import IndicatorKind
from canlian.metrics.divisions.known import division_label
from canlian.metrics.hierarchy import LevelNotBelow
from canlian.metrics.plans import repository as plans_repository
from canlian.metrics.plans.models import Plan
from canlian.metrics.plans.service import plan_or_none
from canlian.metrics.rankings import keeping as rankings
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


async def target_scopes(
    session: AsyncSession,
    plan: Plan | None,
    indicator: AnyIndicator,
    code: str,
    level: int,
    milestone: schemas.Milestone,
) -> list[repository.TargetScope] | None:
    """The targets that apply to the regions of `level` below `code`, deepest first, as
    `regions.evaluation` chooses them (`plans.inheritance.deepest`); None when one of them is
    apportioned (each region's share needs its villages: the ranking is left to Python)."""
    if plan is None:
        return []
    found = {
        target.id: target
        for target in [
            *await plans_repository.targets_on_lineage(session, plan.code, divisions.lineage(code)),
            *await plans_repository.targets_below(session, plan.code, divisions.prefix(code)),
        ]
        if target.indicator_code == indicator.code
    }
    counts = is_count(indicator)
    ranked = []
    for target in found.values():
        set_at = int(divisions.level_of(target.division_code))
        if target.applies_to_level not in (0, level) or set_at > level:
            continue
        if target.apportionment is not None and set_at != level:
            return None
        if counts and not target.applies_to_level and set_at != level:
            continue  # a count belongs to its region: it does not reach the regions below
        value = target.final_value
        if milestone is schemas.Milestone.MIDTERM and target.midterm_value is not None:
            value = target.midterm_value
        ranked.append(
            (
                (-set_at, 0 if target.applies_to_level else 1),
                repository.TargetScope(
                    divisions.prefix(target.division_code), target.comparator, value
                ),
            )
        )
    return [scope for _, scope in sorted(ranked, key=lambda item: item[0])]


async def ranked_page(
    session: AsyncSession,
    plan: Plan | None,
    indicator: AnyIndicator,
    code: str,
    level: int,
    *,
    milestone: schemas.Milestone,
    offset: int,
    limit: int,
) -> list[schemas.RegionRead] | None:
    """One page of the regions of `level` below `code` (limit + 1 of them, to tell whether
    more follow) ranked in the database: a live derived indicator against targets that are
    not apportioned, read off the kept ranking (rankings.keeping) when the plan has one for
    the level, else ranked live. None when the ranking is left to Python (apportioned
    targets, or the division read model holds no region of that level there)."""
    if level <= divisions.level_of(code):
        raise LevelNotBelow(region=await division_label(session, code))
    if indicator.kind != IndicatorKind.DERIVED:
        return None
    scopes = await target_scopes(session, plan, indicator, code, level, milestone)
    if scopes is None:
        return None
    rows = (
        await rankings.page(
            session,
            plan_code=plan.code,
            indicator_code=indicator.code,
            level=level,
            prefix=divisions.prefix(code),
            midterm=milestone is schemas.Milestone.MIDTERM,
            offset=offset,
            limit=limit + 1,
        )
        if plan is not None
        else None
    )
    if rows is None:
        rows = await _ranked_live(session, indicator, code, level, scopes, offset, limit + 1)
    if not rows and offset == 0:
        return None
    return [named_region(child, name) for child, name in rows]


async def _ranked_live(
    session: AsyncSession,
    indicator: AnyIndicator,
    code: str,
    level: int,
    scopes: list[repository.TargetScope],
    offset: int,
    limit: int,
) -> list[tuple[str, str]]:
    return await repository.ranked_at_level(
        session,
        prefix=divisions.prefix(code),
        level=level,
        numerator=expression_counters(indicator.numerator),
        denominator=expression_counters(indicator.denominator),
        factor=indicator.factor,
        scopes=scopes,
        offset=offset,
        limit=limit,
    )


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
    page_regions = (
        await ranked_page(
            session, plan, indicator, code, level, milestone=milestone, offset=offset, limit=limit
        )
        if level is not None and as_of is None
        else None
    )
    if page_regions is not None:
        # Ranked in the database: only the page's regions are evaluated here.
        shown = page_regions[:limit]
        values = await evaluate_regions(
            session, shown, [indicator], plan=plan, as_of=None, milestone=milestone
        )
        more = len(page_regions) > limit
        return schemas.DrillDown(
            region=region,
            indicator=indicator_read(indicator),
            plan=plan.code if plan is not None else None,
            as_of=None,
            children=[
                schemas.ChildValue(region=child, value=values[child.code][0]) for child in shown
            ],
            next_cursor=encode_cursor([offset + limit]) if more else None,
        )
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
