"""Each entity's contribution by business date (`entity_states.steps`), so an imported or
back-dated fact journals on its own date and a correction re-journals the days it touches.
States stored before it keep null: read as their contribution from the day they were applied.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"


def upgrade() -> None:
    with op.batch_alter_table("entity_states", schema=SCHEMA) as batch:
        batch.add_column(sa.Column("steps", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entity_states", schema=SCHEMA) as batch:
        batch.drop_column("steps")
