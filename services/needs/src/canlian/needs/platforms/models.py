"""Service platforms and institutions households are referred to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.needs.db import ID_LENGTH, Base


class ServicePlatform(Base):
    __tablename__ = "service_platforms"
    __table_args__ = (
        UniqueConstraint("division_code", "name"),
        Index(None, "division_code", "id"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    division_code: Mapped[str] = mapped_column(DivisionCodeType)
    services: Mapped[list[str]] = mapped_column(JSON)
    capacity: Mapped[int] = mapped_column(Integer)
    # Places taken by referrals not yet closed.
    occupied: Mapped[int] = mapped_column(Integer)
    staff: Mapped[int] = mapped_column(Integer)
    open: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)
