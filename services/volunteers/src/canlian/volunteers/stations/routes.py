"""Officials' stations (county stations, township stations, village points), teams and
their leaders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging
from canlian.volunteers.bodies import ID_PATTERN
from canlian.volunteers.dependencies import IdPath, Official, RequestContext
from canlian.volunteers.stations import repository, service
from canlian.volunteers.stations.models import Station, Team
from canlian.volunteers.stations.schemas import (
    LeaderAssignment,
    StationCreate,
    StationLevel,
    StationRead,
    TeamCreate,
    TeamRead,
)

router = APIRouter(prefix="/v1")


def station_read(station: Station) -> StationRead:
    return StationRead(
        id=station.id,
        name=station.name,
        level=StationLevel(station.level),
        division_code=station.division_code,
        leader_volunteer_id=station.leader_volunteer_id,
        version=station.version,
    )


def team_read(team: Team) -> TeamRead:
    return TeamRead(
        id=team.id,
        name=team.name,
        division_code=team.division_code,
        station_id=team.station_id,
        leader_volunteer_id=team.leader_volunteer_id,
        version=team.version,
    )


@router.post(
    "/stations",
    status_code=201,
    openapi_extra=created("/v1/stations/{id}"),
    response_model=StationRead,
    tags=["stations"],
    summary="设立志愿服务站 / create a station",
    responses={
        409: {
            "description": "该区划已有同名服务站(队)/ the division has one of that name",
            "content": {"application/problem+json": {}},
        }
    },
)
async def create_station(
    body: StationCreate, context: RequestContext, principal: Official, idempotent: Idempotent
) -> JSONResponse:
    station = await service.create_station(context, principal, body)
    return await idempotent.respond(station_read(station))


@router.get(
    "/stations",
    response_model=Page[StationRead],
    tags=["stations"],
    summary="服务站列表 / stations",
)
async def list_stations(
    context: RequestContext, principal: Official, paging: Paging
) -> Page[StationRead]:
    rows, cursor = await repository.list_stations(
        context.session, paging, region_prefix=principal.region_prefix
    )
    return Page(items=[station_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/stations/{station_id}",
    response_model=StationRead,
    tags=["stations"],
    summary="服务站详情 / a station",
)
async def get_station(
    station_id: IdPath, context: RequestContext, principal: Official, response: Response
) -> StationRead:
    station = await service.station_in_scope(context, principal, station_id)
    response.headers["ETag"] = etag(station.version)
    return station_read(station)


@router.put(
    "/stations/{station_id}/leader",
    response_model=StationRead,
    tags=["stations"],
    summary="设定站长 / set the station's leader",
)
async def set_station_leader(
    station_id: IdPath,
    body: LeaderAssignment,
    context: RequestContext,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> StationRead:
    station = await service.assign_station_leader(
        context, principal, station_id, body.volunteer_id, precondition
    )
    response.headers["ETag"] = etag(station.version)
    return station_read(station)


@router.post(
    "/teams",
    status_code=201,
    openapi_extra=created("/v1/teams/{id}"),
    response_model=TeamRead,
    tags=["teams"],
    summary="组建志愿服务队 / create a team",
    responses={
        409: {
            "description": "该区划已有同名服务站(队)/ the division has one of that name",
            "content": {"application/problem+json": {}},
        }
    },
)
async def create_team(
    body: TeamCreate, context: RequestContext, principal: Official, idempotent: Idempotent
) -> JSONResponse:
    team = await service.create_team(context, principal, body)
    return await idempotent.respond(team_read(team))


@router.get("/teams", response_model=Page[TeamRead], tags=["teams"], summary="服务队列表 / teams")
async def list_teams(
    context: RequestContext,
    principal: Official,
    paging: Paging,
    station_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
) -> Page[TeamRead]:
    rows, cursor = await repository.list_teams(
        context.session, paging, region_prefix=principal.region_prefix, station_id=station_id
    )
    return Page(items=[team_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/teams/{team_id}", response_model=TeamRead, tags=["teams"], summary="服务队详情 / a team"
)
async def get_team(
    team_id: IdPath, context: RequestContext, principal: Official, response: Response
) -> TeamRead:
    team = await service.team_in_scope(context, principal, team_id)
    response.headers["ETag"] = etag(team.version)
    return team_read(team)


@router.put(
    "/teams/{team_id}/leader",
    response_model=TeamRead,
    tags=["teams"],
    summary="设定队长 / set the team leader",
)
async def set_leader(
    team_id: IdPath,
    body: LeaderAssignment,
    context: RequestContext,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> TeamRead:
    team = await service.assign_leader(context, principal, team_id, body.volunteer_id, precondition)
    response.headers["ETag"] = etag(team.version)
    return team_read(team)
