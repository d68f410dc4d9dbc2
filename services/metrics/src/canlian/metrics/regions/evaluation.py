"""Every indicator of a region: its value, the target in force, status and gap."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.metrics import hierarchy
from canlian.metrics.catalogue import schemas as catalogue_schemas
from canlian.metrics.catalogue.cache import catalogue
from canlian.metrics.catalogue.definitions import (
    AnyIndicator,
    derived_value,
    indicator_counters,
    is_count,
)
from canlian.metrics.days import BEIJING
from canlian.metrics.plans import repository as plans_repository
from canlian.metrics.plans import schemas as plans_schemas
from canlian.metrics.plans.inheritance import VILLAGES_COUNTER, deepest, share_of
from canlian.metrics.plans.models import Plan, PlanTarget
from canlian.metrics.plans.service import plan_or_none
from canlian.metrics.regions import repository, schemas
from canlian.metrics.regions.reported import ReportedFigure, reported_figures
from canlian.metrics.regions.service import (
    ensure_covers,
    get_region,
    in_words,
    known_region,
    region_words,
)


def judge(
    comparator: plans_schemas.Comparator, target: float, value: float | None
) -> tuple[schemas.Status, float | None]:
    """Status and gap (how far from the target; 0 when met)."""
    if value is None:
        return schemas.Status.NO_DATA, None
    if comparator is plans_schemas.Comparator.GE:
        gap = max(target - value, 0.0)
    elif comparator is plans_schemas.Comparator.LE:
        gap = max(value - target, 0.0)
    else:
        gap = abs(value - target)
    gap = round(gap, 4)
    return (schemas.Status.MET if gap == 0 else schemas.Status.BEHIND), gap


def count_indicators(indicators: Iterable[AnyIndicator]) -> frozenset[str]:
    """Codes of the indicators whose targets are counts: they are not inherited whole."""
    return frozenset(indicator.code for indicator in indicators if is_count(indicator))


def _target_read(
    target: PlanTarget | None,
    milestone: schemas.Milestone,
    region: str,
    villages: Mapping[str, int],
) -> schemas.TargetRead | None:
    if target is None:
        return None
    value = target.final_value
    if milestone is schemas.Milestone.MIDTERM and target.midterm_value is not None:
        value = target.midterm_value
    share = share_of(target, region, villages)
    if share is None:
        return None
    apportioned = target.apportionment is not None and target.division_code != region
    return schemas.TargetRead(
        comparator=plans_schemas.Comparator(target.comparator),
        value=round(value * share, 4),
        milestone=milestone,
        set_on=target.division_code,
        applies_to=hierarchy.Level.of(target.applies_to_level),
        share=round(share, 6) if apportioned else None,
    )


async def villages_for(
    session: AsyncSession,
    chosen: Iterable[PlanTarget],
    known: Mapping[str, Mapping[str, int]],
    as_of: date | None,
) -> dict[str, int]:
    """Villages (and communities) of every region an apportioned target needs: the regions
    already read (`known` counters) and the regions the targets were set on."""
    villages = {code: values.get(VILLAGES_COUNTER, 0) for code, values in known.items()}
    missing = sorted(
        {t.division_code for t in chosen if t.apportionment is not None} - set(villages)
    )
    if missing:
        read = await repository.counter_values(session, missing, {VILLAGES_COUNTER}, as_of)
        villages.update({code: values.get(VILLAGES_COUNTER, 0) for code, values in read.items()})
    return villages


def _value_of(
    indicator: AnyIndicator,
    counters: Mapping[str, int],
    reported: ReportedFigure | None,
    target: PlanTarget | None,
    milestone: schemas.Milestone,
    region: str,
    villages: Mapping[str, int],
) -> schemas.IndicatorValue:
    period: int | None = None
    completeness: schemas.Completeness | None = None
    if indicator.kind == catalogue_schemas.IndicatorKind.REPORTED:
        numerator = denominator = None
        value: float | None = None
        if reported is not None:
            period, value = reported.period, reported.value
            numerator, denominator = reported.numerator, reported.denominator
            completeness = reported.completeness
    else:
        value, numerator, denominator = derived_value(indicator, counters)
    target_read = _target_read(target, milestone, region, villages)
    if target_read is None:
        status, gap = (
            (schemas.Status.NO_DATA if value is None else schemas.Status.NO_TARGET),
            None,
        )
    else:
        status, gap = judge(target_read.comparator, target_read.value, value)
    return schemas.IndicatorValue(
        indicator=indicator.code,
        name_zh=indicator.name_zh,
        name_en=indicator.name_en,
        kind=catalogue_schemas.IndicatorKind(indicator.kind),
        unit=catalogue_schemas.IndicatorUnit(indicator.unit),
        value=value,
        numerator=numerator,
        denominator=denominator,
        period=period,
        target=target_read,
        status=status,
        gap=gap,
        completeness=completeness,
    )


def _until_year(plan: Plan | None, as_of: date | None) -> int:
    year = (as_of or datetime.now(BEIJING).date()).year
    return min(year, plan.end_year) if plan is not None else year


async def region_indicators(
    session: AsyncSession,
    principal: Principal,
    code: str,
    *,
    plan_code: str | None,
    as_of: date | None,
    milestone: schemas.Milestone,
) -> schemas.RegionIndicators:
    ensure_covers(principal, code)
    indicators = await catalogue(session)
    if as_of is None:
        # The region and its live counters in one round trip.
        name, counters = await repository.division_with_counters(session, code)
        region = await known_region(session, code, name, has_counters=bool(counters))
    else:
        region = await get_region(session, principal, code)
        counters = (
            await repository.counter_values(
                session, [code], indicators.counters | {VILLAGES_COUNTER}, as_of
            )
        )[code]
    plan = await plan_or_none(session, principal, plan_code)
    reported = (
        await reported_figures(session, [code], indicators.indicators, _until_year(plan, as_of))
        if indicators.reported
        else {}
    )
    lineage = divisions.lineage(code)
    targets = (
        deepest(
            await plans_repository.targets_on_lineage(session, plan.code, lineage),
            lineage,
            count_indicators(indicators.indicators),
        )
        if plan is not None
        else {}
    )
    villages = await villages_for(session, targets.values(), {code: counters}, as_of)
    words = await region_words(session, region)
    return schemas.RegionIndicators(
        region=region,
        plan=plan.code if plan is not None else None,
        as_of=as_of,
        indicators=in_words(
            [
                _value_of(
                    indicator,
                    counters,
                    reported.get((code, indicator.code)),
                    targets.get(indicator.code),
                    milestone,
                    code,
                    villages,
                )
                for indicator in indicators.indicators
            ],
            words,
        ),
        level_names={
            hierarchy.LEVEL_NAMES[level]: words.level_name(level)
            for level in range(max(region.level, 1), divisions.DivisionLevel.VILLAGE + 1)
        },
    )


async def evaluate_regions(
    session: AsyncSession,
    regions: Sequence[schemas.RegionRead],
    indicators: Sequence[AnyIndicator],
    *,
    plan: Plan | None,
    as_of: date | None,
    milestone: schemas.Milestone,
    live_counters: Mapping[str, Mapping[str, int]] | None = None,
) -> dict[str, list[schemas.IndicatorValue]]:
    """Every indicator for every region, with each region's inherited or own targets.
    `live_counters`: the regions' live counter values when the caller has read them already."""
    codes = [region.code for region in regions]
    if live_counters is not None and as_of is None:
        counters = live_counters
    else:
        needed = set().union(*(indicator_counters(indicator) for indicator in indicators))
        counters = await repository.counter_values(session, codes, needed, as_of)
    counts = count_indicators(indicators)
    reported = await reported_figures(session, codes, indicators, _until_year(plan, as_of))
    targets: list[PlanTarget] = []
    if plan is not None:
        lineages = {code for region in regions for code in divisions.lineage(region.code)}
        targets = await plans_repository.targets_on_lineage(session, plan.code, sorted(lineages))
    chosen = {code: deepest(targets, divisions.lineage(code), counts) for code in codes}
    villages: dict[str, int] = {}
    if any(t.apportionment for by_code in chosen.values() for t in by_code.values()):
        region_villages = await repository.counter_values(session, codes, {VILLAGES_COUNTER}, as_of)
        villages = await villages_for(
            session,
            (t for by_code in chosen.values() for t in by_code.values()),
            region_villages,
            as_of,
        )
    result: dict[str, list[schemas.IndicatorValue]] = {}
    for code in codes:
        result[code] = [
            _value_of(
                indicator,
                counters.get(code, {}),
                reported.get((code, indicator.code)),
                chosen[code].get(indicator.code),
                milestone,
                code,
                villages,
            )
            for indicator in indicators
        ]
    return result
