"""Queries on stations and teams. Functions take the request's session and never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.pagination import PageParams, paginate
from canlian.volunteers.stations.models import Station, Team


async def get_station(
    session: AsyncSession, station_id: str, *, for_update: bool = False
) -> Station | None:
    statement = select(Station).where(Station.id == station_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def get_team(session: AsyncSession, team_id: str, *, for_update: bool = False) -> Team | None:
    statement = select(Team).where(Team.id == team_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def list_stations(
    session: AsyncSession, paging: PageParams, *, region_prefix: str
) -> tuple[list[Station], str | None]:
    statement = select(Station).where(Station.division_code.startswith(region_prefix))
    return await paginate(session, statement, [Station.division_code, Station.id], paging)


async def list_teams(
    session: AsyncSession, paging: PageParams, *, region_prefix: str, station_id: str | None
) -> tuple[list[Team], str | None]:
    statement = select(Team).where(Team.division_code.startswith(region_prefix))
    if station_id:
        statement = statement.where(Team.station_id == station_id)
    return await paginate(session, statement, [Team.division_code, Team.id], paging)


async def teams_led_by(session: AsyncSession, volunteer_id: str) -> list[Team]:
    statement = select(Team).where(Team.leader_volunteer_id == volunteer_id).order_by(Team.id)
    return list((await session.scalars(statement)).all())


async def stations_led_by(session: AsyncSession, volunteer_id: str) -> list[Station]:
    statement = (
        select(Station).where(Station.leader_volunteer_id == volunteer_id).order_by(Station.id)
    )
    return list((await session.scalars(statement)).all())


async def station_named(session: AsyncSession, division_code: str, name: str) -> Station | None:
    statement = select(Station).where(Station.division_code == division_code, Station.name == name)
    return (await session.scalars(statement.limit(1))).first()


async def team_named(session: AsyncSession, division_code: str, name: str) -> Team | None:
    statement = select(Team).where(Team.division_code == division_code, Team.name == name)
    return (await session.scalars(statement.limit(1))).first()
