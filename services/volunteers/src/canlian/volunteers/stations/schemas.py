"""Stations, teams and leaders as the API takes and shows them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from canlian.common.divisions import KnownDivisionCode
from canlian.common.values import HumanText
from canlian.volunteers.bodies import ID_PATTERN, InputBody, OutputBody


class StationLevel(StrEnum):
    COUNTY_STATION = "county_station"  # 县级志愿服务站
    TOWNSHIP_STATION = "township_station"  # 乡镇(街道)志愿服务站
    VILLAGE_POINT = "village_point"  # 村(社区)志愿服务点


class StationCreate(InputBody):
    name: HumanText = Field(max_length=200, description="名称 / name")
    level: StationLevel = Field(
        description="层级 / county station, township station, village point"
    )
    division_code: KnownDivisionCode = Field(description="所在区划代码 / division code")


class StationRead(OutputBody):
    id: str
    name: str
    level: StationLevel
    division_code: str
    leader_volunteer_id: str | None
    version: int


class TeamCreate(InputBody):
    name: HumanText = Field(max_length=200, description="队名 / team name")
    division_code: KnownDivisionCode = Field(description="所在区划代码 / division code")
    station_id: str | None = Field(default=None, max_length=64, description="所属服务站 / station")


class TeamRead(OutputBody):
    id: str
    name: str
    division_code: str
    station_id: str | None
    leader_volunteer_id: str | None = Field(description="队长志愿者编号 / leader's volunteer id")
    version: int


class LeaderAssignment(InputBody):
    volunteer_id: str = Field(
        min_length=1, max_length=64, pattern=ID_PATTERN, description="负责人 / the new leader"
    )
