"""A presidium's review of the yearly budget execution report, one in force per term and year;
each of its versions kept."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
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
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.org_registry.db import Base

Yuan = Numeric(14, 2)

RECORDED = "recorded"
WITHDRAWN = "withdrawn"


class BudgetReview(Base):
    """The report's figures as presented and what the presidium decided on them."""

    __tablename__ = "budget_reviews"
    __table_args__ = (
        # One review in force per term and year; a withdrawn one makes way for another.
        Index(
            "uq_budget_reviews_term_id_year_recorded",
            "term_id",
            "year",
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
    term_id: Mapped[int] = mapped_column(BigIntegerKey, ForeignKey("terms.id"), index=True)
    term_number: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer, index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    budget_yuan: Mapped[Decimal] = mapped_column(Yuan)
    executed_yuan: Mapped[Decimal] = mapped_column(Yuan)
    note: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    decision: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    status: Mapped[str] = mapped_column(String(10), server_default=RECORDED)
    correction_reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    withdrawn_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class BudgetReviewVersion(Base):
    """What a review said at one version, who made it and why: corrections never lose the
    earlier figures."""

    __tablename__ = "budget_review_versions"
    __table_args__ = (UniqueConstraint("review_id", "version"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(
        BigIntegerKey, ForeignKey("budget_reviews.id"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(10))  # recorded / corrected / withdrawn
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
