"""Acceptance checklists, inspections and each item's finding."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.org_registry.db import Base

Score = Numeric(5, 1)


class AcceptanceChecklist(Base):
    """A region's checklist for organisations of one level under it, in force from a date; a
    later one replaces it (a checklist is never edited, so inspections keep what they used)."""

    __tablename__ = "acceptance_checklists"
    __table_args__ = (UniqueConstraint("division_code", "level", "effective_from"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    effective_from: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    pass_mark: Mapped[int] = mapped_column(Integer)
    conditional_mark: Mapped[int] = mapped_column(Integer)
    validity_years: Mapped[int] = mapped_column(SmallInteger)
    version: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    items: Mapped[list[ChecklistItem]] = relationship(
        lazy="raise", order_by="ChecklistItem.position", cascade="all"
    )


class ChecklistItem(Base):
    __tablename__ = "acceptance_checklist_items"
    __table_args__ = (UniqueConstraint("checklist_id", "code"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    checklist_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("acceptance_checklists.id"), index=True
    )
    position: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(SmallInteger)


class Inspection(Base):
    """An acceptance inspection of one organisation by the level above."""

    __tablename__ = "acceptance_inspections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("organisations.id"), index=True
    )
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    # NULL: the seed's checklist (no region had set one).
    checklist_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("acceptance_checklists.id"), nullable=True
    )
    inspector_division_code: Mapped[str] = mapped_column(DivisionCodeType)
    inspected_on: Mapped[date] = mapped_column(Date)
    total_score: Mapped[Decimal] = mapped_column(Score)
    pass_mark: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(String(30), index=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    conditions: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    reinspection_of: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("acceptance_inspections.id"), nullable=True
    )
    superseded_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)

    findings: Mapped[list[Finding]] = relationship(
        lazy="raise", order_by="Finding.position", cascade="all"
    )

    __table_args__ = (
        # One inspection counts per organisation: a re-inspection replaces it (races end 409).
        Index(
            "uq_acceptance_inspections_current",
            "organisation_id",
            unique=True,
            postgresql_where=text("superseded_by IS NULL"),
            sqlite_where=text("superseded_by IS NULL"),
        ),
    )


class Finding(Base):
    """One checklist item as the inspector found it: the score and what was seen."""

    __tablename__ = "acceptance_findings"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    inspection_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("acceptance_inspections.id"), index=True
    )
    position: Mapped[int] = mapped_column(SmallInteger)
    item_code: Mapped[str] = mapped_column(String(40))
    item_title: Mapped[str] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(SmallInteger)
    score: Mapped[Decimal] = mapped_column(Score)
    finding: Mapped[str | None] = mapped_column(String(1000), nullable=True)
