"""Overdue needs escalate (逐级督办): the federation one level up answers for each need past
its due date, with a new due date, up to the province. Run by an official for a region, and
by the workers' daily job for the whole country; running it again the same day changes
nothing (nothing is overdue any more), and the daily job claims its day, so it runs once."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from canlian.common import divisions
from canlian.common.auth import ADMIN, Principal
from canlian.common.business_day import china_today
from canlian.common.db.metadata import utcnow
from canlian.common.events.needs import Channel, NeedDeadlineMissed, NeedEscalated
from canlian.needs.context import Context
from canlian.needs.needs import repository
from canlian.needs.needs.models import Need
from canlian.needs.needs.service import announce
from canlian.needs.settings import NeedsSettings

if TYPE_CHECKING:
    from canlian.common.runtime import ServiceRuntime

BATCH = 500
JOB = "needs-escalation"
# Who the daily job's changes are by: the whole country, no person.
SCHEDULER = Principal(
    subject="scheduler:needs-escalation", roles=frozenset({ADMIN}), region=divisions.NATION
)


async def mark_past_deadline(context: Context, division: str) -> list[Need]:
    """Marks the needs found open past a deadline today and announces each (the indicators
    count them late from this event on, not only once they close); a need is marked once per
    round, so a second run the same day marks nothing."""
    context.principal.ensure_covers(division)
    today = china_today()
    marked: list[Need] = []
    prefix = divisions.prefix(division)
    for need in await repository.newly_past_deadline(context.session, prefix, today, BATCH):
        if (need.petition_closing_due or need.due_on) < today:
            need.overdue = True
        acceptance_due = need.petition_acceptance_due
        unaccepted = need.channel == Channel.PETITION.value and need.assessed_on is None
        if unaccepted and acceptance_due is not None and acceptance_due < today:
            need.acceptance_overdue = True
        need.version += 1
        need.updated_at = utcnow()
        marked.append(need)
    await context.session.flush()
    for need in marked:
        await announce(context, need, NeedDeadlineMissed)
    return marked


async def escalate_overdue(context: Context, division: str) -> list[Need]:
    context.principal.ensure_covers(division)
    # Marked before escalating: an escalation moves the due date on.
    while await mark_past_deadline(context, division):
        pass
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


async def escalate_daily(runtime: ServiceRuntime) -> int:
    """Today's escalation across the country, once a China-time day: the first replica to
    claim the day runs it in the same transaction (a failed run releases the claim for the
    next try); how many needs it escalated."""
    settings = runtime.settings
    assert isinstance(settings, NeedsSettings)
    today = china_today()
    async with runtime.database.session() as session:
        if not await repository.claim_escalation_day(session, today, utcnow()):
            return 0
        context = Context(session, SCHEDULER, runtime.outbox, runtime.personal_data, settings)
        escalated = 0
        # Escalated needs are due again later, so each batch takes new ones until none is left.
        while batch := await escalate_overdue(context, divisions.NATION):
            escalated += len(batch)
        await repository.record_escalation_run(session, today, escalated)
    return escalated
