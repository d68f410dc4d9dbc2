"""Parked events tried again after a deploy."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events.base import CloudEvent
from canlian.metrics.rollups import repository, schemas
from canlian.metrics.rollups.classification import classify
from canlian.metrics.rollups.engine import Change, apply_changes


async def replay_parked(session: AsyncSession, limit: int) -> schemas.ParkedReplay:
    """Try the parked events again (after a deploy that knows their type or schema): those
    that now apply are rolled up and leave the park; the others stay with their reason."""
    rows = await repository.parked_batch(session, limit)
    changes: list[Change] = []
    released: list[str] = []
    still: dict[str, str] = {}
    for row in rows:
        try:
            event = CloudEvent.model_validate_json(row.envelope)
        except ValidationError:
            still[row.event_id] = "undecodable"
            continue
        outcome = classify(event)
        if isinstance(outcome, str):
            still[row.event_id] = outcome
            continue
        changes.extend(outcome)
        released.append(row.event_id)
    result = await apply_changes(session, changes)
    await repository.unpark(session, released)
    await repository.update_park_reasons(session, still)
    return schemas.ParkedReplay(
        tried=len(rows), applied=len(released), still_parked=len(still), stale=result.stale
    )
