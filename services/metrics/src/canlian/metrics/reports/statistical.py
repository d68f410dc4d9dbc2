"""The statistical report a statistician signs: one plan, one region, one period (a year, the
mid-term, the final), every value as of the period's end, the form's header from the
submission; locked figures come from the accepted snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import division_words
from canlian.common.auth import Principal
from canlian.metrics.catalogue.cache import catalogue
from canlian.metrics.days import BEIJING
from canlian.metrics.plans.models import Plan
from canlian.metrics.plans.service import ensure_in_plan, get_plan
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.regions.evaluation import evaluate_regions
from canlian.metrics.regions.service import get_region, in_words, region_words
from canlian.metrics.reports.problems import InvalidPeriod
from canlian.metrics.submissions.models import Submission
from canlian.metrics.submissions.service import (
    ACCEPTED,
    ensure_year_in_plan,
    milestone_of,
    snapshot_values,
    submission_in_force,
)


@dataclass(frozen=True)
class StatisticalReport:
    region: regions_schemas.RegionRead
    plan: Plan
    year: int
    period: str  # "final", "midterm" or the year
    as_of: date
    milestone: regions_schemas.Milestone
    submission: Submission | None  # the header's source (accepted, else latest)
    locked: bool  # values read from the accepted snapshot
    values: list[regions_schemas.IndicatorValue]
    # The region's level words (旗 / 苏木 / 嘎查 where its divisions are named so).
    words: division_words.RegionWords = division_words.NATIONAL

    @property
    def period_zh(self) -> str:
        if self.period == "final":
            return f"终期评估({self.year} 年)"
        if self.period == "midterm":
            return f"中期评估({self.year} 年)"
        return f"{self.year} 年度"


def period_year(plan: Plan, period: str) -> int:
    if period == "final":
        return plan.end_year
    if period == "midterm":
        return plan.midterm_year
    if not period.isdigit():
        raise InvalidPeriod(period=period[:20])
    year = int(period)
    ensure_year_in_plan(plan, year)
    return year


async def build_statistical_report(
    session: AsyncSession, principal: Principal, code: str, *, plan_code: str, period: str
) -> StatisticalReport:
    region = await get_region(session, principal, code)
    plan = await get_plan(session, principal, plan_code)
    ensure_in_plan(plan, code)
    year = period_year(plan, period)
    as_of = min(date(year, 12, 31), datetime.now(BEIJING).date())
    submission = await submission_in_force(session, plan.code, code, year)
    locked = submission is not None and submission.status == ACCEPTED
    milestone = milestone_of(plan, year)
    if submission is not None and locked:
        values = snapshot_values(submission)
    else:
        indicators = (await catalogue(session)).indicators
        values = (
            await evaluate_regions(
                session, [region], indicators, plan=plan, as_of=as_of, milestone=milestone
            )
        )[code]
    words = await region_words(session, region)
    values = in_words(values, words)
    with_target = [value for value in values if value.target is not None]
    return StatisticalReport(
        region=region,
        plan=plan,
        year=year,
        period=period,
        as_of=as_of,
        milestone=milestone,
        submission=submission,
        locked=locked,
        values=with_target or values,
        words=words,
    )
