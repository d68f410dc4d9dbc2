"""Needs and assignments as response bodies."""

from __future__ import annotations

from typing import Any

from canlian.common.events.volunteers import Skill
from canlian.volunteers.needs.models import Assignment, Need
from canlian.volunteers.needs.schemas import (
    AssignmentRead,
    AssignmentStatus,
    NeedBrief,
    NeedRead,
    NeedRequester,
    NeedStatus,
)


def need_read(need: Need) -> NeedRead:
    return NeedRead(
        id=need.id,
        division_code=need.division_code,
        kind=Skill(need.kind),
        skills=[Skill(item.skill) for item in need.skills],
        title=need.title,
        description=need.description,
        requested_by=NeedRequester(need.requested_by),
        organisation_id=need.organisation_id,
        persons=need.persons,
        volunteers_needed=need.volunteers_needed,
        volunteers_accepted=need.volunteers_accepted,
        starts_at=need.starts_at,
        ends_at=need.ends_at,
        status=NeedStatus(need.status),
        source_need_id=need.source_need_id,
        version=need.version,
    )


def assignment_read(assignment: Assignment) -> AssignmentRead:
    return AssignmentRead(
        need_id=assignment.need_id,
        volunteer_id=assignment.volunteer_id,
        status=AssignmentStatus(assignment.status),
        decline_reason=assignment.decline_reason,
    )


def need_brief(row: Any) -> NeedBrief:
    """A row of `repository.needs_for_volunteer` as the app lists it."""
    return NeedBrief(
        id=row.id,
        division_code=row.division_code,
        kind=Skill(row.kind),
        title=row.title,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=NeedStatus(row.status),
        invited=bool(row.invited),
    )
