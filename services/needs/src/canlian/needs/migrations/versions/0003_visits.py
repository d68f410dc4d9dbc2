"""Home visits (入户访视), a member's client id recorded once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('visits',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=100), nullable=False),
    sa.Column('household_id', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.String(length=64), nullable=False),
    sa.Column('division_code', DivisionCodeType, nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('met', sa.String(length=200), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('needs_found', sa.JSON(), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('on_schedule', sa.Boolean(), nullable=True),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', UtcDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['needs.households.id'], name=op.f('fk_visits_household_id_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits')),
    sa.UniqueConstraint('member_id', 'client_id', name=op.f('uq_visits_member_id_client_id')),
    schema='needs'
    )
    op.create_index(op.f('ix_visits_division_code_id'), 'visits', ['division_code', 'id'], unique=False, schema='needs')
    op.create_index(op.f('ix_visits_household_id_visited_on'), 'visits', ['household_id', 'visited_on'], unique=False, schema='needs')
    op.create_index(op.f('ix_visits_member_id'), 'visits', ['member_id'], unique=False, schema='needs')


def downgrade() -> None:
    op.drop_index(op.f('ix_visits_member_id'), table_name='visits', schema='needs')
    op.drop_index(op.f('ix_visits_household_id_visited_on'), table_name='visits', schema='needs')
    op.drop_index(op.f('ix_visits_division_code_id'), table_name='visits', schema='needs')
    op.drop_table('visits', schema='needs')
