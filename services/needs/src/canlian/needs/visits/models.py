"""Home visits (入户访视)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.needs.db import ID_LENGTH, Base


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (
        # A resent offline batch finds the visit it already recorded.
        UniqueConstraint("member_id", "client_id"),
        Index(None, "division_code", "id"),
        Index(None, "household_id", "visited_on"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(100))
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    member_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType)
    visited_on: Mapped[date] = mapped_column(Date)
    met: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str] = mapped_column(Text)
    # [{"category": ..., "description": ...}]: what the household asked for.
    needs_found: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    # References to photos kept elsewhere (file ids), never the files.
    photos: Mapped[list[str]] = mapped_column(JSON)
    due_on: Mapped[date | None] = mapped_column(Date)
    on_schedule: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)
