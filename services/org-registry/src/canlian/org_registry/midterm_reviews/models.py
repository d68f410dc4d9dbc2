"""A term's mid-term review, at most one per term."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.org_registry.db import Base


class MidTermReview(Base):
    """What the level above found in the leadership half-way through the term, and concluded."""

    __tablename__ = "midterm_reviews"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("organisations.id"), index=True
    )
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    term_id: Mapped[int] = mapped_column(BigIntegerKey, ForeignKey("terms.id"), unique=True)
    term_number: Mapped[int] = mapped_column(Integer)
    reviewer_division_code: Mapped[str] = mapped_column(DivisionCodeType)
    reviewer: Mapped[str] = mapped_column(String(200))
    reviewed_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(String(4000))
    result: Mapped[str] = mapped_column(String(15))
    conclusion: Mapped[str] = mapped_column(String(2000))
    adjustment_recommended: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
