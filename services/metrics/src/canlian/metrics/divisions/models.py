"""The metrics service's read model of the division hierarchy."""

from __future__ import annotations

from sqlalchemy import (
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType
from canlian.metrics.db import Base


class Division(Base):
    """The metrics service's read model of the division hierarchy: names and parents."""

    __tablename__ = "divisions"

    code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(SmallInteger)
    parent_code: Mapped[str | None] = mapped_column(DivisionCodeType, index=True)
