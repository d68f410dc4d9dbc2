"""Per-service metadata and the platform tables every service has in its own schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments a column typed exactly INTEGER.
BigIntegerKey = BigInteger().with_variant(Integer(), "sqlite")


def code_string(length: int) -> TypeEngine[str]:
    """A code of digits, compared byte by byte on PostgreSQL (``COLLATE "C"``).

    Region scope is a prefix (``LIKE '6201%'``): under a UTF-8 collation, production's default,
    a b-tree index cannot serve it and every region-scoped query scans the table; under "C"
    it is a range on the index. For digits "C" orders exactly as any other collation.
    """
    return String(length).with_variant(String(length, collation="C"), "postgresql")


# Every column holding an administrative division code (12 digits).
DivisionCodeType = code_string(12)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both dialects (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def service_metadata(schema: str) -> MetaData:
    metadata = MetaData(schema=schema, naming_convention=NAMING_CONVENTION)
    platform_tables(metadata)
    return metadata


@dataclass(frozen=True)
class PlatformTables:
    outbox: Table
    inbox: Table
    idempotency_keys: Table
    audit_log: Table
    rate_limits: Table


def platform_tables(metadata: MetaData) -> PlatformTables:
    """The outbox, inbox, idempotency and audit tables, declared once per service metadata."""
    if "platform_tables" in metadata.info:
        tables: PlatformTables = metadata.info["platform_tables"]
        return tables
    outbox = Table(
        "outbox",
        metadata,
        Column("seq", BigIntegerKey, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("partition_key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("envelope", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("published_at", UtcDateTime, nullable=True),
    )
    Index(
        "ix_outbox_unpublished",
        outbox.c.seq,
        postgresql_where=outbox.c.published_at.is_(None),
        sqlite_where=outbox.c.published_at.is_(None),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("received_at", UtcDateTime, nullable=False),
        Column("status", String(20), nullable=False, server_default="applied"),
        Column("error", Text, nullable=True),
    )
    idempotency_keys = Table(
        "idempotency_keys",
        metadata,
        Column("principal", String(200), primary_key=True),
        Column("key", String(200), primary_key=True),
        Column("method", String(10), nullable=False),
        Column("path", String(500), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer, nullable=False),
        Column("response_body", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False, index=True),
    )
    audit_log = Table(
        "audit_log",
        metadata,
        Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        Column("occurred_at", UtcDateTime, nullable=False, index=True),
        Column("actor", String(200), nullable=False, index=True),
        Column("actor_region", String(12), nullable=False),
        Column("action", String(100), nullable=False),
        Column("object_type", String(100), nullable=False),
        Column("object_id", String(100), nullable=False, index=True),
        Column("reason", Text, nullable=False),
        Column("request_id", String(64), nullable=True),
        # The X-Request-ID the client sent, kept beside the server's id, never taken for it.
        Column("client_request_id", String(64), nullable=True),
    )
    # Fixed-window counters of the rate limiter, shared by every replica (`rate_limit.py`).
    rate_limits = Table(
        "rate_limits",
        metadata,
        Column("bucket", String(200), primary_key=True),
        Column("window_start", BigInteger, primary_key=True),
        Column("hits", Integer, nullable=False),
        Column("expires_at", UtcDateTime, nullable=False, index=True),
    )
    tables = PlatformTables(outbox, inbox, idempotency_keys, audit_log, rate_limits)
    metadata.info["platform_tables"] = tables
    return tables
