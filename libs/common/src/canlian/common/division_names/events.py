"""What a service's division names consumer does with the registry's events."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.division_names.repository import keep_names
from canlian.common.events import org_registry
from canlian.common.events.base import CloudEvent
from canlian.common.messaging.consumer import EventBatchHandler

CONSUMED_TOPICS = (org_registry.TOPIC,)


def names_keeper(table: Table) -> EventBatchHandler:
    """Every name a `DivisionChanged` gives (a rename, a new division, the last name of one
    merged away) is kept; other events are skipped."""

    async def keep(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        names: list[tuple[str, str, int, int]] = []
        for envelope in events:
            if not envelope.known:
                continue
            payload = envelope.payload()
            if isinstance(payload, org_registry.DivisionChanged):
                names.append((payload.code, payload.name, payload.level, payload.version))
        await keep_names(session, table, names)

    return keep
