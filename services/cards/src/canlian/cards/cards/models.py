"""The cards table: one row per physical card.

A card number contains the citizen ID, so cards keep no number of their own: it is derived
from the person's decrypted ID when needed, and a keyed hash of it serves the verification
look-up."""

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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.cards.db import Base
from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime


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
    division_code: Mapped[str] = mapped_column(DivisionCodeType)
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
    # The card's open transfer request, if any (transfers/): set and cleared there under this
    # row's lock, so that the steps here refuse while a county decides, without this concept
    # importing the one built on it. Not part of the card's state: no version, no event.
    transfer_request_id: Mapped[int | None] = mapped_column(BigIntegerKey)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        # At most one valid card per person, whatever races the checks in cards/service.py lose.
        Index(
            "uq_cards_person_id_valid",
            "person_id",
            unique=True,
            postgresql_where=text("status = 'valid'"),
            sqlite_where=text("status = 'valid'"),
        ),
        Index("ix_cards_status_division_code", "status", "division_code"),
        # A region's card list: the page's ids from the index alone (cards/routes.py).
        Index("ix_cards_division_code_id", "division_code", "id"),
        # The holders report (reports/) from the index alone: a province's valid cards are
        # spread over every page of the table (migration 0010).
        Index(
            "ix_cards_valid_division_code_category_grade_generation",
            "division_code",
            "category",
            "grade",
            "generation",
            postgresql_where=text("status = 'valid'"),
            sqlite_where=text("status = 'valid'"),
        ),
    )
