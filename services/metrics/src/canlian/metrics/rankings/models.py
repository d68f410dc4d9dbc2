"""The gap of every region of a level against the target that applies to it, per plan and
derived indicator, kept by the rollups (rankings.keeping) so that a drill-down over a whole
level (620,573 villages) reads one page off an index instead of ranking the level."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, ForeignKeyConstraint, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType
from canlian.metrics.db import Base


class GapRanking(Base):
    """A level kept ranked for a plan's indicator: some target of the plan reaches that level
    and none of them is apportioned from above (a share needs villages: left to the live
    ranking)."""

    __tablename__ = "gap_rankings"

    plan_code: Mapped[str] = mapped_column(
        ForeignKey("plans.code", ondelete="CASCADE"), primary_key=True
    )
    indicator_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)


class GapRank(Base):
    """One region's place: rank 0 behind, 1 no data, 2 no target, 3 met (the drill-down's
    order), then the gap largest first (stored negated, so one ascending index serves the
    order), then the code; for the final target and for the mid-term one."""

    __tablename__ = "gap_ranks"
    __table_args__ = (
        ForeignKeyConstraint(
            ["plan_code", "indicator_code", "level"],
            ["gap_rankings.plan_code", "gap_rankings.indicator_code", "gap_rankings.level"],
            ondelete="CASCADE",
            name="fk_gap_ranks_ranking",
        ),
        Index(
            "ix_gap_ranks_final",
            "plan_code",
            "indicator_code",
            "level",
            "final_rank",
            "final_minus_gap",
            "division_code",
        ),
        Index(
            "ix_gap_ranks_midterm",
            "plan_code",
            "indicator_code",
            "level",
            "midterm_rank",
            "midterm_minus_gap",
            "division_code",
        ),
    )

    plan_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    final_rank: Mapped[int] = mapped_column(SmallInteger)
    final_minus_gap: Mapped[float] = mapped_column(Float)
    midterm_rank: Mapped[int] = mapped_column(SmallInteger)
    midterm_minus_gap: Mapped[float] = mapped_column(Float)
