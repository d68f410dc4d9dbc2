"""Tables of the volunteers service, all in its own schema `volunteers`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from canlian.common.db.metadata import UtcDateTime, service_metadata

SCHEMA = "volunteers"

ID_LENGTH = 64


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


class Station(Base):
    """志愿服务站(县级服务站、乡镇服务站、村/社区服务点)."""

    __tablename__ = "stations"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(30))
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    leader_volunteer_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)


class Team(Base):
    """志愿服务队: its leader confirms the members' service records."""

    __tablename__ = "teams"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id"), index=True)
    leader_volunteer_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)


class Volunteer(Base):
    __tablename__ = "volunteers"

    # A self-registered volunteer's id is their identity-provider subject.
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    division_code: Mapped[str] = mapped_column(String(12), index=True)
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


class Need(Base):
    """服务需求: raised by an association or on behalf of disabled persons."""

    __tablename__ = "needs"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(30))
    organisation_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    persons: Mapped[int] = mapped_column(Integer)
    volunteers_needed: Mapped[int] = mapped_column(Integer)
    volunteers_accepted: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    slot_mask: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    close_note: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)

    skills: Mapped[list[NeedSkill]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="NeedSkill.skill"
    )


class NeedSkill(Base):
    __tablename__ = "need_skills"

    need_id: Mapped[str] = mapped_column(ForeignKey("needs.id"), primary_key=True)
    skill: Mapped[str] = mapped_column(String(40), primary_key=True)


class Assignment(Base):
    """A volunteer's answer to a need: invited, accepted or declined."""

    __tablename__ = "assignments"

    need_id: Mapped[str] = mapped_column(ForeignKey("needs.id"), primary_key=True)
    volunteer_id: Mapped[str] = mapped_column(
        ForeignKey("volunteers.id"), primary_key=True, index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    invited_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ServiceRecord(Base):
    """服务记录: one stretch of service between check-in and check-out."""

    __tablename__ = "service_records"
    __table_args__ = (
        # A retried offline batch finds the record it already sent.
        UniqueConstraint("volunteer_id", "client_id"),
        Index(None, "volunteer_id", "checked_in_at"),
        Index(None, "status", "served_on"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteers.id"))
    client_id: Mapped[str] = mapped_column(String(100))
    need_id: Mapped[str | None] = mapped_column(ForeignKey("needs.id"), index=True)
    team_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    service_kind: Mapped[str] = mapped_column(String(40))
    checked_in_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checked_out_at: Mapped[datetime] = mapped_column(UtcDateTime)
    served_on: Mapped[date] = mapped_column(Date)
    # "YYYY-MM" of served_on, so monthly reports group the same way on both dialects.
    served_month: Mapped[str] = mapped_column(String(7))
    minutes: Mapped[int] = mapped_column(Integer)
    person_times: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)


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

    division_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    star1_hours: Mapped[int] = mapped_column(Integer)
    star2_hours: Mapped[int] = mapped_column(Integer)
    star3_hours: Mapped[int] = mapped_column(Integer)
    star4_hours: Mapped[int] = mapped_column(Integer)
    star5_hours: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
