"""Seed 003's yearly rotation and education goals, without storage: township cadres are
trained once every calendar year (每年对乡镇干部轮训一次), beside the five-year plan period's
rotation of every worker; county and township cadres' share with 大专 (college) education or
above is held against the goals (70% county, 50% township) a region may set."""

from __future__ import annotations

from datetime import date

from canlian.common import policy
from canlian.common.divisions import DivisionLevel

ROTATION_SEED = "003: 通过举办干部培训班,每年对乡镇干部轮训一次"

# GB/T 4658: 10 研究生, 20 本科, 30 专科 (大专).
COLLEGE_OR_ABOVE = ("10", "20", "30")

COUNTY = DivisionLevel.COUNTY
TOWNSHIP = DivisionLevel.TOWNSHIP
GOALS: dict[DivisionLevel, policy.Parameter] = {
    COUNTY: policy.COUNTY_COLLEGE_GOAL,
    TOWNSHIP: policy.TOWNSHIP_COLLEGE_GOAL,
}
LEVEL_NAMES = {COUNTY: "county", TOWNSHIP: "township"}


def rotation_year(on: date) -> tuple[date, date]:
    """The calendar year a township cadre's rotation falls in: its first day up to `on`."""
    return date(on.year, 1, 1), on


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
