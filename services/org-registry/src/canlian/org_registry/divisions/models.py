"""Divisions of China: each row one version of a code, and the recorded changes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.org_registry.db import Base


class Division(Base):
    """One version of a division: a code with its name and parent over [valid_from, valid_to).

    A rename closes the version and opens a new one; a merge or split closes it for good.
    `valid_from` is empty for versions in force before the registry's records begin, so an
    "as of" query of any earlier date still finds them.
    """

    __tablename__ = "divisions"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(SmallInteger)
    parent_code: Mapped[str | None] = mapped_column(DivisionCodeType, index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        # At most one version of a code is in force now.
        Index(
            "uq_divisions_current_code",
            "code",
            unique=True,
            postgresql_where=valid_to.is_(None),
            sqlite_where=valid_to.is_(None),
        ),
    )


class DivisionChange(Base):
    """A recorded rename, merge, split or establishment with its effective date."""

    __tablename__ = "division_changes"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    change: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    successor_code: Mapped[str | None] = mapped_column(DivisionCodeType, index=True)
    effective_on: Mapped[date] = mapped_column(Date)
    old_name: Mapped[str | None] = mapped_column(String(100))
    new_name: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))
