"""Volunteers: stations, teams, volunteers and skills, needs and assignments, service
records, trainings, honours, star policies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import UtcDateTime


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('needs',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('requested_by', sa.String(length=30), nullable=False),
    sa.Column('organisation_id', sa.String(length=64), nullable=True),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('volunteers_needed', sa.Integer(), nullable=False),
    sa.Column('volunteers_accepted', sa.Integer(), nullable=False),
    sa.Column('starts_at', UtcDateTime(), nullable=False),
    sa.Column('ends_at', UtcDateTime(), nullable=False),
    sa.Column('slot_mask', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('closed_at', UtcDateTime(), nullable=True),
    sa.Column('close_note', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs')),
    schema='volunteers'
    )
    op.create_index(op.f('ix_needs_division_code'), 'needs', ['division_code'], unique=False, schema='volunteers')
    op.create_index(op.f('ix_needs_status'), 'needs', ['status'], unique=False, schema='volunteers')
    op.create_table('star_policies',
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('star1_hours', sa.Integer(), nullable=False),
    sa.Column('star2_hours', sa.Integer(), nullable=False),
    sa.Column('star3_hours', sa.Integer(), nullable=False),
    sa.Column('star4_hours', sa.Integer(), nullable=False),
    sa.Column('star5_hours', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('division_code', name=op.f('pk_star_policies')),
    schema='volunteers'
    )
    op.create_table('stations',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=30), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('leader_volunteer_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stations')),
    schema='volunteers'
    )
    op.create_index(op.f('ix_stations_division_code'), 'stations', ['division_code'], unique=False, schema='volunteers')
    op.create_table('need_skills',
    sa.Column('need_id', sa.String(length=64), nullable=False),
    sa.Column('skill', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['volunteers.needs.id'], name=op.f('fk_need_skills_need_id_needs')),
    sa.PrimaryKeyConstraint('need_id', 'skill', name=op.f('pk_need_skills')),
    schema='volunteers'
    )
    op.create_table('teams',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=True),
    sa.Column('leader_volunteer_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['volunteers.stations.id'], name=op.f('fk_teams_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    schema='volunteers'
    )
    op.create_index(op.f('ix_teams_division_code'), 'teams', ['division_code'], unique=False, schema='volunteers')
    op.create_index(op.f('ix_teams_station_id'), 'teams', ['station_id'], unique=False, schema='volunteers')
    op.create_table('volunteers',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('name_encrypted', sa.Text(), nullable=False),
    sa.Column('name_masked', sa.String(length=50), nullable=False),
    sa.Column('phone_encrypted', sa.Text(), nullable=False),
    sa.Column('phone_index', sa.String(length=64), nullable=False),
    sa.Column('phone_masked', sa.String(length=30), nullable=False),
    sa.Column('citizen_id_encrypted', sa.Text(), nullable=True),
    sa.Column('citizen_id_index', sa.String(length=64), nullable=True),
    sa.Column('citizen_id_masked', sa.String(length=30), nullable=True),
    sa.Column('availability_mask', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=64), nullable=True),
    sa.Column('station_id', sa.String(length=64), nullable=True),
    sa.Column('sign_language_trained', sa.Boolean(), nullable=False),
    sa.Column('star_level', sa.Integer(), nullable=False),
    sa.Column('confirmed_minutes', sa.Integer(), nullable=False),
    sa.Column('person_times', sa.Integer(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('leave_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['volunteers.stations.id'], name=op.f('fk_volunteers_station_id_stations')),
    sa.ForeignKeyConstraint(['team_id'], ['volunteers.teams.id'], name=op.f('fk_volunteers_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteers')),
    sa.UniqueConstraint('citizen_id_index', name=op.f('uq_volunteers_citizen_id_index')),
    sa.UniqueConstraint('phone_index', name=op.f('uq_volunteers_phone_index')),
    schema='volunteers'
    )
    op.create_index(op.f('ix_volunteers_division_code'), 'volunteers', ['division_code'], unique=False, schema='volunteers')
    op.create_index(op.f('ix_volunteers_station_id'), 'volunteers', ['station_id'], unique=False, schema='volunteers')
    op.create_index(op.f('ix_volunteers_team_id'), 'volunteers', ['team_id'], unique=False, schema='volunteers')
    op.create_table('assignments',
    sa.Column('need_id', sa.String(length=64), nullable=False),
    sa.Column('volunteer_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decline_reason', sa.String(length=500), nullable=True),
    sa.Column('invited_by', sa.String(length=200), nullable=True),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('responded_at', UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['need_id'], ['volunteers.needs.id'], name=op.f('fk_assignments_need_id_needs')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.volunteers.id'], name=op.f('fk_assignments_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('need_id', 'volunteer_id', name=op.f('pk_assignments')),
    schema='volunteers'
    )
    op.create_index(op.f('ix_assignments_volunteer_id'), 'assignments', ['volunteer_id'], unique=False, schema='volunteers')
    op.create_table('honours',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('volunteer_id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('awarded_by', sa.String(length=200), nullable=False),
    sa.Column('awarded_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.volunteers.id'], name=op.f('fk_honours_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honours')),
    schema='volunteers'
    )
    op.create_index(op.f('ix_honours_volunteer_id'), 'honours', ['volunteer_id'], unique=False, schema='volunteers')
    op.create_table('service_records',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('volunteer_id', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=100), nullable=False),
    sa.Column('need_id', sa.String(length=64), nullable=True),
    sa.Column('team_id', sa.String(length=64), nullable=True),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('service_kind', sa.String(length=40), nullable=False),
    sa.Column('checked_in_at', UtcDateTime(), nullable=False),
    sa.Column('checked_out_at', UtcDateTime(), nullable=False),
    sa.Column('served_on', sa.Date(), nullable=False),
    sa.Column('served_month', sa.String(length=7), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('person_times', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('rejection_reason', sa.String(length=500), nullable=True),
    sa.Column('reviewed_by', sa.String(length=200), nullable=True),
    sa.Column('reviewed_at', UtcDateTime(), nullable=True),
    sa.Column('submitted_at', UtcDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['volunteers.needs.id'], name=op.f('fk_service_records_need_id_needs')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.volunteers.id'], name=op.f('fk_service_records_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_records')),
    sa.UniqueConstraint('volunteer_id', 'client_id', name=op.f('uq_service_records_volunteer_id_client_id')),
    schema='volunteers'
    )
    op.create_index(op.f('ix_service_records_division_code'), 'service_records', ['division_code'], unique=False, schema='volunteers')
    op.create_index(op.f('ix_service_records_need_id'), 'service_records', ['need_id'], unique=False, schema='volunteers')
    op.create_index(op.f('ix_service_records_status_served_on'), 'service_records', ['status', 'served_on'], unique=False, schema='volunteers')
    op.create_index(op.f('ix_service_records_team_id'), 'service_records', ['team_id'], unique=False, schema='volunteers')
    op.create_index(op.f('ix_service_records_volunteer_id_checked_in_at'), 'service_records', ['volunteer_id', 'checked_in_at'], unique=False, schema='volunteers')
    op.create_table('trainings',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('volunteer_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=True),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('certificate_no', sa.String(length=100), nullable=True),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.volunteers.id'], name=op.f('fk_trainings_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainings')),
    schema='volunteers'
    )
    op.create_index(op.f('ix_trainings_volunteer_id'), 'trainings', ['volunteer_id'], unique=False, schema='volunteers')
    op.create_table('volunteer_skills',
    sa.Column('volunteer_id', sa.String(length=64), nullable=False),
    sa.Column('skill', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.volunteers.id'], name=op.f('fk_volunteer_skills_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('volunteer_id', 'skill', name=op.f('pk_volunteer_skills')),
    schema='volunteers'
    )
    op.create_index(op.f('ix_volunteer_skills_skill'), 'volunteer_skills', ['skill'], unique=False, schema='volunteers')


def downgrade() -> None:
    op.drop_index(op.f('ix_volunteer_skills_skill'), table_name='volunteer_skills', schema='volunteers')
    op.drop_table('volunteer_skills', schema='volunteers')
    op.drop_index(op.f('ix_trainings_volunteer_id'), table_name='trainings', schema='volunteers')
    op.drop_table('trainings', schema='volunteers')
    op.drop_index(op.f('ix_service_records_volunteer_id_checked_in_at'), table_name='service_records', schema='volunteers')
    op.drop_index(op.f('ix_service_records_team_id'), table_name='service_records', schema='volunteers')
    op.drop_index(op.f('ix_service_records_status_served_on'), table_name='service_records', schema='volunteers')
    op.drop_index(op.f('ix_service_records_need_id'), table_name='service_records', schema='volunteers')
    op.drop_index(op.f('ix_service_records_division_code'), table_name='service_records', schema='volunteers')
    op.drop_table('service_records', schema='volunteers')
    op.drop_index(op.f('ix_honours_volunteer_id'), table_name='honours', schema='volunteers')
    op.drop_table('honours', schema='volunteers')
    op.drop_index(op.f('ix_assignments_volunteer_id'), table_name='assignments', schema='volunteers')
    op.drop_table('assignments', schema='volunteers')
    op.drop_index(op.f('ix_volunteers_team_id'), table_name='volunteers', schema='volunteers')
    op.drop_index(op.f('ix_volunteers_station_id'), table_name='volunteers', schema='volunteers')
    op.drop_index(op.f('ix_volunteers_division_code'), table_name='volunteers', schema='volunteers')
    op.drop_table('volunteers', schema='volunteers')
    op.drop_index(op.f('ix_teams_station_id'), table_name='teams', schema='volunteers')
    op.drop_index(op.f('ix_teams_division_code'), table_name='teams', schema='volunteers')
    op.drop_table('teams', schema='volunteers')
    op.drop_table('need_skills', schema='volunteers')
    op.drop_index(op.f('ix_stations_division_code'), table_name='stations', schema='volunteers')
    op.drop_table('stations', schema='volunteers')
    op.drop_table('star_policies', schema='volunteers')
    op.drop_index(op.f('ix_needs_status'), table_name='needs', schema='volunteers')
    op.drop_index(op.f('ix_needs_division_code'), table_name='needs', schema='volunteers')
    op.drop_table('needs', schema='volunteers')
