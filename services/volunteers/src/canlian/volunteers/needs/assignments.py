"""Volunteers' answers to needs: invitations, accepting (one place each, never two needs at
once), declining or withdrawing, and withdrawal from every need on leaving."""

from __future__ import annotations

from collections.abc import Sequence

from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.volunteers.context import Context
from canlian.volunteers.needs import repository
from canlian.volunteers.needs.models import Assignment, Need
from canlian.volunteers.needs.problems import (
    NeedFull,
    NeedNotOpen,
    NothingToDecline,
    OverlappingNeed,
)
from canlian.volunteers.needs.schemas import AssignmentStatus, NeedStatus
from canlian.volunteers.needs.service import ensure_open
from canlian.volunteers.volunteers.models import Volunteer
from canlian.volunteers.volunteers.service import ensure_active, volunteer_in_scope


async def invite(
    context: Context, principal: Principal, need: Need, volunteer_ids: Sequence[str]
) -> list[Assignment]:
    principal.ensure_covers(need.division_code)
    now = utcnow()
    ensure_open(need, now)
    result: list[Assignment] = []
    for volunteer_id in dict.fromkeys(volunteer_ids):
        volunteer = await volunteer_in_scope(context, principal, volunteer_id)
        ensure_active(volunteer)
        assignment = await repository.get_assignment(context.session, need.id, volunteer.id)
        if assignment is None:
            assignment = Assignment(
                need_id=need.id,
                volunteer_id=volunteer.id,
                status=AssignmentStatus.INVITED.value,
                decline_reason=None,
                invited_by=principal.subject,
                created_at=now,
                responded_at=None,
            )
            context.session.add(assignment)
        result.append(assignment)
    await context.session.flush()
    return result


async def accept(
    context: Context, volunteer: Volunteer, need: Need, precondition: Precondition
) -> Assignment:
    """Accepting names the version of the need the volunteer read (places left, times): a
    need changed since answers 412, read again."""
    ensure_active(volunteer)
    now = utcnow()
    assignment = await repository.get_assignment(context.session, need.id, volunteer.id)
    if assignment is not None and assignment.status == AssignmentStatus.ACCEPTED:
        return assignment  # accepting twice changes nothing, a retry with the old tag too
    precondition.check(need.version)
    ensure_open(need, now)
    if need.volunteers_accepted >= need.volunteers_needed:
        raise NeedFull(needed=need.volunteers_needed)
    clash = await repository.overlapping_accepted_need(
        context.session, volunteer.id, need.starts_at, need.ends_at, need.id
    )
    if clash is not None:
        raise OverlappingNeed(need_id=clash)
    if assignment is None:
        assignment = Assignment(
            need_id=need.id,
            volunteer_id=volunteer.id,
            invited_by=None,
            created_at=now,
        )
        context.session.add(assignment)
    assignment.status = AssignmentStatus.ACCEPTED.value
    assignment.decline_reason = None
    assignment.responded_at = now
    need.volunteers_accepted += 1
    if need.volunteers_accepted >= need.volunteers_needed:
        need.status = NeedStatus.MATCHED.value
    need.version += 1
    await context.session.flush()
    return assignment


async def decline(
    context: Context, volunteer: Volunteer, need: Need, reason: str, precondition: Precondition
) -> Assignment:
    precondition.check(need.version)
    assignment = await repository.get_assignment(context.session, need.id, volunteer.id)
    if assignment is None or assignment.status == AssignmentStatus.DECLINED:
        raise NothingToDecline()
    if assignment.status == AssignmentStatus.ACCEPTED:
        if need.status not in (NeedStatus.OPEN, NeedStatus.MATCHED):
            raise NeedNotOpen(status=need.status)
        # Withdrawing frees the place for someone else.
        need.volunteers_accepted -= 1
        if need.status == NeedStatus.MATCHED:
            need.status = NeedStatus.OPEN.value
        need.version += 1
    assignment.status = AssignmentStatus.DECLINED.value
    assignment.decline_reason = reason
    assignment.responded_at = utcnow()
    await context.session.flush()
    return assignment


async def withdraw_from_open_needs(context: Context, volunteer_id: str, reason: str) -> None:
    """Places the volunteer accepted on needs still to be served open up again."""
    now = utcnow()
    for assignment, need in await repository.accepted_open_assignments(
        context.session, volunteer_id
    ):
        assignment.status = AssignmentStatus.DECLINED.value
        assignment.decline_reason = reason
        assignment.responded_at = now
        need.volunteers_accepted -= 1
        need.status = NeedStatus.OPEN.value
        need.version += 1
