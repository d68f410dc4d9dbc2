"""Real-name archive: organisations read model, members, appointments and their history,
regional allowance minimums, assessments, trainings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "members"


def upgrade() -> None:
    op.create_table('allowance_minimums',
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('post_level', sa.String(length=10), nullable=False),
    sa.Column('monthly_minimum_yuan', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('basis', sa.String(length=500), nullable=True),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('division_code', 'post_level', name=op.f('pk_allowance_minimums')),
    schema=SCHEMA
    )
    op.create_table('members',
    sa.Column('id', BigIntegerKey, autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('name_ciphertext', sa.Text(), nullable=False),
    sa.Column('citizen_id_ciphertext', sa.Text(), nullable=False),
    sa.Column('citizen_id_index', sa.String(length=64), nullable=False),
    sa.Column('phone_ciphertext', sa.Text(), nullable=True),
    sa.Column('sex', sa.String(length=6), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('disability_relation', sa.String(length=20), nullable=False),
    sa.Column('disability_category', sa.Integer(), nullable=True),
    sa.Column('disability_grade', sa.Integer(), nullable=True),
    sa.Column('education', sa.String(length=2), nullable=True),
    sa.Column('in_talent_pool', sa.Boolean(), nullable=False),
    sa.Column('reserve_cadre', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('citizen_id_index', name=op.f('uq_members_citizen_id_index')),
    schema=SCHEMA
    )
    op.create_index(op.f('ix_members_division_code'), 'members', ['division_code'], unique=False, schema=SCHEMA)
    op.create_table('organisations',
    sa.Column('organisation_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('dissolved_on', sa.Date(), nullable=True),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_organisations')),
    schema=SCHEMA
    )
    op.create_index(op.f('ix_organisations_division_code'), 'organisations', ['division_code'], unique=False, schema=SCHEMA)
    op.create_table('appointments',
    sa.Column('id', BigIntegerKey, autoincrement=True, nullable=False),
    sa.Column('member_id', BigIntegerKey, nullable=False),
    sa.Column('organisation_id', sa.String(length=64), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('post', sa.String(length=30), nullable=False),
    sa.Column('selection_method', sa.String(length=30), nullable=False),
    sa.Column('contract_start', sa.Date(), nullable=False),
    sa.Column('contract_end', sa.Date(), nullable=True),
    sa.Column('public_welfare_post', sa.Boolean(), nullable=False),
    sa.Column('monthly_allowance_yuan', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('social_insurance_subsidy', sa.Boolean(), nullable=False),
    sa.Column('allowance_minimum_yuan', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('allowance_compliant', sa.Boolean(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_since', sa.Date(), nullable=False),
    sa.Column('seat_key', sa.String(length=120), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.members.id'], name=op.f('fk_appointments_member_id_members')),
    sa.ForeignKeyConstraint(['organisation_id'], ['members.organisations.organisation_id'], name=op.f('fk_appointments_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments')),
    sa.UniqueConstraint('seat_key', name=op.f('uq_appointments_seat_key')),
    schema=SCHEMA
    )
    op.create_index(op.f('ix_appointments_contract_end'), 'appointments', ['contract_end'], unique=False, schema=SCHEMA)
    op.create_index(op.f('ix_appointments_division_code'), 'appointments', ['division_code'], unique=False, schema=SCHEMA)
    op.create_index(op.f('ix_appointments_member_id'), 'appointments', ['member_id'], unique=False, schema=SCHEMA)
    op.create_index(op.f('ix_appointments_organisation_id'), 'appointments', ['organisation_id'], unique=False, schema=SCHEMA)
    op.create_index(op.f('ix_appointments_status'), 'appointments', ['status'], unique=False, schema=SCHEMA)
    op.create_table('organisation_coverage',
    sa.Column('organisation_id', sa.String(length=64), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['members.organisations.organisation_id'], name=op.f('fk_organisation_coverage_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('organisation_id', 'division_code', name=op.f('pk_organisation_coverage')),
    schema=SCHEMA
    )
    op.create_index(op.f('ix_organisation_coverage_division_code'), 'organisation_coverage', ['division_code'], unique=False, schema=SCHEMA)
    op.create_table('trainings',
    sa.Column('id', BigIntegerKey, autoincrement=True, nullable=False),
    sa.Column('member_id', BigIntegerKey, nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('course', sa.String(length=200), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.members.id'], name=op.f('fk_trainings_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainings')),
    schema=SCHEMA
    )
    op.create_index(op.f('ix_trainings_division_code'), 'trainings', ['division_code'], unique=False, schema=SCHEMA)
    op.create_index(op.f('ix_trainings_held_on'), 'trainings', ['held_on'], unique=False, schema=SCHEMA)
    op.create_index(op.f('ix_trainings_member_id'), 'trainings', ['member_id'], unique=False, schema=SCHEMA)
    op.create_table('assessments',
    sa.Column('id', BigIntegerKey, autoincrement=True, nullable=False),
    sa.Column('appointment_id', BigIntegerKey, nullable=False),
    sa.Column('member_id', BigIntegerKey, nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('performance_score', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('evaluation_score', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('grade', sa.String(length=30), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['members.appointments.id'], name=op.f('fk_assessments_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['member_id'], ['members.members.id'], name=op.f('fk_assessments_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('appointment_id', 'year', name=op.f('uq_assessments_appointment_id_year')),
    schema=SCHEMA
    )
    op.create_index(op.f('ix_assessments_appointment_id'), 'assessments', ['appointment_id'], unique=False, schema=SCHEMA)
    op.create_index(op.f('ix_assessments_division_code'), 'assessments', ['division_code'], unique=False, schema=SCHEMA)
    op.create_index(op.f('ix_assessments_member_id'), 'assessments', ['member_id'], unique=False, schema=SCHEMA)
    op.create_table('status_changes',
    sa.Column('id', BigIntegerKey, autoincrement=True, nullable=False),
    sa.Column('appointment_id', BigIntegerKey, nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['members.appointments.id'], name=op.f('fk_status_changes_appointment_id_appointments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_changes')),
    schema=SCHEMA
    )
    op.create_index(op.f('ix_status_changes_appointment_id'), 'status_changes', ['appointment_id'], unique=False, schema=SCHEMA)


def downgrade() -> None:
    op.drop_index(op.f('ix_status_changes_appointment_id'), table_name='status_changes', schema=SCHEMA)
    op.drop_table('status_changes', schema=SCHEMA)
    op.drop_index(op.f('ix_assessments_member_id'), table_name='assessments', schema=SCHEMA)
    op.drop_index(op.f('ix_assessments_division_code'), table_name='assessments', schema=SCHEMA)
    op.drop_index(op.f('ix_assessments_appointment_id'), table_name='assessments', schema=SCHEMA)
    op.drop_table('assessments', schema=SCHEMA)
    op.drop_index(op.f('ix_trainings_member_id'), table_name='trainings', schema=SCHEMA)
    op.drop_index(op.f('ix_trainings_held_on'), table_name='trainings', schema=SCHEMA)
    op.drop_index(op.f('ix_trainings_division_code'), table_name='trainings', schema=SCHEMA)
    op.drop_table('trainings', schema=SCHEMA)
    op.drop_index(op.f('ix_organisation_coverage_division_code'), table_name='organisation_coverage', schema=SCHEMA)
    op.drop_table('organisation_coverage', schema=SCHEMA)
    op.drop_index(op.f('ix_appointments_status'), table_name='appointments', schema=SCHEMA)
    op.drop_index(op.f('ix_appointments_organisation_id'), table_name='appointments', schema=SCHEMA)
    op.drop_index(op.f('ix_appointments_member_id'), table_name='appointments', schema=SCHEMA)
    op.drop_index(op.f('ix_appointments_division_code'), table_name='appointments', schema=SCHEMA)
    op.drop_index(op.f('ix_appointments_contract_end'), table_name='appointments', schema=SCHEMA)
    op.drop_table('appointments', schema=SCHEMA)
    op.drop_index(op.f('ix_organisations_division_code'), table_name='organisations', schema=SCHEMA)
    op.drop_table('organisations', schema=SCHEMA)
    op.drop_index(op.f('ix_members_division_code'), table_name='members', schema=SCHEMA)
    op.drop_table('members', schema=SCHEMA)
    op.drop_table('allowance_minimums', schema=SCHEMA)
