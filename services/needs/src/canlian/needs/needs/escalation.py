"""Overdue needs escalate (逐级督办): the federation one level up answers for each need past
its due date, with a new due date, up to the province. Run by a scheduler or an official, for
a region; running it again the same day changes nothing (nothing is overdue any more)."""

from __future__ import annotations

from datetime import timedelta

from canlian.common import divisions
from canlian.common.business_day import china_today
from canlian.common.db.metadata import utcnow
from canlian.common.events.needs import NeedEscalated
from canlian.needs.context import Context
from canlian.needs.needs import repository
from canlian.needs.needs.models import Need
from canlian.needs.needs.service import announce

BATCH = 500


async def escalate_overdue(context: Context, division: str) -> list[Need]:
    context.principal.ensure_covers(division)
    today = china_today()
    escalated: list[Need] = []
    for need in await repository.overdue(context.session, divisions.prefix(division), today, BATCH):
        above = divisions.parent(need.handling_division)
        if above is None or divisions.level_of(above) < divisions.DivisionLevel.PROVINCE:
            continue  # the province answers; nothing above it escalates
        need.handling_division = above
        need.escalations += 1
        need.due_on = today + timedelta(days=context.settings.need_step_days)
        need.version += 1
        need.updated_at = utcnow()
        escalated.append(need)
    await context.session.flush()
    for need in escalated:
        await announce(context, need, NeedEscalated)
    return escalated
