"""Regional values of the needs service's policy parameters (the kit's `policy_values`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from canlian.common.policy_values.migration import create_policy_values, drop_policy_values

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "needs"


def upgrade() -> None:
    create_policy_values(SCHEMA)


def downgrade() -> None:
    drop_policy_values(SCHEMA)
