"""Needs found open past a deadline (marked by the daily job), so the in-time rates count a
backlog as late before it closes. Existing open needs past a deadline are marked by the next
run of the job.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "needs"


def upgrade() -> None:
    for column in ("overdue", "acceptance_overdue"):
        op.add_column(
            "needs",
            sa.Column(column, sa.Boolean(), nullable=False, server_default=sa.false()),
            schema=SCHEMA,
        )


def downgrade() -> None:
    for column in ("acceptance_overdue", "overdue"):
        op.drop_column("needs", column, schema=SCHEMA)
