"""Staffing rules: a township federation (level 4) is one place needing a committee member; an
association (level 5) makes each village it covers a place. Summaries by township need a city
or a county."""

from __future__ import annotations

from canlian.common import divisions
from canlian.members.staffing.problems import RegionTooWide


def check_summary_region(region: str) -> None:
    if divisions.level_of(region) < divisions.DivisionLevel.CITY:
        raise RegionTooWide(region=region)
