"""The indicator catalogue's table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import UtcDateTime
from canlian.metrics.db import Base


class Indicator(Base):
    """DHIS2-style: derived = factor x sum(numerator counters) / sum(denominator counters);
    reported = values departments submit per region and year."""

    __tablename__ = "indicators"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(20))
    # Reported indicators only: ratio (numerator / denominator per county, summed upward),
    # count (a count per county, summed upward) or plain (a value that does not add up).
    measure: Mapped[str | None] = mapped_column(String(10))
    numerator: Mapped[str | None] = mapped_column(String(400))
    denominator: Mapped[str | None] = mapped_column(String(400))
    factor: Mapped[float] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    built_in: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
