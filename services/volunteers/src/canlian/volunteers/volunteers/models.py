"""The volunteer and their skills."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.volunteers.db import ID_LENGTH, Base


class Volunteer(Base):
    __tablename__ = "volunteers"

    # A self-registered volunteer's id is their identity-provider subject.
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    status: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    name_encrypted: Mapped[str] = mapped_column(Text)
    name_masked: Mapped[str] = mapped_column(String(50))
    phone_encrypted: Mapped[str] = mapped_column(Text)
    phone_index: Mapped[str] = mapped_column(String(64), unique=True)
    phone_masked: Mapped[str] = mapped_column(String(30))
    citizen_id_encrypted: Mapped[str | None] = mapped_column(Text)
    citizen_id_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    citizen_id_masked: Mapped[str | None] = mapped_column(String(30))
    availability_mask: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"), index=True)
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id"), index=True)
    sign_language_trained: Mapped[bool] = mapped_column()
    star_level: Mapped[int] = mapped_column(Integer)
    confirmed_minutes: Mapped[int] = mapped_column(Integer)
    person_times: Mapped[int] = mapped_column(Integer)
    registered_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    leave_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)

    skills: Mapped[list[VolunteerSkill]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="VolunteerSkill.skill"
    )


class VolunteerSkill(Base):
    __tablename__ = "volunteer_skills"

    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteers.id"), primary_key=True)
    skill: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
