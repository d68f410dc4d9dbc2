"""Service platforms (残疾人之家, 如康家园, institutions): services, capacity, places taken.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime


revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('service_platforms',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('division_code', DivisionCodeType, nullable=False),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('occupied', sa.Integer(), nullable=False),
    sa.Column('staff', sa.Integer(), nullable=False),
    sa.Column('open', sa.Boolean(), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_platforms')),
    sa.UniqueConstraint('division_code', 'name', name=op.f('uq_service_platforms_division_code_name')),
    schema='needs'
    )
    op.create_index(op.f('ix_service_platforms_division_code_id'), 'service_platforms', ['division_code', 'id'], unique=False, schema='needs')


def downgrade() -> None:
    op.drop_index(op.f('ix_service_platforms_division_code_id'), table_name='service_platforms', schema='needs')
    op.drop_table('service_platforms', schema='needs')
