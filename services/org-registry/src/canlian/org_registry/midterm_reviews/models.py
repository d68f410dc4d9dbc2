"""A term's mid-term review, at most one in force per term; each of its versions kept."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType
from canlian.org_registry.term_acts.models import TermAct, TermActVersion


class MidTermReview(TermAct):
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

    term_id: Mapped[int] = mapped_column(BigIntegerKey, ForeignKey("terms.id"))
    term_number: Mapped[int] = mapped_column(Integer)
    reviewer_division_code: Mapped[str] = mapped_column(DivisionCodeType)
    reviewer: Mapped[str] = mapped_column(String(200))
    reviewed_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(String(4000))
    result: Mapped[str] = mapped_column(String(15))
    conclusion: Mapped[str] = mapped_column(String(2000))
    adjustment_recommended: Mapped[bool] = mapped_column(Boolean)


class MidTermReviewVersion(TermActVersion):
    """A mid-term review at one version."""

    __tablename__ = "midterm_review_versions"
    acts = "midterm_reviews"
