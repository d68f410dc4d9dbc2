"""Tables of the metrics service, all in its own schema `metrics`.

Live rollups (ARCHITECTURE.md): `entity_states` keeps each source entity's last applied
version and the contribution it made; `counters` holds the sums for every division at every
level; `division_tallies` holds counts at one exact division from which "divisions with at
least one ..." counters are derived; `daily_changes` journals every counter change per day so
as-of queries and trends need no scheduler.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime, service_metadata

SCHEMA = "metrics"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


class Division(Base):
    """The metrics service's read model of the division hierarchy: names and parents."""

    __tablename__ = "divisions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(SmallInteger)
    parent_code: Mapped[str | None] = mapped_column(String(12), index=True)


class EntityState(Base):
    """What one source entity last contributed, so the next event applies only a difference."""

    __tablename__ = "entity_states"

    entity_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    # {"<division>|<counter>": value}; tallies are counters whose name starts with "@".
    contribution: Mapped[dict[str, Any]] = mapped_column(JSON)
    event_type: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CounterValue(Base):
    __tablename__ = "counters"

    division_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    counter: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class DivisionTally(Base):
    __tablename__ = "division_tallies"

    division_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    tally: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class DailyChange(Base):
    __tablename__ = "daily_changes"

    division_code: Mapped[str] = mapped_column(String(12), primary_key=True)
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


class Indicator(Base):
    """DHIS2-style: derived = factor x sum(numerator counters) / sum(denominator counters);
    reported = values departments submit per region and year."""

    __tablename__ = "indicators"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(20))
    numerator: Mapped[str | None] = mapped_column(String(400))
    denominator: Mapped[str | None] = mapped_column(String(400))
    factor: Mapped[float] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    built_in: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Plan(Base):
    __tablename__ = "plans"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    midterm_year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(200))


class PlanTarget(Base):
    """A target set on a region applies to every region below it unless one overrides it."""

    __tablename__ = "plan_targets"
    __table_args__ = (
        # The convention's name would pass PostgreSQL's 63 characters.
        UniqueConstraint(
            "plan_code",
            "indicator_code",
            "division_code",
            "applies_to_level",
            name="uq_plan_targets_one_per_scope",
        ),
    )

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plans.code", ondelete="CASCADE"))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    # 0: the region and everything below it; 1-5: only the regions of that level within it
    # (seed 003: talent pool >= 80 in each city, >= 30 in each county).
    applies_to_level: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    comparator: Mapped[str] = mapped_column(String(2))
    final_value: Mapped[float] = mapped_column(Float)
    midterm_value: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))


class ReportedValue(Base):
    __tablename__ = "reported_values"

    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"), primary_key=True)
    division_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plans.code"))
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
