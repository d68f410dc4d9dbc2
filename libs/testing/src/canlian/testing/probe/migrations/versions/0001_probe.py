"""Probe tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import UtcDateTime
from canlian.common.db.platform_migrations import (
    create_platform_tables_v1,
    drop_platform_tables_v1,
)

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "probe"


def upgrade() -> None:
    create_platform_tables_v1(SCHEMA)
    op.create_table(
        "probes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_probes"),
        schema=SCHEMA,
    )
    op.create_index("ix_probes_region", "probes", ["region"], schema=SCHEMA)
    op.create_table(
        "tallies",
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("label", name="pk_tallies"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("tallies", schema=SCHEMA)
    op.drop_table("probes", schema=SCHEMA)
    drop_platform_tables_v1(SCHEMA)
