"""The days the escalation of overdue needs ran (its scheduler runs once a day).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import UtcDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "needs"


def upgrade() -> None:
    op.create_table(
        "escalation_runs",
        sa.Column("run_on", sa.Date(), nullable=False),
        sa.Column("ran_at", UtcDateTime(), nullable=False),
        sa.Column("escalated", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("run_on", name=op.f("pk_escalation_runs")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("escalation_runs", schema=SCHEMA)
