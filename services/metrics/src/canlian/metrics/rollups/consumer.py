"""The consumer `metrics-rollups`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events.base import CloudEvent
from canlian.common.messaging.consumer import PIPELINE_DEPTH
from canlian.common.runtime import DOMAIN_TOPICS, ConsumerSpec
from canlian.metrics.rollups import repository
from canlian.metrics.rollups.classification import classify, park
from canlian.metrics.rollups.engine import Change, apply_changes
from canlian.metrics.rollups.observability import LAG_KEY, ROLLUP_EVENTS


async def rollup_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """The consumer `metrics-rollups`: the runner hands over only events not seen before, in
    one transaction with their inbox rows."""
    changes: list[Change] = []
    parked: list[dict[str, Any]] = []
    ignored = 0
    for event in events:
        outcome = classify(event)
        if isinstance(outcome, str):
            parked.append(park(event, outcome))
        elif outcome:
            changes.extend(outcome)
        else:
            ignored += 1
    await repository.park_events(session, parked)
    result = await apply_changes(session, changes)
    ROLLUP_EVENTS.labels("applied").inc(result.applied)
    ROLLUP_EVENTS.labels("stale").inc(result.stale)
    ROLLUP_EVENTS.labels("ignored").inc(ignored)
    session.info.setdefault(LAG_KEY, []).extend(event.time for event in events)


# Two batches in flight: each entity's stored state is locked and older versions are skipped
# as stale, so a batch committed before an earlier one gives the same rollups.
ROLLUP_CONSUMER = ConsumerSpec(
    "metrics-rollups", DOMAIN_TOPICS, rollup_events, pipeline_depth=PIPELINE_DEPTH
)
