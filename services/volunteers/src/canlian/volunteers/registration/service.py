"""Rules of registration: one volunteer per phone and per citizen ID, within the caller's
region and the unit's division; changes, leaving (which ends leadership and frees accepted
places) and rejoining with one's history."""

from __future__ import annotations

from collections.abc import Sequence

from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.events.volunteers import (
    RegistrationChannel,
    Skill,
    VolunteerChanged,
    VolunteerLeft,
    VolunteerRegistered,
    VolunteerStatus,
)
from canlian.common.personal_data import mask_citizen_id, mask_name, mask_phone
from canlian.volunteers.clock import today_in_china
from canlian.volunteers.context import Context
from canlian.volunteers.needs.assignments import withdraw_from_open_needs
from canlian.volunteers.registration.problems import (
    AlreadyRegistered,
    CitizenIdAlreadyRegistered,
    EmptyUpdate,
    NotLeft,
    PhoneAlreadyRegistered,
    SubjectNotUsable,
)
from canlian.volunteers.registration.schemas import (
    ProfileUpdate,
    SelfRegistration,
    StationRegistration,
    VolunteerUpdate,
)
from canlian.volunteers.stations import repository as stations_repository
from canlian.volunteers.stations.service import ensure_within, step_down, unit_in_scope
from canlian.volunteers.volunteers import repository
from canlian.volunteers.volunteers.models import Volunteer, VolunteerSkill
from canlian.volunteers.volunteers.service import ensure_active, snapshot, touch
from canlian.volunteers.weekly_slots import availability_mask


def _set_skills(volunteer: Volunteer, skills: Sequence[Skill]) -> None:
    wanted = {skill.value for skill in skills}
    kept = [item for item in volunteer.skills if item.skill in wanted]
    have = {item.skill for item in kept}
    volunteer.skills = kept + [VolunteerSkill(skill=skill) for skill in sorted(wanted - have)]


async def _check_unique_identity(
    context: Context, *, phone: str | None, citizen_id: str | None, except_id: str | None
) -> None:
    if phone is not None and await repository.phone_taken(
        context.session, context.personal_data.index(phone), except_id
    ):
        raise PhoneAlreadyRegistered()
    if citizen_id is not None and await repository.citizen_id_taken(
        context.session, context.personal_data.index(citizen_id)
    ):
        raise CitizenIdAlreadyRegistered()


async def register(
    context: Context,
    principal: Principal,
    body: SelfRegistration,
    *,
    volunteer_id: str,
    channel: RegistrationChannel,
) -> Volunteer:
    principal.ensure_covers(body.division_code)
    if await repository.get_volunteer(context.session, volunteer_id) is not None:
        raise AlreadyRegistered()
    await _check_unique_identity(
        context, phone=body.phone, citizen_id=body.citizen_id, except_id=None
    )
    team = station = None
    if isinstance(body, StationRegistration):
        team, station = await unit_in_scope(
            context, principal, team_id=body.team_id, station_id=body.station_id
        )
    if team is not None:
        ensure_within("志愿者 / volunteer", body.division_code, "team", team.division_code)
    if station is not None:
        ensure_within("志愿者 / volunteer", body.division_code, "station", station.division_code)
    now = utcnow()
    protector = context.personal_data
    volunteer = Volunteer(
        id=volunteer_id,
        division_code=body.division_code,
        status=VolunteerStatus.ACTIVE.value,
        channel=channel.value,
        name_encrypted=protector.encrypt(body.name),
        name_masked=mask_name(body.name),
        phone_encrypted=protector.encrypt(body.phone),
        phone_index=protector.index(body.phone),
        phone_masked=mask_phone(body.phone),
        citizen_id_encrypted=protector.encrypt(body.citizen_id) if body.citizen_id else None,
        citizen_id_index=protector.index(body.citizen_id) if body.citizen_id else None,
        citizen_id_masked=mask_citizen_id(body.citizen_id) if body.citizen_id else None,
        availability_mask=availability_mask(body.availability),
        team_id=team.id if team else None,
        station_id=station.id if station else None,
        sign_language_trained=False,
        star_level=0,
        confirmed_minutes=0,
        person_times=0,
        registered_on=today_in_china(now),
        left_on=None,
        leave_reason=None,
        created_at=now,
        updated_at=now,
        version=1,
        skills=[VolunteerSkill(skill=skill.value) for skill in body.skills],
    )
    context.session.add(volunteer)
    await context.session.flush()
    await context.outbox.add(
        context.session, VolunteerRegistered(**snapshot(volunteer).model_dump())
    )
    return volunteer


