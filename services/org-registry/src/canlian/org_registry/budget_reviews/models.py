"""A presidium's review of the yearly budget execution report, one in force per term and year;
each of its versions kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey
from canlian.org_registry.term_acts.models import TermAct, TermActVersion

Yuan = Numeric(14, 2)


class BudgetReview(TermAct):
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

    term_id: Mapped[int] = mapped_column(BigIntegerKey, ForeignKey("terms.id"), index=True)
    term_number: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer, index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    budget_yuan: Mapped[Decimal] = mapped_column(Yuan)
    executed_yuan: Mapped[Decimal] = mapped_column(Yuan)
    note: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    decision: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[str | None] = mapped_column(String(2000), nullable=True)


class BudgetReviewVersion(TermActVersion):
    """A budget review at one version: corrections never lose the earlier figures."""

    __tablename__ = "budget_review_versions"
    acts = "budget_reviews"
