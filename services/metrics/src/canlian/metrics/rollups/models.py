"""Live rollups (ARCHITECTURE.md): `entity_states` keeps each source entity's last applied
version and the contribution it made; `counters` holds the sums for every division at every
level; `division_tallies` holds counts at one exact division from which "divisions with at
least one ..." counters are derived; `daily_changes` journals every counter change per day so
as-of queries and trends need no scheduler; `parked_events` holds what could not be applied."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.metrics.db import Base


class EntityState(Base):
    """What one source entity last contributed, so the next event applies only a difference."""

    __tablename__ = "entity_states"

    entity_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    # {"<division>|<counter>": value}; tallies are counters whose name starts with "@".
    contribution: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The contribution by business date, as journaled: [[day, contribution], ...], the last
    # one null (= `contribution`); null in states stored before it was kept.
    steps: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    event_type: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CounterValue(Base):
    __tablename__ = "counters"

    division_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    counter: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class DivisionTally(Base):
    __tablename__ = "division_tallies"

    division_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    tally: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class DailyChange(Base):
    __tablename__ = "daily_changes"

    division_code: Mapped[str] = mapped_column(DivisionCodeType, primary_key=True)
    counter: Mapped[str] = mapped_column(String(100), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    delta: Mapped[int] = mapped_column(BigInteger)


class ParkedEvent(Base):
    """Events the rollups could not apply (unknown type, newer schema, bad payload)."""

    __tablename__ = "parked_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(200))
    dataschema: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(String(100))
    envelope: Mapped[str] = mapped_column(Text)
    parked_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
