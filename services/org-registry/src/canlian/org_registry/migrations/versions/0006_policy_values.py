"""Regional values of the policy parameters the registry owns (special associations' yearly
activity funds minimums), dated and kept with their history; each special association records
the minimum in force for its region (the seed's by level until a region sets one).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.policy_values.migration import create_policy_values, drop_policy_values

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "org_registry"
SEED_MINIMUMS = {2: 10_000, 3: 5_000}  # seed 003, by level (city, county)


def upgrade() -> None:
    create_policy_values(SCHEMA)
    op.add_column(
        "organisations",
        sa.Column("activity_funds_minimum_yuan", sa.Integer(), nullable=True),
        schema=SCHEMA,
    )
    for level, minimum in SEED_MINIMUMS.items():
        op.execute(
            f"UPDATE {SCHEMA}.organisations SET activity_funds_minimum_yuan = {minimum} "
            f"WHERE kind = 'special_association' AND level = {level}"
        )


def downgrade() -> None:
    op.drop_column("organisations", "activity_funds_minimum_yuan", schema=SCHEMA)
    drop_policy_values(SCHEMA)
