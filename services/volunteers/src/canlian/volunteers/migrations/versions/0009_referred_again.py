"""A need the needs service refers to the volunteers again (reopened, or sent elsewhere and
back) opens a new volunteers' need: a source need may name several, each with the version of
the referral that opened it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "volunteers"


def upgrade() -> None:
    op.drop_index("ix_needs_source_need_id", table_name="needs", schema=SCHEMA)
    op.create_index("ix_needs_source_need_id", "needs", ["source_need_id"], schema=SCHEMA)
    op.add_column("needs", sa.Column("source_version", sa.Integer(), nullable=True), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("needs", "source_version", schema=SCHEMA)
    op.drop_index("ix_needs_source_need_id", table_name="needs", schema=SCHEMA)
    op.create_index(
        "ix_needs_source_need_id", "needs", ["source_need_id"], unique=True, schema=SCHEMA
    )
