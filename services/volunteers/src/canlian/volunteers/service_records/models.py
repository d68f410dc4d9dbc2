"""Service records (服务记录)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.volunteers.db import ID_LENGTH, Base


class ServiceRecord(Base):
    """服务记录: one stretch of service between check-in and check-out."""

    __tablename__ = "service_records"
    __table_args__ = (
        # A retried offline batch finds the record it already sent.
        UniqueConstraint("volunteer_id", "client_id"),
        Index(None, "volunteer_id", "checked_in_at"),
        Index(None, "status", "served_on"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteers.id"))
    client_id: Mapped[str] = mapped_column(String(100))
    need_id: Mapped[str | None] = mapped_column(ForeignKey("needs.id"), index=True)
    team_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    service_kind: Mapped[str] = mapped_column(String(40))
    checked_in_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checked_out_at: Mapped[datetime] = mapped_column(UtcDateTime)
    served_on: Mapped[date] = mapped_column(Date)
    # "YYYY-MM" of served_on, so monthly reports group the same way on both dialects.
    served_month: Mapped[str] = mapped_column(String(7))
    minutes: Mapped[int] = mapped_column(Integer)
    person_times: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)
