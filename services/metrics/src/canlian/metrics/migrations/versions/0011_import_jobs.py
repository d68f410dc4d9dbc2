"""Import jobs: the reported-values upload run in the background (Prefer: respond-async, or
a large file), its progress and report.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from canlian.common.db.platform_migrations import create_import_jobs_v1, drop_import_jobs_v1

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"


def upgrade() -> None:
    create_import_jobs_v1(SCHEMA)


def downgrade() -> None:
    drop_import_jobs_v1(SCHEMA)
