"""The verification look-up by the number's keyed hash, and its audit row; never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.cards.models import Card
from canlian.common.auth import Principal
from canlian.common.db.metadata import PlatformTables, utcnow
from canlian.common.log import current_request_id


async def cards_by_number_index(session: AsyncSession, number_index: str) -> list[Card]:
    rows = await session.scalars(
        select(Card).where(Card.number_index == number_index).order_by(Card.id.desc())
    )
    return list(rows)


async def record_audit(
    session: AsyncSession,
    tables: PlatformTables,
    principal: Principal,
    *,
    action: str,
    object_type: str,
    object_id: str,
    reason: str,
) -> None:
    """An audit row in the same transaction as what it records."""
    await session.execute(
        tables.audit_log.insert().values(
            occurred_at=utcnow(),
            actor=principal.subject,
            actor_region=principal.region,
            action=action,
            object_type=object_type,
            object_id=object_id,
            reason=reason,
            request_id=current_request_id(),
        )
    )
