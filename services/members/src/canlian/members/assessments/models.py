"""Annual assessments, one per appointment and year."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.members.db import Base


class Assessment(Base):
    """Annual assessment: performance plus the disabled persons' own evaluation."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("appointment_id", "year"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    year: Mapped[int] = mapped_column(Integer)
    performance_score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    evaluation_score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    grade: Mapped[str] = mapped_column(String(30))
    # What the grade decided (NULL on assessments recorded before the assessment decided).
    performance_weight: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), nullable=True)
    combined_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), nullable=True)
    decision: Mapped[str | None] = mapped_column(String(30), nullable=True)
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    contract_end_before: Mapped[date | None] = mapped_column(Date, nullable=True)
    contract_end_after: Mapped[date | None] = mapped_column(Date, nullable=True)
    remarks: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
