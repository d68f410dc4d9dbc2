"""Appointments on social-work posts (社工岗位): seed 004 puts township committee members on
social-work posts and village and community members on public-welfare posts.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "members"


def upgrade() -> None:
    op.add_column(
        "appointments",
        sa.Column("social_work_post", sa.Boolean(), server_default=sa.false(), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_column("appointments", "social_work_post", schema=SCHEMA)
