"""A term's mid-term review, at most one in force per term; each of its versions kept."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.org_registry.db import Base

RECORDED = "recorded"
WITHDRAWN = "withdrawn"


class MidTermReview(Base):
    """What the level above found in the leadership half-way through the term, and concluded."""

    __tablename__ = "midterm_reviews"
    __table_args__ = (
        # One review in force per term; a withdrawn one makes way for another.
        Index(
            "uq_midterm_reviews_term_id_recorded",
            "term_id",
            unique=True,
            postgresql_where=text("status = 'recorded'"),
            sqlite_where=text("status = 'recorded'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("organisations.id"), index=True
    )
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    term_id: Mapped[int] = mapped_column(BigIntegerKey, ForeignKey("terms.id"))
    term_number: Mapped[int] = mapped_column(Integer)
    reviewer_division_code: Mapped[str] = mapped_column(DivisionCodeType)
    reviewer: Mapped[str] = mapped_column(String(200))
    reviewed_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(String(4000))
    result: Mapped[str] = mapped_column(String(15))
    conclusion: Mapped[str] = mapped_column(String(2000))
    adjustment_recommended: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(10), server_default=RECORDED)
    correction_reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    withdrawn_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class MidTermReviewVersion(Base):
    """What a review said at one version, who made it and why."""

    __tablename__ = "midterm_review_versions"
    __table_args__ = (UniqueConstraint("review_id", "version"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(
        BigIntegerKey, ForeignKey("midterm_reviews.id"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(10))  # recorded / corrected / withdrawn
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
