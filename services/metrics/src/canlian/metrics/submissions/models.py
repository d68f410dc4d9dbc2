"""Submissions of a period's figures and the deadlines the level above sets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.metrics.db import Base


class Submission(Base):
    """One version of a region's figures for one plan year: a frozen snapshot of every
    indicator (derived and reported values as of the year's end), the form's header and a
    note. A resubmission or a revision is a new row with the next version; earlier rows stay."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint(
            "plan_code", "division_code", "year", "version", name="uq_submissions_version"
        ),
    )

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plans.code", ondelete="CASCADE"))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    # The row's state for If-Match (the ETag); `version` numbers the submission.
    row_version: Mapped[int] = mapped_column(Integer, server_default="1")
    status: Mapped[str] = mapped_column(String(20))
    milestone: Mapped[str] = mapped_column(String(20))
    snapshot: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text)
    revision_reason: Mapped[str | None] = mapped_column(Text)
    # The header block of the statistical form (表号, 制表机关, 填报单位, 单位负责人, 统计负责人,
    # 填表人); 报出日期 is `submitted_at`.
    form_number: Mapped[str] = mapped_column(String(60))
    issuing_authority: Mapped[str] = mapped_column(String(100))
    reporting_unit: Mapped[str] = mapped_column(String(100))
    unit_head: Mapped[str] = mapped_column(String(60))
    statistics_head: Mapped[str] = mapped_column(String(60))
    preparer: Mapped[str] = mapped_column(String(60))
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    review_reason: Mapped[str | None] = mapped_column(Text)


class SubmissionDeadline(Base):
    """The date by which the regions below `division_code` submit a plan year's figures."""

    __tablename__ = "submission_deadlines"

    plan_code: Mapped[str] = mapped_column(
        ForeignKey("plans.code", ondelete="CASCADE"), primary_key=True
    )
    division_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    due: Mapped[date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(200))
    # The ETag: moving the date names it in If-Match.
    version: Mapped[int] = mapped_column(Integer, server_default="1", default=1)
