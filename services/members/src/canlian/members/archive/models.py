"""The archive's table: one row per person, personal identifiers encrypted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.members.db import Base


class Member(Base):
    """A person of the real-name archive (实名制管理档案)."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    name_ciphertext: Mapped[str] = mapped_column(Text)
    citizen_id_ciphertext: Mapped[str] = mapped_column(Text)
    citizen_id_index: Mapped[str] = mapped_column(String(64), unique=True)
    phone_ciphertext: Mapped[str | None] = mapped_column(Text, nullable=True)
    sex: Mapped[str] = mapped_column(String(6))
    birth_year: Mapped[int] = mapped_column(Integer)
    disability_relation: Mapped[str] = mapped_column(String(20))
    disability_category: Mapped[int | None] = mapped_column(Integer, nullable=True)
    disability_grade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    education: Mapped[str | None] = mapped_column(String(2), nullable=True)
    in_talent_pool: Mapped[bool] = mapped_column(Boolean)
    reserve_cadre: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Who made the last change (token subject, "org-registry" for registry-driven moves).
    updated_by: Mapped[str] = mapped_column(String(200), server_default="system")
