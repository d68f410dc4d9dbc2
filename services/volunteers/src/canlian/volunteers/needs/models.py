"""Needs, their further skills, and volunteers' answers to them (assignments)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.volunteers.db import ID_LENGTH, Base


class Need(Base):
    """服务需求: raised by an association or on behalf of disabled persons."""

    __tablename__ = "needs"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
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
    # Opened for a need the needs service referred to the volunteers: one per referral (a
    # reopened need referred again opens another), with the referral's version.
    source_need_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    source_version: Mapped[int | None] = mapped_column(Integer)
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
