"""Platform tables (outbox, inbox, idempotency keys, audit log, rate limits) and the
committee members' posts read from the members service's events.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime
from canlian.common.db.platform_migrations import (
    create_platform_tables_v1,
    downgrade_platform_tables_v2,
    drop_platform_tables_v1,
    upgrade_platform_tables_v2,
)

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "needs"


def upgrade() -> None:
    create_platform_tables_v1(SCHEMA)
    upgrade_platform_tables_v2(SCHEMA)
    op.create_table('committee_posts',
    sa.Column('appointment_id', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('division_code', DivisionCodeType, nullable=False),
    sa.Column('holds_post', sa.Boolean(), nullable=False),
    sa.Column('served_divisions', sa.JSON(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('appointment_id', name=op.f('pk_committee_posts')),
    schema='needs'
    )
    op.create_index(op.f('ix_committee_posts_member_id'), 'committee_posts', ['member_id'], unique=False, schema='needs')


def downgrade() -> None:
    op.drop_index(op.f('ix_committee_posts_member_id'), table_name='committee_posts', schema='needs')
    op.drop_table('committee_posts', schema='needs')
    downgrade_platform_tables_v2(SCHEMA)
    drop_platform_tables_v1(SCHEMA)
