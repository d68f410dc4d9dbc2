"""Rules of needs: their times, who sees them, closing them as served or cancelled."""

from __future__ import annotations

from datetime import datetime, timedelta

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.volunteers.clock import today_in_china
from canlian.volunteers.context import Context
from canlian.volunteers.db import new_id
from canlian.volunteers.needs import referrals, repository
from canlian.volunteers.needs.models import Need, NeedSkill
from canlian.volunteers.needs.problems import (
    NeedEnded,
    NeedNotOpen,
    NeedTimesInvalid,
    NoVolunteerServed,
    ReferralOnlyByEvent,
)
from canlian.volunteers.needs.schemas import (
    NeedClosing,
    NeedCreate,
    NeedOutcome,
    NeedRequester,
    NeedStatus,
)
from canlian.volunteers.volunteers.models import Volunteer
from canlian.volunteers.weekly_slots import slot_mask

MAX_NEED_SPAN = timedelta(days=31)
NEED_WINDOW_PAST = timedelta(days=366)
NEED_WINDOW_FUTURE = timedelta(days=2 * 366)


async def create_need(context: Context, principal: Principal, body: NeedCreate) -> Need:
    principal.ensure_covers(body.division_code)
    if body.requested_by == NeedRequester.REFERRAL:
        raise ReferralOnlyByEvent()
    now = utcnow()
    if (
        body.ends_at <= body.starts_at
        or body.ends_at - body.starts_at > MAX_NEED_SPAN
        or body.starts_at < now - NEED_WINDOW_PAST
        or body.ends_at > now + NEED_WINDOW_FUTURE
    ):
        raise NeedTimesInvalid()
    need = Need(
        id=new_id(),
        division_code=body.division_code,
        kind=body.kind.value,
        title=body.title,
        description=body.description,
        requested_by=body.requested_by.value,
        organisation_id=body.organisation_id,
        persons=body.persons,
        volunteers_needed=body.volunteers_needed,
        volunteers_accepted=0,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        slot_mask=slot_mask(body.starts_at, body.ends_at),
        status=NeedStatus.OPEN.value,
        closed_at=None,
        close_note=None,
        created_by=principal.subject,
        created_at=utcnow(),
        version=1,
        skills=[NeedSkill(skill=skill.value) for skill in body.skills if skill != body.kind],
    )
    context.session.add(need)
    await context.session.flush()
    return need


async def need_in_scope(
    context: Context,
    principal: Principal,
    need_id: str,
    *,
    for_update: bool = False,
    precondition: Precondition | None = None,
) -> Need:
    need = await repository.get_need(
        context.session, need_id, for_update=for_update or precondition is not None
    )
    if need is None:
        raise NotFound(what="服务需求 / need", key=need_id)
    if not principal.covers(need.division_code):
        raise OutsideScope(what="服务需求 / need")
    if precondition is not None:
        precondition.check(need.version)
    return need


def ensure_open(need: Need, now: datetime) -> None:
    if need.status != NeedStatus.OPEN:
        raise NeedNotOpen(status=need.status)
    if need.ends_at <= now:
        raise NeedEnded()


async def visible_need(
    context: Context, volunteer: Volunteer, need_id: str, *, for_update: bool = False
) -> Need:
    """A need the volunteer may answer: invited to it, or one in their county."""
    need = await repository.get_need(context.session, need_id, for_update=for_update)
    assignment = (
        await repository.get_assignment(context.session, need_id, volunteer.id) if need else None
    )
    nearby = need is not None and divisions.is_within(
        need.division_code, _nearby_scope(volunteer.division_code)
    )
    if need is None or (assignment is None and not nearby):
        raise OutsideScope(what="服务需求 / need")
    return need


def _nearby_scope(code: str) -> str:
    level = divisions.level_of(code)
    if level >= divisions.DivisionLevel.COUNTY:
        return divisions.ancestor_at(code, divisions.DivisionLevel.COUNTY)
    return code


def nearby_prefix(code: str) -> str:
    return divisions.prefix(_nearby_scope(code))


async def close_need(context: Context, principal: Principal, need: Need, body: NeedClosing) -> Need:
    principal.ensure_covers(need.division_code)
    if need.status not in (NeedStatus.OPEN, NeedStatus.MATCHED):
        raise NeedNotOpen(status=need.status)
    if body.outcome == NeedOutcome.SERVED and need.volunteers_accepted == 0:
        raise NoVolunteerServed()
    need.status = (
        NeedStatus.CLOSED.value
        if body.outcome == NeedOutcome.SERVED
        else NeedStatus.CANCELLED.value
    )
    need.closed_at = utcnow()
    need.close_note = body.note
    need.version += 1
    await context.session.flush()
    if need.source_need_id is not None and body.outcome == NeedOutcome.SERVED:
        await referrals.announce_fulfilled(
            context.session, context.outbox, need, today_in_china(need.closed_at)
        )
    return need
