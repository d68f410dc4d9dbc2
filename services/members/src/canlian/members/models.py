"""Tables of the members service, all in its own schema `members`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime, service_metadata

SCHEMA = "members"

Money = Numeric(10, 2)


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


class Organisation(Base):
    """Read model of the organisation registry, fed only by its events."""

    __tablename__ = "organisations"

    organisation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    level: Mapped[int] = mapped_column(Integer)
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(20))
    dissolved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    coverage: Mapped[list[OrganisationCoverage]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )


class OrganisationCoverage(Base):
    """The townships / villages an organisation serves: the places that need a member."""

    __tablename__ = "organisation_coverage"

    organisation_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("organisations.organisation_id"), primary_key=True
    )
    division_code: Mapped[str] = mapped_column(String(12), primary_key=True, index=True)


class Member(Base):
    """A person of the real-name archive (实名制管理档案)."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    name_ciphertext: Mapped[str] = mapped_column(Text)
    citizen_id_ciphertext: Mapped[str] = mapped_column(Text)
    citizen_id_index: Mapped[str] = mapped_column(String(64), unique=True)
    phone_ciphertext: Mapped[str | None] = mapped_column(Text, nullable=True)
    sex: Mapped[str] = mapped_column(String(6))
    birth_year: Mapped[int] = mapped_column(Integer)
    disability_relation: Mapped[str] = mapped_column(String(20))
    disability_category: Mapped[int | None] = mapped_column(Integer, nullable=True)
    disability_grade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    education: Mapped[str | None] = mapped_column(String(2), nullable=True)
    in_talent_pool: Mapped[bool] = mapped_column(Boolean)
    reserve_cadre: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Who made the last change (token subject, "org-registry" for registry-driven moves).
    updated_by: Mapped[str] = mapped_column(String(200), server_default="system")


class Appointment(Base):
    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.organisation_id"), index=True
    )
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    post: Mapped[str] = mapped_column(String(30))
    selection_method: Mapped[str] = mapped_column(String(30))
    contract_start: Mapped[date] = mapped_column(Date)
    contract_end: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    public_welfare_post: Mapped[bool] = mapped_column(Boolean)
    monthly_allowance_yuan: Mapped[Decimal] = mapped_column(Money)
    social_insurance_subsidy: Mapped[bool] = mapped_column(Boolean)
    allowance_minimum_yuan: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    allowance_compliant: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_since: Mapped[date] = mapped_column(Date)
    # "organisation|post" while a single-seat post is held, else NULL: the unique index
    # makes a second holder impossible even under concurrent requests.
    seat_key: Mapped[str | None] = mapped_column(String(120), nullable=True, unique=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Who made the last change (token subject, "org-registry" for registry-driven moves).
    updated_by: Mapped[str] = mapped_column(String(200), server_default="system")

    member: Mapped[Member] = relationship(lazy="raise")
    history: Mapped[list[StatusChange]] = relationship(
        lazy="raise", order_by="StatusChange.id", cascade="all"
    )


class StatusChange(Base):
    """Every status transition of an appointment, with its date and reason (能进能出)."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AllowanceMinimum(Base):
    """Regional policy: the monthly allowance minimum for posts at a level; the nearest
    ancestor region's value applies (e.g. 100 yuan for Gansu's villages, 60 in a county)."""

    __tablename__ = "allowance_minimums"

    division_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    post_level: Mapped[str] = mapped_column(String(10), primary_key=True)
    monthly_minimum_yuan: Mapped[Decimal] = mapped_column(Money)
    basis: Mapped[str | None] = mapped_column(String(500), nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Assessment(Base):
    """Annual assessment: performance plus the disabled persons' own evaluation."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("appointment_id", "year"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(Integer)
    performance_score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    evaluation_score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    grade: Mapped[str] = mapped_column(String(30))
    remarks: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Training(Base):
    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    course: Mapped[str] = mapped_column(String(200))
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    organiser: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
