"""Submissions of a year's figures, their review, and the deadlines set by the level above.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"


def _plan_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["plan_code"],
        [f"{SCHEMA}.plans.code"],
        name=f"fk_{table}_plan_code_plans",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("plan_code", sa.String(40), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("milestone", sa.String(20), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("revision_reason", sa.Text(), nullable=True),
        sa.Column("form_number", sa.String(60), nullable=False),
        sa.Column("issuing_authority", sa.String(100), nullable=False),
        sa.Column("reporting_unit", sa.String(100), nullable=False),
        sa.Column("unit_head", sa.String(60), nullable=False),
        sa.Column("statistics_head", sa.String(60), nullable=False),
        sa.Column("preparer", sa.String(60), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("submitted_at", UtcDateTime(), nullable=False),
        sa.Column("reviewed_by", sa.String(200), nullable=True),
        sa.Column("reviewed_at", UtcDateTime(), nullable=True),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        _plan_key("submissions"),
        sa.UniqueConstraint(
            "plan_code", "division_code", "year", "version", name="uq_submissions_version"
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_submissions_division_code", "submissions", ["division_code"], schema=SCHEMA
    )
    op.create_table(
        "submission_deadlines",
        sa.Column("plan_code", sa.String(40), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint(
            "plan_code", "division_code", "year", name="pk_submission_deadlines"
        ),
        _plan_key("submission_deadlines"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("submission_deadlines", schema=SCHEMA)
    op.drop_index("ix_submissions_division_code", table_name="submissions", schema=SCHEMA)
    op.drop_table("submissions", schema=SCHEMA)
