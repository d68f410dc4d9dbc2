"""The transfer_requests table: one row per request to move a card to another county."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from canlian.cards.db import Base
from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime


class TransferRequest(Base):
    """迁移申请: asked by the county managing the card, decided by the receiving county."""

    __tablename__ = "transfer_requests"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    card_id: Mapped[int] = mapped_column(BigIntegerKey, ForeignKey("cards.cards.id"), index=True)
    # The card's holder, who never changes: the request's view and events name them.
    person_id: Mapped[int] = mapped_column(BigIntegerKey, ForeignKey("cards.persons.id"))
    # Where the card was managed when asked (the sending side), and where it is to go.
    from_division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    to_division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        # One open request per card, whatever races the card's row lock does not serialise.
        Index(
            "uq_transfer_requests_card_id_open",
            "card_id",
            unique=True,
            postgresql_where=text("status = 'requested'"),
            sqlite_where=text("status = 'requested'"),
        ),
    )
