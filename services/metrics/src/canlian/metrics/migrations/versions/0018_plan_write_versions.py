"""Versions for optimistic concurrency of the plan's writes: a submission deadline's own, and
the plan's targets and reported values each versioned as a whole (a write that replaces or
removes one names the collection's ETag in If-Match).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"
TABLES = (
    ("submission_deadlines", "version"),
    ("plans", "targets_version"),
    ("plans", "reported_values_version"),
)


def upgrade() -> None:
    for table, column in TABLES:
        op.add_column(
            table,
            sa.Column(column, sa.Integer(), nullable=False, server_default="1"),
            schema=SCHEMA,
        )
    # Rows written before start at 1: any value names their state, each change increments it.


def downgrade() -> None:
    for table, column in TABLES:
        op.drop_column(table, column, schema=SCHEMA)
