"""Household files (一户一档): the household, its members, and each member's services."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.needs.db import ID_LENGTH, Base


class Household(Base):
    __tablename__ = "households"
    __table_args__ = (Index(None, "division_code", "id"), Index(None, "next_visit_due"))

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType)
    # The address is personal data: stored encrypted, shown masked.
    address_ciphertext: Mapped[str] = mapped_column(Text)
    declared_flags: Mapped[list[str]] = mapped_column(JSON)
    # Declared flags and the ones the members imply (一户多残), as the schedule reads them.
    flags: Mapped[list[str]] = mapped_column(JSON)
    visit_interval_days: Mapped[int | None] = mapped_column(Integer)
    registered_on: Mapped[date] = mapped_column(Date)
    last_visited_on: Mapped[date | None] = mapped_column(Date)
    next_visit_due: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)


class HouseholdMember(Base):
    __tablename__ = "household_members"
    __table_args__ = (UniqueConstraint("household_id", "person_id"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name_ciphertext: Mapped[str] = mapped_column(Text)
    relation: Mapped[str] = mapped_column(String(20))
    disabled: Mapped[bool] = mapped_column(Boolean)
    elderly: Mapped[bool] = mapped_column(Boolean)
    # The cards service's person id of a disabled member (the only link between the two).
    person_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)


class MemberService(Base):
    """One basic service's status for a member: receiving, needed or not needed, since when
    and on whose word (the source)."""

    __tablename__ = "member_services"

    member_id: Mapped[str] = mapped_column(ForeignKey("household_members.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
