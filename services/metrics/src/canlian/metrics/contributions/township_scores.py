"""What the counties' year-end township target scoring counts (metrics' own events): each
township's latest total, so that the average township score is total / townships scored."""

from __future__ import annotations

from datetime import date

from canlian.common.events import metrics
from canlian.metrics.contributions.mappers import (
    COUNTER_DESCRIPTIONS,
    BusinessDates,
    Mapped,
    event_division,
    mapper,
)

# Counters are integers: totals are kept in tenths of a point (scores have one decimal).
TOTAL_TENTHS = "township_scores.total_tenths"
SCORED = "township_scores.townships"

COUNTER_DESCRIPTIONS.update(
    {
        TOTAL_TENTHS: "乡镇目标考核总分之和(0.1分)/ sum of townships' year-end totals, in "
        "tenths of a point",
        SCORED: "已完成年度目标考核的乡镇数 / townships scored at year end",
    }
)

# Versions order a township's results: a later year's replaces an earlier one's, and a
# sheet's later version (below this bound) its earlier one.
SHEET_VERSIONS = 1000


def township_score_key(township_code: str) -> str:
    return f"metrics.township-score:{township_code}"


@mapper(metrics.TownshipsScored)
def township_scores_contribution(event: metrics.TownshipsScored) -> list[Mapped]:
    """One entity per township: its total of the latest year scored, from 31 December of
    that year (the day the indicator items were scored on)."""
    version = event.year * SHEET_VERSIONS + min(event.version, SHEET_VERSIONS - 1)
    dates = BusinessDates(since=date(event.year, 12, 31))
    found = []
    for result in event.results:
        code = event_division(result.township_code)
        contribution = {(code, TOTAL_TENTHS): int(result.total * 10), (code, SCORED): 1}
        found.append(Mapped(township_score_key(code), version, contribution, dates=dates))
    return found
