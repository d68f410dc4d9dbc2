"""An indicator over time: year by year over a plan, day by day over a range."""

from __future__ import annotations

from collections import Counter as Multiset
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.metrics.catalogue import schemas as catalogue_schemas
from canlian.metrics.catalogue.definitions import derived_value, indicator_counters, indicator_read
from canlian.metrics.catalogue.service import get_indicator
from canlian.metrics.days import BEIJING
from canlian.metrics.plans import repository as plans_repository
from canlian.metrics.plans.inheritance import VILLAGES_COUNTER, deepest, share_of
from canlian.metrics.plans.service import plan_or_none
from canlian.metrics.regions import repository, schemas
from canlian.metrics.regions.evaluation import count_indicators, villages_for
from canlian.metrics.regions.problems import InvalidRange, NotDerivedIndicator
from canlian.metrics.regions.service import get_region


async def trend(
    session: AsyncSession, principal: Principal, code: str, indicator_code: str, plan_code: str
) -> schemas.Trend:
    """The value at the end of each plan year (or today for the current year) and the target
    in force that year (mid-term target up to the mid-term year, then the final one)."""
    region = await get_region(session, principal, code)
    indicator = await get_indicator(session, indicator_code)
    plan = await plan_or_none(session, principal, plan_code)
    assert plan is not None
    today = datetime.now(BEIJING).date()
    lineage = divisions.lineage(code)
    target = deepest(
        await plans_repository.targets_on_lineage(session, plan.code, lineage),
        lineage,
        count_indicators([indicator]),
    ).get(indicator.code)
    share: float | None = 1.0
    if target is not None:
        own = await repository.counter_values(session, [code], {VILLAGES_COUNTER})
        share = share_of(target, code, await villages_for(session, [target], own, None))
    reported = dict(
        (await repository.reported_values(session, [code], {indicator.code}, plan.end_year)).get(
            (code, indicator.code), []
        )
    )
    counters = indicator_counters(indicator)
    changes = (
        await repository.daily_changes(
            session, code, counters, min(date(plan.end_year, 12, 31), today)
        )
        if counters
        else []
    )
    points: list[schemas.TrendPoint] = []
    running: Multiset[str] = Multiset()
    position = 0
    for year in range(plan.start_year, plan.end_year + 1):
        year_end = date(year, 12, 31)
        as_of = min(year_end, today)
        if date(year, 1, 1) > today:
            value: float | None = None
        elif indicator.kind == catalogue_schemas.IndicatorKind.REPORTED:
            value = reported.get(year)
        else:
            while position < len(changes) and changes[position][0] <= as_of:
                running[changes[position][1]] += changes[position][2]
                position += 1
            value = derived_value(indicator, running)[0]
        target_value: float | None = None
        if target is not None and share is not None:
            target_value = target.final_value
            if year <= plan.midterm_year and target.midterm_value is not None:
                target_value = target.midterm_value
            target_value = round(target_value * share, 4)
        points.append(schemas.TrendPoint(year=year, as_of=as_of, value=value, target=target_value))
    return schemas.Trend(
        region=region, indicator=indicator_read(indicator), plan=plan.code, points=points
    )


async def daily_values(
    session: AsyncSession,
    principal: Principal,
    code: str,
    indicator_code: str,
    start: date,
    end: date,
) -> list[schemas.DailyPoint]:
    """The indicator at the end of every day of a range (the daily snapshots of an
    evaluation), from the counter journal."""
    if not start <= end or (end - start).days > 365:
        raise InvalidRange(start=start, end=end)
    await get_region(session, principal, code)
    indicator = await get_indicator(session, indicator_code)
    names = indicator_counters(indicator)
    if indicator.kind == catalogue_schemas.IndicatorKind.REPORTED or not names:
        raise NotDerivedIndicator(indicator=indicator.code)
    opening = (await repository.counter_values(session, [code], names, start - timedelta(days=1)))[
        code
    ]
    running: Multiset[str] = Multiset(opening)
    changes = [
        item
        for item in await repository.daily_changes(session, code, names, end)
        if item[0] >= start
    ]
    points: list[schemas.DailyPoint] = []
    position = 0
    day = start
    while day <= end:
        while position < len(changes) and changes[position][0] <= day:
            running[changes[position][1]] += changes[position][2]
            position += 1
        value, numerator, denominator = derived_value(indicator, running)
        points.append(
            schemas.DailyPoint(day=day, value=value, numerator=numerator, denominator=denominator)
        )
        day += timedelta(days=1)
    return points
