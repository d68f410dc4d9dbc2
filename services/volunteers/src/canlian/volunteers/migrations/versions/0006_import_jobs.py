"""Import jobs: the volunteer roster import run in the background (Prefer: respond-async, or
a large file), its progress and report.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from canlian.common.db.platform_migrations import create_import_jobs_v1, drop_import_jobs_v1

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "volunteers"


def upgrade() -> None:
    create_import_jobs_v1(SCHEMA)


def downgrade() -> None:
    drop_import_jobs_v1(SCHEMA)
