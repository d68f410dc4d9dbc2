"""Persons, applications (with assessment and review) and cards.

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

SCHEMA = "cards"


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("citizen_id_encrypted", sa.Text(), nullable=False),
        sa.Column("citizen_id_index", sa.String(64), nullable=False),
        sa.Column("name_encrypted", sa.Text(), nullable=False),
        sa.Column("phone_encrypted", sa.Text(), nullable=True),
        sa.Column("sex", sa.String(6), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("residence_division_code", sa.String(12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
        sa.UniqueConstraint("citizen_id_index", name="uq_persons_citizen_id_index"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_persons_residence_division_code",
        "persons",
        ["residence_division_code"],
        schema=SCHEMA,
    )

    op.create_table(
        "applications",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("person_id", BigIntegerKey, nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("home_visit", sa.Boolean(), nullable=False),
        sa.Column("poor", sa.Boolean(), nullable=False),
        sa.Column("fee_waived", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("institution", sa.String(200), nullable=True),
        sa.Column("assessor", sa.String(100), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("category", sa.SmallInteger(), nullable=True),
        sa.Column("grade", sa.SmallInteger(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("reviewer", sa.String(200), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("card_id", BigIntegerKey, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_applications"),
        sa.ForeignKeyConstraint(
            ["person_id"], [f"{SCHEMA}.persons.id"], name="fk_applications_person_id_persons"
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_applications_person_id", "applications", ["person_id"], schema=SCHEMA)
    op.create_index(
        "ix_applications_division_code", "applications", ["division_code"], schema=SCHEMA
    )
    op.create_index("ix_applications_status", "applications", ["status"], schema=SCHEMA)

    op.create_table(
        "cards",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("person_id", BigIntegerKey, nullable=False),
        sa.Column("application_id", BigIntegerKey, nullable=True),
        sa.Column("previous_card_id", BigIntegerKey, nullable=True),
        sa.Column("superseded_by_card_id", BigIntegerKey, nullable=True),
        sa.Column("number_index", sa.String(64), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("category", sa.SmallInteger(), nullable=False),
        sa.Column("grade", sa.SmallInteger(), nullable=False),
        sa.Column("generation", sa.String(20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("home_visit", sa.Boolean(), nullable=False),
        sa.Column("end_reason", sa.String(20), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cards"),
        sa.ForeignKeyConstraint(
            ["person_id"], [f"{SCHEMA}.persons.id"], name="fk_cards_person_id_persons"
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            [f"{SCHEMA}.applications.id"],
            name="fk_cards_application_id_applications",
        ),
        sa.ForeignKeyConstraint(
            ["previous_card_id"], [f"{SCHEMA}.cards.id"], name="fk_cards_previous_card_id_cards"
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_cards_person_id", "cards", ["person_id"], schema=SCHEMA)
    op.create_index("ix_cards_number_index", "cards", ["number_index"], schema=SCHEMA)
    op.create_index("ix_cards_division_code", "cards", ["division_code"], schema=SCHEMA)
    op.create_index("ix_cards_valid_until", "cards", ["valid_until"], schema=SCHEMA)
    op.create_index(
        "ix_cards_status_division_code", "cards", ["status", "division_code"], schema=SCHEMA
    )
    # At most one valid card per person (partial unique index: PostgreSQL and SQLite).
    op.create_index(
        "uq_cards_person_id_valid",
        "cards",
        ["person_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("status = 'valid'"),
        sqlite_where=sa.text("status = 'valid'"),
    )


def downgrade() -> None:
    op.drop_table("cards", schema=SCHEMA)
    op.drop_table("applications", schema=SCHEMA)
    op.drop_table("persons", schema=SCHEMA)
