"""Row versions for optimistic concurrency: a submission and an evaluation answer their
`row_version` as the ETag, and reviewing or approving names it in If-Match. (`version` of
both numbers the submission or the draft, not the row's state.)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"


def upgrade() -> None:
    for table in ("submissions", "evaluations"):
        op.add_column(
            table,
            sa.Column("row_version", sa.Integer(), nullable=False, server_default="1"),
            schema=SCHEMA,
        )
    # Rows written before start at 1: any value names their state, each change increments it.


def downgrade() -> None:
    for table in ("submissions", "evaluations"):
        op.drop_column(table, "row_version", schema=SCHEMA)
