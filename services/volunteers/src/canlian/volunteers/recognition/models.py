"""Trainings, honours and star policies."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.volunteers.db import ID_LENGTH, Base


class Training(Base):
    """培训记录 (e.g. sign-language training)."""

    __tablename__ = "trainings"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[int] = mapped_column(Integer)
    completed_on: Mapped[date] = mapped_column(Date)
    certificate_no: Mapped[str | None] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Honour(Base):
    """荣誉表彰."""

    __tablename__ = "honours"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteers.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    awarded_by: Mapped[str] = mapped_column(String(200))
    awarded_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StarPolicy(Base):
    """星级标准: hours for stars 1-5 in a region; the nearest ancestor's policy applies."""

    __tablename__ = "star_policies"

    division_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    star1_hours: Mapped[int] = mapped_column(Integer)
    star2_hours: Mapped[int] = mapped_column(Integer)
    star3_hours: Mapped[int] = mapped_column(Integer)
    star4_hours: Mapped[int] = mapped_column(Integer)
    star5_hours: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The ETag: replacing the policy names it in If-Match.
    version: Mapped[int] = mapped_column(Integer, server_default="1", default=1)
