"""Who made the last change of an archive entry or an appointment.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "members"


def upgrade() -> None:
    for table in ("members", "appointments"):
        with op.batch_alter_table(table, schema=SCHEMA) as batch:
            batch.add_column(
                sa.Column("updated_by", sa.String(200), nullable=False, server_default="system")
            )


def downgrade() -> None:
    for table in ("members", "appointments"):
        with op.batch_alter_table(table, schema=SCHEMA) as batch:
            batch.drop_column("updated_by")
