"""The applications table, with the assessment and the review recorded on each row."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.cards.db import Base
from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime


class Application(Base):
    """申请, with its assessment (评定) and review (审核) recorded on it."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(
        BigIntegerKey, ForeignKey("cards.persons.id"), index=True
    )
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    home_visit: Mapped[bool] = mapped_column(Boolean)
    poor: Mapped[bool] = mapped_column(Boolean)
    fee_waived: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    institution_id: Mapped[int | None] = mapped_column(
        BigIntegerKey, ForeignKey("cards.institutions.id")
    )
    institution: Mapped[str | None] = mapped_column(String(200))
    assessor: Mapped[str | None] = mapped_column(String(100))
    assessed_on: Mapped[date | None] = mapped_column(Date)
    category: Mapped[int | None] = mapped_column(SmallInteger)
    grade: Mapped[int | None] = mapped_column(SmallInteger)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewer: Mapped[str | None] = mapped_column(String(200))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    card_id: Mapped[int | None] = mapped_column(BigIntegerKey)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
