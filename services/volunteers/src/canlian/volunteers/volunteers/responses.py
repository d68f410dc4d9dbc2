"""Volunteers' rows as response bodies."""

from __future__ import annotations

from canlian.common.events.volunteers import RegistrationChannel, Skill, VolunteerStatus
from canlian.volunteers.clock import hours_of
from canlian.volunteers.volunteers.models import Volunteer
from canlian.volunteers.volunteers.schemas import VolunteerRead, VolunteerSummary
from canlian.volunteers.weekly_slots import availability_slots


def volunteer_read(volunteer: Volunteer) -> VolunteerRead:
    return VolunteerRead(
        id=volunteer.id,
        division_code=volunteer.division_code,
        name=volunteer.name_masked,
        status=VolunteerStatus(volunteer.status),
        skills=sorted(Skill(item.skill) for item in volunteer.skills),
        star_level=volunteer.star_level,
        confirmed_hours=hours_of(volunteer.confirmed_minutes),
        channel=RegistrationChannel(volunteer.channel),
        phone=volunteer.phone_masked,
        citizen_id=volunteer.citizen_id_masked,
        availability=availability_slots(volunteer.availability_mask),
        team_id=volunteer.team_id,
        station_id=volunteer.station_id,
        sign_language_trained=volunteer.sign_language_trained,
        person_times=volunteer.person_times,
        registered_on=volunteer.registered_on,
        left_on=volunteer.left_on,
        version=volunteer.version,
    )


def volunteer_summary(volunteer: Volunteer) -> VolunteerSummary:
    return VolunteerSummary(
        id=volunteer.id,
        division_code=volunteer.division_code,
        name=volunteer.name_masked,
        status=VolunteerStatus(volunteer.status),
        skills=sorted(Skill(item.skill) for item in volunteer.skills),
        star_level=volunteer.star_level,
        confirmed_hours=hours_of(volunteer.confirmed_minutes),
    )
