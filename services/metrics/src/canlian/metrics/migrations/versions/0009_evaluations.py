"""Evaluations on record: a plan's mid-term or final evaluation of a region, and each
indicator's status in it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("plan_code", sa.String(40), nullable=False),
        sa.Column("division_code", DivisionCodeType, nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("submission_id", BigIntegerKey, nullable=False),
        sa.Column("submission_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("drafted_by", sa.String(200), nullable=False),
        sa.Column("drafted_at", UtcDateTime(), nullable=False),
        sa.Column("approved_by", sa.String(200), nullable=True),
        sa.Column("approved_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_evaluations"),
        sa.ForeignKeyConstraint(
            ["plan_code"],
            [f"{SCHEMA}.plans.code"],
            name="fk_evaluations_plan_code_plans",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            [f"{SCHEMA}.submissions.id"],
            name="fk_evaluations_submission_id_submissions",
        ),
        sa.UniqueConstraint(
            "plan_code", "kind", "division_code", name="uq_evaluations_one_per_kind"
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_evaluations_division_code", "evaluations", ["division_code"], schema=SCHEMA
    )
    op.create_table(
        "evaluation_indicators",
        sa.Column("evaluation_id", BigIntegerKey, nullable=False),
        sa.Column("indicator_code", sa.String(60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("comparator", sa.String(2), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("gap", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint(
            "evaluation_id", "indicator_code", name="pk_evaluation_indicators"
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            [f"{SCHEMA}.evaluations.id"],
            name="fk_evaluation_indicators_evaluation_id_evaluations",
            ondelete="CASCADE",
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_evaluation_indicators_indicator_status",
        "evaluation_indicators",
        ["indicator_code", "status"],
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_evaluation_indicators_indicator_status",
        table_name="evaluation_indicators",
        schema=SCHEMA,
    )
    op.drop_table("evaluation_indicators", schema=SCHEMA)
    op.drop_index("ix_evaluations_division_code", table_name="evaluations", schema=SCHEMA)
    op.drop_table("evaluations", schema=SCHEMA)
