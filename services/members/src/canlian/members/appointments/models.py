"""Appointments, their status history and the regional allowance policy."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.members.archive.models import Member
from canlian.members.db import Base

Money = Numeric(10, 2)


class Appointment(Base):
    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.organisation_id"), index=True
    )
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    post: Mapped[str] = mapped_column(String(30))
    selection_method: Mapped[str] = mapped_column(String(30))
    # The recruitment round (公开考试) the member was selected in; NULL for other ways in.
    recruitment_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("recruitment_rounds.id"), nullable=True, index=True
    )
    contract_start: Mapped[date] = mapped_column(Date)
    contract_end: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    public_welfare_post: Mapped[bool] = mapped_column(Boolean)
    # 社工岗位: seed 004 puts township members on social-work posts instead.
    social_work_post: Mapped[bool] = mapped_column(Boolean, server_default=false())
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

    division_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    post_level: Mapped[str] = mapped_column(String(10), primary_key=True)
    monthly_minimum_yuan: Mapped[Decimal] = mapped_column(Money)
    basis: Mapped[str | None] = mapped_column(String(500), nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The ETag: replacing the minimum names it in If-Match.
    version: Mapped[int] = mapped_column(Integer, server_default="1", default=1)
