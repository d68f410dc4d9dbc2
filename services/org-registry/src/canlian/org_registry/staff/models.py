"""A federation's staff and the days each spends at the grass roots per year."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.org_registry.db import Base


class FederationStaff(Base):
    """A person on a federation's staff. The name is personal data: encrypted, shown masked."""

    __tablename__ = "federation_staff"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("organisations.id"), index=True
    )
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    name_encrypted: Mapped[str] = mapped_column(Text)
    employment: Mapped[str] = mapped_column(String(20))
    is_disabled: Mapped[bool] = mapped_column(Boolean)
    disability_category: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    on_executive_council: Mapped[bool] = mapped_column(Boolean)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))


class GrassrootsDays(Base):
    """Days a staff member spent at the grass roots in a year (下基层调研)."""

    __tablename__ = "grassroots_days"

    staff_id: Mapped[int] = mapped_column(
        BigIntegerKey, ForeignKey("federation_staff.id"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    days: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
