"""Divisions with history, organisations, coverage, terms, bodies and the change log.

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


def upgrade() -> None:
    op.create_table(
        "change_records",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_region", sa.String(length=12), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=100), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_records")),
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_change_records_division_code"),
        "change_records",
        ["division_code"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_change_records_object_id"),
        "change_records",
        ["object_id"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_change_records_occurred_at"),
        "change_records",
        ["occurred_at"],
        unique=False,
        schema="org_registry",
    )
    op.create_table(
        "division_changes",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("successor_code", sa.String(length=12), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("old_name", sa.String(length=100), nullable=True),
        sa.Column("new_name", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_division_changes")),
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_division_changes_code"),
        "division_changes",
        ["code"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_division_changes_successor_code"),
        "division_changes",
        ["successor_code"],
        unique=False,
        schema="org_registry",
    )
    op.create_table(
        "divisions",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_divisions")),
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_divisions_code"), "divisions", ["code"], unique=False, schema="org_registry"
    )
    op.create_index(
        op.f("ix_divisions_parent_code"),
        "divisions",
        ["parent_code"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        "uq_divisions_current_code",
        "divisions",
        ["code"],
        unique=True,
        schema="org_registry",
        postgresql_where=sa.text("valid_to IS NULL"),
        sqlite_where=sa.text("valid_to IS NULL"),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("special_category", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("established_on", sa.Date(), nullable=True),
        sa.Column("dissolved_on", sa.Date(), nullable=True),
        sa.Column("has_sign", sa.Boolean(), nullable=False),
        sa.Column("has_seal", sa.Boolean(), nullable=False),
        sa.Column("has_staff", sa.Boolean(), nullable=False),
        sa.Column("has_funds", sa.Boolean(), nullable=False),
        sa.Column("has_work", sa.Boolean(), nullable=False),
        sa.Column("has_office", sa.Boolean(), nullable=False),
        sa.Column("has_activity_room", sa.Boolean(), nullable=False),
        sa.Column("has_service_platform", sa.Boolean(), nullable=False),
        sa.Column("is_demonstration_site", sa.Boolean(), nullable=False),
        sa.Column("has_premises", sa.Boolean(), nullable=False),
        sa.Column("yearly_activity_funds_yuan", sa.Integer(), nullable=True),
        sa.Column("has_full_time_chair", sa.Boolean(), nullable=False),
        sa.Column("has_disabled_cadre", sa.Boolean(), nullable=False),
        sa.Column("leadership_compliant", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["org_registry.organisations.id"],
            name=op.f("fk_organisations_parent_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_organisations_division_code"),
        "organisations",
        ["division_code"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_organisations_kind"),
        "organisations",
        ["kind"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_organisations_parent_id"),
        "organisations",
        ["parent_id"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_organisations_status"),
        "organisations",
        ["status"],
        unique=False,
        schema="org_registry",
    )
    op.create_table(
        "coverages",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["org_registry.organisations.id"],
            name=op.f("fk_coverages_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverages")),
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_coverages_organisation_id"),
        "coverages",
        ["organisation_id"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_coverages_village_code"),
        "coverages",
        ["village_code"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        "uq_coverages_active_village",
        "coverages",
        ["village_code"],
        unique=True,
        schema="org_registry",
        postgresql_where=sa.text("active IS true"),
        sqlite_where=sa.text("active IS true"),
    )
    op.create_table(
        "terms",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("next_election_due", sa.Date(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["org_registry.organisations.id"],
            name=op.f("fk_terms_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terms")),
        sa.UniqueConstraint(
            "organisation_id", "number", name=op.f("uq_terms_organisation_id_number")
        ),
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_terms_next_election_due"),
        "terms",
        ["next_election_due"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_terms_organisation_id"),
        "terms",
        ["organisation_id"],
        unique=False,
        schema="org_registry",
    )
    op.create_table(
        "bodies",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("term_id", BigIntegerKey, nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["term_id"], ["org_registry.terms.id"], name=op.f("fk_bodies_term_id_terms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bodies")),
        sa.UniqueConstraint("term_id", "kind", name=op.f("uq_bodies_term_id_kind")),
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_bodies_term_id"), "bodies", ["term_id"], unique=False, schema="org_registry"
    )
    op.create_table(
        "body_members",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("body_id", BigIntegerKey, nullable=False),
        sa.Column("name_encrypted", sa.Text(), nullable=False),
        sa.Column("name_index", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("is_full_time", sa.Boolean(), nullable=False),
        sa.Column("is_disabled", sa.Boolean(), nullable=False),
        sa.Column("is_relative", sa.Boolean(), nullable=False),
        sa.Column("is_role_model", sa.Boolean(), nullable=False),
        sa.Column("is_grassroots", sa.Boolean(), nullable=False),
        sa.Column("disability_category", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["org_registry.bodies.id"], name=op.f("fk_body_members_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body_members")),
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_body_members_body_id"),
        "body_members",
        ["body_id"],
        unique=False,
        schema="org_registry",
    )
    op.create_index(
        op.f("ix_body_members_name_index"),
        "body_members",
        ["name_index"],
        unique=False,
        schema="org_registry",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_body_members_name_index"), table_name="body_members", schema="org_registry"
    )
    op.drop_index(op.f("ix_body_members_body_id"), table_name="body_members", schema="org_registry")
    op.drop_table("body_members", schema="org_registry")
    op.drop_index(op.f("ix_bodies_term_id"), table_name="bodies", schema="org_registry")
    op.drop_table("bodies", schema="org_registry")
    op.drop_index(op.f("ix_terms_organisation_id"), table_name="terms", schema="org_registry")
    op.drop_index(op.f("ix_terms_next_election_due"), table_name="terms", schema="org_registry")
    op.drop_table("terms", schema="org_registry")
    op.drop_index(
        "uq_coverages_active_village",
        table_name="coverages",
        schema="org_registry",
        postgresql_where=sa.text("active IS true"),
        sqlite_where=sa.text("active IS true"),
    )
    op.drop_index(op.f("ix_coverages_village_code"), table_name="coverages", schema="org_registry")
    op.drop_index(
        op.f("ix_coverages_organisation_id"), table_name="coverages", schema="org_registry"
    )
    op.drop_table("coverages", schema="org_registry")
    op.drop_index(
        op.f("ix_organisations_status"), table_name="organisations", schema="org_registry"
    )
    op.drop_index(
        op.f("ix_organisations_parent_id"), table_name="organisations", schema="org_registry"
    )
    op.drop_index(op.f("ix_organisations_kind"), table_name="organisations", schema="org_registry")
    op.drop_index(
        op.f("ix_organisations_division_code"), table_name="organisations", schema="org_registry"
    )
    op.drop_table("organisations", schema="org_registry")
    op.drop_index(
        "uq_divisions_current_code",
        table_name="divisions",
        schema="org_registry",
        postgresql_where=sa.text("valid_to IS NULL"),
        sqlite_where=sa.text("valid_to IS NULL"),
    )
    op.drop_index(op.f("ix_divisions_parent_code"), table_name="divisions", schema="org_registry")
    op.drop_index(op.f("ix_divisions_code"), table_name="divisions", schema="org_registry")
    op.drop_table("divisions", schema="org_registry")
    op.drop_index(
        op.f("ix_division_changes_successor_code"),
        table_name="division_changes",
        schema="org_registry",
    )
    op.drop_index(
        op.f("ix_division_changes_code"), table_name="division_changes", schema="org_registry"
    )
    op.drop_table("division_changes", schema="org_registry")
    op.drop_index(
        op.f("ix_change_records_occurred_at"), table_name="change_records", schema="org_registry"
    )
    op.drop_index(
        op.f("ix_change_records_object_id"), table_name="change_records", schema="org_registry"
    )
    op.drop_index(
        op.f("ix_change_records_division_code"), table_name="change_records", schema="org_registry"
    )
    op.drop_table("change_records", schema="org_registry")
