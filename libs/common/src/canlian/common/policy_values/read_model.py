"""A reader's copy of the owners' policy values, kept from their PolicyValueSet events: every
value is kept (history matters for back-dated questions), a replayed event changes nothing,
and the reader resolves the value in force with `policy.effective`, as the owner does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.metadata import utcnow
from canlian.common.events.base import CloudEvent
from canlian.common.events.policies import PolicyValueFields

READ_MODEL_REASON = "read model"


async def keep_values(session: AsyncSession, table: Table, events: Sequence[CloudEvent]) -> int:
    """Store the values the events announce (others are skipped); how many were new."""
    rows: list[dict[str, Any]] = []
    for envelope in events:
        if not envelope.known:
            continue
        payload = envelope.payload()
        if not isinstance(payload, PolicyValueFields):
            continue
        rows.append(
            {
                "parameter": payload.parameter,
                "division_code": payload.division_code,
                "effective_from": payload.effective_from,
                "value": payload.value,
                "set_by": envelope.source[:200],
                "reason": READ_MODEL_REASON,
                "version": payload.version,
                "created_at": utcnow(),
            }
        )
    if not rows:
        return 0
    statement = (
        insert(table)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["parameter", "division_code", "version"])
    )
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)
