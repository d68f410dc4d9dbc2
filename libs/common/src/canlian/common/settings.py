"""Platform settings, read from the environment.

With no server configured a service runs on the embedded default: a SQLite file of its own
under the data directory and the embedded event log beside it.
"""

from __future__ import annotations

import base64
import binascii
import sys
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SettingsT = TypeVar("SettingsT", bound="PlatformSettings")

# Personal-data keys that have been published (the compose file's old demo defaults): anyone
# holding the data could decrypt it, so production refuses them.
KNOWN_DEMO_KEYS = frozenset(
    {
        "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=",
    }
)
PII_KEY_BYTES = 32


class PlatformSettings(BaseSettings):
    """Settings every service shares; a service subclasses it to add its own."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL, e.g. postgresql+asyncpg://user:pw@host/canlian. "
        "Unset: a SQLite file per service under CANLIAN_DATA_DIR.",
    )
    kafka_bootstrap_servers: str | None = Field(
        default=None, description="host:port[,host:port]. Unset: the embedded event log."
    )
    canlian_data_dir: Path = Field(
        default=Path(".canlian"), description="Where embedded databases, log and keys live."
    )
    canlian_environment: Literal["embedded", "development", "production"] = "embedded"
    jwks_url: str | None = Field(default=None, description="JWKS of the identity provider.")
    jwt_issuer: str = "canlian"
    jwt_audience: str = "canlian"
    canlian_pii_key: str | None = Field(
        default=None,
        validate_default=True,
        description="base64 of 32 bytes: AES-256-GCM key for personal identifiers. "
        "Required in production.",
    )
    canlian_pii_index_key: str | None = Field(
        default=None,
        validate_default=True,
        description="base64 of 32 bytes: HMAC key of the look-up index. Required in production.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    canlian_max_json_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        le=64 * 1024 * 1024,
        description="Largest request body that is not an upload (413 above it).",
    )
    canlian_max_upload_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        le=1024 * 1024 * 1024,
        description="Largest multipart upload (413 above it); uploads are spooled to disk.",
    )
    canlian_import_max_rows: int = Field(
        default=50_000, ge=1, le=10_000_000, description="Most data rows one import may hold."
    )
    canlian_import_background_rows: int = Field(
        default=5_000,
        ge=1,
        le=10_000_000,
        description="An upload of more data rows than this runs as an import job (202 and a "
        "job to poll) even without `Prefer: respond-async`.",
    )
    canlian_import_poll_seconds: float = Field(
        default=1.0, gt=0, le=60, description="How often the import worker looks for jobs."
    )
    canlian_import_stale_seconds: float = Field(
        default=120.0,
        ge=5,
        le=24 * 3600,
        description="A running import job whose worker has not reported for this long is "
        "taken as dead: queued again once, then failed.",
    )
    policies_in_force_check_seconds: float = Field(
        default=3600,
        ge=1,
        le=86400,
        description="How often the workers of a service owning policy parameters look whether "
        "today's in-force run has run; it runs once a China-time day "
        "(POLICIES_IN_FORCE_CHECK_SECONDS).",
    )
    jwt_max_lifetime_seconds: int = Field(
        default=12 * 3600,
        ge=60,
        le=31 * 24 * 3600,
        description="Tokens whose exp lies further than this after iat (or now) are refused.",
    )
    canlian_metrics_token: str | None = Field(
        default=None,
        min_length=16,
        description="Bearer token Prometheus sends to /metrics (besides an admin's JWT). "
        "Unset: /metrics answers admins' tokens only.",
    )
    outbox_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    outbox_batch_size: int = Field(default=500, ge=1, le=10_000)
    kafka_topic_partitions: int = Field(default=6, ge=1, le=1000)
    events_base_url: str | None = Field(
        default=None,
        description="Public base URL of the event catalogue (each service serves it under "
        "/events/); events' `dataschema` is this plus /events/schemas/<type>/v<n>.json. "
        "Unset: the path alone, resolved against the service that sent the event.",
    )
    events_earlier_versions_until: date | None = Field(
        default=date(2027, 6, 30),
        description="Last day (China time) on which an event type's earlier schema versions "
        "are still published beside its current one (same event id, their own dataschema), "
        "so that consumers move at their pace; unset: the current version only. See "
        "docs/events/README.md, 'Versions'.",
    )
    db_pool_size: int = Field(
        default=10,
        ge=1,
        le=200,
        description="Database pool size; on PostgreSQL each process keeps up to twice this "
        "many connections open (the pool and what used to be its overflow).",
    )
    canlian_run_workers: bool = Field(
        default=True,
        description="Run the outbox relay and event consumers in this process. Off for "
        "API-only replicas scaled beyond the topic's partitions.",
    )

    canlian_require_if_match: bool = Field(
        default=True,
        description="Writes of an existing object need If-Match (428 without). False for a "
        "migration period: a missing If-Match is let through, a stale one still gets 412.",
    )

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if value.startswith(("postgres://", "postgresql://")):
            # Operators paste libpq URLs; the async driver is the one we run on.
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
            raise ValueError("expected postgresql+asyncpg://... or sqlite+aiosqlite://...")
        return value

    @field_validator("kafka_bootstrap_servers")
    @classmethod
    def _servers(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        for server in value.split(","):
            host, _, port = server.strip().rpartition(":")
            if not host or not port.isdigit():
                raise ValueError(f"expected host:port, got {server!r}")
        return value

    @field_validator("canlian_pii_key", "canlian_pii_index_key")
    @classmethod
    def _production_key(cls, value: str | None, info: ValidationInfo) -> str | None:
        """In production a key must be given, 32 random bytes, and not a published demo key."""
        if value is not None and value.strip() == "":
            value = None
        if info.data.get("canlian_environment") != "production":
            return value
        if value is None:
            raise ValueError("must be set in production (base64 of 32 random bytes)")
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("must be base64 of 32 random bytes") from None
        if len(raw) != PII_KEY_BYTES:
            raise ValueError(f"is {len(raw)} bytes; it must be {PII_KEY_BYTES} random bytes")
        published = {base64.b64decode(key) for key in KNOWN_DEMO_KEYS}
        if raw in published or len(set(raw)) < 8:
            raise ValueError("is a published demo key (or not random); generate a new one")
        return value

    @property
    def embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def embedded_bus(self) -> bool:
        return self.kafka_bootstrap_servers is None

    @property
    def data_dir(self) -> Path:
        return self.canlian_data_dir

    def sqlite_path(self, schema: str) -> Path:
        return self.data_dir / f"{schema}.sqlite3"

    @property
    def event_log_path(self) -> Path:
        return self.data_dir / "event-log.sqlite3"


def load_settings(cls: type[SettingsT]) -> SettingsT:
    """Read settings; on a bad value exit with one line that names the setting."""
    try:
        return cls()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        sys.stderr.write(f"canlian: invalid setting {name}: {first['msg']}\n")
        raise SystemExit(2) from None
