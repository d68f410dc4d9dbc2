"""A presidium's review of the yearly budget execution report, one per term and year."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.org_registry.db import Base

Yuan = Numeric(14, 2)


class BudgetReview(Base):
    """The report's figures as presented and what the presidium decided on them."""

    __tablename__ = "budget_reviews"
    __table_args__ = (UniqueConstraint("term_id", "year"),)

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
    version: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