def validate_subject(subject: str) -> str:
    if not 1 <= len(subject) <= 64 or not all(
        character.isascii() and (character.isalnum() or character in "-_.") for character in subject
    ):
        raise SubjectNotUsable()
    return subject


async def update_profile(
    context: Context, principal: Principal, volunteer: Volunteer, body: ProfileUpdate
) -> Volunteer:
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise EmptyUpdate()
    ensure_active(volunteer)
    if "phone" in changes and body.phone is not None:
        await _check_unique_identity(
            context, phone=body.phone, citizen_id=None, except_id=volunteer.id
        )
        protector = context.personal_data
        volunteer.phone_encrypted = protector.encrypt(body.phone)
        volunteer.phone_index = protector.index(body.phone)
        volunteer.phone_masked = mask_phone(body.phone)
    if body.skills is not None:
        _set_skills(volunteer, body.skills)
    if body.availability is not None:
        volunteer.availability_mask = availability_mask(body.availability)
    if isinstance(body, VolunteerUpdate):
        await _apply_official_changes(context, principal, volunteer, body, changes)
    touch(volunteer)
    await context.session.flush()
    await context.outbox.add(context.session, VolunteerChanged(**snapshot(volunteer).model_dump()))
    return volunteer


async def _apply_official_changes(
    context: Context,
    principal: Principal,
    volunteer: Volunteer,
    body: VolunteerUpdate,
    changes: dict[str, object],
) -> None:
    if body.division_code is not None:
        principal.ensure_covers(body.division_code)
        volunteer.division_code = body.division_code
    team, station = await unit_in_scope(
        context, principal, team_id=body.team_id, station_id=body.station_id
    )
    if "team_id" in changes and volunteer.team_id != (team.id if team else None):
        await step_down(context, volunteer.id, teams=True, stations=False)
        volunteer.team_id = team.id if team else None
    if "station_id" in changes and volunteer.station_id != (station.id if station else None):
        await step_down(context, volunteer.id, teams=False, stations=True)
        volunteer.station_id = station.id if station else None
    if volunteer.team_id is not None:
        current = team or await stations_repository.get_team(context.session, volunteer.team_id)
        assert current is not None
        ensure_within("志愿者 / volunteer", volunteer.division_code, "team", current.division_code)
    if volunteer.station_id is not None:
        current_station = station or await stations_repository.get_station(
            context.session, volunteer.station_id
        )
        assert current_station is not None
        ensure_within(
            "志愿者 / volunteer", volunteer.division_code, "station", current_station.division_code
        )


async def leave(context: Context, volunteer: Volunteer, reason: str) -> Volunteer:
    ensure_active(volunteer)
    volunteer.status = VolunteerStatus.LEFT.value
    volunteer.left_on = today_in_china()
    volunteer.leave_reason = reason
    await step_down(context, volunteer.id, teams=True, stations=True)
    await withdraw_from_open_needs(context, volunteer.id, reason)
    touch(volunteer)
    await context.session.flush()
    await context.outbox.add(context.session, VolunteerLeft(**snapshot(volunteer).model_dump()))
    return volunteer


async def rejoin(context: Context, volunteer: Volunteer) -> Volunteer:
    """能进能出: a volunteer who left comes back with their history (hours, stars)."""
    if volunteer.status == VolunteerStatus.ACTIVE:
        raise NotLeft(volunteer_id=volunteer.id)
    volunteer.status = VolunteerStatus.ACTIVE.value
    volunteer.left_on = None
    volunteer.leave_reason = None
    touch(volunteer)
    await context.session.flush()
    await context.outbox.add(context.session, VolunteerChanged(**snapshot(volunteer).model_dump()))
    return volunteer
