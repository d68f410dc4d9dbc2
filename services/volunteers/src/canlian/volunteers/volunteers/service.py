"""The volunteer as every concept meets them: found in the caller's scope, active or not,
changed (version and time), and stated as the snapshot every volunteer event carries."""

from __future__ import annotations

from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.volunteers import (
    RegistrationChannel,
    Skill,
    VolunteerSnapshot,
    VolunteerStatus,
)
from canlian.volunteers.context import Context
from canlian.volunteers.volunteers import repository
from canlian.volunteers.volunteers.models import Volunteer
from canlian.volunteers.volunteers.problems import NotRegistered, VolunteerHasLeft


def snapshot(volunteer: Volunteer) -> VolunteerSnapshot:
    skills = sorted(Skill(item.skill) for item in volunteer.skills)
    return VolunteerSnapshot(
        volunteer_id=volunteer.id,
        version=volunteer.version,
        division_code=volunteer.division_code,
        status=VolunteerStatus(volunteer.status),
        channel=RegistrationChannel(volunteer.channel),
        skills=skills,
        sign_language=Skill.SIGN_LANGUAGE in skills,
        sign_language_trained=volunteer.sign_language_trained,
        team_id=volunteer.team_id,
        station_id=volunteer.station_id,
        star_level=volunteer.star_level,
        confirmed_minutes=volunteer.confirmed_minutes,
        person_times=volunteer.person_times,
        registered_on=volunteer.registered_on,
        left_on=volunteer.left_on,
    )


def touch(volunteer: Volunteer) -> None:
    volunteer.version += 1
    volunteer.updated_at = utcnow()


async def own_volunteer(
    context: Context,
    principal: Principal,
    *,
    for_update: bool = False,
    precondition: Precondition | None = None,
) -> Volunteer:
    """The caller's own registration; with a precondition, at the version they read."""
    volunteer = await repository.get_volunteer(
        context.session, principal.subject, for_update=for_update or precondition is not None
    )
    if volunteer is None:
        raise NotRegistered()
    if precondition is not None:
        precondition.check(volunteer.version)
    return volunteer


async def volunteer_in_scope(
    context: Context,
    principal: Principal,
    volunteer_id: str,
    *,
    for_update: bool = False,
    precondition: Precondition | None = None,
) -> Volunteer:
    """A volunteer in the caller's region; with a precondition, locked and at the version
    the caller read."""
    volunteer = await repository.get_volunteer(
        context.session, volunteer_id, for_update=for_update or precondition is not None
    )
    if volunteer is None:
        raise NotFound(what="志愿者 / volunteer", key=volunteer_id)
    if not principal.covers(volunteer.division_code):
        raise OutsideScope(what="志愿者 / volunteer")
    if precondition is not None:
        precondition.check(volunteer.version)
    return volunteer


def ensure_active(volunteer: Volunteer) -> None:
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise VolunteerHasLeft(volunteer_id=volunteer.id)
