"""Tables of the cards service, all in its own schema `cards`.

Personal identifiers (citizen ID, name, phone) are stored only encrypted; the citizen ID also
as a keyed hash for look-ups and uniqueness. A card number contains the citizen ID, so cards
keep no number of their own: it is derived from the person's decrypted ID when needed, and a
keyed hash of it serves the verification look-up.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime, service_metadata

SCHEMA = "cards"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


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
    residence_division_code: Mapped[str] = mapped_column(String(12), index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Institution(Base):
    """A designated assessment institution (指定评定机构), designated by a county or city
    federation for the applicants living in its region."""

    __tablename__ = "institutions"
    __table_args__ = (UniqueConstraint("division_code", "name"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    active: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Application(Base):
    """申请, with its assessment (评定) and review (审核) recorded on it."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(
        BigIntegerKey, ForeignKey("cards.persons.id"), index=True
    )
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    home_visit: Mapped[bool] = mapped_column(Boolean)
    poor: Mapped[bool] = mapped_column(Boolean)
    fee_waived: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    institution_id: Mapped[int | None] = mapped_column(
        BigIntegerKey, ForeignKey("cards.institutions.id")
    )
    institution: Mapped[str | None] = mapped_column(String(200))
    assessor: Mapped[str | None] = mapped_column(String(100))
    assessed_on: Mapped[date | None] = mapped_column(Date)
    category: Mapped[int | None] = mapped_column(SmallInteger)
    grade: Mapped[int | None] = mapped_column(SmallInteger)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewer: Mapped[str | None] = mapped_column(String(200))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    card_id: Mapped[int | None] = mapped_column(BigIntegerKey)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Card(Base):
    """残疾人证: one row per physical card; a replacement is a new row."""

    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(
        BigIntegerKey, ForeignKey("cards.persons.id"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        BigIntegerKey, ForeignKey("cards.applications.id")
    )
    previous_card_id: Mapped[int | None] = mapped_column(
        BigIntegerKey, ForeignKey("cards.cards.id")
    )
    superseded_by_card_id: Mapped[int | None] = mapped_column(BigIntegerKey)
    number_index: Mapped[str] = mapped_column(String(64), index=True)
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(20))
    category: Mapped[int] = mapped_column(SmallInteger)
    grade: Mapped[int] = mapped_column(SmallInteger)
    generation: Mapped[str] = mapped_column(String(20))
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(20))
    home_visit: Mapped[bool] = mapped_column(Boolean)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    ended_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        # At most one valid card per person, whatever races the checks in service.py lose.
        Index(
            "uq_cards_person_id_valid",
            "person_id",
            unique=True,
            postgresql_where=text("status = 'valid'"),
            sqlite_where=text("status = 'valid'"),
        ),
        Index("ix_cards_status_division_code", "status", "division_code"),
    )
