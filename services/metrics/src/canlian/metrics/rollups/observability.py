"""The rollups' metrics: events by outcome, parked events and the lag to the rollup commit."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy.ext.asyncio import AsyncSession

ROLLUP_LAG = Histogram(
    "canlian_metrics_rollup_lag_seconds",
    "Seconds from the source event's commit to the rollup commit",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600),
)


ROLLUP_LAG_LAST = Gauge(
    "canlian_metrics_rollup_lag_last_seconds", "Lag of the newest event in the last batch"
)


ROLLUP_EVENTS = Counter(
    "canlian_metrics_rollup_events_total",
    "Events seen by the rollups by outcome (applied, stale, ignored, parked)",
    ["outcome"],
)


PARKED_EVENTS = Counter(
    "canlian_metrics_events_parked_total", "Events parked by the rollups", ["reason"]
)


LAG_KEY = "canlian.metrics.lag_sources"


def observe_lag(session: AsyncSession) -> None:
    """After-commit hook: seconds from each source event's time to this commit."""
    sources: list[datetime] = session.info.pop(LAG_KEY, [])
    if not sources:
        return
    now = datetime.now(UTC)
    for source in sources:
        ROLLUP_LAG.observe(max((now - source).total_seconds(), 0.0))
    ROLLUP_LAG_LAST.set(max((now - max(sources)).total_seconds(), 0.0))
