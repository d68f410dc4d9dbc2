"""Tables of the org-registry service, all in its own schema `org_registry`."""

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
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime, service_metadata

SCHEMA = "org_registry"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


class Division(Base):
    """One version of a division: a code with its name and parent over [valid_from, valid_to).

    A rename closes the version and opens a new one; a merge or split closes it for good.
    `valid_from` is empty for versions in force before the registry's records begin, so an
    "as of" query of any earlier date still finds them.
    """

    __tablename__ = "divisions"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(SmallInteger)
    parent_code: Mapped[str | None] = mapped_column(String(12), index=True)
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
    code: Mapped[str] = mapped_column(String(12), index=True)
    successor_code: Mapped[str | None] = mapped_column(String(12), index=True)
    effective_on: Mapped[date] = mapped_column(Date)
    old_name: Mapped[str | None] = mapped_column(String(100))
    new_name: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    division_code: Mapped[str] = mapped_column(String(12), index=True)
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
    village_code: Mapped[str] = mapped_column(String(12), index=True)
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


class ChangeRecord(Base):
    """Audit trail of every write: who, when, what, the state before and after (JSON)."""

    __tablename__ = "change_records"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    actor_region: Mapped[str] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(100), index=True)
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))
