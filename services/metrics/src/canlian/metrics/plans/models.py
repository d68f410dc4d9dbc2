"""Plans, their targets and the values departments report."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.metrics.db import Base


class Plan(Base):
    __tablename__ = "plans"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    midterm_year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    # The targets and the reported values are each versioned as a whole (their lists' ETags):
    # a write that replaces or removes one names it in If-Match.
    targets_version: Mapped[int] = mapped_column(Integer, server_default="1", default=1)
    reported_values_version: Mapped[int] = mapped_column(Integer, server_default="1", default=1)


class PlanTarget(Base):
    """A target set on a region applies to every region below it unless one overrides it."""

    __tablename__ = "plan_targets"
    __table_args__ = (
        # The convention's name would pass PostgreSQL's 63 characters.
        UniqueConstraint(
            "plan_code",
            "indicator_code",
            "division_code",
            "applies_to_level",
            name="uq_plan_targets_one_per_scope",
        ),
    )

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plans.code", ondelete="CASCADE"))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    # 0: the region and everything below it; 1-5: only the regions of that level within it
    # (seed 003: talent pool >= 80 in each city, >= 30 in each county).
    applies_to_level: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    comparator: Mapped[str] = mapped_column(String(2))
    final_value: Mapped[float] = mapped_column(Float)
    midterm_value: Mapped[float | None] = mapped_column(Float)
    # A count target belongs to its region; None keeps it there, "villages" splits it over
    # every region below in proportion to its villages (communities). Rates apply below as set.
    apportionment: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))


class ReportedValue(Base):
    __tablename__ = "reported_values"

    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"), primary_key=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    # A ratio reported as its counts (children rehabilitated / children needing it): upper
    # levels sum them; None when the county reported the value alone.
    numerator: Mapped[int | None] = mapped_column(BigInteger)
    denominator: Mapped[int | None] = mapped_column(BigInteger)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plans.code"))
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
