"""Household files (一户一档): households, their members, each member's basic services.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('households',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('division_code', DivisionCodeType, nullable=False),
    sa.Column('address_ciphertext', sa.Text(), nullable=False),
    sa.Column('declared_flags', sa.JSON(), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('visit_interval_days', sa.Integer(), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('last_visited_on', sa.Date(), nullable=True),
    sa.Column('next_visit_due', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    schema='needs'
    )
    op.create_index(op.f('ix_households_division_code_id'), 'households', ['division_code', 'id'], unique=False, schema='needs')
    op.create_index(op.f('ix_households_next_visit_due'), 'households', ['next_visit_due'], unique=False, schema='needs')
    op.create_table('household_members',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('household_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_ciphertext', sa.Text(), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('elderly', sa.Boolean(), nullable=False),
    sa.Column('person_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['needs.households.id'], name=op.f('fk_household_members_household_id_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_members')),
    sa.UniqueConstraint('household_id', 'person_id', name=op.f('uq_household_members_household_id_person_id')),
    schema='needs'
    )
    op.create_index(op.f('ix_household_members_household_id'), 'household_members', ['household_id'], unique=False, schema='needs')
    op.create_index(op.f('ix_household_members_person_id'), 'household_members', ['person_id'], unique=False, schema='needs')
    op.create_table('member_services',
    sa.Column('member_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['needs.household_members.id'], name=op.f('fk_member_services_member_id_household_members')),
    sa.PrimaryKeyConstraint('member_id', 'kind', name=op.f('pk_member_services')),
    schema='needs'
    )


def downgrade() -> None:
    op.drop_table('member_services', schema='needs')
    op.drop_index(op.f('ix_household_members_person_id'), table_name='household_members', schema='needs')
    op.drop_index(op.f('ix_household_members_household_id'), table_name='household_members', schema='needs')
    op.drop_table('household_members', schema='needs')
    op.drop_index(op.f('ix_households_next_visit_due'), table_name='households', schema='needs')
    op.drop_index(op.f('ix_households_division_code_id'), table_name='households', schema='needs')
    op.drop_table('households', schema='needs')
