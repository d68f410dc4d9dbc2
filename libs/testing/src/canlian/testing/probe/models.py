from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from canlian.common.db.metadata import UtcDateTime, service_metadata

SCHEMA = "probe"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


class Probe(Base):
    __tablename__ = "probes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region: Mapped[str] = mapped_column(String(12), index=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Tally(Base):
    """What a consumer applied: one row per label, counting applications."""

    __tablename__ = "tallies"

    label: Mapped[str] = mapped_column(String(100), primary_key=True)
    applied: Mapped[int] = mapped_column(Integer, default=0)
