"""Score sheets, their items, the townships' item scores and year-end results."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Integer, Numeric, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.metrics.db import Base

Score = Numeric(5, 1)


class ScoreSheet(Base):
    """A county's 100-point sheet of its townships' tasks for one year."""

    __tablename__ = "township_score_sheets"
    __table_args__ = (UniqueConstraint("county_code", "year"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))  # open, scored
    version: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    scored_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    items: Mapped[list[SheetItem]] = relationship(
        lazy="raise", order_by="SheetItem.position", cascade="all"
    )


class SheetItem(Base):
    """A task: scored from an indicator's value against a target, or by the inspector."""

    __tablename__ = "township_score_items"
    __table_args__ = (UniqueConstraint("sheet_id", "code"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("township_score_sheets.id"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(12))  # indicator, qualitative
    indicator_code: Mapped[str | None] = mapped_column(String(80), nullable=True)
    comparator: Mapped[str | None] = mapped_column(String(10), nullable=True)
    target: Mapped[float | None] = mapped_column(Float, nullable=True)


class ItemScore(Base):
    """One township's score on one item: the inspector's, or the indicator's at year end."""

    __tablename__ = "township_item_scores"
    __table_args__ = (UniqueConstraint("sheet_id", "township_code", "item_code"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("township_score_sheets.id"), index=True)
    township_code: Mapped[str] = mapped_column(DivisionCodeType)
    item_code: Mapped[str] = mapped_column(String(40))
    score: Mapped[Decimal] = mapped_column(Score)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    scored_by: Mapped[str] = mapped_column(String(200))
    scored_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TownshipResult(Base):
    """A township's year-end total, grade and rank in its county."""

    __tablename__ = "township_results"

    sheet_id: Mapped[int] = mapped_column(ForeignKey("township_score_sheets.id"), primary_key=True)
    township_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    total: Mapped[Decimal] = mapped_column(Score)
    grade: Mapped[str] = mapped_column(String(15))
    rank: Mapped[int] = mapped_column(Integer)
