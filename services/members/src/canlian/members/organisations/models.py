"""The read model of the organisation registry, fed only by its events."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.members.db import Base


class Organisation(Base):
    """Read model of the organisation registry, fed only by its events."""

    __tablename__ = "organisations"

    organisation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    level: Mapped[int] = mapped_column(Integer)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    status: Mapped[str] = mapped_column(String(20))
    dissolved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    coverage: Mapped[list[OrganisationCoverage]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )


class OrganisationCoverage(Base):
    """The townships / villages an organisation serves: the places that need a member."""

    __tablename__ = "organisation_coverage"

    organisation_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("organisations.organisation_id"), primary_key=True
    )
    division_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True, index=True)
