"""Frozen migration steps for the platform tables, called from each service's first revision.

These describe the tables as they were at that revision; later changes get new steps here and
new revisions in every service, never an edit of an existing step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime


def create_platform_tables_v1(schema: str) -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("partition_key", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("published_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
        schema=schema,
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["seq"],
        schema=schema,
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(100), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(20), server_default="applied", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox"),
        schema=schema,
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name="pk_idempotency_keys"),
        schema=schema,
    )
    op.create_index(
        "ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"], schema=schema
    )
    op.create_table(
        "audit_log",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_region", sa.String(12), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("object_type", sa.String(100), nullable=False),
        sa.Column("object_id", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        schema=schema,
    )
    for column in ("occurred_at", "actor", "object_id"):
        op.create_index(f"ix_audit_log_{column}", "audit_log", [column], schema=schema)


def drop_platform_tables_v1(schema: str) -> None:
    for table in ("audit_log", "idempotency_keys", "inbox", "outbox"):
        op.drop_table(table, schema=schema)


def upgrade_platform_tables_v2(schema: str) -> None:
    """The client's request id beside the server's in the audit log; the rate limiter's
    counters."""
    op.add_column(
        "audit_log", sa.Column("client_request_id", sa.String(64), nullable=True), schema=schema
    )
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(200), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "window_start", name="pk_rate_limits"),
        schema=schema,
    )
    op.create_index("ix_rate_limits_expires_at", "rate_limits", ["expires_at"], schema=schema)


def downgrade_platform_tables_v2(schema: str) -> None:
    op.drop_table("rate_limits", schema=schema)
    with op.batch_alter_table("audit_log", schema=schema) as batch:
        batch.drop_column("client_request_id")


def create_import_jobs_v1(schema: str) -> None:
    """The background import jobs of a service that has import routes
    (`canlian.common.import_jobs.table`)."""
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column(
            "region",
            sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("principal_subject", sa.String(200), nullable=False),
        sa.Column("principal_issuer", sa.String(200), nullable=False),
        sa.Column("principal_roles", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claim", sa.String(36), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_import_jobs"),
        schema=schema,
    )
    op.create_index(
        "ix_import_jobs_status_created_at",
        "import_jobs",
        ["status", "created_at"],
        schema=schema,
    )
    op.create_index(
        "ix_import_jobs_region_created_at",
        "import_jobs",
        ["region", "created_at", "id"],
        schema=schema,
    )


def drop_import_jobs_v1(schema: str) -> None:
    op.drop_table("import_jobs", schema=schema)


def create_division_names_v1(schema: str) -> None:
    """The registry's division names, in a service that names divisions beside their codes
    (`canlian.common.division_names.table`)."""
    op.create_table(
        "division_names",
        sa.Column(
            "code",
            sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_division_names"),
        schema=schema,
    )


def drop_division_names_v1(schema: str) -> None:
    op.drop_table("division_names", schema=schema)
