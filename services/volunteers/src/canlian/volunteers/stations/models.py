"""Stations (县级服务站、乡镇服务站、村/社区服务点) and teams, each with a leader."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.volunteers.db import ID_LENGTH, Base


class Station(Base):
    """志愿服务站(县级服务站、乡镇服务站、村/社区服务点)."""

    __tablename__ = "stations"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(30))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    leader_volunteer_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)

    # The service checks first and explains (409); the index settles concurrent creates.
    __table_args__ = (Index("uq_stations_division_name", "division_code", "name", unique=True),)


class Team(Base):
    """志愿服务队: its leader confirms the members' service records."""

    __tablename__ = "teams"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id"), index=True)
    leader_volunteer_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("uq_teams_division_name", "division_code", "name", unique=True),)
