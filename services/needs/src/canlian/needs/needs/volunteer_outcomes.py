"""Needs referred to the volunteers close when the volunteers service announces them served
(`ReferredNeedFulfilled`, read through the inbox): outcome recorded and the deadline judged
as an official's closing is, announced as `NeedClosed`. A petition waits for its reply to
the petitioner, which only an official gives; anything no longer referred to the volunteers
(closed, sent elsewhere meanwhile) is left as it is."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.metadata import platform_tables, utcnow
from canlian.common.events.base import CloudEvent
from canlian.common.events.needs import Channel, NeedClosed, NeedStatus, ReferralTarget
from canlian.common.events.volunteers import ReferredNeedFulfilled
from canlian.common.messaging.outbox import Outbox
from canlian.needs.db import Base
from canlian.needs.needs import repository
from canlian.needs.needs.service import snapshot
from canlian.needs.needs.workflow import record_closing

CONSUMER = "needs-volunteer-outcomes"

logger = logging.getLogger("canlian.needs.volunteer_outcomes")

# The consumer has no request runtime; it writes to the same outbox table directly.
_CONSUMER_OUTBOX = Outbox(platform_tables(Base.metadata), source="/canlian/needs")


async def apply_volunteer_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    for envelope in events:
        if not envelope.known:
            continue
        payload = envelope.payload()
        if isinstance(payload, ReferredNeedFulfilled):
            await _close_fulfilled(session, payload)
    await session.flush()


async def _close_fulfilled(session: AsyncSession, fulfilled: ReferredNeedFulfilled) -> None:
    need = await repository.get(session, fulfilled.source_need_id, for_update=True)
    if (
        need is None
        or need.status != NeedStatus.REFERRED.value
        or need.referral_target != ReferralTarget.VOLUNTEERS.value
    ):
        return
    if need.channel == Channel.PETITION.value:
        logger.info("petition %s served by volunteers; an official replies and closes", need.id)
        return
    # Served before the referral cannot be: the day it went to the volunteers at the earliest.
    closed_on = max(fulfilled.fulfilled_on, need.referred_on or need.recorded_on)
    record_closing(need, closed_on, fulfilled.outcome)
    need.version += 1
    need.updated_at = utcnow()
    await session.flush()
    await _CONSUMER_OUTBOX.add(session, NeedClosed(**snapshot(need)))
