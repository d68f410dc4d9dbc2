"""Commendation rounds and their nominations (an approved nomination is an honour)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.org_registry.db import Base


class CommendationRound(Base):
    """One round of a programme a region holds for a year."""

    __tablename__ = "commendation_rounds"
    __table_args__ = (UniqueConstraint("programme", "division_code", "year"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    programme: Mapped[str] = mapped_column(String(30))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str] = mapped_column(String(200))
    cycle_years: Mapped[int] = mapped_column(SmallInteger)  # as in force when opened
    version: Mapped[int] = mapped_column(Integer)
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Nomination(Base):
    """A person (referenced by their owning service's id, named for display only) or an
    organisation of the registry, nominated in a round by a federation."""

    __tablename__ = "commendation_nominations"
    # A nominee is nominated once per round.
    __table_args__ = (UniqueConstraint("round_id", "nominee_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    round_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("commendation_rounds.id"), index=True
    )
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee_key: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("organisations.id"), nullable=True, index=True
    )
    person_service: Mapped[str | None] = mapped_column(String(30), nullable=True)
    person_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    display_name: Mapped[str] = mapped_column(String(200))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    citation: Mapped[str] = mapped_column(String(2000))
    nominating_division_code: Mapped[str] = mapped_column(DivisionCodeType)
    status: Mapped[str] = mapped_column(String(20), index=True)
    decided_by_division_code: Mapped[str | None] = mapped_column(DivisionCodeType, nullable=True)
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decision_note: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    nominated_by: Mapped[str] = mapped_column(String(200))
    nominated_at: Mapped[datetime] = mapped_column(UtcDateTime)
