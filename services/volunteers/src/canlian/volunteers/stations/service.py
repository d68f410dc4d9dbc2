"""Rules of stations and teams: a station's level fits its division, a team and its
members lie within their station's division, a leader is an active member, and nobody leads
a unit they left."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.volunteers import VolunteerStatus
from canlian.volunteers.context import Context
from canlian.volunteers.db import new_id
from canlian.volunteers.stations import repository
from canlian.volunteers.stations.models import Station, Team
from canlian.volunteers.stations.problems import (
    LeaderNotMember,
    OutsideDivision,
    StationLevelMismatch,
    UnitExists,
)
from canlian.volunteers.stations.schemas import StationCreate, StationLevel, TeamCreate
from canlian.volunteers.volunteers.repository import get_volunteer

_ROLE_LEVEL = {
    StationLevel.COUNTY_STATION: divisions.DivisionLevel.COUNTY,
    StationLevel.TOWNSHIP_STATION: divisions.DivisionLevel.TOWNSHIP,
    StationLevel.VILLAGE_POINT: divisions.DivisionLevel.VILLAGE,
}


async def unit_in_scope(
    context: Context, principal: Principal, *, team_id: str | None, station_id: str | None
) -> tuple[Team | None, Station | None]:
    team = None
    station = None
    if team_id is not None:
        team = await repository.get_team(context.session, team_id)
        if team is None or not principal.covers(team.division_code):
            raise OutsideScope(what="志愿服务队 / team")
    if station_id is not None:
        station = await repository.get_station(context.session, station_id)
        if station is None or not principal.covers(station.division_code):
            raise OutsideScope(what="服务站 / station")
    return team, station


def ensure_within(what: str, division: str, unit: str, unit_division: str) -> None:
    if not divisions.is_within(division, unit_division):
        raise OutsideDivision(what=what, division=division, unit=unit, unit_division=unit_division)


async def step_down(context: Context, volunteer_id: str, *, teams: bool, stations: bool) -> None:
    """A team or station is never led by someone who left it."""
    if teams:
        for team in await repository.teams_led_by(context.session, volunteer_id):
            team.leader_volunteer_id = None
            team.version += 1
    if stations:
        for unit in await repository.stations_led_by(context.session, volunteer_id):
            unit.leader_volunteer_id = None
            unit.version += 1


async def _flush_unit(context: Context, what: str, what_en: str, division: str, name: str) -> None:
    """Insert a new station or team; the unique index is the last word on its name."""
    try:
        await context.session.flush()
    except IntegrityError:
        # A concurrent request registered the same name in the division first.
        raise UnitExists(
            division=division, name=name, what=what, what_en=what_en, existing="-"
        ) from None


async def create_station(context: Context, principal: Principal, body: StationCreate) -> Station:
    principal.ensure_covers(body.division_code)
    expected = _ROLE_LEVEL[body.level]
    actual = divisions.level_of(body.division_code)
    if actual != expected:
        raise StationLevelMismatch(
            level=body.level.value,
            expected=expected.name.lower(),
            division=body.division_code,
            actual=actual.name.lower(),
        )
    existing = await repository.station_named(context.session, body.division_code, body.name)
    if existing is not None:
        raise UnitExists(
            division=body.division_code,
            name=body.name,
            what="服务站",
            what_en="station",
            existing=existing.id,
        )
    station = Station(
        id=new_id(),
        name=body.name,
        level=body.level.value,
        division_code=body.division_code,
        leader_volunteer_id=None,
        created_at=utcnow(),
        version=1,
    )
    context.session.add(station)
    await _flush_unit(context, "服务站", "station", body.division_code, body.name)
    return station


async def create_team(context: Context, principal: Principal, body: TeamCreate) -> Team:
    principal.ensure_covers(body.division_code)
    _, station = await unit_in_scope(context, principal, team_id=None, station_id=body.station_id)
    if station is not None:
        ensure_within("志愿服务队 / team", body.division_code, "station", station.division_code)
    existing = await repository.team_named(context.session, body.division_code, body.name)
    if existing is not None:
        raise UnitExists(
            division=body.division_code,
            name=body.name,
            what="志愿服务队",
            what_en="team",
            existing=existing.id,
        )
    team = Team(
        id=new_id(),
        name=body.name,
        division_code=body.division_code,
        station_id=station.id if station else None,
        leader_volunteer_id=None,
        created_at=utcnow(),
        version=1,
    )
    context.session.add(team)
    await _flush_unit(context, "志愿服务队", "team", body.division_code, body.name)
    return team


async def team_in_scope(
    context: Context,
    principal: Principal,
    team_id: str,
    *,
    for_update: bool = False,
    precondition: Precondition | None = None,
) -> Team:
    team = await repository.get_team(
        context.session, team_id, for_update=for_update or precondition is not None
    )
    if team is None:
        raise NotFound(what="志愿服务队 / team", key=team_id)
    if not principal.covers(team.division_code):
        raise OutsideScope(what="志愿服务队 / team")
    if precondition is not None:
        precondition.check(team.version)
    return team


async def assign_leader(
    context: Context,
    principal: Principal,
    team_id: str,
    volunteer_id: str,
    precondition: Precondition,
) -> Team:
    team = await team_in_scope(context, principal, team_id, precondition=precondition)
    principal.ensure_covers(team.division_code)
    volunteer = await get_volunteer(context.session, volunteer_id)
    if (
        volunteer is None
        or volunteer.team_id != team.id
        or volunteer.status != VolunteerStatus.ACTIVE
    ):
        raise LeaderNotMember(volunteer_id=volunteer_id)
    team.leader_volunteer_id = volunteer.id
    team.version += 1
    await context.session.flush()
    return team


async def station_in_scope(
    context: Context,
    principal: Principal,
    station_id: str,
    *,
    for_update: bool = False,
    precondition: Precondition | None = None,
) -> Station:
    station = await repository.get_station(
        context.session, station_id, for_update=for_update or precondition is not None
    )
    if station is None:
        raise NotFound(what="服务站 / station", key=station_id)
    if not principal.covers(station.division_code):
        raise OutsideScope(what="服务站 / station")
    if precondition is not None:
        precondition.check(station.version)
    return station


async def assign_station_leader(
    context: Context,
    principal: Principal,
    station_id: str,
    volunteer_id: str,
    precondition: Precondition,
) -> Station:
    station = await station_in_scope(context, principal, station_id, precondition=precondition)
    volunteer = await get_volunteer(context.session, volunteer_id)
    if (
        volunteer is None
        or volunteer.station_id != station.id
        or volunteer.status != VolunteerStatus.ACTIVE
    ):
        raise LeaderNotMember(volunteer_id=volunteer_id)
    station.leader_volunteer_id = volunteer.id
    station.version += 1
    await context.session.flush()
    return station
