"""Terms (届) of an organisation's leadership, the bodies elected for them, and their seats."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime
from canlian.org_registry.db import Base


class Term(Base):
    """A term (届) of an organisation's leadership."""

    __tablename__ = "terms"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("organisations.id"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    next_election_due: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    bodies: Mapped[list[Body]] = relationship(lazy="raise", order_by="Body.kind")

    __table_args__ = (UniqueConstraint("organisation_id", "number"),)


class Body(Base):
    """A body elected for a term: congress, presidium, executive council or committee."""

    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    term_id: Mapped[int] = mapped_column(BigIntegerKey, ForeignKey("terms.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    members: Mapped[list[BodyMember]] = relationship(
        lazy="raise", order_by="BodyMember.id", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("term_id", "kind"),)


class BodyMember(Base):
    """A seat in a body. The name is personal data: stored encrypted, shown masked."""

    __tablename__ = "body_members"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    body_id: Mapped[int] = mapped_column(BigIntegerKey, ForeignKey("bodies.id"), index=True)
    name_encrypted: Mapped[str] = mapped_column(Text)
    name_index: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(20))
    is_full_time: Mapped[bool] = mapped_column(Boolean)
    is_disabled: Mapped[bool] = mapped_column(Boolean)
    is_relative: Mapped[bool] = mapped_column(Boolean)
    is_role_model: Mapped[bool] = mapped_column(Boolean)
    is_grassroots: Mapped[bool] = mapped_column(Boolean)
    disability_category: Mapped[int | None] = mapped_column(SmallInteger)
