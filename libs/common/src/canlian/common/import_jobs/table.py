"""The `import_jobs` table a service declares when it runs imports in the background.

Opt-in (not one of `platform_tables`): only services with an import route have it, added by
their own migration (`create_import_jobs_v1`).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
STATUSES = (QUEUED, RUNNING, SUCCEEDED, FAILED)
FINISHED = (SUCCEEDED, FAILED)

_INFO_KEY = "import_jobs_table"


def import_jobs_table(metadata: MetaData) -> Table:
    """The table on a service's metadata, declared once."""
    if _INFO_KEY in metadata.info:
        declared: Table = metadata.info[_INFO_KEY]
        return declared
    table = Table(
        "import_jobs",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("kind", String(50), nullable=False),
        # The scope of the principal who started it: who may see it.
        Column("region", DivisionCodeType, nullable=False),
        Column("principal_subject", String(200), nullable=False),
        Column("principal_issuer", String(200), nullable=False),
        Column("principal_roles", JSON, nullable=False),
        Column("status", String(20), nullable=False),
        Column("options", JSON, nullable=False),
        Column("filename", String(255), nullable=False),
        # The upload sealed with the personal-data key; emptied once the job has finished.
        Column("content", LargeBinary, nullable=True),
        Column("rows_total", Integer, nullable=True),
        Column("rows_done", Integer, nullable=False),
        Column("report", JSON, nullable=True),
        Column("error", JSON, nullable=True),
        Column("attempts", Integer, nullable=False),
        # The token of the worker run holding the job: only that run may finish it.
        Column("claim", String(36), nullable=True),
        Column("created_at", UtcDateTime, nullable=False),
        Column("started_at", UtcDateTime, nullable=True),
        Column("heartbeat_at", UtcDateTime, nullable=True),
        Column("finished_at", UtcDateTime, nullable=True),
        Column("version", Integer, nullable=False),
        Column("request_id", String(64), nullable=True),
    )
    Index("ix_import_jobs_status_created_at", table.c.status, table.c.created_at)
    Index("ix_import_jobs_region_created_at", table.c.region, table.c.created_at, table.c.id)
    metadata.info[_INFO_KEY] = table
    return table


def declared_import_jobs(metadata: MetaData) -> Table | None:
    table: Table | None = metadata.info.get(_INFO_KEY)
    return table
