"""Queries about transfer requests; never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.transfers.models import TransferRequest


async def get_request(
    session: AsyncSession, request_id: int, *, lock: bool = False
) -> TransferRequest | None:
    statement = select(TransferRequest).where(TransferRequest.id == request_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(statement)).first()


def requests_query(
    region_prefix: str,
    *,
    incoming: bool,
    status: str | None = None,
    card_id: int | None = None,
) -> Select[Any]:
    """Requests into a region (their target lies in it) or out of it (the card was there)."""
    side = TransferRequest.to_division_code if incoming else TransferRequest.from_division_code
    conditions: list[Any] = [side.startswith(region_prefix)]
    if status is not None:
        conditions.append(TransferRequest.status == status)
    if card_id is not None:
        conditions.append(TransferRequest.card_id == card_id)
    return select(TransferRequest).where(and_(*conditions))
