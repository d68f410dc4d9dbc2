"""A region's star policy has a version, its ETag: replacing it names it in If-Match.

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

SCHEMA = "volunteers"
TABLES = (("star_policies", "version"),)


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
