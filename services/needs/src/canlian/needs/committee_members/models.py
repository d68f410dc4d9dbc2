"""The members service's appointments, as far as visits need them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.needs.db import ID_LENGTH, Base


class CommitteePost(Base):
    """One appointment of a committee member: the newest snapshot the members service sent."""

    __tablename__ = "committee_posts"

    appointment_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    version: Mapped[int] = mapped_column(Integer)
    division_code: Mapped[str] = mapped_column(DivisionCodeType)
    holds_post: Mapped[bool] = mapped_column(Boolean)
    # 12-digit codes of the townships and villages the post serves (rules.staffing).
    served_divisions: Mapped[list[str]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
