"""Evaluations and the status of each indicator in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.metrics.db import Base


class Evaluation(Base):
    """A plan's mid-term or final evaluation of one region: the figures of the accepted
    submission of that year, a conclusion, who drafted and who approved it. One per plan,
    region and kind; a draft may be redrafted (the next `version`), an approved one never
    changes."""

    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("plan_code", "kind", "division_code", name="uq_evaluations_one_per_kind"),
    )

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plans.code", ondelete="CASCADE"))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    submission_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    # The row's state for If-Match (the ETag); `version` numbers the draft.
    row_version: Mapped[int] = mapped_column(Integer, server_default="1")
    conclusion: Mapped[str] = mapped_column(Text)
    drafted_by: Mapped[str] = mapped_column(String(200))
    drafted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class EvaluationIndicator(Base):
    """One indicator of an evaluation: its locked value against the milestone's target."""

    __tablename__ = "evaluation_indicators"
    __table_args__ = (
        Index("ix_evaluation_indicators_indicator_status", "indicator_code", "status"),
    )

    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    comparator: Mapped[str | None] = mapped_column(String(2))
    target: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    gap: Mapped[float | None] = mapped_column(Float)
