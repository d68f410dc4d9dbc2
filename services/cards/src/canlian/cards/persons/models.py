"""The persons table: applicants and holders.

Personal identifiers (citizen ID, name, phone) are stored only encrypted; the citizen ID also
as a keyed hash for look-ups and uniqueness."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.cards.db import Base
from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime


class Person(Base):
    """An applicant or holder (申请人 / 持证人)."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    citizen_id_encrypted: Mapped[str] = mapped_column(Text)
    citizen_id_index: Mapped[str] = mapped_column(String(64), unique=True)
    name_encrypted: Mapped[str] = mapped_column(Text)
    phone_encrypted: Mapped[str | None] = mapped_column(Text)
    sex: Mapped[str] = mapped_column(String(6))
    birth_date: Mapped[date] = mapped_column(Date)
    residence_division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    # Set when a card is cancelled for death: the person's record ends there.
    died_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
