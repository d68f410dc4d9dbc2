"""Targets that apply to one level below the region they are set on.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"


def upgrade() -> None:
    with op.batch_alter_table("plan_targets", schema=SCHEMA) as batch:
        batch.add_column(
            sa.Column("applies_to_level", sa.SmallInteger(), server_default="0", nullable=False)
        )
        batch.drop_constraint(
            "uq_plan_targets_plan_code_indicator_code_division_code", type_="unique"
        )
        batch.create_unique_constraint(
            "uq_plan_targets_one_per_scope",
            ["plan_code", "indicator_code", "division_code", "applies_to_level"],
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_targets", schema=SCHEMA) as batch:
        batch.drop_constraint(
            "uq_plan_targets_one_per_scope",
            type_="unique",
        )
        batch.drop_column("applies_to_level")
        batch.create_unique_constraint(
            "uq_plan_targets_plan_code_indicator_code_division_code",
            ["plan_code", "indicator_code", "division_code"],
        )
