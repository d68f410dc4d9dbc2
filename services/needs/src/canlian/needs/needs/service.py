"""Recording needs from every channel: the household within the caller's region; a need of
a category the household already has open is merged into it (a further report, not a second
need); a petition dated in the future is refused and its statutory deadlines are set."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from canlian.common import divisions
from canlian.common.business_day import china_today
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.common.events.needs import (
    Channel,
    NeedAssessed,
    NeedClosed,
    NeedDeadlineMissed,
    NeedEscalated,
    NeedMerged,
    NeedRated,
    NeedRecorded,
    NeedReferred,
    NeedReopened,
    NeedStatus,
    ReferralTarget,
    Satisfaction,
    ServiceKind,
)
from canlian.needs.context import Context
from canlian.needs.db import new_id
from canlian.needs.households import service as households
from canlian.needs.households.models import Household
from canlian.needs.needs import deadlines, repository
from canlian.needs.needs.models import Need
from canlian.needs.needs.problems import (
    ChannelDetailsRequired,
    PetitionInFuture,
    VisitNeedsComeFromVisits,
)
from canlian.needs.needs.schemas import NeedCreate

_CHANNEL_ZH = {Channel.HOTLINE: "12385 热线来电", Channel.PETITION: "网络信访"}


async def need_in_scope(context: Context, need_id: str, *, for_update: bool = False) -> Need:
    need = await repository.get(context.session, need_id, for_update=for_update)
    if need is None or not context.principal.covers(need.division_code):
        raise OutsideScope(what="服务需求")
    return need


def snapshot(need: Need) -> dict[str, Any]:
    return {
        "need_id": need.id,
        "version": need.version,
        "household_id": need.household_id,
        "division_code": need.division_code,
        "category": ServiceKind(need.category),
        "channel": Channel(need.channel),
        "status": NeedStatus(need.status),
        "recorded_on": need.recorded_on,
        "due_on": need.due_on,
        "reports": len(need.reports),
        "referral_target": ReferralTarget(need.referral_target) if need.referral_target else None,
        "platform_id": need.platform_id,
        "petition_acceptance_due": need.petition_acceptance_due,
        "petition_closing_due": need.petition_closing_due,
        "closed_on": need.closed_on,
        "closed_within_deadline": need.closed_within_deadline,
        "satisfaction": Satisfaction(need.satisfaction) if need.satisfaction else None,
        "handling_division": need.handling_division,
        "escalations": need.escalations,
        "assessed_on": need.assessed_on,
        "overdue": need.overdue,
        "acceptance_overdue": need.acceptance_overdue,
    }


NeedEvent = (
    type[NeedRecorded]
    | type[NeedMerged]
    | type[NeedAssessed]
    | type[NeedReferred]
    | type[NeedClosed]
    | type[NeedRated]
    | type[NeedReopened]
    | type[NeedEscalated]
    | type[NeedDeadlineMissed]
)


async def announce(context: Context, need: Need, event_type: NeedEvent) -> None:
    await context.outbox.add(context.session, event_type(**snapshot(need)))


def _report(channel: Channel, on: date, visit_id: str | None) -> dict[str, str]:
    report = {"channel": channel.value, "on": on.isoformat()}
    if visit_id is not None:
        report["visit_id"] = visit_id
    return report


async def _merge_or_new(
    context: Context,
    household: Household,
    category: ServiceKind,
    channel: Channel,
    description: str,
    *,
    visit_id: str | None = None,
    due_on: date | None = None,
    **details: Any,
) -> tuple[Need, bool]:
    today = china_today()
    existing = await repository.open_need(context.session, household.id, category.value)
    if existing is not None:
        existing.reports = [*existing.reports, _report(channel, today, visit_id)]
        existing.version += 1
        existing.updated_at = utcnow()
        await context.session.flush()
        await announce(context, existing, NeedMerged)
        return existing, True
    now = utcnow()
    need = Need(
        id=new_id(),
        household_id=household.id,
        division_code=household.division_code,
        category=category.value,
        channel=channel.value,
        description=description,
        status=NeedStatus.OPEN.value,
        recorded_on=today,
        due_on=due_on or today + timedelta(days=context.settings.need_step_days),
        reports=[_report(channel, today, visit_id)],
        visit_id=visit_id,
        # The township's federation answers first (the household's village lies within it).
        handling_division=divisions.ancestor_at(
            household.division_code, divisions.DivisionLevel.TOWNSHIP
        ),
        escalations=0,
        overdue=False,
        acceptance_overdue=False,
        created_by=context.principal.subject,
        created_at=now,
        updated_at=now,
        version=1,
        **details,
    )
    context.session.add(need)
    await context.session.flush()
    await announce(context, need, NeedRecorded)
    return need, False


async def _details(context: Context, body: NeedCreate, division_code: str) -> dict[str, Any]:
    if body.channel == Channel.HOTLINE:
        if body.hotline is None:
            raise ChannelDetailsRequired(
                channel=body.channel.value, channel_zh=_CHANNEL_ZH[body.channel], field="hotline"
            )
        call = body.hotline
        return {
            "caller_ciphertext": context.personal_data.encrypt(call.caller),
            "called_at": call.called_at,
            "operator": call.operator,
            "call_summary": call.summary,
        }
    if body.channel == Channel.PETITION:
        if body.petition is None:
            raise ChannelDetailsRequired(
                channel=body.channel.value, channel_zh=_CHANNEL_ZH[body.channel], field="petition"
            )
        received = body.petition.received_on
        if received > china_today():
            raise PetitionInFuture(received_on=received)
        acceptance_due = await deadlines.petition_acceptance_due(
            context.session, division_code, received
        )
        return {
            "petition_received_on": received,
            "petition_acceptance_due": acceptance_due,
            # The latest it may close: accepted on the last day allowed.
            "petition_closing_due": await deadlines.petition_closing_due(
                context.session, division_code, acceptance_due
            ),
        }
    if body.channel == Channel.VOLUNTEER:
        return {"volunteer_id": body.volunteer_id}
    return {}


async def record(context: Context, body: NeedCreate) -> tuple[Need, bool]:
    """A new need, or the household's open need of that category with one more report."""
    if body.channel == Channel.VISIT:
        raise VisitNeedsComeFromVisits()
    # The household's row lock keeps two reports of one need from becoming two needs.
    household = await households.household_in_scope(context, body.household_id, for_update=True)
    details = await _details(context, body, household.division_code)
    # A petition's first step is its acceptance, due by the statutory deadline.
    due_on = details.get("petition_acceptance_due")
    return await _merge_or_new(
        context, household, body.category, body.channel, body.description, due_on=due_on, **details
    )


async def record_found_on_visit(
    context: Context, household: Household, visit_id: str, category: ServiceKind, description: str
) -> Need:
    need, _ = await _merge_or_new(
        context, household, category, Channel.VISIT, description, visit_id=visit_id
    )
    return need
