"""Needs from every channel, their assessment, referral, closing and rating.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('needs',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('household_id', sa.String(length=64), nullable=False),
    sa.Column('division_code', DivisionCodeType, nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reports', sa.JSON(), nullable=False),
    sa.Column('visit_id', sa.String(length=64), nullable=True),
    sa.Column('volunteer_id', sa.String(length=64), nullable=True),
    sa.Column('caller_ciphertext', sa.Text(), nullable=True),
    sa.Column('called_at', UtcDateTime(), nullable=True),
    sa.Column('operator', sa.String(length=100), nullable=True),
    sa.Column('call_summary', sa.Text(), nullable=True),
    sa.Column('petition_received_on', sa.Date(), nullable=True),
    sa.Column('petition_acceptance_due', sa.Date(), nullable=True),
    sa.Column('petition_closing_due', sa.Date(), nullable=True),
    sa.Column('petition_reply', sa.Text(), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    sa.Column('assessment', sa.Text(), nullable=True),
    sa.Column('assessed_by', sa.String(length=200), nullable=True),
    sa.Column('referral_target', sa.String(length=20), nullable=True),
    sa.Column('platform_id', sa.String(length=64), nullable=True),
    sa.Column('referred_to', sa.String(length=100), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('closed_within_deadline', sa.Boolean(), nullable=True),
    sa.Column('satisfaction', sa.String(length=30), nullable=True),
    sa.Column('satisfaction_reason', sa.String(length=500), nullable=True),
    sa.Column('handling_division', DivisionCodeType, nullable=False),
    sa.Column('escalations', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['needs.households.id'], name=op.f('fk_needs_household_id_households')),
    sa.ForeignKeyConstraint(['platform_id'], ['needs.service_platforms.id'], name=op.f('fk_needs_platform_id_service_platforms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs')),
    schema='needs'
    )
    op.create_index(op.f('ix_needs_division_code_id'), 'needs', ['division_code', 'id'], unique=False, schema='needs')
    op.create_index(op.f('ix_needs_household_id_category_status'), 'needs', ['household_id', 'category', 'status'], unique=False, schema='needs')
    op.create_index(op.f('ix_needs_status_due_on'), 'needs', ['status', 'due_on'], unique=False, schema='needs')


def downgrade() -> None:
    op.drop_index(op.f('ix_needs_status_due_on'), table_name='needs', schema='needs')
    op.drop_index(op.f('ix_needs_household_id_category_status'), table_name='needs', schema='needs')
    op.drop_index(op.f('ix_needs_division_code_id'), table_name='needs', schema='needs')
    op.drop_table('needs', schema='needs')
