"""The members service's appointment events keep the read model; a member's area is the
places their held posts serve."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.events.base import CloudEvent
from canlian.common.events.members import AppointmentSnapshot, MemberKind
from canlian.needs.committee_members import repository
from canlian.needs.committee_members.models import CommitteePost
from canlian.needs.committee_members.problems import (
    NoPostHeld,
    OutsideMemberArea,
    UnknownCommitteeMember,
)


async def apply_appointment_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """Keep the newest snapshot of each committee member's appointment; an event whose
    version is not newer than the stored one is stale and ignored."""
    newest: dict[str, AppointmentSnapshot] = {}
    for envelope in events:
        if not envelope.known:
            continue
        payload = envelope.payload()
        if not isinstance(payload, AppointmentSnapshot):
            continue
        if payload.member_kind != MemberKind.COMMITTEE_MEMBER:
            continue
        kept = newest.get(payload.appointment_id)
        if kept is None or payload.version > kept.version:
            newest[payload.appointment_id] = payload
    if not newest:
        return
    stored = await repository.posts_by_id(session, sorted(newest))
    now = datetime.now(UTC)
    for appointment_id, snapshot in newest.items():
        post = stored.get(appointment_id)
        if post is not None and post.version >= snapshot.version:
            continue
        if post is None:
            post = CommitteePost(appointment_id=appointment_id)
            session.add(post)
        post.member_id = snapshot.member_id
        post.version = snapshot.version
        post.division_code = snapshot.division_code
        post.holds_post = snapshot.holds_post
        # Older events carry no served places: the organisation's division stands for them.
        post.served_divisions = sorted(snapshot.served_divisions or [snapshot.division_code])
        post.updated_at = now
    await session.flush()


async def _served_places(session: AsyncSession, member_id: str) -> list[str]:
    return sorted(
        {
            place
            for post in await repository.posts_of(session, member_id)
            if post.holds_post
            for place in post.served_divisions
        }
    )


async def member_area(session: AsyncSession, member_id: str) -> list[str]:
    """The places the member's held posts serve (422 when they hold none)."""
    places = await _served_places(session, member_id)
    if not places:
        raise UnknownCommitteeMember(member_id=member_id)
    return places


async def own_area(session: AsyncSession, member_id: str) -> list[str]:
    """The places a member's own token reaches: 403 once they hold no post (an official
    naming such a member sends bad input, 422; the member themselves is refused)."""
    places = await _served_places(session, member_id)
    if not places:
        raise NoPostHeld(member_id=member_id)
    return places


async def ensure_serves(session: AsyncSession, member_id: str, division_code: str) -> None:
    """A member visits only where one of their posts serves (403 elsewhere)."""
    area = await member_area(session, member_id)
    if not any(divisions.is_within(division_code, place) for place in area):
        raise OutsideMemberArea(member_id=member_id, division_code=division_code)
