"""Organisations, the villages associations cover, and the audit trail of their changes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime
from canlian.org_registry.db import Base


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    parent_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("organisations.id"), index=True
    )
    special_category: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    established_on: Mapped[date | None] = mapped_column(Date)
    dissolved_on: Mapped[date | None] = mapped_column(Date)
    # 规范化建设: the five haves, places and platforms.
    has_sign: Mapped[bool] = mapped_column(Boolean)
    has_seal: Mapped[bool] = mapped_column(Boolean)
    has_staff: Mapped[bool] = mapped_column(Boolean)
    has_funds: Mapped[bool] = mapped_column(Boolean)
    has_work: Mapped[bool] = mapped_column(Boolean)
    has_office: Mapped[bool] = mapped_column(Boolean)
    has_activity_room: Mapped[bool] = mapped_column(Boolean)
    has_service_platform: Mapped[bool] = mapped_column(Boolean)
    is_demonstration_site: Mapped[bool] = mapped_column(Boolean)
    has_premises: Mapped[bool] = mapped_column(Boolean)
    yearly_activity_funds_yuan: Mapped[int | None] = mapped_column(Integer)
    # Special associations: the funds minimum in force for the region when last judged
    # (policy special_associations.*_activity_funds_minimum), so questions are plain queries.
    activity_funds_minimum_yuan: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Computed from the current term's leadership; stored so the officials' questions are
    # plain queries.
    has_full_time_chair: Mapped[bool] = mapped_column(Boolean)
    has_disabled_cadre: Mapped[bool] = mapped_column(Boolean)
    leadership_compliant: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    coverages: Mapped[list[Coverage]] = relationship(lazy="raise", order_by="Coverage.village_code")

    __table_args__ = (
        # The service checks these first and explains; the indexes settle concurrent races.
        Index(
            "uq_organisations_active_federation",
            "division_code",
            unique=True,
            postgresql_where=text("kind = 'federation' AND status = 'established'"),
            sqlite_where=text("kind = 'federation' AND status = 'established'"),
        ),
        Index(
            "uq_organisations_active_special_association",
            "division_code",
            "special_category",
            unique=True,
            postgresql_where=text("kind = 'special_association' AND status = 'established'"),
            sqlite_where=text("kind = 'special_association' AND status = 'established'"),
        ),
    )


class Coverage(Base):
    """A village an association covers; one association may cover several (joint)."""

    __tablename__ = "coverages"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("organisations.id"), index=True
    )
    village_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        # A village is covered by at most one association at a time (races end in a 409).
        Index(
            "uq_coverages_active_village",
            "village_code",
            unique=True,
            postgresql_where=active.is_(True),
            sqlite_where=active.is_(True),
        ),
    )


class ChangeRecord(Base):
    """Audit trail of every write: who, when, what, the state before and after (JSON)."""

    __tablename__ = "change_records"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    actor_region: Mapped[str] = mapped_column(DivisionCodeType)
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(100), index=True)
    division_code: Mapped[str] = mapped_column(DivisionCodeType, index=True)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))
