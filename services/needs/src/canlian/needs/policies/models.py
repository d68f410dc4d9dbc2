"""A region's value of a policy parameter, in force from a date."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.needs.db import Base


class PolicyValue(Base):
    __tablename__ = "policy_values"

    parameter: Mapped[str] = mapped_column(String(60), primary_key=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, primary_key=True)
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime)
