"""What every act of a term keeps beside its own content: whose term it is, whether it is in
force, its last correction or withdrawal, its version and who made it; and its versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.org_registry.db import Base

RECORDED = "recorded"
WITHDRAWN = "withdrawn"

# A kind's own columns stand between whose act it is (first) and its record (last).
FIRST = -1


class TermAct(Base):
    """A kind's table adds the term and its content."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(
        BigIntegerKey, primary_key=True, autoincrement=True, sort_order=FIRST
    )
    organisation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("organisations.id"), index=True, sort_order=FIRST
    )
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True, sort_order=FIRST)
    level: Mapped[int] = mapped_column(SmallInteger, sort_order=FIRST)
    status: Mapped[str] = mapped_column(String(10), server_default=RECORDED)
    correction_reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    withdrawn_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class TermActVersion(Base):
    """What an act said at one version, who made it and why: corrections never lose the
    earlier content. A kind's table names the acts' table in `acts`."""

    __abstract__ = True
    acts: ClassVar[str]

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Any, ...]:
        return (UniqueConstraint("review_id", "version"),)

    id: Mapped[int] = mapped_column(
        BigIntegerKey, primary_key=True, autoincrement=True, sort_order=FIRST
    )

    @declared_attr
    @classmethod
    def review_id(cls) -> Mapped[int]:
        return mapped_column(
            BigIntegerKey, ForeignKey(f"{cls.acts}.id"), index=True, sort_order=FIRST
        )

    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(10))  # recorded / corrected / withdrawn
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
