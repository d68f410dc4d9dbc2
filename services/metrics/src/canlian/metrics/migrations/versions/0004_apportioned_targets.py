"""Count targets split over the regions below by a rule.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"


def upgrade() -> None:
    with op.batch_alter_table("plan_targets", schema=SCHEMA) as batch:
        batch.add_column(sa.Column("apportionment", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_targets", schema=SCHEMA) as batch:
        batch.drop_column("apportionment")
