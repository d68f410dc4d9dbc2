"""The statistical report: a region and the levels below it with the chosen indicators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import division_words, divisions
from canlian.common.auth import Principal
from canlian.metrics.catalogue import repository as catalogue_repository
from canlian.metrics.catalogue.models import Indicator
from canlian.metrics.catalogue.problems import UnknownIndicator
from canlian.metrics.plans import repository as plans_repository
from canlian.metrics.plans.models import Plan
from canlian.metrics.plans.service import plan_or_none
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.regions.evaluation import evaluate_regions
from canlian.metrics.regions.service import child_regions, get_region, in_words, region_words
from canlian.metrics.reports.problems import ReportTooLarge

REPORT_ROW_LIMIT = 5000


@dataclass(frozen=True)
class Report:
    region: regions_schemas.RegionRead
    plan: Plan | None
    as_of: date | None
    milestone: regions_schemas.Milestone
    indicators: list[Indicator]
    # level -> [(region, values in indicator order)]
    levels: dict[int, list[tuple[regions_schemas.RegionRead, list[regions_schemas.IndicatorValue]]]]
    # The region's level words: its sheets and indicator names say 旗 / 苏木 / 嘎查 where it does.
    words: division_words.RegionWords = division_words.NATIONAL


async def build_report(
    session: AsyncSession,
    principal: Principal,
    code: str,
    *,
    plan_code: str | None,
    as_of: date | None,
    milestone: regions_schemas.Milestone,
    depth: int,
    indicator_codes: Sequence[str],
) -> Report:
    """The region and `depth` levels below it, each region with every chosen indicator (by
    default the plan's indicators with a target, or the whole catalogue without a plan)."""
    region = await get_region(session, principal, code)
    plan = await plan_or_none(session, principal, plan_code)
    catalogue = await catalogue_repository.all_indicators(session)
    if indicator_codes:
        by_code = {indicator.code: indicator for indicator in catalogue}
        chosen = []
        for wanted in indicator_codes:
            if wanted not in by_code:
                raise UnknownIndicator(key=wanted)
            chosen.append(by_code[wanted])
    elif plan is not None:
        with_target = {
            target.indicator_code
            for target in await plans_repository.targets_on_lineage(
                session, plan.code, divisions.lineage(code)
            )
        } | {
            target.indicator_code
            for target in await plans_repository.targets_below(
                session, plan.code, divisions.prefix(code)
            )
        }
        chosen = [indicator for indicator in catalogue if indicator.code in with_target]
        chosen = chosen or catalogue
    else:
        chosen = catalogue
    tiers: list[list[regions_schemas.RegionRead]] = [[region]]
    total = 1
    for _ in range(depth):
        below: list[regions_schemas.RegionRead] = []
        for parent in tiers[-1]:
            below.extend(await child_regions(session, parent.code))
        if not below:
            break
        total += len(below)
        if total > REPORT_ROW_LIMIT:
            raise ReportTooLarge(rows=total, limit=REPORT_ROW_LIMIT)
        tiers.append(below)
    words = await region_words(session, region)
    levels: dict[
        int, list[tuple[regions_schemas.RegionRead, list[regions_schemas.IndicatorValue]]]
    ] = {}
    for tier in tiers:
        values = await evaluate_regions(
            session, tier, chosen, plan=plan, as_of=as_of, milestone=milestone
        )
        for item in tier:
            levels.setdefault(item.level, []).append((item, in_words(values[item.code], words)))
    return Report(region, plan, as_of, milestone, chosen, levels, words)
