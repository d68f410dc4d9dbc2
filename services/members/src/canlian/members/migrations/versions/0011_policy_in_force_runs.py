"""The days the daily in-force run of the policy values claimed (one row a China-time day):
values set for a later date re-evaluate what they govern on that date, once across replicas.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from canlian.common.policy_values.migration import (
    create_policy_in_force_runs,
    drop_policy_in_force_runs,
)

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "members"


def upgrade() -> None:
    create_policy_in_force_runs(SCHEMA)


def downgrade() -> None:
    drop_policy_in_force_runs(SCHEMA)
