"""A need the needs service referred to the volunteers names its source need, once.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "volunteers"


def upgrade() -> None:
    op.add_column("needs", sa.Column("source_need_id", sa.String(64), nullable=True), schema=SCHEMA)
    op.create_index(
        "ix_needs_source_need_id", "needs", ["source_need_id"], unique=True, schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_index("ix_needs_source_need_id", table_name="needs", schema=SCHEMA)
    op.drop_column("needs", "source_need_id", schema=SCHEMA)
