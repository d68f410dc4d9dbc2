"""Recruitment by open examination: rounds, the posts they offer, applicants (identifiers
encrypted), and the round an appointment was selected in.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "members"


def upgrade() -> None:
    op.create_table(
        "recruitment_rounds",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("announced_on", sa.Date(), nullable=False),
        sa.Column("applications_close_on", sa.Date(), nullable=False),
        sa.Column("exam_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("written_exam_weight", sa.Numeric(5, 2), nullable=True),
        sa.Column("ranking_rule", sa.String(60), nullable=True),
        sa.Column("ranked_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_rounds")),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_recruitment_rounds_division_code"),
        "recruitment_rounds",
        ["division_code"],
        schema=SCHEMA,
    )
    op.create_table(
        "recruitment_posts",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("round_id", BigIntegerKey, nullable=False),
        sa.Column("organisation_id", sa.String(64), nullable=False),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column("post", sa.String(30), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            [f"{SCHEMA}.recruitment_rounds.id"],
            name=op.f("fk_recruitment_posts_round_id_recruitment_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            [f"{SCHEMA}.organisations.organisation_id"],
            name=op.f("fk_recruitment_posts_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_posts")),
        sa.UniqueConstraint(
            "round_id",
            "organisation_id",
            "post",
            name=op.f("uq_recruitment_posts_round_id_organisation_id_post"),
        ),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_recruitment_posts_round_id"), "recruitment_posts", ["round_id"], schema=SCHEMA
    )
    op.create_index(
        op.f("ix_recruitment_posts_division_code"),
        "recruitment_posts",
        ["division_code"],
        schema=SCHEMA,
    )
    # Batch mode: SQLite (the embedded build) rebuilds the table to add a foreign key.
    with op.batch_alter_table("appointments", schema=SCHEMA) as batch:
        batch.add_column(sa.Column("recruitment_round_id", BigIntegerKey, nullable=True))
        batch.create_foreign_key(
            op.f("fk_appointments_recruitment_round_id_recruitment_rounds"),
            "recruitment_rounds",
            ["recruitment_round_id"],
            ["id"],
            referent_schema=SCHEMA,
        )
        batch.create_index(op.f("ix_appointments_recruitment_round_id"), ["recruitment_round_id"])
    op.create_table(
        "recruitment_applicants",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("round_id", BigIntegerKey, nullable=False),
        sa.Column("offered_post_id", BigIntegerKey, nullable=False),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column("name_ciphertext", sa.Text(), nullable=False),
        sa.Column("citizen_id_ciphertext", sa.Text(), nullable=False),
        sa.Column("citizen_id_index", sa.String(64), nullable=False),
        sa.Column("phone_ciphertext", sa.Text(), nullable=True),
        sa.Column("sex", sa.String(6), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("disability_relation", sa.String(20), nullable=False),
        sa.Column("disability_category", sa.Integer(), nullable=True),
        sa.Column("disability_grade", sa.Integer(), nullable=True),
        sa.Column("education", sa.String(2), nullable=True),
        sa.Column("written_score", sa.Numeric(5, 2), nullable=True),
        sa.Column("interview_score", sa.Numeric(5, 2), nullable=True),
        sa.Column("combined_score", sa.Numeric(5, 2), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("preference_applied", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("member_id", BigIntegerKey, nullable=True),
        sa.Column("appointment_id", BigIntegerKey, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            [f"{SCHEMA}.recruitment_rounds.id"],
            name=op.f("fk_recruitment_applicants_round_id_recruitment_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["offered_post_id"],
            [f"{SCHEMA}.recruitment_posts.id"],
            name=op.f("fk_recruitment_applicants_offered_post_id_recruitment_posts"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            [f"{SCHEMA}.members.id"],
            name=op.f("fk_recruitment_applicants_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            [f"{SCHEMA}.appointments.id"],
            name=op.f("fk_recruitment_applicants_appointment_id_appointments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_applicants")),
        sa.UniqueConstraint(
            "round_id",
            "citizen_id_index",
            name=op.f("uq_recruitment_applicants_round_id_citizen_id_index"),
        ),
        schema=SCHEMA,
    )
    for column in ("round_id", "offered_post_id", "division_code"):
        op.create_index(
            op.f(f"ix_recruitment_applicants_{column}"),
            "recruitment_applicants",
            [column],
            schema=SCHEMA,
        )


def downgrade() -> None:
    op.drop_table("recruitment_applicants", schema=SCHEMA)
    with op.batch_alter_table("appointments", schema=SCHEMA) as batch:
        batch.drop_index(op.f("ix_appointments_recruitment_round_id"))
        batch.drop_constraint(
            op.f("fk_appointments_recruitment_round_id_recruitment_rounds"), type_="foreignkey"
        )
        batch.drop_column("recruitment_round_id")
    op.drop_table("recruitment_posts", schema=SCHEMA)
    op.drop_table("recruitment_rounds", schema=SCHEMA)
