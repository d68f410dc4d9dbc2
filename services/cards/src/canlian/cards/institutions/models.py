"""The designated assessment institutions table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.cards.db import Base
from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime


class Institution(Base):
    """A designated assessment institution (指定评定机构), designated by a county or city
    federation for the applicants living in its region."""

    __tablename__ = "institutions"
    __table_args__ = (UniqueConstraint("division_code", "name"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    active: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
